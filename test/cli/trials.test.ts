// Integration: the demo notebook run three times in a real kernel through the built CLI, then every
// trial verb checked against the values the kernel actually produced (as each `run --json` reported).
// The tests share one workspace and run in order: each builds on the runs before it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { csvParse } from 'd3-dsv';
import { assertUsageError, ensureBuilt, fraudWorkspace, nbprov, nbprovJson, parseSingleJson, removeWorkspace } from './helpers';

interface TaggedValue {
  type: string;
  repr: string;
  value?: unknown;
  hash?: string;
}
interface RunDocument {
  trial: { id: string; name: string };
  executions: number;
  tagged: Record<string, TaggedValue>;
}

const PARAMS = [
  { trial: 't1', n_estimators: 30, max_depth: 3 },
  { trial: 't2', n_estimators: 60, max_depth: 5 },
  { trial: 't3', n_estimators: 90, max_depth: 8 },
];

let ws: string;
let originalNotebook: string;
const runs: RunDocument[] = [];

function runFraud(p: (typeof PARAMS)[number], extra: string[] = []): RunDocument {
  const args = ['run', 'fraud.ipynb', '--param', `n_estimators=${p.n_estimators}`, '--param', `max_depth=${p.max_depth}`, '--trial', p.trial, ...extra];
  return nbprovJson(args, ws, 120_000) as RunDocument;
}

function numeric(v: TaggedValue | undefined): number {
  assert.ok(v, 'value missing');
  assert.equal(typeof v.value, 'number', `not a number: ${JSON.stringify(v)}`);
  return v.value as number;
}

before(() => {
  ensureBuilt();
  ws = fraudWorkspace('trials');
  originalNotebook = readFileSync(path.join(ws, 'fraud.ipynb'), 'utf8');
});
after(() => removeWorkspace(ws));

