/**
 * The panels fed by the host's own builders from a real store (and a lineage from the real
 * analyser over a recorded history), rendered in Chromium: what a user sees after a few trials of
 * a fraud-detection notebook. The screenshots are the README's.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAnalyzer } from '../../src/core/analysis';
import { parseNotebook } from '../../src/core/notebook/ipynb';
import { notebookLineage } from '../../src/core/notebookLineage';
import type { Trial, TrialValue } from '../../src/core/records';
import { openStore, type Store } from '../../src/core/store';
import { buildAcrossTrialsPayload } from '../../src/extension/panels/acrossTrialsPayload';
import { buildLineagePayload } from '../../src/extension/panels/lineagePayload';
import { buildTrialDiffPayload } from '../../src/extension/panels/trialDiffPayload';
import { PROTOCOL_VERSION } from '../../src/shared/protocol';
import { execution, session, tempWorkspace } from '../store/fixtures';
import { ARTIFACTS, launch, openPanel, send, type PanelBrowser } from './browser';
import { webviewBundles } from './bundles';

const NB = 'fraud/fraud.ipynb';
const CELLS = [
  'import pandas as pd\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.metrics import roc_auc_score',
  'n_estimators = 200\nthreshold = 0.5',
  'df = pd.read_csv("creditcard.csv")\nX = df.drop(columns=["Class"])\ny = df["Class"]',
  'model = RandomForestClassifier(n_estimators=n_estimators, random_state=0)\nmodel.fit(X, y)',
  'auc = roc_auc_score(y, model.predict_proba(X)[:, 1])',
];

function value(name: string, role: string, fields: Partial<TrialValue>): TrialValue {
  return { name, role, type: 'float', repr: String(fields.value ?? name), ...fields };
}

function fraudTrial(i: number, n: number, auc: number, rows: number): Trial {
  return {
    id: `trial-${i}`,
    name: `rf-${n}${i === 4 ? '-more-data' : ''}`,
    note: null,
    notebookPath: NB,
    createdAt: new Date(Date.UTC(2026, 10, 28 + Math.floor(i / 3), 9 + i * 2, 15)).toISOString(),
    sessionId: `s${i}`,
    params: { n_estimators: n },
    tagged: {
      n_estimators: value('n_estimators', 'param', { type: 'int', value: n, repr: String(n) }),
      threshold: value('threshold', 'param', { value: 0.5 }),
      auc: value('auc', 'metric', { value: auc }),
      model: value('model', 'model', { type: 'sklearn.ensemble.RandomForestClassifier', repr: `RandomForestClassifier(n_estimators=${n}, random_state=0)`, params: { n_estimators: n, random_state: 0, max_depth: null } }),
      X: value('X', 'dataset', { type: 'pandas.core.frame.DataFrame', repr: `DataFrame ${rows}×30`, shape: [rows, 30], dtype: { Time: 'float64', Amount: 'float64' }, hash: rows === 2000 ? '9f2c4e11aa03b7d2' : '41d07be39c55e810' }),
    },
    lineage: {
      auc: CELLS.slice(1).map((code, k) => ({ executionId: `e${i}-${k}`, cellId: `c${k + 1}`, cellIndex: k + 1, line: 1, code: k === 0 ? `n_estimators = ${n}` : code.split('\n')[0], defines: [] })),
    },
    executions: CELLS.map((code, k) => ({ id: `e${i}-${k}`, cellId: `c${k}`, cellIndex: k, executionCount: k + 1, code })),
    files: [{ path: 'creditcard.csv', mode: 'r', kind: 'read', hashBefore: rows === 2000 ? 'c0ffee0012345678' : 'beef00aa87654321' }],
    environment: { language: 'python', languageVersion: '3.11.2', packages: { pandas: '2.1.4', 'scikit-learn': i === 4 ? '1.4.2' : '1.3.2', numpy: '1.26.4' } },
  };
}

let pb: PanelBrowser;
let store: Store;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  pb = await launch();
});
after(async () => {
  store?.close();
  await pb?.close();
});

const shot = (page: import('playwright-core').Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });

describe('Panels with data from a real store', () => {
  it('trial diff, across trials and lineage show what the store holds', async (t) => {
    store = await openStore(tempWorkspace(t));
    const specs: [number, number, number][] = [[50, 0.912, 2000], [100, 0.931, 2000], [200, 0.947, 2000], [400, 0.951, 2000], [400, 0.958, 4000], [800, 0.953, 4000]];
    specs.forEach(([n, auc, rows], i) => store.saveTrial(fraudTrial(i, n, auc, rows)));
    const bundles = await webviewBundles();
    const errors: string[] = [];

    const diffPage = await openPanel(pb, bundles, 'trialDiff', errors);
    await send(diffPage, { type: 'trialDiff', version: PROTOCOL_VERSION, data: buildTrialDiffPayload(store.getTrial('trial-3')!, store.getTrial('trial-4')!) });
    await diffPage.waitForSelector('table');
    const diffText = await diffPage.locator('body').innerText();
    for (const expected of ['rf-400', 'rf-400-more-data', '+0.007', 'shape (2000, 30)', 'shape (4000, 30)', 'scikit-learn', 'creditcard.csv']) assert.ok(diffText.includes(expected), `diff shows ${expected}`);
    await shot(diffPage, 'readme-trial-diff');

    const acrossPage = await openPanel(pb, bundles, 'acrossTrials', errors);
    const across = buildAcrossTrialsPayload(store, 'auc');
    assert.ok('payload' in across);
    await send(acrossPage, { type: 'acrossTrials', version: PROTOCOL_VERSION, data: across.payload });
    await acrossPage.waitForSelector('svg.chart circle.point');
    assert.equal(await acrossPage.locator('svg.chart circle.point').count(), 6);
    await acrossPage.locator('svg.chart circle.point[data-index="4"]').hover();
    await acrossPage.locator('.hover-card').waitFor({ state: 'visible' });
    assert.match(await acrossPage.locator('.hover-card').innerText(), /n_estimators = 400/);
    await shot(acrossPage, 'readme-across-trials');

    const analyzer = await createAnalyzer();
    store.addSession(session('live', { notebookPath: NB }));
    CELLS.forEach((code, k) =>
      store.addExecution(execution(`x${k}`, { sessionId: 'live', notebookPath: NB, cellId: `c${k}`, cellIndex: k, code, executionCount: k + 1, startedAt: new Date(Date.UTC(2026, 11, 1, 10, k)).toISOString(), values: k === 4 ? [value('auc', 'metric', { value: 0.953 })] : k === 1 ? [value('n_estimators', 'param', { type: 'int', value: 800, repr: '800' })] : [] })),
    );
    store.addExecution(execution('x5', { sessionId: 'live', notebookPath: NB, cellId: 'c1', cellIndex: 1, code: 'n_estimators = 1000\nthreshold = 0.5', executionCount: 6, startedAt: new Date(Date.UTC(2026, 11, 1, 10, 9)).toISOString() }));
    const notebook = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: CELLS.map((source, k) => ({ cell_type: 'code', id: `c${k}`, source, metadata: {}, execution_count: k + 1, outputs: [] })) }), NB);
    const lineage = buildLineagePayload(notebookLineage({ notebook, notebookKey: NB, store, analyzer }), NB, 'auc');
    const lineagePage = await openPanel(pb, bundles, 'lineage', errors);
    await send(lineagePage, { type: 'lineage', version: PROTOCOL_VERSION, data: lineage });
    await lineagePage.waitForSelector('g.node');
    assert.equal(await lineagePage.locator('g.node').count(), 5);
    assert.equal(await lineagePage.locator('g.node.stale').count(), 1, 'the model cell read n_estimators before it was changed');
    await shot(lineagePage, 'readme-lineage');
    assert.deepEqual(errors, []);
  });
});
