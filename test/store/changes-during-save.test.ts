import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeStoreFs, openStore, type StoreFs } from '../../src/core/store';
import { execution, NOTEBOOK, session, tempWorkspace } from './fixtures';

test('a change made while a save is writing stays unsaved and reaches the file with the next save', async (t) => {
  const ws = tempWorkspace(t);
  let releaseWrite!: () => void;
  let writeStarted!: () => void;
  const started = new Promise<void>((resolve) => (writeStarted = resolve));
  const gate = new Promise<void>((resolve) => (releaseWrite = resolve));
  let holdNextWrite = false;
  const slowFs: StoreFs = {
    ...nodeStoreFs,
    writeFileSynced: async (p, data) => {
      if (holdNextWrite) {
        holdNextWrite = false;
        writeStarted();
        await gate;
      }
      return nodeStoreFs.writeFileSynced(p, data);
    },
  };
  const store = await openStore(ws, { fs: slowFs });
  store.addSession(session('s1'));
  store.addExecution(execution('first'));
  holdNextWrite = true;
  const saving = store.save();
  await started;
  store.addExecution(execution('during-save', { executionCount: 2 }));
  releaseWrite();
  await saving;
  assert.equal(store.hasUnsavedChanges, true, 'the execution added during the write is not on disk yet');
  await store.save();
  assert.equal(store.hasUnsavedChanges, false);

  const reopened = await openStore(ws);
  assert.deepEqual(reopened.listExecutions(NOTEBOOK).map((e) => e.id).sort(), ['during-save', 'first']);
});
