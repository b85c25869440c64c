/**
 * The editor's view of a notebook and the tag edits it makes, against what the CLI reads from the
 * saved file: cell ids, languages, counts and tags agree, and an edit written into the ipynb
 * serializer's nesting lands where Jupyter and `nbprov` read it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseNotebook, type RawNotebook } from '../../src/core/notebook/ipynb';
import { cellStage, tagCellStage, tagVariable, untagCellStage, untagVariable } from '../../src/core/notebook/tags';
import { jupyterCellId, jupyterMetadata, rawCellTags, withCellTags, withVariableTags } from '../../src/extension/ipynbMetadata';
import { liveNotebookView, type LiveNotebook } from '../../src/extension/notebookView';

const FIXTURE = path.resolve(__dirname, '..', 'fixtures', 'real', 'plot_forest_importances.ipynb');

/** What VS Code's ipynb serializer hands an extension for this file (metadata nested one level down). */
function asEditorHolds(raw: RawNotebook): LiveNotebook {
  const cells = raw.cells.map((c, index) => ({
    index,
    kind: c.cell_type === 'code' ? 2 : 1,
    metadata: { ...(c.id ? { id: c.id } : {}), execution_count: c.execution_count ?? null, metadata: c.metadata ?? {} },
    document: { getText: () => (Array.isArray(c.source) ? c.source.join('') : c.source), languageId: c.cell_type === 'code' ? 'python' : 'markdown' },
    executionSummary: typeof c.execution_count === 'number' ? { executionOrder: c.execution_count } : undefined,
  }));
  return { uri: { path: '/ws/nb.ipynb' }, metadata: { nbformat: raw.nbformat, nbformat_minor: raw.nbformat_minor, metadata: raw.metadata }, getCells: () => cells };
}

test('the live view agrees with the CLI reading of the same file: ids, types, sources, counts, tags', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const cli = parseNotebook(text, FIXTURE);
  cli.raw.cells[1].metadata = { ...cli.raw.cells[1].metadata, tags: ['stage:data-reading', 'parameters'] };
  cli.raw.metadata.nbprov = { variables: { importances: 'metric', 'not a name': 'x' } };
  const reread = parseNotebook(JSON.stringify(cli.raw), FIXTURE);
  const view = liveNotebookView(asEditorHolds(reread.raw));
  assert.equal(view.cells.length, reread.cells.length);
  for (const [i, cell] of reread.cells.entries()) {
    const live = view.cells[i];
    assert.deepEqual({ ...live }, { ...cell }, `cell ${i}`);
  }
  assert.deepEqual(view.variableTags(), { importances: 'metric' });
});

test('cells without nbformat ids are keyed cell-<index>, as the CLI keys them', () => {
  const view = liveNotebookView({
    uri: { path: '/ws/old.ipynb' },
    metadata: {},
    getCells: () => [
      { index: 0, kind: 1, metadata: {}, document: { getText: () => '# title', languageId: 'markdown' } },
      { index: 1, kind: 2, metadata: {}, document: { getText: () => 'x = 1', languageId: 'python' }, executionSummary: { executionOrder: 3 } },
      { index: 2, kind: 2, metadata: {}, document: { getText: () => 'raw text', languageId: 'raw' } },
      { index: 3, kind: 2, metadata: {}, document: { getText: () => 'cat x', languageId: 'r' } },
    ],
  });
  assert.deepEqual(view.cells.map((c) => [c.id, c.cellType, c.language, c.executionCount]), [
    ['cell-0', 'markdown', null, null],
    ['cell-1', 'code', 'python', 3],
    ['cell-2', 'raw', null, null],
    ['cell-3', 'code', null, null],
  ]);
});

test('both serializer nestings are read: metadata.metadata (VS Code ≥ 1.84) and metadata.custom.metadata (older)', () => {
  const current = { id: 'abc', metadata: { tags: ['stage:evaluation'] } };
  const older = { custom: { id: 'abc', metadata: { tags: ['stage:evaluation'] } } };
  for (const m of [current, older]) {
    assert.equal(jupyterCellId(m), 'abc');
    assert.deepEqual(rawCellTags(m), ['stage:evaluation']);
  }
  // Writes keep the document's own nesting and everything else in it.
  assert.deepEqual(withCellTags(older, ['parameters']), { custom: { id: 'abc', metadata: { tags: ['parameters'] } } });
  assert.deepEqual(withCellTags({ ...current, execution_count: 4 }, []), { id: 'abc', execution_count: 4, metadata: {} });
});

test('core\'s tag edits on the live view, written into the serializer\'s nesting, give a file the CLI reads back', () => {
  const notebookMetadata = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' }, nbprov: { variables: { lr: 'param' }, other: 1 } } };
  const view = liveNotebookView({ uri: { path: '/ws/nb.ipynb' }, metadata: notebookMetadata, getCells: () => [] });
  const edits = tagVariable(view, 'auc', 'Metric');
  assert.deepEqual(edits, [{ kind: 'variableTags', variables: { lr: 'param', auc: 'metric' } }], 'a known role in any capitalisation is the known role');
  const written = withVariableTags(notebookMetadata, edits[0].kind === 'variableTags' ? edits[0].variables : {});
  assert.deepEqual(jupyterMetadata(written), { kernelspec: { name: 'python3' }, nbprov: { variables: { lr: 'param', auc: 'metric' }, other: 1 } });
  assert.equal(written.nbformat, 4, 'the rest of the document metadata is kept');
  // The file the serializer writes has that Jupyter metadata at the top level: the CLI reads the tags.
  const saved = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: jupyterMetadata(written), cells: [] }), 'nb.ipynb');
  assert.deepEqual(saved.variableTags(), { lr: 'param', auc: 'metric' });

  const untag = untagVariable(liveNotebookView({ uri: { path: '/ws/nb.ipynb' }, metadata: written, getCells: () => [] }), 'lr');
  assert.deepEqual(untag, [{ kind: 'variableTags', variables: { auc: 'metric' } }]);
  assert.throws(() => tagVariable(view, 'df.shape', 'dataset'));
});

test('a stage edit keeps the cell\'s other tags, replaces an earlier stage, and lands in the cell\'s nested metadata', () => {
  const cellMetadata = { id: 'c0', metadata: { tags: ['parameters', 'stage:data-reading'] } };
  const view = liveNotebookView({
    uri: { path: '/ws/nb.ipynb' },
    metadata: {},
    getCells: () => [{ index: 0, kind: 2, metadata: cellMetadata, document: { getText: () => 'n = 1', languageId: 'python' } }],
  });
  const edits = tagCellStage(view, 0, 'Model Training');
  assert.deepEqual(edits, [{ kind: 'cellTags', cellIndex: 0, cellId: 'c0', tags: ['parameters', 'stage:model-training'] }]);
  const written = withCellTags(cellMetadata, edits[0].kind === 'cellTags' ? edits[0].tags : []);
  assert.deepEqual(written, { id: 'c0', metadata: { tags: ['parameters', 'stage:model-training'] } });
  assert.equal(cellStage(rawCellTags(written) as string[]), 'model-training');
  assert.deepEqual(untagCellStage(view, 0), [{ kind: 'cellTags', cellIndex: 0, cellId: 'c0', tags: ['parameters'] }]);
  assert.throws(() => tagCellStage(view, 0, 'a,b'));
});
