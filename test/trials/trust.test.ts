// Issue 12, diff side: model verdicts, effective parameters, dtype columns, unique trial names and
// stages in the operation order — on recorded values built here (the real-kernel runs are in
// test/cli/trials-trust.test.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionRecord } from '../../src/core/records';
import { openStore } from '../../src/core/store';
import { buildTrial } from '../../src/core/trials/buildTrial';
import { compareTrials } from '../../src/core/trials/compare';
import { TrialNameTakenError } from '../../src/core/trials/errors';
import { formatTrialDiff } from '../../src/core/trials/formatDiff';
import { checkTrialRename, renameTrialUnique, uniqueTrialName } from '../../src/core/trials/names';
import { operationListing, operationOrderDiff } from '../../src/core/trials/operationOrder';
import { compareValues } from '../../src/core/trials/valueDiff';
import { op, trial, value } from './helpers';

const GB = 'sklearn.ensemble._gb.GradientBoostingClassifier';
const model = (params: Record<string, number | string | null>, hash?: string) => value('model', { role: 'model', type: GB, repr: 'GradientBoostingClassifier()', params, ...(hash ? { hash } : {}) });

describe('models compared by what defines them', () => {
  test('changed hyperparameters are named old → new, in the JSON and in the text', () => {
    const c = compareValues(model({ n_estimators: 100, learning_rate: 0.1, max_depth: 3 }, 'h1'), model({ n_estimators: 50, learning_rate: 0.1, max_depth: 5 }, 'h2'));
    assert.equal(c.equal, false);
    assert.deepEqual(c.model, { verdict: 'hyperparameters changed', hyperparameters: [{ name: 'max_depth', a: 3, b: 5 }, { name: 'n_estimators', a: 100, b: 50 }] });
    const a = trial('a', { tagged: { model: model({ n_estimators: 100, max_depth: 3 }, 'h1') } });
    const b = trial('b', { tagged: { model: model({ n_estimators: 50, max_depth: 3 }, 'h2') } });
    const text = formatTrialDiff(compareTrials(a, b));
    assert.match(text, /^model .*changed, hyperparameters n_estimators 100 → 50$/m);
    assert.doesNotMatch(text, /by hash/);
  });

  test('same hyperparameters and same fitted-state hash: "same model", equal', () => {
    const c = compareValues(model({ n_estimators: 100 }, 'h1'), model({ n_estimators: 100 }, 'h1'));
    assert.deepEqual([c.equal, c.model?.verdict, c.model?.hyperparameters], [true, 'same model', []]);
    const text = formatTrialDiff(compareTrials(trial('a', { tagged: { model: model({ n_estimators: 100 }, 'h1') } }), trial('b', { tagged: { model: model({ n_estimators: 100 }, 'h1') } })));
    assert.match(text, /^model .*equal, same model$/m);
  });

  test('same hyperparameters, another fitted-state hash: said in those words, not "changed by hash"', () => {
    const c = compareValues(model({ n_estimators: 100 }, 'h1'), model({ n_estimators: 100 }, 'h2'));
    assert.deepEqual([c.equal, c.model?.verdict], [false, 'same hyperparameters, different fitted state']);
    const text = formatTrialDiff(compareTrials(trial('a', { tagged: { model: model({ n_estimators: 100 }, 'h1') } }), trial('b', { tagged: { model: model({ n_estimators: 100 }, 'h2') } })));
    assert.match(text, /changed, same hyperparameters, different fitted state/);
  });

  test('a hyperparameter present on one side only shows — on the other', () => {
    const c = compareValues(model({ n_estimators: 100 }, 'h1'), model({ n_estimators: 100, warm_start: 'auto' }, 'h1'));
    assert.deepEqual(c.model?.hyperparameters, [{ name: 'warm_start', b: 'auto' }]);
    assert.equal(c.equal, false);
  });

  test('no fitted-state hash on a side: judged by class and hyperparameters, with a note', () => {
    const c = compareValues(model({ n_estimators: 100 }), model({ n_estimators: 100 }, 'h1'));
    assert.deepEqual([c.equal, c.model?.verdict], [true, 'same hyperparameters']);
    assert.match(c.note ?? '', /no fitted-state hash/);
  });
});

