import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backwardSlice,
  dependents,
  knownVariables,
  lastDefinition,
  reachingDefinition,
  UnknownExecutionError,
  UnknownVariableError,
} from '../../src/core/lineage';
import { call, cell, codes, def, facts, ids, Log, simple, stmt } from './helpers';

describe('backward slice, cell granularity', () => {
  test('straight line: only the chain that produced the value', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c2', simple('d = 5', { defines: ['d'] }));
    log.run('c3', simple('b = a + 1', { defines: ['b'], uses: ['a'] }));
    log.run('c4', simple('c = b * 2', { defines: ['c'], uses: ['b'] }));
    const slice = backwardSlice(log.graph(), 'c');
    assert.deepEqual(ids(slice.executions), ['e1', 'e3', 'e4']);
    assert.deepEqual(ids(slice.targets), ['e4']);
    assert.deepEqual(codes(slice.executions), ['a = 1', 'b = a + 1', 'c = b * 2']);
    assert.equal(slice.operations, undefined);
  });

  test('re-execution of a cell with different code: the latest run counts', () => {
    const log = new Log();
    log.run('c1', simple('p = "a.csv"', { defines: ['p'] }));
    log.run('c2', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('x = load(p)', { defines: ['x'], uses: ['load', 'p'] }));
    log.run('c3', simple('y = x', { defines: ['y'], uses: ['x'] }));
    const slice = backwardSlice(log.graph(), 'y');
    assert.deepEqual(ids(slice.executions), ['e1', 'e3', 'e4']);
    assert.deepEqual(
      slice.executions.map((e) => [e.cellId, e.executionCount]),
      [['c1', 1], ['c2', 3], ['c3', 4]],
    );
  });

  test('out-of-order runs follow execution order, not notebook order', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c3', simple('b = a', { defines: ['b'], uses: ['a'] }));
    log.run('c2', simple('a = 2', { defines: ['a'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'b').executions), ['e1', 'e2']);
    assert.deepEqual(ids(backwardSlice(graph, 'a').executions), ['e3']);
  });

  test('an edited cell: the slice holds the code as it was executed', () => {
    const log = new Log();
    log.run('c1', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('y = x + 1', { defines: ['y'], uses: ['x'] }));
    // c1 is now edited to `x = 99` but never re-run: the log does not change.
    const slice = backwardSlice(log.graph(), 'y');
    assert.deepEqual(codes(slice.executions), ['x = 1', 'y = x + 1']);
  });

  test('a deleted cell still counts: its definition reached later cells', () => {
    const log = new Log();
    log.run('gone', simple('k = 3', { defines: ['k'] }), { cellIndex: null });
    log.run('c1', simple('z = k * 2', { defines: ['z'], uses: ['k'] }));
    const slice = backwardSlice(log.graph(), 'z');
    assert.deepEqual(
      slice.executions.map((e) => [e.cellId, e.cellIndex, e.code]),
      [['gone', null, 'k = 3'], ['c1', 1, 'z = k * 2']],
    );
  });

  test('a failed execution defines nothing, but stays in the log', () => {
    const log = new Log();
    log.run('c1', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('x = 1 / 0', { defines: ['x'] }), { success: false });
    log.run('c3', simple('y = x', { defines: ['y'], uses: ['x'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'y').executions), ['e1', 'e3']);
    assert.equal(graph.executions[1].input.code, 'x = 1 / 0');
    assert.equal(lastDefinition(graph, 'x')?.id, 'e1');
  });

  test('a variable defined only by failed executions is unknown', () => {
    const log = new Log();
    log.run('c1', simple('w = oops()', { defines: ['w'], uses: ['oops'] }), { success: false });
    assert.throws(() => backwardSlice(log.graph(), 'w'), UnknownVariableError);
  });

  test('a restart (execution count going back) cuts history', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c2', simple('b = 2', { defines: ['b'] }));
    log.restart();
    log.run('c1', simple('a = 5', { defines: ['a'] }));
    const last = log.run('c3', simple('c = a + b', { defines: ['c'], uses: ['a', 'b'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'c').executions), ['e3', 'e4']);
    assert.equal(reachingDefinition(graph, 'b', last), null);
    assert.equal(reachingDefinition(graph, 'a', last)?.id, 'e3');
  });

  test('a session change cuts history even when counts keep increasing', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }), { session: 's1', count: 1 });
    log.run('c2', simple('b = a', { defines: ['b'], uses: ['a'] }), { session: 's2', count: 2 });
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'b').executions), ['e2']);
    assert.deepEqual(
      graph.executions.map((e) => e.segment),
      [0, 1],
    );
  });

  test('an execution count that does not increase is a restart; unknown counts are not', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }), { count: 4 });
    log.run('c2', simple('b = a', { defines: ['b'], uses: ['a'] }), { count: null });
    log.run('c3', simple('c = b', { defines: ['c'], uses: ['b'] }), { count: 4 });
    const graph = log.graph();
    assert.deepEqual(
      graph.executions.map((e) => e.segment),
      [0, 0, 1],
    );
    assert.deepEqual(ids(backwardSlice(graph, 'b').executions), ['e1', 'e2']);
    assert.deepEqual(ids(backwardSlice(graph, 'c').executions), ['e3']);
  });

  test('mutation through a method is a new version that depends on the old one', () => {
    const log = new Log();
    log.run('c1', simple('lst = []', { defines: ['lst'] }));
    log.run('c2', simple('v = 7', { defines: ['v'] }));
    log.run('c3', simple('unrelated = 0', { defines: ['unrelated'] }));
    log.run('c4', cell(stmt('lst.append(v)', { uses: ['lst', 'v'], mutates: ['lst'], calls: [call('lst.append', ['v'])] })));
    log.run('c5', simple('total = sum(lst)', { defines: ['total'], uses: ['lst'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'total').executions), ['e1', 'e2', 'e4', 'e5']);
    assert.deepEqual(ids(backwardSlice(graph, 'lst').executions), ['e1', 'e2', 'e4']);
    assert.equal(lastDefinition(graph, 'lst')?.id, 'e4');
  });

  test('mutation through a notebook function that mutates its parameter', () => {
    const log = new Log();
    log.run('c1', cell(def('def add(l):\n    l.append(1)', { name: 'add', params: ['l'], mutatedParams: ['l'] })));
    log.run('c2', simple('xs = []', { defines: ['xs'] }));
    log.run('c3', simple('ys = []', { defines: ['ys'] }));
    log.run('c4', cell(stmt('add(xs)', { uses: ['add', 'xs'], calls: [call('add', ['xs'])] })));
    log.run('c5', cell(stmt('add(l=ys)', { uses: ['add', 'ys'], calls: [call('add', [], { l: 'ys' })] })));
    log.run('c6', simple('n = len(xs)', { defines: ['n'], uses: ['xs'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'n').executions), ['e1', 'e2', 'e4', 'e6']);
    assert.deepEqual(ids(backwardSlice(graph, 'ys').executions), ['e1', 'e3', 'e5']);
  });

  test('class instantiation is a call: __init__ mutating an argument (self skipped)', () => {
    const log = new Log();
    log.run('c1', cell(def('class Reg:\n    def __init__(self, log): log.append(self)', {
      name: 'Reg', kind: 'class', params: ['self', 'log'], mutatedParams: ['log'],
    })));
    log.run('c2', simple('events = []', { defines: ['events'] }));
    log.run('c3', cell(stmt('r = Reg(events)', { kind: 'assign', defines: ['r'], uses: ['Reg', 'events'], calls: [call('Reg', ['events'])] })));
    assert.deepEqual(ids(backwardSlice(log.graph(), 'events').executions), ['e1', 'e2', 'e3']);
  });

  test('free variables are bound at call time, not at definition time', () => {
    const log = new Log();
    log.run('c1', simple('k = 0', { defines: ['k'] }));
    log.run('c2', cell(def('def f():\n    return k * 2', { name: 'f', freeVariables: ['k'] })));
    log.run('c3', simple('k = 1', { defines: ['k'] }));
    log.run('c3', simple('k = 3', { defines: ['k'] }));
    log.run('c4', cell(stmt('r = f()', { kind: 'assign', defines: ['r'], uses: ['f'], calls: [call('f')] })));
    log.run('c1', simple('k = 100', { defines: ['k'] }));
    const slice = backwardSlice(log.graph(), 'r');
    assert.deepEqual(codes(slice.executions), ['def f():\n    return k * 2', 'k = 3', 'r = f()']);
  });

  test('a function passed as a value brings its free variables along', () => {
    const log = new Log();
    log.run('c1', simple('rows = load()', { defines: ['rows'] }));
    log.run('c2', cell(stmt('threshold = 0.5', { kind: 'assign', defines: ['threshold'] }), def('def keep(r):\n    return r > threshold', { name: 'keep', params: ['r'], freeVariables: ['threshold'] })));
    log.run('c3', cell(stmt('kept = list(filter(keep, rows))', { kind: 'assign', defines: ['kept'], uses: ['keep', 'rows'], calls: [call('filter', ['keep', 'rows'])] })));
    const slice = backwardSlice(log.graph(), 'kept', { granularity: 'operation' });
    assert.deepEqual(
      slice.operations!.map((op) => op.code),
      ['rows = load()', 'threshold = 0.5', 'def keep(r):\n    return r > threshold', 'kept = list(filter(keep, rows))'],
    );
  });

  test('transitive callees are resolved at call time too', () => {
    const log = new Log();
    log.run('c1', cell(def('def g():\n    return base + 1', { name: 'g', freeVariables: ['base'] })));
    log.run('c2', cell(def('def f():\n    return g() * 2', { name: 'f', freeVariables: ['g'], callees: ['g'] })));
    log.run('c3', cell(def('def g():\n    return base + offset', { name: 'g', freeVariables: ['base', 'offset'] })));
    log.run('c4', simple('base = 10', { defines: ['base'] }));
    log.run('c5', simple('offset = 2', { defines: ['offset'] }));
    log.run('c6', cell(stmt('r = f()', { kind: 'assign', defines: ['r'], uses: ['f'], calls: [call('f')] })));
    const slice = backwardSlice(log.graph(), 'r');
    assert.deepEqual(ids(slice.executions), ['e2', 'e3', 'e4', 'e5', 'e6']);
  });

  test('recursive functions do not loop', () => {
    const log = new Log();
    log.run('c1', cell(def('def fact(n):\n    return 1 if n < 2 else n * fact(n - 1)', { name: 'fact', params: ['n'], freeVariables: ['fact'], callees: ['fact'] })));
    log.run('c2', cell(stmt('r = fact(5)', { kind: 'assign', defines: ['r'], uses: ['fact'], calls: [call('fact')] })));
    assert.deepEqual(ids(backwardSlice(log.graph(), 'r').executions), ['e1', 'e2']);
  });

  test('global writes and global mutations of a called function', () => {
    const log = new Log();
    log.run('c1', cell(def('def reset():\n    global counter\n    counter = start', { name: 'reset', globalWrites: ['counter'], freeVariables: ['start'] })));
    log.run('c2', simple('start = 5', { defines: ['start'] }));
    log.run('c3', simple('counter = 99', { defines: ['counter'] }));
    log.run('c4', cell(stmt('reset()', { uses: ['reset'], calls: [call('reset')] })));
    log.run('c5', simple('y = counter', { defines: ['y'], uses: ['counter'] }));
    log.run('c6', simple('CACHE = []', { defines: ['CACHE'] }));
    log.run('c7', cell(def('def push(v):\n    CACHE.append(v)', { name: 'push', params: ['v'], freeVariables: ['CACHE'], mutatedGlobals: ['CACHE'] })));
    log.run('c8', cell(stmt('push(3)', { uses: ['push'], calls: [call('push', [null])] })));
    log.run('c9', simple('n = len(CACHE)', { defines: ['n'], uses: ['CACHE'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'y').executions), ['e1', 'e2', 'e4', 'e5']);
    assert.deepEqual(ids(backwardSlice(graph, 'n').executions), ['e6', 'e7', 'e8', 'e9']);
  });

  test('del kills a name; deleting needs the name to exist', () => {
    const log = new Log();
    log.run('c1', simple('tmp = 1', { defines: ['tmp'] }));
    const del = log.run('c2', cell(stmt('z = 1', { kind: 'assign', defines: ['z'] }), stmt('del tmp', { kind: 'delete', deletes: ['tmp'] })));
    const after = log.run('c3', simple('w = 2', { defines: ['w'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'z').executions), ['e1', 'e2']);
    assert.equal(reachingDefinition(graph, 'tmp', del)?.id, 'e1');
    assert.equal(reachingDefinition(graph, 'tmp', after), null);
    assert.throws(() => backwardSlice(graph, 'tmp', { at: after }), UnknownVariableError);
    assert.deepEqual(ids(backwardSlice(graph, 'tmp').executions), ['e1']);
  });

  test('a read of a deleted name needs the del only when the slice holds an earlier value', () => {
    const log = new Log();
    log.run('c1', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('y = x', { defines: ['y'], uses: ['x'] }));
    log.run('c3', simple('del x', { kind: 'delete', deletes: ['x'] }));
    log.run('c4', simple("z = x if 'x' in globals() else 0", { defines: ['z'], uses: ['x'] }));
    log.run('c5', simple('w = y + z', { defines: ['w'], uses: ['y', 'z'] }));
    const graph = log.graph();
    assert.deepEqual(graph.executions[3].reads, [{ name: 'x', from: 2, deleted: true }]);
    assert.deepEqual(ids(backwardSlice(graph, 'z').executions), ['e4']);
    assert.deepEqual(ids(backwardSlice(graph, 'w').executions), ['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  test('builtins resolve to a notebook definition only when the notebook rebinds them', () => {
    const log = new Log();
    log.run('c1', facts({ defines: ['a'], builtinUses: ['len'] }));
    log.run('c2', facts({ defines: ['len'] }));
    log.run('c3', facts({ defines: ['b'], builtinUses: ['len'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'a').executions), ['e1']);
    assert.deepEqual(ids(backwardSlice(graph, 'b').executions), ['e2', 'e3']);
  });

  test('global vs local', () => {
    const log = new Log();
    log.run('c0', simple('a = 1', { defines: ['a'] }));
    log.run('c1', simple('x = a', { defines: ['x'], uses: ['a'] }));
    log.run('c2', simple('y = x', { defines: ['y'], uses: ['x'] }));
    log.run('c3', simple('x = 5', { defines: ['x'] }));
    const graph = log.graph();
    const local = backwardSlice(graph, 'x');
    const global = backwardSlice(graph, 'x', { global: true });
    assert.deepEqual(ids(local.executions), ['e4']);
    assert.deepEqual(ids(global.executions), ['e1', 'e2', 'e4']);
    assert.deepEqual(ids(global.targets), ['e2', 'e4']);
    assert.equal(global.global, true);
  });

  test('at: the value as it stood right after a given execution', () => {
    const log = new Log();
    log.run('c0', simple('a = 1', { defines: ['a'] }));
    log.run('c1', simple('x = a', { defines: ['x'], uses: ['a'] }));
    const middle = log.run('c2', simple('y = x', { defines: ['y'], uses: ['x'] }));
    log.run('c3', simple('x = 5', { defines: ['x'] }));
    const graph = log.graph();
    assert.deepEqual(ids(backwardSlice(graph, 'x', { at: middle }).executions), ['e1', 'e2']);
    assert.deepEqual(ids(backwardSlice(graph, 'x', { at: 'e4' }).executions), ['e4']);
    assert.deepEqual(ids(backwardSlice(graph, 'x', { at: middle, global: true }).targets), ['e2']);
    assert.throws(() => backwardSlice(graph, 'x', { at: 'e1' }), /not defined after execution 'e1'/);
    assert.throws(() => backwardSlice(graph, 'x', { at: 'e42' }), UnknownExecutionError);
  });

  test('an unknown variable throws a typed error naming close names and how to list names', () => {
    const log = new Log();
    log.run('c1', simple('model = 1', { defines: ['model'] }));
    log.run('c2', simple('models = 2', { defines: ['models'] }));
    log.run('c3', simple('data = 3', { defines: ['data'] }));
    const graph = log.graph();
    assert.deepEqual(knownVariables(graph), ['data', 'model', 'models']);
    try {
      backwardSlice(graph, 'modle');
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof UnknownVariableError);
      assert.equal(error.variable, 'modle');
      assert.deepEqual(error.suggestions, ['model', 'models']);
      // The message names no front end's command: the CLI adds `nbprov analyze`, the editor its own fix.
      assert.equal(error.message, "Unknown variable 'modle': no successful execution defined or changed it. Did you mean 'model', 'models'?");
      assert.equal(error.code, 'unknown-variable');
      assert.deepEqual(error.data, { variable: 'modle', suggestions: ['model', 'models'] });
    }
    assert.throws(() => backwardSlice(graph, 'zzzzzz'), (e: unknown) => e instanceof UnknownVariableError && !/Did you mean/.test(e.message));
  });
});

describe('backward slice, operation granularity', () => {
  test('inside one cell: a statement defining an unused name is excluded', () => {
    const log = new Log();
    log.run('c1', simple('path = "d.csv"', { defines: ['path'] }));
    log.run('c2', cell(
      stmt('a = load(path)', { kind: 'assign', defines: ['a'], uses: ['load', 'path'] }),
      stmt('b = 2', { kind: 'assign', defines: ['b'] }),
      stmt('c = a + 1', { kind: 'assign', defines: ['c'], uses: ['a'] }),
      stmt('a = 0', { kind: 'assign', defines: ['a'] }),
    ));
    const slice = backwardSlice(log.graph(), 'c', { granularity: 'operation' });
    assert.deepEqual(
      slice.operations?.map((op) => [op.executionId, op.cellId, op.line, op.code, op.defines]),
      [
        ['e1', 'c1', 1, 'path = "d.csv"', ['path']],
        ['e2', 'c2', 1, 'a = load(path)', ['a']],
        ['e2', 'c2', 3, 'c = a + 1', ['c']],
      ],
    );
    // The cell-level slice is unchanged by granularity: both executions, in order.
    assert.deepEqual(ids(slice.executions), ['e1', 'e2']);
  });

  test('operations follow mutations across cells and within a cell', () => {
    const log = new Log();
    log.run('c1', cell(
      stmt('df = read()', { kind: 'assign', defines: ['df'], uses: ['read'] }),
      stmt('n = 3', { kind: 'assign', defines: ['n'] }),
    ));
    log.run('c2', cell(
      stmt('df.dropna(inplace=True)', { uses: ['df'], mutates: ['df'], calls: [call('df.dropna')] }),
      stmt('m = df.mean()', { kind: 'assign', defines: ['m'], uses: ['df'] }),
    ));
    const slice = backwardSlice(log.graph(), 'm', { granularity: 'operation' });
    assert.deepEqual(slice.operations?.map((op) => op.code), ['df = read()', 'df.dropna(inplace=True)', 'm = df.mean()']);
    assert.deepEqual(slice.operations?.[1].mutates, ['df']);
  });

  test('expandFunctions lists the called function bodies before the call, the def as a dependency', () => {
    const log = new Log();
    log.run('c1', cell(
      stmt('import math', { kind: 'import', defines: ['math'] }),
      def('def area(r):\n    sq = r * r\n    return math.pi * sq', {
        name: 'area', params: ['r'], freeVariables: ['math'],
        body: [stmt('sq = r * r', { kind: 'assign', defines: ['sq'], uses: ['r'] }), stmt('return math.pi * sq', { kind: 'other', uses: ['math', 'sq'] })],
      }),
    ));
    log.run('c2', cell(stmt('a = area(2)', { kind: 'assign', defines: ['a'], uses: ['area'], calls: [call('area', [null])] })));
    const graph = log.graph();
    const plain = backwardSlice(graph, 'a', { granularity: 'operation' });
    assert.deepEqual(plain.operations?.map((op) => op.code), [
      'import math',
      'def area(r):\n    sq = r * r\n    return math.pi * sq',
      'a = area(2)',
    ]);
    const expanded = backwardSlice(graph, 'a', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      expanded.operations?.map((op) => [op.executionId, op.line, op.code, op.function ?? null, op.calledFrom ?? null]),
      [
        ['e1', 1, 'import math', null, null],
        ['e1', 2, 'def area(r):\n    sq = r * r\n    return math.pi * sq', null, null],
        ['e1', 3, 'sq = r * r', 'area', { executionId: 'e2', line: 1 }],
        ['e1', 4, 'return math.pi * sq', 'area', { executionId: 'e2', line: 1 }],
        ['e2', 1, 'a = area(2)', null, null],
      ],
    );
  });

  test('expandFunctions without analyser body statements shows the body as one block, callees too', () => {
    const log = new Log();
    log.run('c1', cell(
      def('def g(x):\n    return x + k', { name: 'g', params: ['x'], freeVariables: ['k'] }),
      def('@cache\ndef f():\n    y = g(1)\n    return y', { name: 'f', freeVariables: ['g'], callees: ['g'] }),
    ));
    log.run('c2', simple('k = 4', { defines: ['k'] }));
    log.run('c3', cell(stmt('r = f()', { kind: 'assign', defines: ['r'], uses: ['f'], calls: [call('f')] })));
    const slice = backwardSlice(log.graph(), 'r', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      slice.operations?.map((op) => [op.executionId, op.line, op.code, op.function ?? null]),
      [
        ['e1', 1, 'def g(x):\n    return x + k', null],
        ['e1', 3, '@cache\ndef f():\n    y = g(1)\n    return y', null],
        ['e2', 1, 'k = 4', null],
        ['e1', 5, '    y = g(1)\n    return y', 'f'],
        ['e1', 2, '    return x + k', 'g'],
        ['e3', 1, 'r = f()', null],
      ],
    );
  });
});

describe('long histories', () => {
  test('a 20,000-execution chain slices and propagates without recursion limits', () => {
    const log = new Log();
    log.run('c0', facts({ defines: ['v0'] }));
    for (let i = 1; i < 20_000; i++) log.run(`c${i % 50}`, facts({ defines: [`v${i}`], uses: [`v${i - 1}`] }));
    const graph = log.graph();
    const slice = backwardSlice(graph, 'v19999', { granularity: 'operation' });
    assert.equal(slice.executions.length, 20_000);
    assert.equal(slice.operations?.length, 20_000);
    assert.equal(slice.executions[0].id, 'e1');
    assert.equal(dependents(graph, 'e1').executions.length, 19_999);
  });
});
