import assert from 'node:assert/strict';
import { test } from 'node:test';
import { staleCells } from '../../src/core/lineage';
import { notebookLineage } from '../../src/core/notebookLineage';
import { NotebookLineageCache, withRecord } from '../../src/extension/content/lineageCache';
import { emptyStore, liveNotebook, liveNotebookView, NOTEBOOK_KEY, num, record, sharedAnalyzer } from './helpers';

test('the editor\'s cached lineage equals core\'s notebookLineage over the store, moved and deleted cells included', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const cells = [{ source: 'a = 1', id: 'A' }, { source: 'b = a + 1', id: 'B' }, { source: 'c = b * 2', id: 'C' }];
  record(store, liveNotebookView(liveNotebook(cells)), [{ cell: 0, values: [num('a', 1)] }, { cell: 1 }, { cell: 2 }, { cell: 0 }]);
  // Since then, cell B moved to the end and cell C was deleted.
  const now = liveNotebookView(liveNotebook([cells[0], { source: '# notes', kind: 'markdown' }, cells[1]]));
  const core = notebookLineage({ notebook: now, notebookKey: NOTEBOOK_KEY, store, analyzer });
  const cached = new NotebookLineageCache(analyzer).lineage(now, NOTEBOOK_KEY, store.listExecutions(NOTEBOOK_KEY));
  assert.equal(cached.source, 'recorded');
  assert.deepEqual(cached.executions, core.executions);
  assert.deepEqual(cached.executions.map((e) => e.cellIndex), [0, 2, null, 0]);
  assert.deepEqual(staleCells(cached.graph), staleCells(core.graph));
  assert.deepEqual(cached.valuesOf(cached.executions[0].id), [num('a', 1)]);
});

test('an edit reuses the graph; a new record or a moved cell rebuilds it', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const cells = [{ source: 'a = 1', id: 'A' }, { source: 'b = a', id: 'B' }];
  record(store, liveNotebookView(liveNotebook(cells)), [{ cell: 0 }, { cell: 1 }], 's1');
  const records = store.listExecutions(NOTEBOOK_KEY);
  const cache = new NotebookLineageCache(analyzer);
  const first = cache.lineage(liveNotebookView(liveNotebook(cells)), NOTEBOOK_KEY, records);
  const typed = cache.lineage(liveNotebookView(liveNotebook([cells[0], { source: 'b = a + 100', id: 'B' }])), NOTEBOOK_KEY, records);
  assert.equal(typed, first);
  const moved = cache.lineage(liveNotebookView(liveNotebook([cells[1], cells[0]])), NOTEBOOK_KEY, records);
  assert.notEqual(moved, first);
  assert.deepEqual(moved.executions.map((e) => e.cellIndex), [1, 0]);
  const [late] = record(store, liveNotebookView(liveNotebook(cells)), [{ cell: 0 }], 's1', Date.parse('2026-01-05T10:00:00Z'));
  const more = cache.lineage(liveNotebookView(liveNotebook(cells)), NOTEBOOK_KEY, withRecord(records, late));
  assert.equal(more.executions.length, 3);
  assert.equal(staleCells(more.graph)[0]?.cellId, 'B');
});

test('withRecord keeps execution order and replaces a record with the same id', async (t) => {
  const { store } = await emptyStore(t);
  const view = liveNotebookView(liveNotebook([{ source: 'a = 1' }]));
  const [early, later] = record(store, view, [{ cell: 0 }, { cell: 0 }]);
  const [earliest] = record(store, view, [{ cell: 0 }], 's0', Date.parse('2026-01-05T08:00:00Z'));
  assert.deepEqual(withRecord([early, later], earliest).map((r) => r.id), [earliest.id, early.id, later.id]);
  const replaced = withRecord([early, later], { ...early, values: [num('a', 1)] });
  assert.deepEqual(replaced.map((r) => r.id), [early.id, later.id]);
  assert.deepEqual(replaced[0].values, [num('a', 1)]);
});