describe('dtype changes name the column', () => {
  test('data frames: each column whose dtype changed, old → new', () => {
    const frame = (dtype: Record<string, string>) => value('df', { role: 'dataset', type: 'pandas.core.frame.DataFrame', repr: 'df', hash: JSON.stringify(dtype), columns: Object.keys(dtype), dtype });
    const c = compareValues(frame({ V1: 'float64', Amount: 'float64', Class: 'int64' }), frame({ V1: 'float64', Amount: 'object', Class: 'int64' }));
    assert.deepEqual(c.dtypes, [{ column: 'Amount', a: 'float64', b: 'object' }]);
    const text = formatTrialDiff(compareTrials(trial('a', { tagged: { df: frame({ V1: 'float64', Amount: 'float64' }) } }), trial('b', { tagged: { df: frame({ V1: 'int64', Amount: 'object' }) } })));
    assert.match(text, /dtype V1 float64 → int64, dtype Amount float64 → object/);
  });

  test('arrays: the one dtype, old → new', () => {
    const arr = (dtype: string) => value('X', { type: 'numpy.ndarray', repr: 'array', hash: dtype, shape: [3], dtype });
    assert.deepEqual(compareValues(arr('int64'), arr('float64')).dtypes, [{ a: 'int64', b: 'float64' }]);
  });
});

function execution(id: string, cellId: string, cellIndex: number | null, code: string, values: ExecutionRecord['values']): ExecutionRecord {
  return { id, sessionId: 's', notebookPath: 'nb.ipynb', cellId, cellIndex, language: 'python', code, executionCount: null, success: true, startedAt: '2024-05-01T10:00:00Z', durationMs: 1, values, files: [] };
}

/** A run of a notebook whose parameters cell sets n_components = 10 and seed = 0, with `injected` on top. */
function runTrial(id: string, injected: Record<string, number>) {
  const executions = [
    execution(`${id}-p`, 'params', 0, 'n_components = 10\nseed = 0\nimport math', [
      { name: 'n_components', type: 'int', repr: '10', value: 10 },
      { name: 'seed', type: 'int', repr: '0', value: 0 },
      { name: 'math', type: 'module', repr: "<module 'math'>" },
    ]),
    ...(Object.keys(injected).length
      ? [execution(`${id}-i`, 'injected-parameters', null, Object.entries(injected).map(([k, v]) => `${k} = ${v}`).join('\n'), Object.entries(injected).map(([k, v]) => ({ name: k, type: 'int', repr: String(v), value: v })))]
      : []),
    execution(`${id}-f`, 'fit', 1, 'auc = fit(n_components, seed)', [{ name: 'auc', type: 'float', repr: '0.9', value: 0.9 }]),
  ];
  return buildTrial({
    id, name: id, note: null, notebookPath: 'nb.ipynb', createdAt: '2024-05-01T11:00:00Z', sessionId: 's', params: injected,
    tags: { auc: 'metric' }, executions, environment: null, parametersCellId: 'params',
    slices: { auc: { executionIds: [`${id}-f`], operations: [{ executionId: `${id}-f`, line: 1, code: 'auc = fit(n_components, seed)', defines: ['auc'] }] } },
    stages: { params: 'setup', fit: 'model-training' },
  });
}

