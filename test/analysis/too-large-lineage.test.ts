/** A cell too large to analyse in full says so wherever lineage is asked about a name it may define. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPythonAnalyzer } from '../../src/core/analysis/python';
import { backwardSlice, buildLineageGraph, CellTooLargeError, UnknownVariableError, type ExecutionInput } from '../../src/core/lineage';

async function graphOf(cells: string[]) {
  const analyzer = await createPythonAnalyzer({ maxParseSteps: 10 });
  const log: ExecutionInput[] = cells.map((code, i) => ({ id: `e${i + 1}`, cellId: `c${i + 1}`, cellIndex: i, code, executionCount: i + 1, success: true }));
  return buildLineageGraph(log, (e) => analyzer.analyze(e.code));
}

const bigCell = [...Array.from({ length: 300 }, (_, i) => `v${i} = f(v${i - 1}, [1, 2, 3])`), 'late = v299'].join('\n');

describe('lineage of names in a cell too large to analyse', () => {
  test('a name defined past the analysed lines: the error names the cell and the bound', async () => {
    const graph = await graphOf(['a = 1', bigCell, 'b = late + a']);
    assert.throws(
      () => backwardSlice(graph, 'late'),
      (err: unknown) => {
        assert.ok(err instanceof CellTooLargeError && err instanceof UnknownVariableError);
        assert.equal(err.variable, 'late');
        assert.equal(err.cells.length, 1);
        const [cell] = err.cells;
        assert.deepEqual({ ...cell, analysedLines: 0 }, { cellId: 'c2', cellIndex: 1, analysedLines: 0, totalLines: 301, limit: '10 parser steps' });
        assert.match(
          err.message,
          new RegExp(`^'late' is not defined in any analysed code, and cell 1 \\(analysed the first ${cell.analysedLines} of its 301 lines; limit 10 parser steps\\) was too large to analyse, so it may be defined there\\.`),
        );
        return true;
      },
    );
  });

  test('asked at an execution: a too-large cell run by then is named; one run later is not', async () => {
    const graph = await graphOf([bigCell, 'late = 1', 'other = 2']);
    assert.throws(() => backwardSlice(graph, 'late', { at: 'e1' }), (err: unknown) => err instanceof CellTooLargeError && err.cells.map((c) => c.cellId).join() === 'c1');
    assert.deepEqual(backwardSlice(graph, 'late', { at: 'e3' }).executions.map((e) => e.id), ['e2']);
    const later = await graphOf(['b = 1', bigCell, 'a = 1']);
    assert.throws(() => backwardSlice(later, 'a', { at: 'e1' }), (err: unknown) => err instanceof UnknownVariableError && !(err instanceof CellTooLargeError));
  });

  test('names of the analysed lines still have lineage; an unknown name elsewhere is still unknown', async () => {
    const graph = await graphOf(['a = 1', bigCell, 'b = v0 + a']);
    assert.deepEqual(backwardSlice(graph, 'b').executions.map((e) => e.id), ['e1', 'e2', 'e3']);
    const plain = await graphOf(['a = 1', 'b = a']);
    assert.throws(() => backwardSlice(plain, 'late'), (err: unknown) => err instanceof UnknownVariableError && !(err instanceof CellTooLargeError));
  });
});
