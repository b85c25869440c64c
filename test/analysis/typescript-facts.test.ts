import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeScript } from '../../src/core/analysis/typescript';
import type { CallSite, FunctionFact } from '../../src/core/analysis/facts';

type FunctionShape = Omit<FunctionFact, 'span' | 'body'>;

function onlyFunction(code: string): FunctionShape {
  const facts = analyzeScript(code, 'typescript');
  assert.deepEqual(facts.diagnostics, []);
  assert.equal(facts.functions.length, 1, 'exactly one function fact');
  const { span: _span, body: _body, ...shape } = facts.functions[0];
  return shape;
}

function fn(partial: Partial<FunctionShape> & Pick<FunctionShape, 'name'>): FunctionShape {
  return {
    kind: 'function',
    params: [],
    freeVariables: [],
    globalWrites: [],
    mutatedGlobals: [],
    mutatedParams: [],
    callees: [],
    decorators: [],
    async: false,
    ...partial,
  };
}

describe('analyzeScript functions', () => {
  const cases: { name: string; code: string; expected: FunctionShape; cellUses?: string[] }[] = [
    {
      name: 'declaration: free variables bound at call time, not cell uses',
      code: 'function scale(v) { return v * factor + offset; }',
      expected: fn({ name: 'scale', params: ['v'], freeVariables: ['factor', 'offset'] }),
      cellUses: [],
    },
    {
      name: 'mutated parameter and mutated global',
      code: 'function add(list, item) { list.push(item); CACHE.set(item, true); }',
      expected: fn({ name: 'add', params: ['list', 'item'], freeVariables: ['CACHE'], mutatedGlobals: ['CACHE'], mutatedParams: ['list'] }),
    },
    {
      name: 'writes to free names are global writes',
      code: 'function bump() { count += 1; last = Date.now(); }',
      expected: fn({ name: 'bump', freeVariables: ['count'], globalWrites: ['count', 'last'] }),
    },
    {
      name: 'callees are free functions called by name, not builtins or locals',
      code: 'function pipeline(x) { const local = (y) => y; return train(prepare(local(x)), parseInt(x)); }',
      expected: fn({ name: 'pipeline', params: ['x'], freeVariables: ['train', 'prepare'], callees: ['prepare', 'train'] }),
    },
    {
      name: 'async arrow bound to a const; default parameter values are free at call time',
      code: 'const load = async (path, opts = defaults) => { const res = await fetch(path); return res.json(); };',
      expected: fn({ name: 'load', params: ['path', 'opts'], freeVariables: ['defaults'], async: true }),
      cellUses: [],
    },
    {
      name: 'destructured and rest parameters',
      code: 'function f({ a, b: [c] }, ...rest) { return a + c + rest.length + k; }',
      expected: fn({ name: 'f', params: ['a', 'c', 'rest'], freeVariables: ['k'] }),
    },
    {
      name: 'recursion reads the function itself as a free name',
      code: 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }',
      expected: fn({ name: 'fact', params: ['n'], freeVariables: ['fact'], callees: ['fact'] }),
    },
    {
      name: 'var hoisting and nested blocks keep names local',
      code: 'function g() { for (let i = 0; i < 3; i++) { acc = i; } total = tmp; var tmp = 1; }',
      expected: fn({ name: 'g', globalWrites: ['acc', 'total'] }),
    },
    {
      name: 'function expression bound to let',
      code: 'let h = function (x) { return x.map(mapper); };',
      expected: fn({ name: 'h', params: ['x'], freeVariables: ['mapper'] }),
    },
    {
      name: 'class: constructor params, methods free variables, extends and decorators at definition time',
      code: '@register("m")\nclass Net extends Base {\n  constructor(layers, opts) { super(); layers.push(head); this.opts = opts; }\n  forward(x) { return activation(x) + Net.bias; }\n}',
      expected: fn({
        name: 'Net',
        kind: 'class',
        params: ['layers', 'opts'],
        freeVariables: ['head', 'activation'],
        mutatedParams: ['layers'],
        callees: ['activation'],
        decorators: ['register'],
      }),
      cellUses: ['register', 'Base'],
    },
    {
      name: 'class static initializer runs at definition time, instance fields at construction',
      code: 'class Config { static defaults = loadDefaults(); values = { ...base }; }',
      expected: fn({ name: 'Config', kind: 'class', freeVariables: ['base'] }),
      cellUses: ['loadDefaults'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(onlyFunction(c.code), c.expected);
      if (c.cellUses) assert.deepEqual(analyzeScript(c.code, 'typescript').uses, c.cellUses);
    });
  }

  test('span covers the declaration (1-based lines, 0-based columns)', () => {
    const facts = analyzeScript('x = 1;\n  function f() {\n    return x;\n  }', 'javascript');
    assert.deepEqual(facts.functions[0].span, { startLine: 2, startColumn: 2, endLine: 4, endColumn: 3 });
  });

  test('functions inside a block are not cell functions: their free names are uses', () => {
    const facts = analyzeScript('{ function local() { return outer; } local(); }', 'javascript');
    assert.deepEqual(facts.functions, []);
    assert.deepEqual(facts.uses, ['outer']);
  });
});