describe('effective parameters', () => {
  test("a trial records every parameter's value and source: the parameters cell's own, or injected (modules left out)", () => {
    const t = runTrial('t', { n_components: 16 });
    assert.deepEqual(t.effectiveParams, {
      n_components: { value: 16, repr: '16', source: 'injected' },
      seed: { value: 0, repr: '0', source: 'notebook' },
    });
  });

  test('a diff shows "10 (notebook)" against "16 (injected)", never "—"', () => {
    const diff = compareTrials(runTrial('base', {}), runTrial('wide', { n_components: 16 }));
    const nc = diff.params.find((p) => p.name === 'n_components');
    assert.deepEqual(nc, { name: 'n_components', a: 10, b: 16, equal: false, sourceA: 'notebook', reprA: '10', sourceB: 'injected', reprB: '16' });
    assert.equal(diff.params.find((p) => p.name === 'seed')?.equal, true);
    const text = formatTrialDiff(diff);
    assert.match(text, /^ {2}n_components +10 \(notebook\) +16 \(injected\) +changed$/m);
    assert.doesNotMatch(text.split('Parameters')[1], /—/);
  });

  test('trials saved before effective parameters were recorded fall back to injected, then tagged param values', () => {
    const old = trial('old', { params: { n: 5 }, tagged: { depth: value('depth', { role: 'param', value: 3 }), n: value('n', { role: 'param', value: 5 }) } });
    const diff = compareTrials(old, old);
    assert.deepEqual(diff.params.map((p) => [p.name, p.a, p.sourceA]), [['n', 5, 'injected'], ['depth', 3, 'notebook']]);
  });
});

describe('stages in the operation order', () => {
  test('operations are grouped under their stage, and a diff shows the stage lines', () => {
    const t = runTrial('t', {});
    assert.deepEqual(t.executions.map((e) => e.stage ?? null), [null, 'model-training'].slice(-t.executions.length));
    const staged = trial('s', {
      lineage: { auc: [op('e1', 1, 1, 'df = load()', ['df']), op('e2', 2, 1, 'auc = fit(df)', ['auc'])] },
      executions: [
        { id: 'e1', cellId: 'c1', cellIndex: 1, executionCount: 1, code: '', stage: 'data-reading' },
        { id: 'e2', cellId: 'c2', cellIndex: 2, executionCount: 2, code: '', stage: 'evaluation' },
      ],
    });
    assert.equal(operationListing(staged), '── stage: data-reading ──\n[cell 1] df = load()\n── stage: evaluation ──\n[cell 2] auc = fit(df)\n');
    const moved = { ...staged, id: 's2', executions: staged.executions.map((e) => ({ ...e, stage: 'sampling' })) };
    const order = operationOrderDiff(staged, moved);
    assert.match(order, /^-── stage: data-reading ──$/m);
    assert.match(order, /^\+── stage: sampling ──$/m);
  });

  test('trials without stages list operations as before (no stage lines)', () => {
    const plain = trial('p', { lineage: { auc: [op('e1', 1, 1, 'auc = 1', ['auc'])] } });
    assert.equal(operationListing(plain), '[cell 1] auc = 1\n');
  });
});

