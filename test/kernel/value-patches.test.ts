/**
 * The host's side of deferred hashes (issue 13), without a kernel: the recorder's patches become
 * store patches by execution id, records keep `deferred`, and patches merge into in-memory records
 * exactly as the store merges them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ExecutionRecord, ValueSummary } from '../../src/core/records';
import { hashState, hashUnavailable, patchedRecords, patchedSummary, sampledCount } from '../../src/core/valuePatches';
import { executionId, toExecutionRecord, toValuePatch, type RawExecutionRecord, type RawValuePatch } from '../../src/kernel/recordConversion';

const pending: ValueSummary = {
  name: 'big',
  type: 'numpy.ndarray',
  repr: 'array([...])',
  shape: [10_000_000],
  dtype: 'float64',
  deferred: 'pending',
  stats: { mean: 0.49, sampled: 65_536 },
};

describe('toValuePatch', () => {
  test('a hash patch names the execution by session and seq, with its exact stats', () => {
    const raw: RawValuePatch = { seq: 7, name: 'big', hash: 'sha256:ab', stats: { mean: 0.5 } };
    assert.deepEqual(toValuePatch(raw, 's-1'), { executionId: executionId('s-1', 7), name: 'big', hash: 'sha256:ab', stats: { mean: 0.5 } });
    assert.equal(executionId('s-1', 7), 's-1-7');
  });

  test('an abandoned patch carries no hash', () => {
    assert.deepEqual(toValuePatch({ seq: 2, name: 'x', abandoned: true }, 's'), { executionId: 's-2', name: 'x', abandoned: true });
  });

  test('malformed patches are dropped, never guessed', () => {
    const bad: unknown[] = [
      { seq: '7', name: 'big', hash: 'h' },
      { seq: 7, hash: 'h' },
      { seq: 7, name: 'big' },
      { seq: 7, name: 'big', hash: '' },
      { seq: 7, name: 'big', abandoned: 'yes' },
      null,
    ];
    for (const raw of bad) assert.equal(toValuePatch(raw as RawValuePatch, 's'), null, JSON.stringify(raw));
  });
});

describe('recorded values keep their deferred state', () => {
  const raw = (values: unknown[]): RawExecutionRecord =>
    ({ seq: 1, code: 'a = f()', executionCount: 1, success: true, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 5, values, files: [], recorderMs: 0 }) as unknown as RawExecutionRecord;
  const cell = { notebookPath: 'nb.ipynb', cellId: 'c1', cellIndex: 0 };

  test('pending and abandoned survive conversion; an unknown state or one beside a hash does not', () => {
    const record = toExecutionRecord(
      raw([pending, { ...pending, name: 'gone', deferred: 'abandoned' }, { ...pending, name: 'odd', deferred: 'later' }, { ...pending, name: 'done', hash: 'sha256:x' }]),
      's',
      cell,
    );
    assert.deepEqual(
      record.values.map((v) => [v.name, v.deferred]),
      [
        ['big', 'pending'],
        ['gone', 'abandoned'],
        ['odd', undefined],
        ['done', undefined],
      ],
    );
    assert.equal(record.values[0].stats?.sampled, 65_536);
  });
});

describe('merging patches into summaries', () => {
  test('pending → hashed: hash set, deferred and sampled gone, exact stats in', () => {
    const out = patchedSummary(pending, { executionId: 'e', name: 'big', hash: 'sha256:h', stats: { mean: 0.5, sampled: 3 } });
    assert.ok(out);
    assert.equal(out.hash, 'sha256:h');
    assert.equal('deferred' in out, false);
    assert.deepEqual(out.stats, { mean: 0.5 }, 'exact stats never carry a sample size');
    assert.equal(hashState(out), 'complete');
    assert.equal(pending.deferred, 'pending', 'the input is not changed');
  });

  test('a hash without stats keeps the sampled stats, still marked as a sample', () => {
    const out = patchedSummary(pending, { executionId: 'e', name: 'big', hash: 'sha256:h' });
    assert.equal(out?.hash, 'sha256:h');
    assert.equal(sampledCount(out!), 65_536);
  });

  test('pending → abandoned, and both are final', () => {
    const abandoned = patchedSummary(pending, { executionId: 'e', name: 'big', abandoned: true });
    assert.equal(abandoned?.deferred, 'abandoned');
    assert.equal(hashUnavailable(abandoned!), true);
    assert.equal(patchedSummary(abandoned!, { executionId: 'e', name: 'big', hash: 'sha256:h' }), null);
    const hashed = patchedSummary(pending, { executionId: 'e', name: 'big', hash: 'sha256:h' })!;
    assert.equal(patchedSummary(hashed, { executionId: 'e', name: 'big', hash: 'sha256:other' }), null);
    assert.equal(patchedSummary(pending, { executionId: 'e', name: 'other', hash: 'sha256:h' }), null);
  });

  test('patchedRecords patches only the named executions and keeps untouched ones (and the array) as they are', () => {
    const record = (id: string): ExecutionRecord => ({
      id,
      sessionId: 's',
      notebookPath: 'nb',
      cellId: id,
      cellIndex: 0,
      language: 'python',
      code: '',
      executionCount: 1,
      success: true,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
      values: [pending],
      files: [],
    });
    const records = [record('s-1'), record('s-2')];
    assert.equal(patchedRecords(records, [{ executionId: 's-9', name: 'big', hash: 'h' }]), records);
    const out = patchedRecords(records, [{ executionId: 's-2', name: 'big', hash: 'h' }]);
    assert.notEqual(out, records);
    assert.equal(out[0], records[0]);
    assert.equal(out[1].values[0].hash, 'h');
    assert.equal(records[1].values[0].hash, undefined);
  });
});