describe('analyzeScript operations', () => {
  test('one operation per top-level statement, with kinds', () => {
    const code = [
      "import pd from 'danfojs';",
      'const df = await pd.readCSV("data.csv");',
      'df.dropNa();',
      'total += 1;',
      'function f() {}',
      'class C {}',
      'if (x) { y = 1; }',
      'delete df.tmp;',
      'interface I {}',
      "const m = require('m');",
      'console.log(df);',
    ].join('\n');
    const facts = analyzeScript(code, 'typescript');
    assert.deepEqual(
      facts.operations.map((op) => [op.index, op.kind]),
      [
        [0, 'import'],
        [1, 'assign'],
        [2, 'expression'],
        [3, 'augassign'],
        [4, 'function'],
        [5, 'class'],
        [6, 'control'],
        [7, 'delete'],
        [8, 'other'],
        [9, 'import'],
        [10, 'expression'],
      ],
    );
  });

  test('per-statement defines/uses/mutates: uses include names bound by earlier statements', () => {
    const facts = analyzeScript('const a = load();\na.b = a.c + other;\nconst d = a;', 'javascript');
    assert.deepEqual(
      facts.operations.map(({ defines, uses, mutates, deletes }) => ({ defines, uses, mutates, deletes })),
      [
        { defines: ['a'], uses: ['load'], mutates: [], deletes: [] },
        { defines: [], uses: ['a', 'other'], mutates: ['a'], deletes: [] },
        { defines: ['d'], uses: ['a'], mutates: [], deletes: [] },
      ],
    );
    assert.deepEqual(facts.uses, ['load', 'other']);
  });

  test('span and code of a multi-line statement', () => {
    const facts = analyzeScript('\n  const cfg = {\n    lr: 0.1,\n  };', 'javascript');
    const [op] = facts.operations;
    assert.deepEqual(op.span, { startLine: 2, startColumn: 2, endLine: 4, endColumn: 4 });
    assert.equal(op.code, 'const cfg = {\n    lr: 0.1,\n  };');
  });

  test('code of a huge statement is truncated', () => {
    const facts = analyzeScript(`const big = [${'1,'.repeat(5000)}];`, 'javascript');
    assert.ok(facts.operations[0].code.length <= 2001);
    assert.ok(facts.operations[0].code.endsWith('…'));
  });
});

describe('analyzeScript call sites', () => {
  function calls(code: string): CallSite[] {
    return analyzeScript(code, 'typescript').operations.flatMap((op) => op.calls);
  }

  test('method call: callee, receiver, method, arg names and literal args', () => {
    assert.deepEqual(calls('model.fit(X, y, { epochs: 10, verbose: false }, [1, -2.5], null, "s");'), [
      {
        callee: 'model.fit',
        receiver: 'model',
        method: 'fit',
        argNames: ['X', 'y', null, null, null, null],
        keywordNames: {},
        literalArgs: { '2': { epochs: 10, verbose: false }, '3': [1, -2.5], '4': null, '5': 's' },
        line: 1,
      },
    ]);
  });

  test('plain call has a receiver but no method; non-literal args are left out', () => {
    assert.deepEqual(calls('helper(a, b + 1, `t`);'), [
      { callee: 'helper', receiver: 'helper', argNames: ['a', null, null], keywordNames: {}, literalArgs: { '2': 't' }, line: 1 },
    ]);
  });

  test('nested calls are listed in evaluation order; a computed callee is <expr>', () => {
    const sites = calls('const r = outer(inner(1)).then(done);\nfactories[k]();');
    assert.deepEqual(
      sites.map((s) => [s.callee, s.line]),
      [
        ['inner', 1],
        ['outer', 1],
        ['<expr>', 1],
        ['<expr>', 2],
      ],
    );
  });

  test('new expressions and optional calls are call sites', () => {
    assert.deepEqual(
      calls('const m = new tf.Sequential({ layers: 2 });\nobj?.maybe?.(3);').map((s) => [s.callee, s.literalArgs]),
      [
        ['tf.Sequential', { '0': { layers: 2 } }],
        ['obj.maybe', { '0': 3 }],
      ],
    );
  });

  test('calls inside a cell-level function body are not cell call sites', () => {
    assert.deepEqual(calls('function f() { g(1); }'), []);
  });
});

