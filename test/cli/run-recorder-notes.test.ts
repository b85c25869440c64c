// `nbprov run` says what the recorder left out and why: a record's recorderError and each value's
// error appear in the run summary, bounded in number.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recorderProblems } from '../../src/cli/commands/run';
import type { ExecutionRecord } from '../../src/core/records';

function execution(cellIndex: number | null, extra: Partial<ExecutionRecord>): ExecutionRecord {
  return {
    id: `s-${cellIndex}`, sessionId: 's', notebookPath: 'nb.ipynb', cellId: `c${cellIndex}`, cellIndex, language: 'python',
    code: 'x = 1', executionCount: 1, success: true, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, values: [], files: [],
    ...extra,
  };
}

test('record-level and value-level reasons are listed with their cell', () => {
  const lines = recorderProblems([
    execution(0, { values: [{ name: 'x', type: 'int', repr: '1', value: 1 }] }),
    execution(1, { recorderError: 'values not recorded: the post-cell hook failed (RuntimeError: boom)' }),
    execution(2, { values: [{ name: 'big', type: 'numpy.ndarray', repr: '<numpy.ndarray>', error: 'summary exceeded its time budget (250 ms)' }] }),
    execution(null, { recorderError: 'more than 60 values bound: the rest not recorded' }),
  ]);
  assert.deepEqual(lines, [
    'cell 1: values not recorded: the post-cell hook failed (RuntimeError: boom)',
    'cell 2: big not fully recorded: summary exceeded its time budget (250 ms)',
    'injected parameters: more than 60 values bound: the rest not recorded',
  ]);
});

test('a long list is cut with a count of the rest', () => {
  const many = Array.from({ length: 12 }, (_, i) => execution(i, { recorderError: `reason ${i}` }));
  const lines = recorderProblems(many);
  assert.equal(lines.length, 9);
  assert.equal(lines[8], '… and 4 more recorder note(s)');
});
