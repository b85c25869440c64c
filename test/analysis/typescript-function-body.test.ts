import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyRows, row, type BodyRow } from './body-rows';
import { analyzeScript } from '../../src/core/analysis/typescript';
import type { CellFacts } from '../../src/core/analysis/facts';

function analyze(code: string, language: 'javascript' | 'typescript' = 'typescript'): CellFacts {
  const facts = analyzeScript(code, language);
  assert.deepEqual(facts.diagnostics, []);
  return facts;
}

const bodyOf = (code: string, name: string, language?: 'javascript' | 'typescript'): BodyRow[] =>
  bodyRows(analyze(code, language).functions.find((f) => f.name === name));

describe('TypeScript/JavaScript FunctionFact.body', () => {
  test('a function declaration: one operation per statement, in cell lines, names of the function scope', () => {
    const code = [
      'const scale = 3;',
      'function transform(xs: number[]): number[] {',
      '  const doubled = xs.map((x) => x * 2);',
      "  let unused = console.log('hi');",
      '  return doubled.map((d) => d * scale);',
      '}',
    ].join('\n');
    assert.deepEqual(bodyOf(code, 'transform'), [
      row({ span: [3, 2, 3, 39], kind: 'assign', code: 'const doubled = xs.map((x) => x * 2);', defines: ['doubled'], uses: ['xs'], calls: ['xs.map'] }),
      row({ span: [4, 2, 4, 33], kind: 'assign', code: "let unused = console.log('hi');", defines: ['unused'], calls: ['console.log'] }),
      row({ span: [5, 2, 5, 39], kind: 'control', code: 'return doubled.map((d) => d * scale);', uses: ['doubled', 'scale'], calls: ['doubled.map'], returns: true }),
    ]);
  });

  test('nested blocks are one operation; their block-scoped names stay inside; a nested return marks it', () => {
    const code = [
      'function total(rows, limit) {',
      '  let acc = 0;',
      '  for (const r of rows) {',
      '    const v = r * 2;',
      '    if (v > limit) { return acc; }',
      '    acc += v;',
      '  }',
      '  try { var n = parse(acc); } catch (err) { n = 0; }',
      '  return acc + n;',
      '}',
    ].join('\n');
    assert.deepEqual(bodyOf(code, 'total', 'javascript'), [
      row({ span: [2, 2, 2, 14], kind: 'assign', code: 'let acc = 0;', defines: ['acc'] }),
      row({
        span: [3, 2, 7, 3],
        kind: 'control',
        code: 'for (const r of rows) {\n    const v = r * 2;\n    if (v > limit) { return acc; }\n    acc += v;\n  }',
        uses: ['rows', 'limit', 'acc'],
        mutates: ['acc'],
        returns: true,
      }),
      row({
        span: [8, 2, 8, 52],
        kind: 'control',
        code: 'try { var n = parse(acc); } catch (err) { n = 0; }',
        defines: ['n'],
        uses: ['parse', 'acc'],
        calls: ['parse'],
      }),
      row({ span: [9, 2, 9, 17], kind: 'control', code: 'return acc + n;', uses: ['acc', 'n'], returns: true }),
    ]);
  });

  test('outside writes are defines, parameter and global mutation as for cells; returns of nested functions do not mark', () => {
    const code = [
      'async function step(model, batch) {',
      '  count = 1;',
      '  steps++;',
      '  const last = await model.fit(batch);',
      '  HISTORY.push(last);',
      '  batch[0] = null;',
      '  const later = () => { return last; };',
      '}',
    ].join('\n');
    const step = analyze(code).functions[0];
    assert.deepEqual(step.mutatedParams, ['model', 'batch']);
    assert.deepEqual(bodyRows(step), [
      row({ span: [2, 2, 2, 12], kind: 'assign', code: 'count = 1;', defines: ['count'] }),
      row({ span: [3, 2, 3, 10], kind: 'augassign', code: 'steps++;', uses: ['steps'], mutates: ['steps'] }),
      row({ span: [4, 2, 4, 38], kind: 'assign', code: 'const last = await model.fit(batch);', defines: ['last'], uses: ['model', 'batch'], mutates: ['model'], calls: ['model.fit'] }),
      row({ span: [5, 2, 5, 21], kind: 'expression', code: 'HISTORY.push(last);', uses: ['HISTORY', 'last'], mutates: ['HISTORY'], calls: ['HISTORY.push'] }),
      row({ span: [6, 2, 6, 18], kind: 'assign', code: 'batch[0] = null;', uses: ['batch'], mutates: ['batch'] }),
      row({ span: [7, 2, 7, 39], kind: 'assign', code: 'const later = () => { return last; };', defines: ['later'], uses: ['last'] }),
    ]);
  });

  test('const f = () => { … } has its statements; an expression body is one operation that returns', () => {
    const code = ['const norm = (v) => v / scale;', 'const load = async (path) => {', '  const text = await read(path);', '  return JSON.parse(text);', '};'].join('\n');
    assert.deepEqual(bodyOf(code, 'norm'), [row({ span: [1, 20, 1, 29], kind: 'expression', code: 'v / scale', uses: ['v', 'scale'], returns: true })]);
    assert.deepEqual(bodyOf(code, 'load'), [
      row({ span: [3, 2, 3, 32], kind: 'assign', code: 'const text = await read(path);', defines: ['text'], uses: ['read', 'path'], calls: ['read'] }),
      row({ span: [4, 2, 4, 26], kind: 'control', code: 'return JSON.parse(text);', uses: ['text'], calls: ['JSON.parse'], returns: true }),
    ]);
  });

  test('yield marks a statement of a generator; decorators and classes have no body; cell facts unchanged', () => {
    const code = ['function* gen(n) {', '  for (let i = 0; i < n; i++) yield i;', '}', 'class C { m() { return 1; } }', 'const g = gen(2);'].join('\n');
    const facts = analyze(code);
    assert.deepEqual(bodyRows(facts.functions[0]), [
      row({ span: [2, 2, 2, 38], kind: 'control', code: 'for (let i = 0; i < n; i++) yield i;', uses: ['n'], returns: true }),
    ]);
    assert.equal(facts.functions[1].name, 'C');
    assert.equal(facts.functions[1].body, undefined);
    assert.deepEqual(facts.operations.map((op) => op.returns), [undefined, undefined, undefined]);
    assert.deepEqual(facts.operations[2].calls.map((c) => c.callee), ['gen']);
    assert.deepEqual(facts.defines, ['gen', 'C', 'g']);
  });
});
