/**
 * Late hashes of large values (issue 13): the store merges `ValuePatch`es into stored summaries,
 * keeps them across a reopen, ignores what it does not have, and a merge of two copies of the file
 * never brings a pending value back over a hashed or abandoned one.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ValuePatch, ValueSummary } from '../../src/core/records';
import { openStore } from '../../src/core/store';
import { rowText, seriesFromRows } from '../../src/core/trials/series';
import { execution, intValue, tempWorkspace, trial } from './fixtures';

function pendingArray(name: string): ValueSummary {
  return {
    name,
    type: 'numpy.ndarray',
    repr: 'array([0.1, 0.2, ..., 0.9])',
    shape: [50_000_000],
    dtype: 'float64',
    deferred: 'pending',
    stats: { min: 0, max: 1, mean: 0.49, sampled: 65_536 },
  };
}

const hashed: ValuePatch = { executionId: 'e1', name: 'big', hash: 'sha256:feed', stats: { min: 0, max: 1, mean: 0.5 } };

describe('deferred hashes in the store', () => {
  test('a patch sets the hash and exact stats, drops deferred and sampled, and survives a reopen', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('e1', { values: [intValue('n', 3), pendingArray('big')] }));
    await store.save();
    assert.equal(store.hasUnsavedChanges, false);
    assert.deepEqual(store.applyValuePatches([hashed]).executions, ['e1']);
    assert.equal(store.hasUnsavedChanges, true, 'a patch is a change to save');
    await store.save();
    store.close();

    const again = await openStore(ws);
    const [n, big] = again.valuesOf('e1');
    assert.deepEqual(n, intValue('n', 3));
    assert.equal(big.hash, 'sha256:feed');
    assert.equal(big.deferred, undefined);
    assert.deepEqual(big.stats, { min: 0, max: 1, mean: 0.5 });
    assert.deepEqual(big.shape, [50_000_000], 'the rest of the summary is kept');
    assert.equal(again.latestValue('notebooks/fraud.ipynb', 'big')?.summary.hash, 'sha256:feed');
    again.close();
  });

  test('patching is idempotent and final: the same patch again, or an abandonment after a hash, changes nothing', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('e1', { values: [pendingArray('big')] }));
    store.applyValuePatches([hashed]);
    await store.save();
    assert.deepEqual(store.applyValuePatches([hashed, { executionId: 'e1', name: 'big', abandoned: true }]).executions, []);
    assert.equal(store.hasUnsavedChanges, false);
    assert.equal(store.valuesOf('e1')[0].hash, 'sha256:feed');
    store.close();
  });

  test('an abandoned patch marks the value abandoned and keeps its sampled stats, marked as a sample', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('e1', { values: [pendingArray('big')] }));
    assert.deepEqual(store.applyValuePatches([{ executionId: 'e1', name: 'big', abandoned: true }]).executions, ['e1']);
    await store.save();
    store.close();
    const again = await openStore(ws);
    const [big] = again.valuesOf('e1');
    assert.equal(big.deferred, 'abandoned');
    assert.equal(big.hash, undefined);
    assert.equal(big.stats?.sampled, 65_536);
    // A late hash cannot revive it: the value changed before it was hashed.
    assert.deepEqual(again.applyValuePatches([hashed]).executions, []);
    again.close();
  });

  test('patches for executions or names the store does not have, and values never deferred, are ignored', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const full: ValueSummary = { ...pendingArray('big'), hash: 'sha256:full' };
    delete full.deferred;
    store.addExecution(execution('e1', { values: [full, pendingArray('other')] }));
    await store.save();
    const changed = store.applyValuePatches([
      { executionId: 'nope', name: 'big', hash: 'sha256:x' },
      { executionId: 'e1', name: 'missing', hash: 'sha256:x' },
      { executionId: 'e1', name: 'big', hash: 'sha256:x' },
      { executionId: 'e1', name: 'other' } as ValuePatch,
    ]);
    assert.deepEqual(changed, { executions: [], trials: [] });
    assert.equal(store.hasUnsavedChanges, false);
    assert.equal(store.valuesOf('e1')[0].hash, 'sha256:full');
    assert.equal(store.valuesOf('e1')[1].deferred, 'pending', 'a patch with neither hash nor abandoned is not guessed at');
    store.close();
  });

  test('two processes: the copy with the late hash wins the merge, whichever saves last', async (t) => {
    const ws = tempWorkspace(t);
    const first = await openStore(ws);
    first.addExecution(execution('e1', { values: [pendingArray('big'), pendingArray('gone')] }));
    await first.save();
    // The editor holds the pending copy in memory while the CLI patches the file.
    const editor = await openStore(ws);
    const cli = await openStore(ws);
    cli.applyValuePatches([hashed]);
    await cli.save();
    // The editor got the other value's abandonment meanwhile, and saves after: both patches stay.
    editor.applyValuePatches([{ executionId: 'e1', name: 'gone', abandoned: true }]);
    const saved = await editor.save();
    assert.equal(saved.merged, true);
    const [big, gone] = editor.valuesOf('e1');
    assert.equal(big.hash, 'sha256:feed', 'the pending copy in memory took the hash from the file');
    assert.equal(gone.deferred, 'abandoned');
    cli.close();
    editor.close();

    const reopened = await openStore(ws);
    assert.equal(reopened.valuesOf('e1')[0].hash, 'sha256:feed');
    assert.equal(reopened.valuesOf('e1')[1].deferred, 'abandoned');
    reopened.close();
  });

  test('refresh() (the editor\'s file watcher) brings a patch saved by another process into memory', async (t) => {
    const ws = tempWorkspace(t);
    const editor = await openStore(ws);
    editor.addExecution(execution('e1', { values: [pendingArray('big')] }));
    await editor.save();
    const cli = await openStore(ws);
    cli.applyValuePatches([hashed]);
    await cli.save();
    cli.close();
    assert.equal(editor.valuesOf('e1')[0].deferred, 'pending');
    assert.equal(await editor.refresh(), true);
    assert.equal(editor.valuesOf('e1')[0].hash, 'sha256:feed');
    // And a later save of the editor's pending-era copy does not undo it on disk.
    await editor.save();
    editor.close();
    const reopened = await openStore(ws);
    assert.equal(reopened.valuesOf('e1')[0].hash, 'sha256:feed');
    reopened.close();
  });

  test('a trial saved with a pending value says so in the series (nbprov values, the across-trials panel)', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.saveTrial(trial('t1', '2026-01-01T00:00:00.000Z', { big: { ...pendingArray('big'), role: 'dataset' } }));
    store.saveTrial(trial('t2', '2026-01-02T00:00:00.000Z', { big: { ...pendingArray('big'), role: 'dataset', deferred: 'abandoned' } }));
    store.saveTrial(trial('t3', '2026-01-03T00:00:00.000Z', { big: { ...pendingArray('big'), role: 'dataset', deferred: undefined, hash: 'sha256:0123456789' } }));
    await store.save();
    store.close();
    const again = await openStore(ws);
    const rows = again.trialValueSeries('big');
    assert.deepEqual(rows.map((r) => [r.trialId, r.deferred ?? null, r.hash ?? null]), [['t1', 'pending', null], ['t2', 'abandoned', null], ['t3', null, 'sha256:0123456789']]);
    const series = seriesFromRows('big', rows, ['big']);
    assert.deepEqual(series.rows.map((r) => rowText(r)), ['(hash pending) array([0.1, 0.2, ..., 0.9])', '(hash never computed) array([0.1, 0.2, ..., 0.9])', '#sha256:0 array([0.1, 0.2, ..., 0.9])']);
    again.close();
  });

  test('a trial saved while a value was pending gets its hash too: tagged value, lineage values and the series row', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('s1-4', { values: [pendingArray('big')] }));
    const op = { executionId: 's1-4', cellId: 'c4', cellIndex: 4, line: 1, code: 'big = make()', defines: ['big'], value: pendingArray('big'), values: [pendingArray('big')] };
    store.saveTrial(trial('t1', '2026-01-01T00:00:00.000Z', { big: { ...pendingArray('big'), role: 'dataset', executionId: 's1-4' } }, { lineage: { big: [op] } }));
    // Another session's trial holding a same-named value is left alone.
    store.saveTrial(trial('t2', '2026-01-02T00:00:00.000Z', { big: { ...pendingArray('big'), role: 'dataset', executionId: 's2-4' } }, { sessionId: 's2' }));
    await store.save();
    const changed = store.applyValuePatches([{ executionId: 's1-4', name: 'big', hash: 'sha256:late', stats: { mean: 0.5 } }]);
    assert.deepEqual(changed, { executions: ['s1-4'], trials: ['t1'] });
    await store.save();
    store.close();

    const again = await openStore(ws);
    const patched = again.getTrial('t1')!;
    assert.equal(patched.tagged.big.hash, 'sha256:late');
    assert.equal(patched.tagged.big.deferred, undefined);
    assert.deepEqual(patched.tagged.big.stats, { mean: 0.5 });
    assert.equal(patched.lineage.big[0].value?.hash, 'sha256:late');
    assert.equal(patched.lineage.big[0].values?.[0].hash, 'sha256:late');
    assert.equal(again.getTrial('t2')!.tagged.big.deferred, 'pending');
    assert.deepEqual(again.trialValueSeries('big').map((r) => [r.trialId, r.hash ?? r.deferred]), [['t1', 'sha256:late'], ['t2', 'pending']]);
    assert.equal(again.listTrials()[0].tagged.big.hash, 'sha256:late');
    // Idempotent: nothing more to change.
    assert.deepEqual(again.applyValuePatches([{ executionId: 's1-4', name: 'big', hash: 'sha256:late' }]), { executions: [], trials: [] });
    again.close();
  });
});
