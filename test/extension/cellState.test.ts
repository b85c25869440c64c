import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCellStates } from '../../src/extension/content/cellState';
import { emptyStore, liveNotebook, liveNotebookView, num, record, sharedAnalyzer, snapshot } from './helpers';

const OPTIONS = { notebookUri: 'file:///ws/nb.ipynb', previewLength: 120 };
const titles = (state: { lenses: { title: string }[] }) => state.lenses.map((l) => l.title);

test('an out-of-order re-run of an edited cell makes its readers stale; the status bar says which input changed', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const cells = [{ source: 'n = 20' }, { source: 'data = list(range(n))' }, { source: 'total = sum(data)\nmean = total / n' }, { source: 'report = mean' }];
  const view = liveNotebookView(liveNotebook(cells));
  record(store, view, [{ cell: 0, code: 'n = 10' }, { cell: 1 }, { cell: 2 }, { cell: 3 }, { cell: 0 }]);
  const states = buildCellStates(snapshot(view, store, analyzer), OPTIONS);

  assert.deepEqual(titles(states[0]), ['$(play) [5] · ran 2×', 'no inputs from other cells']);
  assert.equal(states[0].status?.condition, 'current');
  assert.ok(titles(states[1]).includes('$(warning) stale: n redefined by cell 0 [5]'), titles(states[1]).join(' | '));
  assert.equal(states[1].status?.condition, 'stale');
  assert.equal(states[1].status?.text, '$(warning) stale: n');
  assert.equal(states[2].status?.condition, 'stale');
  assert.ok(titles(states[2]).includes('depends on cells 0, 1'), titles(states[2]).join(' | '));
  // Cell 3 read `mean`, which nothing redefined: not stale (yet).
  assert.equal(states[3].status?.condition, 'current');
  assert.equal(states[3].status?.text, '$(pass) up to date · ← 2');
});

test('typing in a cell predicts which cells running it would make stale, from the source as it is now', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const ran = [{ source: 'n = 10' }, { source: 'data = list(range(n))' }, { source: 'total = sum(data)' }, { source: 'other = 1' }, { source: 'out = other + total' }];
  const runs = [0, 1, 2, 3, 4].map((cell) => ({ cell }));
  record(store, liveNotebookView(liveNotebook(ran)), runs);

  const edited = ran.map((c, i) => (i === 1 ? { source: 'data = list(range(n * 2))' } : c));
  const states = buildCellStates(snapshot(liveNotebookView(liveNotebook(edited)), store, analyzer), OPTIONS);
  assert.equal(states[1].status?.condition, 'edited');
  assert.ok(titles(states[1]).includes('$(edit) edited since [2] · running it makes cells 2, 4 stale'), titles(states[1]).join(' | '));
  assert.equal(states[2].status?.condition, 'input-edited');
  assert.equal(states[4].status?.condition, 'input-edited');
  assert.equal(states[3].status?.condition, 'current');

  // The user changes the cell to define another name: nothing read it, so nothing is predicted stale.
  const renamed = ran.map((c, i) => (i === 1 ? { source: 'fresh = list(range(n))' } : c));
  const after = buildCellStates(snapshot(liveNotebookView(liveNotebook(renamed)), store, analyzer), OPTIONS);
  // The old run's `data` still counts: re-running no longer defines it, but its readers read the old one… they are affected only through names the new code touches.
  assert.equal(after[1].status?.condition, 'edited');
  assert.deepEqual(after[2].status?.condition, 'input-edited', 'data was defined by the old run: readers are flagged');
  const onlyNew = ran.map((c, i) => (i === 3 ? { source: 'unrelated = 2' } : c));
  const third = buildCellStates(snapshot(liveNotebookView(liveNotebook(onlyNew)), store, analyzer), OPTIONS);
  // Cell 3's old run defined `other`, read by cell 4: still flagged; cell 2 is not.
  assert.equal(third[4].status?.condition, 'input-edited');
  assert.equal(third[2].status?.condition, 'current');
});

test('tagged definitions get a lens with role and last value, and links to lineage and across-trials', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const view = liveNotebookView(liveNotebook([{ source: 'import math\nlr = 0.1\nepochs = 3' }, { source: 'auc = lr * epochs' }], { lr: 'param', auc: 'metric' }));
  record(store, view, [{ cell: 0, values: [num('lr', 0.1), num('epochs', 3)] }, { cell: 1, values: [num('auc', 0.3)] }]);
  const states = buildCellStates(snapshot(view, store, analyzer), OPTIONS);
  const lr = states[0].lenses.filter((l) => l.line === 1);
  assert.deepEqual(lr.map((l) => l.title), ['$(tag) param lr = 0.1', 'Lineage', 'Across trials']);
  assert.deepEqual(lr[1].command, { id: 'nbprov.showLineage', args: [{ notebook: OPTIONS.notebookUri, variable: 'lr' }] });
  assert.deepEqual(lr[2].command, { id: 'nbprov.showAcrossTrials', args: [{ notebook: OPTIONS.notebookUri, variable: 'lr' }] });
  assert.ok(titles(states[1]).includes('$(tag) metric auc = 0.3'));
  assert.ok(!titles(states[0]).some((title) => title.includes('epochs =')), 'untagged names get no lens');
});

test('without a recorded session the saved execution counts give the state; unrun cells have no lens', async () => {
  const analyzer = await sharedAnalyzer();
  const view = liveNotebookView(liveNotebook([{ source: 'a = 1', executionOrder: 2 }, { source: 'b = a + 1', executionOrder: 1 }, { source: 'c = b' }]));
  const states = buildCellStates(snapshot(view, null, analyzer), OPTIONS);
  assert.deepEqual(titles(states[0]), ['$(play) [2]', 'no inputs from other cells']);
  // Cell 1 ran first ([1]) and read `a` before cell 0 defined it: no upstream cell, and stale.
  assert.deepEqual(titles(states[1]), ['$(play) [1]', 'no inputs from other cells', '$(warning) stale: a redefined by cell 0 [2]']);
  assert.deepEqual(titles(states[2]), []);
  assert.equal(states[2].status?.condition, 'not-run');
});

test('an alias only the run saw (recorded object identities) makes the reader stale in the status bar', async (t) => {
  const analyzer = await sharedAnalyzer();
  const cells = [{ source: 'a = [1, 2]' }, { source: 'b = globals()["a"]' }, { source: 'print(len(a))' }, { source: 'b.append(3)' }];
  const states = async (identities: boolean) => {
    const { store } = await emptyStore(t);
    const view = liveNotebookView(liveNotebook(cells));
    const same = { a: { id: '7' }, b: { id: '7' } };
    record(store, view, [{ cell: 0 }, { cell: 1, ...(identities ? { identities: same } : {}) }, { cell: 2 }, { cell: 3 }]);
    return buildCellStates(snapshot(view, store, analyzer), OPTIONS);
  };
  assert.equal((await states(true))[2].status?.condition, 'stale', 'b is a, so appending to b changed what cell 2 read');
  assert.equal((await states(false))[2].status?.condition, 'current', 'static analysis alone cannot see the alias');
});