describe('unique trial names', () => {
  const trials = [{ id: 'id-1', name: 'baseline' }, { id: 'id-2', name: 'baseline (2)' }, { id: 'id-3', name: null }];

  test('a new trial whose name is taken gets the first free suffix, and is told which trial had it', () => {
    assert.deepEqual(uniqueTrialName(trials, 'baseline'), { name: 'baseline (3)', takenBy: trials[0] });
    assert.deepEqual(uniqueTrialName(trials, 'wide'), { name: 'wide' });
    assert.deepEqual(uniqueTrialName(trials, null), { name: null });
  });

  test('a rename onto another trial’s name is refused, naming that trial; its own name or none is fine', () => {
    assert.throws(() => checkTrialRename(trials, 'id-3', 'baseline'), (e: unknown) => e instanceof TrialNameTakenError && e.code === 'trial-name-taken' && /"baseline" is taken by trial id-1/.test(e.message));
    assert.doesNotThrow(() => checkTrialRename(trials, 'id-1', 'baseline'));
    assert.doesNotThrow(() => checkTrialRename(trials, 'id-1', null));
  });

  test('renameTrialUnique on a real store: the refused rename changes nothing', async () => {
    const ws = mkdtempSync(path.join(os.tmpdir(), 'nbprov-names-'));
    try {
      const store = await openStore(ws);
      store.saveTrial(trial('t-a', { name: 'baseline' }));
      store.saveTrial(trial('t-b', { name: 'wide', createdAt: '2024-05-02T10:00:00.000Z' }));
      assert.throws(() => renameTrialUnique(store, 't-b', 'baseline'), TrialNameTakenError);
      assert.deepEqual(store.listTrials().map((t) => t.name), ['baseline', 'wide']);
      assert.equal(renameTrialUnique(store, 't-b', 'deeper'), true);
      assert.equal(renameTrialUnique(store, 'missing', 'x'), false);
      assert.deepEqual(store.listTrials().map((t) => t.name), ['baseline', 'deeper']);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('output fit to the width', () => {
  test('a diff at 100 columns keeps every line within 100 and the verdict whole; the descriptions are cut first', () => {
    const frame = (hash: string) => value('features_after_svd_projection', { role: 'dataset', type: 'pandas.core.frame.DataFrame', repr: 'df', hash, shape: [284807, 31], dtype: 'float64' });
    const a = trial('a-trial-with-a-long-name', { tagged: { features_after_svd_projection: frame('aaaaaaaa11'), model: model({ n_estimators: 100 }, 'h1') } });
    const b = trial('b-trial-with-a-long-name', { tagged: { features_after_svd_projection: frame('bbbbbbbb22'), model: model({ n_estimators: 100 }, 'h2') } });
    const text = formatTrialDiff(compareTrials(a, b), { width: 100 });
    for (const line of text.split('\n')) assert.ok([...line].length <= 100, `too wide (${[...line].length}): ${line}`);
    assert.match(text, /changed, same hyperparameters, different fitted state$/m);
  });
});

describe('series across notebooks', () => {
  test('a plot draws one line per notebook (never one joining both), and complex values are labelled with their short hash', async () => {
    const { renderSeriesSvg } = await import('../../src/core/trials/plot');
    const { valueSeries } = await import('../../src/core/trials/series');
    const at = (d: number) => `2024-05-0${d}T10:00:00.000Z`;
    const t = (id: string, nb: string, d: number, auc: number) => trial(id, { notebookPath: nb, createdAt: at(d), tagged: { auc: value('auc', { value: auc, type: 'float' }) } });
    const series = valueSeries([t('a1', 'a.ipynb', 1, 0.8), t('b1', 'b.ipynb', 2, 0.7), t('a2', 'a.ipynb', 3, 0.85), t('b2', 'b.ipynb', 4, 0.75)], 'auc');
    assert.deepEqual(series.rows.map((r) => r.notebook), ['a.ipynb', 'b.ipynb', 'a.ipynb', 'b.ipynb']);
    const svg = renderSeriesSvg(series);
    assert.equal(svg.match(/class="series-line"/g)?.length, 2, 'one line per notebook');
    assert.match(svg, />a\.ipynb</);
    assert.match(svg, />b\.ipynb</);
    const frames = valueSeries([
      trial('f1', { createdAt: at(1), tagged: { df: value('df', { type: 'pandas.core.frame.DataFrame', repr: '   V1\n0  1', hash: 'aaaa1111ffff' }) } }),
      trial('f2', { createdAt: at(2), tagged: { df: value('df', { type: 'pandas.core.frame.DataFrame', repr: '   V1\n0  1', hash: 'bbbb2222ffff' }) } }),
    ], 'df');
    const framesSvg = renderSeriesSvg(frames);
    assert.match(framesSvg, /#aaaa1111/);
    assert.match(framesSvg, /#bbbb2222/);
  });
});
