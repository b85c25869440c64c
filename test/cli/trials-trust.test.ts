// Issue 12 in a real kernel: a notebook with a GradientBoosting and a LogisticRegression model,
// run as trials through the built CLI; then the diff's model verdicts and effective parameters,
// unique trial names, notes, the store found from a parent folder, stages, tables that fit and
// name their notebook, and a PROV export loaded by Debian's python3-prov. The tests share one
// workspace and run in order.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProvDocument } from '../../src/core/trials/exportProv';
import { checkProvDocument, loadWithPythonProv } from '../trials/provCheck';
import { ensureBuilt, nbprov, nbprovJson, parseSingleJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

const CELLS = [
  { source: '# Two models on the same data', type: 'markdown' as const },
  { source: 'n_estimators = 10\nlearning_rate = 0.1\nC = 1.0\nseed = 0', tags: ['parameters'] },
  { source: 'from sklearn.datasets import make_classification\ndata = make_classification(n_samples=300, n_features=8, random_state=seed)\nX = data[0]\ny = data[1]', tags: ['stage:data-reading'] },
  {
    source:
      'from sklearn.ensemble import GradientBoostingClassifier\nfrom sklearn.linear_model import LogisticRegression\n' +
      'gb = GradientBoostingClassifier(n_estimators=n_estimators, learning_rate=learning_rate, random_state=seed).fit(X, y)\n' +
      'lr = LogisticRegression(C=C, max_iter=500).fit(X, y)',
    tags: ['stage:model-training'],
  },
  { source: 'from sklearn.metrics import roc_auc_score\nauc = roc_auc_score(y, gb.predict_proba(X)[:, 1])\nauc_lr = roc_auc_score(y, lr.predict_proba(X)[:, 1])', tags: ['stage:evaluation'] },
];
const TAGS = { n_estimators: 'param', learning_rate: 'param', X: 'dataset', gb: 'model', lr: 'model', auc: 'metric', auc_lr: 'metric' };

let parent: string;
let ws: string;
const ids: Record<string, string> = {};

function run(notebook: string, args: string[]): { trial: { id: string; name: string } } {
  return nbprovJson(['run', notebook, ...args], ws, 180_000);
}

before(() => {
  ensureBuilt();
  parent = tempWorkspace('trust-parent');
  // The workspace is a folder below the one commands are sometimes run from.
  ws = path.join(parent, 'work');
  mkdirSync(path.join(ws, '.nbprov'), { recursive: true });
  writeNotebook(ws, 'models.ipynb', CELLS, { nbprov: { variables: TAGS } });
});
after(() => removeWorkspace(parent));

describe('trials a data scientist can trust (real kernel)', () => {
  test('a name already taken gets a visible suffix, and the run says so', () => {
    ids.base = run('models.ipynb', ['--trial', 'base']).trial.id;
    const second = nbprov(['run', 'models.ipynb', '--param', 'n_estimators=16', '--trial', 'base'], ws, 180_000);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^trial base \(2\) /m);
    assert.match(second.stdout, new RegExp(`the name "base" is taken by trial ${ids.base}, so this one is "base \\(2\\)"`));
    ids.wider = nbprovJson(['trials'], ws).trials.find((t: { name: string }) => t.name === 'base (2)').id;
    ids.same = run('models.ipynb', ['--trial', 'same']).trial.id;
  });

  test('diff: the changed hyperparameter named old → new, the unchanged model "same model", parameters with their source', () => {
    const doc = nbprovJson(['diff', ids.base, ids.wider], ws);
    const entry = (name: string) => doc.common.find((c: { name: string }) => c.name === name);
    assert.deepEqual(entry('gb').model, { hyperparameters: [{ name: 'n_estimators', a: 10, b: 16 }], verdict: 'hyperparameters changed' });
    assert.equal(entry('gb').equal, false);
    assert.deepEqual([entry('lr').equal, entry('lr').model.verdict], [true, 'same model'], 'LogisticRegression fitted twice on the same data');
    const param = (name: string) => doc.params.find((p: { name: string }) => p.name === name);
    assert.deepEqual([param('n_estimators').a, param('n_estimators').sourceA, param('n_estimators').b, param('n_estimators').sourceB], [10, 'notebook', 16, 'injected']);
    assert.deepEqual([param('learning_rate').a, param('learning_rate').b, param('learning_rate').equal], [0.1, 0.1, true]);
    assert.equal(param('C').reprA, '1.0');

    const text = nbprov(['diff', ids.base, ids.wider], ws);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^gb .*changed, hyperparameters n_estimators 10 → 16$/m);
    assert.match(text.stdout, /^ {2}n_estimators +10 \(notebook\) +16 \(injected\) +changed$/m);
    assert.doesNotMatch(text.stdout, /— vs|^ {2}n_estimators +—/m);
  });

  test('the same notebook and parameters run again: the same hyperparameters on every model', () => {
    const doc = nbprovJson(['diff', 'base', 'same'], ws);
    const entry = (name: string) => doc.common.find((c: { name: string }) => c.name === name);
    assert.deepEqual(entry('lr').model, { hyperparameters: [], verdict: 'same model' });
    // GradientBoosting holds a loss object whose repr carries a memory address: the recorder
    // hashes its state instead, so two kernels fitting the same model agree.
    assert.deepEqual(entry('gb').model, { hyperparameters: [], verdict: 'same model' });
    assert.equal(entry('auc').equal, true);
  });

  test('a rename onto a taken name is refused naming the other trial; a free name is taken', () => {
    const refused = nbprov(['trial', 'rename', 'same', 'base'], ws);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, new RegExp(`^nbprov: trial name "base" is taken by trial ${ids.base}`));
    assert.equal(nbprovJson(['trial', 'show', ids.same], ws).name, 'same', 'nothing renamed');
    assert.equal(nbprov(['trial', 'rename', 'same', 'again'], ws).code, 0);
    assert.equal(nbprovJson(['trial', 'show', ids.same], ws).name, 'again');
  });

  test('trial note T "" clears the note', () => {
    assert.equal(nbprov(['trial', 'note', 'base', 'first try'], ws).code, 0);
    assert.equal(nbprovJson(['trial', 'show', 'base'], ws).note, 'first try');
    const cleared = nbprov(['trial', 'note', 'base', ''], ws);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.equal(nbprovJson(['trial', 'show', 'base'], ws).note, null);
  });

  test('trials work/models.ipynb from the parent folder finds the store lineage finds', () => {
    const fromParent = nbprovJson(['trials', 'work/models.ipynb'], parent);
    assert.deepEqual(fromParent.trials.map((t: { name: string }) => t.name), ['base', 'base (2)', 'again']);
    const lineage = nbprovJson(['lineage', 'work/models.ipynb', 'auc'], parent);
    assert.equal(lineage.history, 'recorded', 'lineage reads the same store');
  });

  test('trial show lists the stages and groups the operations by stage; the parameters with their values', () => {
    const shown = nbprov(['trial', 'show', 'base'], ws);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /^stages: data-reading → model-training → evaluation$/m);
    assert.match(shown.stdout, /^ {2}── stage: model-training ──\n {2}\[cell 3\] from sklearn\.ensemble import GradientBoostingClassifier$/m);
    assert.match(shown.stdout, /params: n_estimators=10 learning_rate=0\.1 C=1\.0 seed=0/);
    const json = nbprovJson(['trial', 'show', 'base'], ws);
    assert.deepEqual([...new Set(json.executions.map((e: { stage?: string }) => e.stage ?? null))], [null, 'data-reading', 'model-training', 'evaluation']);
  });

  test('a second notebook: values name the notebook, the plot draws one line per notebook, tables fit the width', () => {
    copyFileSync(path.join(ws, 'models.ipynb'), path.join(ws, 'other.ipynb'));
    run('other.ipynb', ['--param', 'learning_rate=0.3', '--trial', 'other']);
    const values = nbprovJson(['values', 'auc'], ws);
    assert.deepEqual(values.rows.map((r: { notebook: string }) => r.notebook), ['models.ipynb', 'models.ipynb', 'models.ipynb', 'other.ipynb']);
    const frames = nbprov(['values', 'X'], ws);
    assert.match(frames.stdout, /^ {2}other +other\.ipynb +\S+ \S+ +#[0-9a-f]{8} /m, frames.stdout);

    assert.equal(nbprov(['plot', 'auc', '--out', 'auc.svg'], ws).code, 0);
    const svg = readFileSync(path.join(ws, 'auc.svg'), 'utf8');
    assert.equal(svg.match(/class="series-line"/g)?.length, 2, 'one line per notebook');
    assert.match(svg, />other\.ipynb</);

    const table = nbprov(['trials'], ws, 60_000, { COLUMNS: '100' });
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    for (const line of lines) assert.ok([...line].length <= 100, `wider than 100: ${line}`);
    assert.match(lines[0], /^trial +created +notebook +learning_rate +n_estimators /, 'parameter columns kept');
    assert.match(table.stdout, /^other +\S+ \S+ +other\.ipynb +0\.3 +10 /m);
    assert.match(table.stdout, /not shown to fit 100 columns: .*\blr\b/);
  });

  test('PROV-JSON of the real session: no dangling or duplicated records, per-name derivations, loaded by python3-prov', () => {
    const result = nbprov(['export', '--format', 'prov-json'], ws, 120_000);
    assert.equal(result.code, 0, result.stderr);
    const doc = parseSingleJson(result.stdout) as ProvDocument;
    assert.deepEqual(checkProvDocument(doc), []);
    const executions = nbprovJson(['export', '--format', 'json'], ws).executions as { id: string; cellId: string; sessionId: string }[];
    const activities = Object.keys(doc.activity);
    assert.equal(activities.length, executions.length, 'an activity per execution');
    assert.equal(executions.filter((e) => e.cellId === 'c4').length, 4, 'four runs of the evaluation cell');
    assert.ok(Object.values(doc.activity).some((a) => a['nbprov:stage'] === 'evaluation'));

    // The training and evaluation cells read values made before them, and used says so.
    const usedBy = new Set(Object.values(doc.used).map((u) => u['prov:activity']));
    for (const e of executions) if (e.cellId === 'c3' || e.cellId === 'c4') assert.ok(usedBy.has(`nbprov:execution/${encodeURIComponent(e.id)}`), `execution ${e.id} (${e.cellId}) has no used`);

    // auc comes from gb (not lr), auc_lr from lr (not gb): derivations per name, not per cell.
    const derivedFrom = (entity: string) => Object.values(doc.wasDerivedFrom).filter((d) => d['prov:generatedEntity'] === entity).map((d) => String(d['prov:usedEntity']));
    const aucs = Object.keys(doc.entity).filter((id) => id.endsWith('/auc'));
    assert.ok(aucs.length >= 4);
    for (const auc of aucs) {
      const sources = derivedFrom(auc);
      assert.ok(sources.some((s) => s.endsWith('/gb')), `${auc} not derived from gb: ${sources.join(', ')}`);
      assert.ok(!sources.some((s) => s.endsWith('/lr')), `${auc} derived from lr`);
      assert.ok(!sources.some((s) => s.endsWith('/auc_lr')), `${auc} derived from auc_lr`);
    }
    const trial = doc.entity[`nbprov:trial/${encodeURIComponent(ids.base)}`];
    assert.equal(trial['nbprov:stages'], '["data-reading","model-training","evaluation"]');
    assert.match(String(trial['nbprov:packages']), /sklearn|scikit/);

    const counts = loadWithPythonProv(doc);
    assert.equal(counts.ProvActivity, activities.length);
    assert.equal(counts.ProvEntity, Object.keys(doc.entity).length);
    assert.equal(counts.ProvUsage, Object.keys(doc.used).length);
    assert.equal(counts.ProvDerivation, Object.keys(doc.wasDerivedFrom).length);
    assert.equal(counts.ProvGeneration, Object.keys(doc.wasGeneratedBy).length);
  });
});
