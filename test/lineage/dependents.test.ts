import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependentCellIndices, dependents, staleCells, UnknownExecutionError } from '../../src/core/lineage';
import { call, cell, def, ids, Log, simple, stmt } from './helpers';

describe('dependents', () => {
  test('forward, transitively, in notebook order; unrelated and earlier cells excluded', () => {
    const log = new Log();
    log.run('c0', simple('u = 0', { defines: ['u'] }));
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c4', simple('c = b * 2', { defines: ['c'], uses: ['b'] }), { success: false });
    log.run('c2', simple('b = a + u', { defines: ['b'], uses: ['a', 'u'] }));
    log.run('c5', simple('d = 5', { defines: ['d'] }));
    log.run('c4', simple('c = b * 2', { defines: ['c'], uses: ['b'] }));
    const graph = log.graph();
    const result = dependents(graph, { cellId: 'c1' });
    assert.deepEqual(ids(result.executions), ['e4', 'e6']);
    assert.deepEqual(result.cells, [{ cellId: 'c2', cellIndex: 2 }, { cellId: 'c4', cellIndex: 4 }]);
    assert.deepEqual(dependentCellIndices(graph, 1), [2, 4]);
    assert.deepEqual(dependentCellIndices(graph, 0), [2, 4]);
    assert.deepEqual(dependentCellIndices(graph, 5), []);
    assert.deepEqual(dependentCellIndices(graph, 99), []);
  });

  test('by execution id, and a string is an execution id before a cell id', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c2', simple('b = a', { defines: ['b'], uses: ['a'] }));
    log.run('c1', simple('a = 2', { defines: ['a'] }));
    log.run('c3', simple('c = a', { defines: ['c'], uses: ['a'] }));
    const graph = log.graph();
    assert.deepEqual(ids(dependents(graph, 'e1').executions), ['e2']);
    assert.deepEqual(ids(dependents(graph, 'e3').executions), ['e4']);
    // The cell: both of its runs; c2's current state still derives from the old run.
    assert.deepEqual(dependents(graph, 'c1').cells.map((c) => c.cellId), ['c2', 'c3']);
    assert.deepEqual(dependents(graph, 'never-ran'), { executions: [], cells: [] });
    assert.throws(() => dependents(graph, { executionId: 'e99' }), UnknownExecutionError);
  });

  test('a cell re-run with code that no longer reads the target is not a dependent', () => {
    const log = new Log();
    log.run('c1', simple('a = 1', { defines: ['a'] }));
    log.run('c2', simple('b = a', { defines: ['b'], uses: ['a'] }));
    log.run('c2', simple('b = 7', { defines: ['b'] }));
    const result = dependents(log.graph(), { cellId: 'c1' });
    assert.deepEqual(ids(result.executions), ['e2']);
    assert.deepEqual(result.cells, []);
  });

  test('through mutations and calls of notebook functions', () => {
    const log = new Log();
    log.run('c1', simple('k = 2', { defines: ['k'] }));
    log.run('c2', cell(def('def scale(v):\n    return v * k', { name: 'scale', params: ['v'], freeVariables: ['k'] })));
    log.run('c3', simple('xs = []', { defines: ['xs'] }));
    log.run('c4', cell(stmt('xs.append(scale(3))', { uses: ['xs', 'scale'], mutates: ['xs'], calls: [call('xs.append', [null]), call('scale', [null])] })));
    log.run('c5', simple('n = len(xs)', { defines: ['n'], uses: ['xs'] }));
    const graph = log.graph();
    assert.deepEqual(dependentCellIndices(graph, 1), [4, 5]);
    assert.deepEqual(dependentCellIndices(graph, 3), [4, 5]);
  });
});

describe('staleness', () => {
  test('a cell whose input was redefined after it ran is stale, with the reason', () => {
    const log = new Log();
    log.run('c1', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('y = x + 1', { defines: ['y'], uses: ['x'] }));
    log.run('c3', simple('z = 3', { defines: ['z'] }));
    log.run('c1', simple('x = 2', { defines: ['x'] }));
    assert.deepEqual(staleCells(log.graph()), [
      {
        cellId: 'c2',
        cellIndex: 2,
        execution: { id: 'e2', cellId: 'c2', cellIndex: 2, executionCount: 2 },
        reasons: [{ name: 'x', changedBy: { id: 'e4', cellId: 'c1', cellIndex: 1, executionCount: 4 }, change: 'define' }],
      },
    ]);
  });

  test('re-running the reader clears it; a cell updating its own input is not stale', () => {
    const log = new Log();
    log.run('c1', simple('x = 1', { defines: ['x'] }));
    log.run('c2', simple('y = x + 1', { defines: ['y'], uses: ['x'] }));
    log.run('c1', simple('x = 2', { defines: ['x'] }));
    log.run('c2', simple('y = x + 1', { defines: ['y'], uses: ['x'] }));
    log.run('c3', simple('x = x + 1', { defines: ['x'], uses: ['x'] }));
    log.run('c3', simple('x = x + 1', { defines: ['x'], uses: ['x'] }));
    assert.deepEqual(
      staleCells(log.graph()).map((s) => [s.cellId, s.reasons.map((r) => `${r.name}<-${r.changedBy.id}:${r.change}`)]),
      [['c2', ['x<-e6:define']]],
    );
  });

  test('mutation and deletion of an input, failed readers, and failed writers', () => {
    const log = new Log();
    log.run('c1', simple('df = load()', { defines: ['df'], uses: ['load'] }));
    log.run('c2', simple('m = df.mean()', { defines: ['m'], uses: ['df'] }));
    log.run('c3', simple('t = thing', { defines: ['t'], uses: ['thing'] }), { success: false });
    log.run('c4', simple('s = 1', { defines: ['s'] }));
    log.run('c5', simple('r = s', { defines: ['r'], uses: ['s'] }));
    log.run('c6', cell(stmt('df.dropna(inplace=True)', { uses: ['df'], mutates: ['df'] })));
    log.run('c7', simple('thing = 1', { defines: ['thing'] }));
    log.run('c8', simple('del s', { kind: 'delete', deletes: ['s'] }));
    log.run('c4', simple('s = 2', { defines: ['s'] }), { success: false });
    assert.deepEqual(
      staleCells(log.graph()).map((s) => [s.cellIndex, s.reasons.map((r) => `${r.name}<-${r.changedBy.id}:${r.change}`)]),
      [
        [2, ['df<-e6:mutate']],
        [3, ['thing<-e7:define']],
        [5, ['s<-e8:delete']],
      ],
    );
  });
});