describe('nbprov run ×3, then trials, diff, values, plot, export', () => {
  test('three runs with different parameters each save a trial with the tagged values', () => {
    for (const [i, p] of PARAMS.entries()) {
      const doc = runFraud(p, i === 2 ? ['--output', 'out.ipynb'] : []);
      runs.push(doc);
      assert.equal(doc.trial.name, p.trial);
      assert.match(doc.trial.id, /\S/);
      assert.equal(doc.executions, 8, '7 code cells and the injected parameters cell');
      assert.deepEqual(Object.keys(doc.tagged).sort(), ['auc', 'df', 'f1', 'max_depth', 'model', 'n_components', 'n_estimators', 'normal_per_fraud']);
      assert.equal(doc.tagged.n_estimators.value, p.n_estimators);
      assert.equal(doc.tagged.max_depth.value, p.max_depth);
      const auc = numeric(doc.tagged.auc);
      assert.ok(auc > 0.5 && auc <= 1, `auc ${auc}`);
      assert.ok(numeric(doc.tagged.f1) > 0);
      assert.match(doc.tagged.model.repr, new RegExp(`n_estimators=${p.n_estimators}`));
      assert.match(doc.tagged.df.hash ?? '', /^[0-9a-f]{8,}$/);
    }
    // Different forests score differently: the comparisons below have something to find.
    assert.notEqual(runs[0].tagged.auc.value, runs[1].tagged.auc.value);
  });

  test('run --output writes the executed notebook with outputs and the injected cell; the input is unchanged', () => {
    assert.equal(readFileSync(path.join(ws, 'fraud.ipynb'), 'utf8'), originalNotebook);
    const executed = JSON.parse(readFileSync(path.join(ws, 'out.ipynb'), 'utf8'));
    assert.equal(executed.nbformat, 4);
    const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
    const source = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join('') : c.source);
    const injected = code.filter((c: { source: string | string[] }) => /n_estimators = 90/.test(source(c)) && /max_depth = 8/.test(source(c)));
    assert.equal(injected.length, 1, 'one injected parameters cell');
    const last = code.at(-1);
    const text = JSON.stringify(last.outputs);
    assert.match(text, /ROC AUC = /);
    assert.ok(code.every((c: { execution_count: number | null }) => typeof c.execution_count === 'number'), 'every code cell ran');
    // The parameters cell keeps its defaults; the injected cell follows it.
    const paramsIndex = code.findIndex((c: { source: string | string[] }) => /n_estimators = 100/.test(source(c)));
    assert.ok(paramsIndex >= 0);
    assert.equal(code.indexOf(injected[0]), paramsIndex + 1);
  });

  test('trials --json lists the three trials with the tagged values each run reported', () => {
    const doc = nbprovJson(['trials'], ws);
    assert.deepEqual(doc.trials.map((t: { name: string }) => t.name), ['t1', 't2', 't3']);
    for (const [i, trial] of doc.trials.entries()) {
      assert.equal(trial.id, runs[i].trial.id);
      assert.equal(trial.notebook, 'fraud.ipynb');
      assert.ok(!Number.isNaN(Date.parse(trial.createdAt)));
      for (const name of ['auc', 'f1', 'model', 'df']) assert.ok(name in trial.tagged, `${trial.name} lacks ${name}`);
      assert.equal(trial.tagged.auc.value, runs[i].tagged.auc.value);
      assert.equal(trial.tagged.f1.value, runs[i].tagged.f1.value);
      assert.equal(trial.tagged.df.hash, runs[i].tagged.df.hash);
    }
    const times = doc.trials.map((t: { createdAt: string }) => Date.parse(t.createdAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });

  test('diff t1 t2 --json: the kernel values on both sides, changed parameters and model, same data', () => {
    const doc = nbprovJson(['diff', 't1', 't2'], ws);
    const entry = (name: string) => {
      const e = doc.common.find((c: { name: string }) => c.name === name);
      assert.ok(e, `${name} not in common`);
      return e;
    };
    for (const name of ['auc', 'f1']) {
      assert.equal(entry(name).a.value, runs[0].tagged[name].value);
      assert.equal(entry(name).b.value, runs[1].tagged[name].value);
    }
    assert.equal(entry('auc').equal, false);
    assert.equal(entry('n_estimators').equal, false);
    assert.equal(entry('n_estimators').a.value, 30);
    assert.equal(entry('n_estimators').b.value, 60);
    assert.equal(entry('max_depth').equal, false);
    assert.equal(entry('model').equal, false);
    assert.equal(entry('df').equal, true, 'same CSV, same data frame hash');
    assert.equal(entry('n_components').equal, true);
    assert.deepEqual(doc.onlyA, []);
    assert.deepEqual(doc.onlyB, []);
    assert.equal(doc.order, undefined, 'no order diff unless asked');
  });

  test('diff --order shows the changed injected parameter lines', () => {
    const doc = nbprovJson(['diff', 't1', 't2', '--order'], ws);
    assert.equal(typeof doc.order, 'string');
    const lines: string[] = doc.order.split('\n');
    assert.ok(lines.some((l) => l.startsWith('-') && l.includes('n_estimators = 30')), doc.order);
    assert.ok(lines.some((l) => l.startsWith('+') && l.includes('n_estimators = 60')), doc.order);
    assert.ok(lines.some((l) => l.startsWith('-') && l.includes('max_depth = 3')), doc.order);
    assert.ok(lines.some((l) => l.startsWith('+') && l.includes('max_depth = 5')), doc.order);
    // Unchanged statements are not reported as changes.
    assert.ok(!lines.some((l) => /^[-+][^-+]/.test(l) && l.includes('read_csv')), doc.order);
  });

  test('diff with an unknown trial suggests the closest (exit 2)', () => {
    assertUsageError(nbprov(['diff', 't1', 't9', '--json'], ws), /t9.*t1/);
  });

  test('values auc --json: one row per trial, in trial order, with the run-reported values', () => {
    const doc = nbprovJson(['values', 'auc'], ws);
    assert.equal(doc.variable, 'auc');
    assert.deepEqual(doc.rows.map((r: { trial: string }) => r.trial), ['t1', 't2', 't3']);
    assert.deepEqual(doc.rows.map((r: { value: number }) => r.value), runs.map((r) => r.tagged.auc.value));
    for (const row of doc.rows) {
      assert.ok(!Number.isNaN(Date.parse(row.createdAt)));
      assert.equal(Number(row.repr), row.value);
    }
  });

  test('values auc --csv parses, with the same values', () => {
    const result = nbprov(['values', 'auc', '--csv'], ws);
    assert.equal(result.code, 0, result.stderr);
    const rows = csvParse(result.stdout);
    assert.equal(rows.length, 3);
    assert.ok(rows.columns.includes('value'));
    assert.deepEqual(rows.map((r) => Number(r.value)), runs.map((r) => r.tagged.auc.value));
  });

  test('values of an untagged variable lists the tagged ones', () => {
    assertUsageError(nbprov(['values', 'explained', '--json'], ws), /explained.*auc/);
  });

  test('plot auc --out writes an SVG naming the trials', () => {
    const result = nbprov(['plot', 'auc', '--out', 'auc.svg'], ws);
    assert.equal(result.code, 0, result.stderr);
    const svg = readFileSync(path.join(ws, 'auc.svg'), 'utf8');
    assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
    assert.match(svg, /<\/svg>\s*$/);
    assert.match(svg, /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const name of ['t1', 't2', 't3']) assert.match(svg, new RegExp(`>${name}<`));
  });

  test('export: JSON holds every execution, CSV parses, PROV-JSON has entities, activities, generation', () => {
    const json = nbprovJson(['export', '--format', 'json'], ws);
    assert.equal(json.trials.length, 3);
    assert.equal(json.executions.length, 24);
    assert.equal(json.executions.filter((e: { cellId: string }) => e.cellId === 'injected-parameters').length, 3);

    const csv = nbprov(['export', '--format', 'csv'], ws);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csvParse(csv.stdout).length, 3 * 8, 'a row per trial and tagged variable');

    const prov = parseSingleJson(nbprov(['export', '--format', 'prov-json'], ws).stdout) as Record<string, Record<string, unknown>>;
    for (const key of ['entity', 'activity', 'wasGeneratedBy', 'used']) {
      assert.ok(prov[key] && Object.keys(prov[key]).length > 0, `${key} is empty`);
    }
    assert.ok(Object.keys(prov.activity).length >= 24, 'an activity per execution');

    const out = nbprov(['export', '--format', 'prov-json', '--out', 'prov.json'], ws);
    assert.equal(out.code, 0, out.stderr);
    assert.ok(existsSync(path.join(ws, 'prov.json')));
    assert.ok('wasGeneratedBy' in (JSON.parse(readFileSync(path.join(ws, 'prov.json'), 'utf8')) as object));
  });

  test('lineage now follows the recorded history, injected parameters included, with kernel values', () => {
    const doc = nbprovJson(['lineage', 'fraud.ipynb', 'auc', '--operations'], ws);
    assert.equal(doc.history, 'recorded');
    assert.ok(doc.executions.some((e: { cellId: string }) => e.cellId === 'injected-parameters'));
    assert.deepEqual(doc.cells.filter((c: number | null) => c !== null), [1, 2, 3, 4, 5, 6, 7]);
    const op = (code: string) => doc.operations.find((o: { code: string }) => o.code === code);
    assert.equal(op('auc = roc_auc_score(y_test, scores)')?.value?.value, runs[2].tagged.auc.value);
    assert.equal(op('n_estimators = 90')?.value?.value, 90, 'the injected value, from the last run');
    assert.equal(op('n_estimators = 100'), undefined, 'the overridden default does not feed auc');

    // --global: every execution that defined auc, one per recorded run.
    const global = nbprovJson(['lineage', 'fraud.ipynb', 'auc', '--global'], ws);
    assert.equal(global.executions.filter((e: { cellId: string }) => e.cellId === 'fraud-7').length, 3);
    assert.equal(global.executions.filter((e: { cellId: string }) => e.cellId === 'injected-parameters').length, 3);

    const text = nbprov(['lineage', 'fraud.ipynb', 'auc'], ws);
    assert.match(text.stdout, /recorded history/);
    assert.match(text.stdout, /injected .*n_estimators = 90/);
  });

  test("re-running t1's parameters reproduces t1's values exactly", () => {
    const again = runFraud({ trial: 't1-again', n_estimators: 30, max_depth: 3 });
    assert.equal(again.tagged.auc.value, runs[0].tagged.auc.value);
    const doc = nbprovJson(['diff', 't1', 't1-again', '--order'], ws);
    for (const entry of doc.common) assert.equal(entry.equal, true, `${entry.name} changed: ${JSON.stringify([entry.a.repr, entry.b.repr])}`);
    assert.ok(!doc.order.split('\n').some((l: string) => /^[-+][^-+]/.test(l)), `no changed statement:\n${doc.order}`);
  });
});
