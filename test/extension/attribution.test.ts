import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExecutionRecord } from '../../src/core/records';
import { attributeExecutions, normalizeCode, unrecordedExecution, withoutExcludedNames, type SessionRawRecord } from '../../src/extension/kernel/attribution';
import { cellIdOf, runnability } from '../../src/extension/kernel/cells';
import type { RawExecutionRecord } from '../../src/kernel/recordConversion';

function raw(seq: number, executionCount: number | null, code: string, sessionId = 's1'): SessionRawRecord {
  const record: RawExecutionRecord = {
    seq,
    code,
    executionCount,
    success: true,
    error: null,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    recorderMs: 0.1,
    values: [],
    files: [],
  };
  return { raw: record, sessionId };
}

const seen = (ref: string, code: string, executionOrder: number | null) => ({ ref, code, executionOrder });

describe('attributing recorded runs to observed cell runs', () => {
  test('exact match on execution count and code, whatever order they arrive in', () => {
    const records = [raw(1, 1, 'x = 1'), raw(2, 2, 'y = x + 1'), raw(3, 3, 'print(y)')];
    const result = attributeExecutions(records, [seen('c', 'print(y)', 3), seen('a', 'x = 1', 1), seen('b', 'y = x + 1', 2)]);
    assert.deepEqual(result.matched.map((m) => [m.observed.ref, m.record.raw.seq]), [['c', 3], ['a', 1], ['b', 2]]);
    assert.deepEqual(result.unmatchedObserved, []);
    assert.deepEqual(result.unmatchedRecords, []);
  });

  test('the same cell run twice (out of order re-execution) gets each run once', () => {
    const records = [raw(1, 1, 'x = 1'), raw(2, 2, 'y = 2'), raw(3, 3, 'x = 1')];
    const result = attributeExecutions(records, [seen('a-first', 'x = 1', 1), seen('a-again', 'x = 1', 3)]);
    assert.deepEqual(result.matched.map((m) => [m.observed.ref, m.record.raw.seq]), [['a-first', 1], ['a-again', 3]]);
    assert.deepEqual(result.unmatchedRecords.map((r) => r.raw.seq), [2]);
  });

  test('line endings and trailing blank lines do not matter', () => {
    assert.equal(normalizeCode('a = 1\r\nb = 2\r\n\n  '), 'a = 1\nb = 2');
    const result = attributeExecutions([raw(1, 4, 'a = 1\nb = 2\n')], [seen('cell', 'a = 1\r\nb = 2', 4)]);
    assert.equal(result.matched.length, 1);
  });

  test('after a restart counts repeat: the newest record with that count and code wins', () => {
    const records = [raw(1, 1, 'x = 1', 'old'), raw(1, 1, 'x = 1', 'new')];
    const result = attributeExecutions(records, [seen('a', 'x = 1', 1)]);
    assert.equal(result.matched[0]!.record.sessionId, 'new');
    assert.equal(result.unmatchedRecords[0]!.sessionId, 'old');
  });

  test('a cell edited while it ran still gets its record when its count is unambiguous', () => {
    const result = attributeExecutions([raw(1, 5, 'x = 1')], [seen('a', 'x = 10  # edited', 5)]);
    assert.equal(result.matched[0]!.record.raw.code, 'x = 1');
  });

  test('an ambiguous count with different code is not guessed', () => {
    const records = [raw(1, 5, 'x = 1', 'old'), raw(1, 5, 'y = 2', 'new')];
    const result = attributeExecutions(records, [seen('a', 'z = 3', 5)]);
    assert.deepEqual(result.matched, []);
    assert.equal(result.unmatchedObserved.length, 1);
    assert.equal(result.unmatchedRecords.length, 2);
  });

  test('runs with no execution count match the oldest record with their code', () => {
    const records = [raw(1, null, 'print(1)'), raw(2, null, 'print(1)')];
    const result = attributeExecutions(records, [seen('a', 'print(1)', null)]);
    assert.equal(result.matched[0]!.record.raw.seq, 1);
  });

  test('a run the recorder missed stays unmatched; records of other runs stay for later', () => {
    const result = attributeExecutions([raw(7, 7, 'later = True')], [seen('first', 'import os', 1)]);
    assert.deepEqual(result.unmatchedObserved.map((o) => o.ref), ['first']);
    assert.deepEqual(result.unmatchedRecords.map((r) => r.raw.seq), [7]);
  });

  test('an unrecorded run is kept with its code, order, outcome and times, and no values', () => {
    const record = unrecordedExecution({
      sessionId: 's',
      notebookPath: 'nb.ipynb',
      cellId: 'abc',
      cellIndex: 2,
      code: 'import os',
      executionCount: 1,
      success: false,
      error: { type: 'KernelDied', message: 'gone' },
      startTime: Date.parse('2026-01-01T00:00:00.000Z'),
      endTime: Date.parse('2026-01-01T00:00:01.500Z'),
    });
    assert.equal(record.startedAt, '2026-01-01T00:00:00.000Z');
    assert.equal(record.durationMs, 1500);
    assert.deepEqual([record.cellId, record.cellIndex, record.executionCount, record.success, record.values.length], ['abc', 2, 1, false, 0]);
    assert.deepEqual(record.error, { type: 'KernelDied', message: 'gone' });
    assert.notEqual(record.id, unrecordedExecution({ ...record, startTime: 0, endTime: 0 }).id);
  });

  test('excluded names are dropped from the values', () => {
    const record = { values: [{ name: 'api_key', type: 'str', repr: "'s3cr3t'" }, { name: 'n', type: 'int', repr: '1', value: 1 }] } as unknown as ExecutionRecord;
    assert.deepEqual(withoutExcludedNames(record, ['api_key']).values.map((v) => v.name), ['n']);
    assert.equal(withoutExcludedNames(record, []), record);
  });
});

describe('cell identity and what runs', () => {
  test('the nbformat id from the cell metadata, else cell-<index> as the CLI reads the file', () => {
    assert.equal(cellIdOf({ id: 'f00d', metadata: { tags: [] } }, 3), 'f00d');
    assert.equal(cellIdOf({ custom: { id: 'old-layout' } }, 3), 'old-layout');
    assert.equal(cellIdOf({ metadata: {} }, 3), 'cell-3');
    assert.equal(cellIdOf(undefined, 0), 'cell-0');
    assert.equal(cellIdOf({ id: '' }, 1), 'cell-1');
  });

  test('Python and plaintext run; raw and empty cells are skipped; other languages are refused with the reason', () => {
    assert.deepEqual(runnability('python', 'x = 1'), { run: true });
    assert.deepEqual(runnability('plaintext', 'x = 1'), { run: true });
    assert.deepEqual(runnability('python', '  \n'), { run: false, reason: null });
    assert.deepEqual(runnability('raw', 'anything'), { run: false, reason: null });
    const refused = runnability('javascript', 'let x = 1');
    assert.equal(refused.run, false);
    assert.match(!refused.run ? (refused.reason ?? '') : '', /javascript.*Python cells only/);
  });
});
