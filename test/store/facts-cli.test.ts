/**
 * The CLI reuses facts a store holds: a fresh `nbprov lineage` process reads them instead of
 * re-parsing the recorded code, and leaves the store file as it was.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ANALYZER_VERSION, createAnalyzer } from '../../src/core/analysis';
import { openStore, storePath } from '../../src/core/store';
import { ensureBuilt, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from '../cli/helpers';
import { execution, session } from './fixtures';

let ws: string;
before(() => {
  ensureBuilt();
  ws = tempWorkspace('facts');
});
after(() => removeWorkspace(ws));

describe('nbprov lineage with facts in the store', () => {
  test('uses the stored facts of recorded code and does not write the store', async () => {
    writeNotebook(ws, 'nb.ipynb', ['x = 1', 'y = x + 1']);
    const store = await openStore(ws);
    store.addSession(session('s1', { notebookPath: 'nb.ipynb' }));
    store.addExecution(execution('e1', { notebookPath: 'nb.ipynb', cellId: 'c0', cellIndex: 0, code: 'x = 1', executionCount: 1, startedAt: '2024-05-01T10:00:01.000Z' }));
    store.addExecution(execution('e2', { notebookPath: 'nb.ipynb', cellId: 'c1', cellIndex: 1, code: 'y = x + 1', executionCount: 2, startedAt: '2024-05-01T10:00:02.000Z' }));
    // Facts no analyser would produce for `y = x + 1`: the real ones with `y` renamed to a name only the store knows.
    const real = (await createAnalyzer()).analyze('y = x + 1', 'python');
    const renamed = { ...real, defines: ['only_in_store'], operations: real.operations.map((op) => ({ ...op, defines: ['only_in_store'] })) };
    store.putFacts({ language: 'python', analyzerVersion: String(ANALYZER_VERSION), code: 'y = x + 1' }, renamed);
    await store.save();
    store.close();
    const before = readFileSync(storePath(ws));

    assert.deepEqual(nbprovJson(['lineage', 'nb.ipynb', 'only_in_store'], ws).cells, [0, 1]);
    assert.deepEqual(readFileSync(storePath(ws)), before);
  });
});