describe('analyzeScript imports', () => {
  test('every import form with module and bound names', () => {
    const code = [
      "import React, { useState as useS } from 'react';",
      "import * as d3 from 'd3';",
      "import './side-effect.css';",
      "import fs = require('fs');",
      "const { join } = require('path');",
      "const lib = await import('./lib.js');",
      "await import('lazy');",
      "export * from './re';",
    ].join('\n');
    assert.deepEqual(analyzeScript(code, 'typescript').imports, [
      { module: 'react', names: ['React', 'useS'], line: 1 },
      { module: 'd3', names: ['d3'], line: 2 },
      { module: './side-effect.css', names: [], line: 3 },
      { module: 'fs', names: ['fs'], line: 4 },
      { module: 'path', names: ['join'], line: 5 },
      { module: './lib.js', names: ['lib'], line: 6 },
      { module: 'lazy', names: [], line: 7 },
      { module: './re', names: [], line: 8 },
    ]);
  });
});

describe('analyzeScript files', () => {
  test('literal paths read and written through fs, fs.promises and Deno', () => {
    const code = [
      "const raw = fs.readFileSync('data/train.csv', 'utf8');",
      'const cfg = await fs.promises.readFile(`config.json`);',
      "const stream = createReadStream('big.log');",
      "fs.writeFileSync('out/model.json', JSON.stringify(m));",
      "await fsp.appendFile('log.txt', line);",
      "const text = await Deno.readTextFile('notes.md');",
      'fs.readFileSync(pathVar);',
    ].join('\n');
    const { files } = analyzeScript(code, 'typescript');
    assert.deepEqual(files, {
      reads: [
        { path: 'data/train.csv', line: 1, via: 'fs.readFileSync' },
        { path: 'config.json', line: 2, via: 'fs.promises.readFile' },
        { path: 'big.log', line: 3, via: 'createReadStream' },
        { path: 'notes.md', line: 6, via: 'Deno.readTextFile' },
      ],
      writes: [
        { path: 'out/model.json', line: 4, via: 'fs.writeFileSync' },
        { path: 'log.txt', line: 5, via: 'fsp.appendFile' },
      ],
    });
  });

  test('a file write inside a function is still a literal file access of the cell', () => {
    const { files } = analyzeScript("function save(d) { fs.writeFileSync('save.json', d); }", 'javascript');
    assert.deepEqual(files.writes, [{ path: 'save.json', line: 1, via: 'fs.writeFileSync' }]);
  });
});

describe('analyzeScript bad input', () => {
  test('a syntax error gives a diagnostic with line and column, and partial facts', () => {
    const facts = analyzeScript('const a = 1;\nlet b = (;\nc = a + d;', 'javascript');
    assert.deepEqual(facts.diagnostics, [{ severity: 'error', message: 'Expression expected.', line: 2, column: 9 }]);
    assert.deepEqual(facts.defines, ['a', 'b', 'c']);
    assert.deepEqual(facts.uses, ['d']);
  });

  test('an unclosed block reports where the parser gave up and keeps earlier facts', () => {
    const facts = analyzeScript('const ok = src;\nif (x) {\n  y = 1;', 'typescript');
    assert.equal(facts.diagnostics.length, 1);
    assert.equal(facts.diagnostics[0].severity, 'error');
    assert.equal(facts.diagnostics[0].line, 3);
    assert.deepEqual(facts.defines, ['ok', 'y']);
    assert.deepEqual(facts.uses, ['src', 'x']);
  });

  test('Python code in a JavaScript cell gives diagnostics, not a throw', () => {
    const facts = analyzeScript('def f(x):\n    return x ** 2\nprint(f(3))', 'javascript');
    assert.ok(facts.diagnostics.length > 0);
    assert.ok(facts.diagnostics.every((d) => d.severity === 'error' && d.line >= 1));
  });

  test('binary garbage does not throw', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536));
    const facts = analyzeScript(garbage, 'typescript');
    assert.ok(facts.diagnostics.length > 0);
  });

  test('nesting deeper than the walker bound is analysed approximately with a warning', () => {
    const depth = 800;
    const facts = analyzeScript(`y = ${'['.repeat(depth)}x${']'.repeat(depth)};`, 'javascript');
    assert.deepEqual(facts.defines, ['y']);
    assert.deepEqual(facts.uses, ['x']);
    assert.deepEqual(
      facts.diagnostics.map((d) => [d.severity, d.message]),
      [['warning', 'code nested deeper than 500 levels is analysed approximately']],
    );
  });

  test('nesting too deep for the parser gives an error diagnostic', () => {
    const depth = 20000;
    const facts = analyzeScript(`y = ${'('.repeat(depth)}x${')'.repeat(depth)};`, 'typescript');
    assert.equal(facts.diagnostics[0].severity, 'error');
    assert.match(facts.diagnostics[0].message, /could not be parsed/);
  });

  test('a 10 MB cell finishes', () => {
    const line = 'rows.push({ id: i, value: compute(i) * scale });\n';
    const code = `let i = 0;\n${line.repeat(Math.ceil(10_000_000 / line.length))}`;
    const facts = analyzeScript(code, 'javascript');
    assert.deepEqual(facts.uses, ['rows', 'compute', 'scale']);
    assert.deepEqual(facts.mutates, ['rows']);
    assert.deepEqual(facts.diagnostics, []);
  });
});
