import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trialFromSession } from '../../src/core/trials';
import { buildHover } from '../../src/extension/content/hover';
import { emptyStore, liveNotebook, liveNotebookView, NOTEBOOK_KEY, num, record, sharedAnalyzer, snapshot } from './helpers';

const CELLS = [
  { source: 'n = 10' },
  { source: 'data = list(range(n))' },
  { source: 'total = sum(data)\nmean = total / n' },
  { source: 'auc = mean * 0.01', tags: ['stage:evaluation'] },
];

/** The text a reader sees: Markdown escapes removed. */
const rendered = (markdown: string | null) => (markdown ?? '').replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1');

const request = (name: string, cellIndex: number) => ({ name, cellIndex, notebookUri: 'file:///ws/nb.ipynb', previewLength: 120 });

test('hover of a recorded variable: value, producing execution with stage, upstream chain with values, trial values, links', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const view = liveNotebookView(liveNotebook(CELLS, { auc: 'metric' }));
  record(store, view, [
    { cell: 0, values: [num('n', 10)] },
    { cell: 1, values: [{ name: 'data', type: 'list', repr: '[0, 1, 2, …]', length: 10, hash: 'abcdef0123456789' }] },
    { cell: 2, values: [num('total', 45), num('mean', 4.5)] },
    { cell: 3, values: [num('auc', 0.045)] },
  ]);
  const trial = trialFromSession({ store, notebook: view, notebookKey: NOTEBOOK_KEY, analyzer, name: 'baseline' });
  store.saveTrial(trial);

  const markdown = rendered(buildHover(snapshot(view, store, analyzer), request('auc', 3)));
  assert.ok(markdown);
  assert.match(markdown, /\*\*`auc`\*\* · metric · float/);
  assert.match(markdown, /`0\.045`/);
  assert.match(markdown, /Produced by cell 3 \[4\] · 2026-01-05 09:00:04 UTC · stage evaluation _\(recorded\)_/);
  // The backward chain, in execution order, each statement with the value it produced.
  const upstream = markdown.slice(markdown.indexOf('**Upstream**'));
  const order = ['`n = 10`', '`data = list(range(n))`', '`total = sum(data)`', '`mean = total / n`', '`auc = mean * 0.01`'].map((s) => upstream.indexOf(s));
  assert.ok(order.every((p, i) => p > 0 && (i === 0 || p > order[i - 1])), `upstream in execution order: ${upstream}`);
  assert.match(upstream, /`data = list\(range\(n\)\)` → `data = list len 10 #abcdef01`/);
  assert.match(upstream, /`mean = total \/ n` → `mean = 4\.5`/);
  assert.match(markdown, /\*\*Latest trials\*\* \(1\): `baseline` `0\.045`/);
  const args = encodeURIComponent(JSON.stringify([{ notebook: 'file:///ws/nb.ipynb', variable: 'auc' }]));
  assert.ok(markdown.includes(`[Lineage](command:nbprov.showLineage?${args})`));
  assert.ok(markdown.includes(`[Across trials](command:nbprov.showAcrossTrials?${args})`));
});

test('hover without any recording: lineage from saved order and a word on why values are missing', async () => {
  const analyzer = await sharedAnalyzer();
  const view = liveNotebookView(liveNotebook(CELLS));
  const markdown = buildHover(snapshot(view, null, analyzer), request('mean', 3));
  assert.ok(markdown);
  assert.match(markdown, /No recorded value: this notebook has no recorded session yet/);
  assert.match(markdown, /Produced by cell 2 _\(saved execution counts\)_/);
  assert.match(markdown, /`total = sum\(data\)`/);
  assert.doesNotMatch(markdown, /Latest trials/);
});

test('hover names the reason the caller knows (a non-Python cell, recording off)', async () => {
  const analyzer = await sharedAnalyzer();
  const view = liveNotebookView(liveNotebook(CELLS));
  const markdown = rendered(buildHover(snapshot(view, null, analyzer), { ...request('n', 0), noValuesReason: 'recording is turned off (setting nbprov.recording.enabled)' }));
  assert.match(markdown, /No recorded value: recording is turned off \(setting nbprov\.recording\.enabled\)\./);
});

test('no hover for words that are not variables (attributes, keywords, unknown names)', async () => {
  const analyzer = await sharedAnalyzer();
  const view = liveNotebookView(liveNotebook([{ source: 'import pandas as pd\ndf = pd.DataFrame()\nshape = None\nx = df.columns' }]));
  const p = snapshot(view, null, analyzer);
  assert.equal(buildHover(p, request('columns', 0)), null);
  assert.equal(buildHover(p, request('nowhere', 0)), null);
  assert.ok(buildHover(p, request('df', 0)));
});

test('values from user data cannot inject Markdown links or break out of code spans', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const view = liveNotebookView(liveNotebook([{ source: 's = make()' }]));
  record(store, view, [{ cell: 0, values: [{ name: 's', type: 'str', repr: "'``[x](command:evil)`` <img src=x>'", value: '``[x](command:evil)`` <img src=x>' }] }]);
  const markdown = buildHover(snapshot(view, store, analyzer), request('s', 0)) ?? '';
  const line = markdown.split('\n').find((l) => l.includes('command:evil')) ?? '';
  // The repr sits inside a code span whose fence is longer than any backtick run in it.
  assert.match(line, /^```.*```$/);
});

test('a re-run after an edit: the hover shows the value of the latest run, not the first', async (t) => {
  const analyzer = await sharedAnalyzer();
  const { store } = await emptyStore(t);
  const view = liveNotebookView(liveNotebook([{ source: 'n = 20' }, { source: 'm = n + 1' }]));
  record(store, view, [
    { cell: 0, code: 'n = 10', values: [num('n', 10)] },
    { cell: 1, values: [num('m', 11)] },
    { cell: 0, values: [num('n', 20)] },
  ]);
  const markdown = rendered(buildHover(snapshot(view, store, analyzer), request('n', 1)));
  assert.match(markdown, /`20`/);
  assert.match(markdown, /Produced by cell 0 \[3\]/);
});
