import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/core/store';
import type { ExecutionRecord } from '../../src/core/records';
import { withoutExcluded } from '../../src/extension/content/records';
import { SaveBatcher } from '../../src/extension/saveBatcher';
import { notebookKeyIn, storeWorkspaceFor } from '../../src/extension/workspaceDir';
import { liveNotebook, liveNotebookView, NOTEBOOK_KEY, num, record, tempDir } from './helpers';

test('excluded names lose their values; the execution is kept', () => {
  const full: ExecutionRecord = {
    id: 'e', sessionId: 's', notebookPath: 'nb', cellId: 'c', cellIndex: 0, language: 'python', code: 'k = secret()\nn = 1', executionCount: 1,
    success: true, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, files: [], values: [num('n', 1), { name: 'k', type: 'str', repr: "'hunter2'", value: 'hunter2' }],
  };
  const kept = withoutExcluded(full, ['k']);
  assert.deepEqual(kept.values.map((v) => v.name), ['n']);
  assert.equal(kept.code, full.code);
  assert.equal(withoutExcluded(full, []), full);
});

test('the store folder of a notebook: nearest .nbprov above it within the workspace, else the workspace folder', (t) => {
  const ws = tempDir(t);
  mkdirSync(path.join(ws, 'sub', 'deeper'), { recursive: true });
  const nb = path.join(ws, 'sub', 'deeper', 'nb.ipynb');
  assert.equal(storeWorkspaceFor(nb, ws, existsSync), ws);
  mkdirSync(path.join(ws, 'sub', '.nbprov'));
  assert.equal(storeWorkspaceFor(nb, ws, existsSync), path.join(ws, 'sub'));
  assert.equal(storeWorkspaceFor(nb, undefined, () => false), path.dirname(nb));
  assert.equal(notebookKeyIn(ws, nb), 'sub/deeper/nb.ipynb');
});

test('batched saves: many records, one write, and every record on disk when the promise resolves (a second process sees them)', async (t) => {
  const ws = tempDir(t);
  const store = await openStore(ws);
  t.after(() => store.close());
  let saves = 0;
  const batcher = new SaveBatcher(async () => {
    saves++;
    await store.save();
  }, 20);
  const view = liveNotebookView(liveNotebook([{ source: 'a = 1' }, { source: 'b = a' }]));
  const waits = [];
  for (const run of [{ cell: 0 }, { cell: 1 }, { cell: 0 }]) {
    record(store, view, [run], 's1');
    waits.push(batcher.schedule());
  }
  await Promise.all(waits);
  assert.equal(saves, 1);
  const reader = await openStore(ws);
  t.after(() => reader.close());
  assert.equal(reader.listExecutions(NOTEBOOK_KEY).length, 3);

  // A save failure reaches every waiter; the next schedule tries again.
  const failing = new SaveBatcher(async () => {
    throw new Error('EROFS');
  }, 1);
  await assert.rejects(failing.schedule(), /EROFS/);
  await assert.rejects(failing.schedule(), /EROFS/);
});
