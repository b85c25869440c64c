// `nbprov tag` through the built CLI: tags round-trip into the notebook file (metadata.nbprov.variables
// and stage:<name> cell tags), suggestions for untagged notebooks, --accept-suggested.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAUD_NOTEBOOK, assertUsageError, ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace } from './helpers';

interface NotebookFile {
  metadata: { nbprov?: { variables?: Record<string, string> } } & Record<string, unknown>;
  cells: Array<{ metadata: { tags?: string[] }; source: string | string[] }>;
}

let ws: string;
const read = (name: string): NotebookFile => JSON.parse(readFileSync(path.join(ws, name), 'utf8'));

function copyFraud(name: string, strip: boolean): void {
  const notebook = JSON.parse(readFileSync(FRAUD_NOTEBOOK, 'utf8')) as NotebookFile;
  if (strip) delete notebook.metadata.nbprov;
  writeFileSync(path.join(ws, name), JSON.stringify(notebook, null, 1));
}

before(() => {
  ensureBuilt();
  ws = tempWorkspace('tag');
});
after(() => removeWorkspace(ws));

describe('nbprov tag', () => {
  test('a variable tag is written into the notebook and removed again', () => {
    copyFraud('tagged.ipynb', false);
    const original = read('tagged.ipynb');
    const set = nbprovJson(['tag', 'tagged.ipynb', 'seed', 'param'], ws);
    assert.equal(set.changed, true);
    assert.equal(set.variables.seed, 'param');
    assert.deepEqual(read('tagged.ipynb').metadata.nbprov?.variables, { ...original.metadata.nbprov?.variables, seed: 'param' });

    const retag = nbprovJson(['tag', 'tagged.ipynb', 'seed', 'random seed'], ws);
    assert.equal(retag.variables.seed, 'random seed', 'free-text roles are kept as given');

    nbprovJson(['tag', 'tagged.ipynb', 'seed', '--remove'], ws);
    assert.deepEqual(read('tagged.ipynb').metadata.nbprov?.variables, original.metadata.nbprov?.variables);
    assert.deepEqual(read('tagged.ipynb').cells, original.cells, 'cells untouched');
  });

  test('a cell stage replaces the old stage tag and is removed again', () => {
    copyFraud('stages.ipynb', false);
    assert.deepEqual(read('stages.ipynb').cells[4].metadata.tags, ['stage:sampling']);
    const set = nbprovJson(['tag', 'stages.ipynb', '--cell', '4', 'cleaning'], ws);
    assert.deepEqual(set.stages.find((s: { cell: number }) => s.cell === 4), { cell: 4, stage: 'cleaning' });
    assert.deepEqual(read('stages.ipynb').cells[4].metadata.tags, ['stage:cleaning']);
    assert.deepEqual(read('stages.ipynb').cells[1].metadata.tags, ['parameters'], 'other cells keep their tags');

    nbprovJson(['tag', 'stages.ipynb', '--cell', '4', '--remove'], ws);
    assert.ok(!(read('stages.ipynb').cells[4].metadata.tags ?? []).some((t) => t.startsWith('stage:')));
    // The human listing reflects the file.
    const text = nbprov(['tag', 'stages.ipynb'], ws);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /cell 2: data-reading/);
    assert.doesNotMatch(text.stdout, /cell 4:/);
  });

  test('an untagged notebook gets suggestions, which change nothing until accepted', () => {
    copyFraud('untagged.ipynb', true);
    const before = readFileSync(path.join(ws, 'untagged.ipynb'), 'utf8');
    const doc = nbprovJson(['tag', 'untagged.ipynb'], ws);
    assert.equal(doc.changed, false);
    assert.deepEqual(doc.variables, {});
    const suggested = Object.fromEntries(doc.suggestions.map((s: { name: string; role: string }) => [s.name, s.role]));
    for (const [name, role] of Object.entries({ n_estimators: 'param', max_depth: 'param', n_components: 'param', df: 'dataset', model: 'model', auc: 'metric', f1: 'metric' })) {
      assert.equal(suggested[name], role, `${name} should be suggested as ${role}: ${JSON.stringify(doc.suggestions)}`);
    }
    for (const s of doc.suggestions) {
      assert.equal(typeof s.reason, 'string');
      assert.equal(typeof s.cellIndex, 'number');
    }
    assert.equal(readFileSync(path.join(ws, 'untagged.ipynb'), 'utf8'), before, 'suggestions are not written');

    const text = nbprov(['tag', 'untagged.ipynb'], ws);
    assert.match(text.stdout, /suggested .*--accept-suggested/);
    assert.match(text.stdout, /auc → metric/);

    const accepted = nbprovJson(['tag', 'untagged.ipynb', '--accept-suggested'], ws);
    assert.equal(accepted.changed, true);
    assert.equal(accepted.applied.length, doc.suggestions.length);
    assert.deepEqual(read('untagged.ipynb').metadata.nbprov?.variables, suggested);
  });

  test('bad tag requests are one-line errors', () => {
    copyFraud('errors.ipynb', false);
    assertUsageError(nbprov(['tag', 'errors.ipynb', '--cell', '99', 'x', '--json'], ws), /99.*out of range/);
    assertUsageError(nbprov(['tag', 'errors.ipynb', 'nothere', '--remove', '--json'], ws), /"nothere" is not tagged.*auc/);
    assertUsageError(nbprov(['tag', 'errors.ipynb', '--remove', '--json'], ws), /--remove needs/);
  });
});
