/**
 * Operation slices that expand called functions, end to end: the real Python analyser's
 * FunctionFact.body through the lineage graph.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPythonAnalyzer, type PythonAnalyzer } from '../../src/core/analysis/python';
import { analyzeScript } from '../../src/core/analysis/typescript';
import type { CellFacts } from '../../src/core/analysis/facts';
import { backwardSlice, buildLineageGraph, type ExecutionInput, type LineageGraph, type SliceOperation } from '../../src/core/lineage';

let analyzer: PythonAnalyzer;
before(async () => {
  analyzer = await createPythonAnalyzer();
});

function graphOf(cells: string[], analyze: (code: string) => CellFacts = (code) => analyzer.analyze(code)): LineageGraph {
  const log: ExecutionInput[] = cells.map((code, i) => ({
    id: `e${i + 1}`,
    cellId: `c${i + 1}`,
    cellIndex: i,
    code,
    executionCount: i + 1,
    success: true,
  }));
  return buildLineageGraph(log, (execution) => analyze(execution.code));
}

type Row = [string, number, string, string | null];
const rows = (operations: SliceOperation[] | undefined): Row[] =>
  (operations ?? []).map((op) => [op.executionId, op.line, op.code, op.function ?? null]);

describe('backwardSlice with expandFunctions, real Python analyser', () => {
  test('lists only the body statements that reach the return value, inside the called function', () => {
    const graph = graphOf([
      'scale = 3',
      "def transform(xs):\n    doubled = [x * 2 for x in xs]\n    unused = print('hi')\n    return [d * scale for d in doubled]",
      'data = [1, 2]',
      'out = transform(data)',
    ]);
    const slice = backwardSlice(graph, 'out', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(rows(slice.operations), [
      ['e1', 1, 'scale = 3', null],
      ['e2', 1, "def transform(xs):\n    doubled = [x * 2 for x in xs]\n    unused = print('hi')\n    return [d * scale for d in doubled]", null],
      ['e3', 1, 'data = [1, 2]', null],
      ['e2', 2, 'doubled = [x * 2 for x in xs]', 'transform'],
      ['e2', 4, 'return [d * scale for d in doubled]', 'transform'],
      ['e4', 1, 'out = transform(data)', null],
    ]);
    const body = slice.operations?.filter((op) => op.function === 'transform');
    assert.deepEqual(body?.map((op) => op.calledFrom), [{ executionId: 'e4', line: 1 }, { executionId: 'e4', line: 1 }]);
    assert.deepEqual(body?.map((op) => op.defines), [['doubled'], []]);
  });

  test('a procedure: the statements that change a mutated parameter or a global, and what they read', () => {
    const graph = graphOf([
      'log = []',
      [
        'def add_row(table, value):',
        '    global count',
        '    note = f"adding {value}"',
        '    row = [value]',
        '    row.append(value * 2)',
        '    table.append(row)',
        '    count = len(table)',
        '    print(note)',
      ].join('\n'),
      'rows = []\nadd_row(rows, 5)',
    ]);
    const slice = backwardSlice(graph, 'rows', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      rows(slice.operations).filter((row) => row[3] === 'add_row').map((row) => row[2]),
      ['row = [value]', 'row.append(value * 2)', 'table.append(row)', 'count = len(table)'],
    );
  });

  test('a rebinding only inside a branch does not hide the earlier definition', () => {
    const graph = graphOf([
      'def pick(flag):\n    v = 1\n    w = 9\n    if flag:\n        v = 2\n    return v',
      'p = pick(True)',
    ]);
    const slice = backwardSlice(graph, 'p', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      rows(slice.operations).filter((row) => row[3] === 'pick').map((row) => [row[1], row[2]]),
      [[2, 'v = 1'], [4, 'if flag:\n        v = 2'], [6, 'return v']],
    );
  });

  test('a class body is listed whole when the class is instantiated', () => {
    const graph = graphOf(['class Box:\n    size = 2\n    label = "box"', 'b = Box()']);
    const slice = backwardSlice(graph, 'b', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      rows(slice.operations).filter((row) => row[3] === 'Box').map((row) => row[2]),
      ['size = 2', 'label = "box"'],
    );
  });

  test('the same through the real TypeScript analyser, for an arrow function with a block body', () => {
    const graph = graphOf(
      [
        'const scale = 3;',
        "const transform = (xs: number[]) => {\n  const doubled = xs.map((x) => x * 2);\n  const unused = console.log('hi');\n  return doubled.map((d) => d * scale);\n};",
        'const out = transform([1, 2]);',
      ],
      (code) => analyzeScript(code, 'typescript'),
    );
    const slice = backwardSlice(graph, 'out', { granularity: 'operation', expandFunctions: true });
    assert.deepEqual(
      rows(slice.operations).filter((row) => row[3] === 'transform').map((row) => [row[1], row[2]]),
      [[2, 'const doubled = xs.map((x) => x * 2);'], [4, 'return doubled.map((d) => d * scale);']],
    );
  });
});
