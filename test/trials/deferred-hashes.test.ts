/**
 * Consumers never lie about large values hashed in the background (issue 13): a value whose
 * content hash is pending or was abandoned is never reported equal on the strength of its repr or
 * sampled statistics — in the comparison contract, the CLI's diff text and JSON, the trial diff
 * panel's payload and every place a value is described.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrialValue } from '../../src/core/records';
import { buildTrial } from '../../src/core/trials/buildTrial';
import { compareTrials } from '../../src/core/trials/compare';
import { describeValue, hashNote, statsText } from '../../src/core/trials/describeValue';
import { formatTrialDiff, verdict } from '../../src/core/trials/formatDiff';
import { compareValues } from '../../src/core/trials/valueDiff';
import { valueDetails } from '../../src/extension/content/format';
import { buildTrialDiffPayload } from '../../src/extension/panels/trialDiffPayload';
import { trial, value } from './helpers';

const big = (fields: Partial<TrialValue> = {}): TrialValue =>
  value('X', {
    role: 'dataset',
    type: 'numpy.ndarray',
    repr: 'array([0.1, 0.2, ..., 0.9])',
    shape: [50_000_000],
    dtype: 'float64',
    deferred: 'pending',
    stats: { min: 0, max: 1, mean: 0.5, sampled: 65_536 },
    ...fields,
  });
const hashed = (hash: string) => big({ deferred: undefined, hash, stats: { min: 0, max: 1, mean: 0.5 } });

describe('compareValues with deferred hashes', () => {
  test('two pending values with the same repr and stats are not compared, never equal', () => {
    const c = compareValues(big(), big());
    assert.equal(c.equal, false);
    assert.equal(c.comparedBy, 'none');
    assert.deepEqual(c.notCompared, { reason: 'hash-pending', a: 'pending', b: 'pending' });
    assert.equal(c.note, 'not compared: hash pending on A and B (the content hash of a large value is pending: the kernel had not finished hashing it)');
  });

  test('pending on one side against a hash on the other: not compared, naming the side', () => {
    const c = compareValues(hashed('sha256:1'), big());
    assert.equal(c.comparedBy, 'none');
    assert.deepEqual(c.notCompared, { reason: 'hash-pending', b: 'pending' });
    assert.match(c.note ?? '', /^not compared: hash pending on B \(/);
  });

  test('abandoned wins over pending in the reason: it will never be compared', () => {
    const c = compareValues(big({ deferred: 'abandoned' }), big());
    assert.deepEqual(c.notCompared, { reason: 'hash-abandoned', a: 'abandoned', b: 'pending' });
    assert.match(c.note ?? '', /^not compared: hash never computed on A, pending on B \(.*never computed: a later cell changed it before it was hashed\)$/);
  });

  test('a difference the summaries prove (shape) is still reported as a change, with the missing hash said', () => {
    const c = compareValues(big(), big({ shape: [60_000_000] }));
    assert.equal(c.equal, false);
    assert.notEqual(c.comparedBy, 'none');
    assert.deepEqual(c.changes, ['shape']);
    assert.ok(c.notCompared);
    assert.equal(c.note, 'content hash pending on A and B, but it differs in shape all the same');
  });

  test('once both hashes arrived the values compare by hash as before', () => {
    assert.deepEqual([compareValues(hashed('sha256:1'), hashed('sha256:1')).equal, compareValues(hashed('sha256:1'), hashed('sha256:1')).comparedBy], [true, 'hash']);
    assert.equal(compareValues(hashed('sha256:1'), hashed('sha256:2')).equal, false);
    assert.equal(compareValues(hashed('sha256:1'), hashed('sha256:1')).notCompared, undefined);
  });
});

describe('rendering', () => {
  const a = trial('a', { tagged: { X: big() } });
  const b = trial('b', { tagged: { X: big({ deferred: 'abandoned' }) } });

  test('nbprov diff text: the result column says not compared, the notes say why; JSON carries the verdict', () => {
    const diff = compareTrials(a, b);
    assert.equal(verdict(diff.common[0]), 'not compared: hash pending on A, never computed on B');
    const text = formatTrialDiff(diff);
    assert.match(text, /not compared: hash pending on A, never computed on B/);
    assert.doesNotMatch(text, /\bequal\b/);
    assert.match(text, /Notes:\n {2}X: not compared: hash pending on A, never computed on B \(the content hash/);
    const json = JSON.parse(JSON.stringify(diff.common[0]));
    assert.equal(json.equal, false);
    assert.equal(json.comparedBy, 'none');
    assert.deepEqual(json.notCompared, { reason: 'hash-abandoned', a: 'pending', b: 'abandoned' });
  });

  test('the trial diff panel payload: not compared, with each side\'s hash state', () => {
    const p = buildTrialDiffPayload(a, b);
    const row = p.values.find((r) => r.name === 'X')!;
    assert.equal(row.equal, false);
    assert.equal(row.notCompared, 'hash pending on A, never computed on B');
    assert.equal(row.a?.hashNote, 'hash pending');
    assert.equal(row.b?.hashNote, 'hash never computed (changed before it was hashed)');
    const same = buildTrialDiffPayload(trial('a', { tagged: { X: hashed('sha256:1') } }), trial('b', { tagged: { X: hashed('sha256:1') } }));
    assert.equal(same.values[0].notCompared, undefined);
    assert.equal(same.values[0].equal, true);
  });

  test('describeValue, hover details and trial show say hash pending / never computed and mark sampled stats', () => {
    assert.equal(describeValue(big()), 'ndarray (50000000) float64 hash pending');
    assert.match(describeValue(big({ deferred: 'abandoned' })), /hash never computed/);
    assert.equal(describeValue(hashed('sha256:abcdef0123')), 'ndarray (50000000) float64 #sha256:a');
    assert.equal(hashNote(hashed('h')), undefined);
    assert.equal(statsText(big()), 'min 0, max 1, mean 0.5 (sample of 65,536 elements)');
    assert.equal(statsText(hashed('h')), 'min 0, max 1, mean 0.5');
    assert.equal(statsText(value('n', { value: 3 })), undefined);
    assert.equal(statsText({ stats: { mean: 0.123456789, nulls: 0, numericColumns: 3, std: null, max: Number.NaN } }), 'max NaN, mean 0.1235, std —, nulls 0, numeric columns 3');
    const details = valueDetails(big());
    assert.ok(details.includes('hash pending'), details.join(' · '));
    assert.ok(details.includes('min 0, max 1, mean 0.5 (sample of 65,536 elements)'), details.join(' · '));
  });
});

describe('buildTrial and pending values', () => {
  test('a tagged value whose hash is pending names the execution that recorded it, so the late hash can reach the trial', () => {
    const record = (id: string, values: TrialValue[]) => ({
      id, sessionId: 's', notebookPath: 'nb', cellId: id, cellIndex: 0, language: 'python' as const, code: '', executionCount: 1, success: true, startedAt: '2026-01-01T00:00:00Z', durationMs: 1, values, files: [],
    });
    const trial = buildTrial({
      id: 't', name: null, note: null, notebookPath: 'nb', createdAt: '2026-01-01T00:00:01Z', sessionId: 's', params: {},
      tags: { X: 'dataset', Y: 'dataset' },
      executions: [record('s-1', [big()]), record('s-2', [hashed('sha256:y')].map((v) => ({ ...v, name: 'Y' })))],
      slices: {},
      environment: null,
    });
    assert.equal(trial.tagged.X.executionId, 's-1');
    assert.equal(trial.tagged.X.deferred, 'pending');
    assert.equal(trial.tagged.Y.executionId, undefined, 'only values still waiting for their hash carry it');
  });
});
