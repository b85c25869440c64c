/**
 * Each panel's built bundle in Debian's Chromium, behind the same CSP as in VS Code, fed fixture
 * data by a test playing the extension host: hostile values render as inert text, no script runs,
 * the panels answer clicks and keys with protocol messages, and screenshots go to
 * test-artifacts/panels/ for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROTOCOL_VERSION, type HostMessage } from '../../src/shared/protocol';
import { ARTIFACTS, launch, openPanel as openPanelIn, record, send, type PanelBrowser } from './browser';
import { webviewBundles } from './bundles';
import { HOSTILE, MEGABYTE, acrossTrialsFixture, categoricalFixture, lineageFixture, trialDiffFixture } from './fixtures';
import { buildTrialDiffPayload } from '../../src/extension/panels/trialDiffPayload';
import { trial as trialOf, value as valueOf } from '../trials/helpers';

const V = PROTOCOL_VERSION;
let pb: PanelBrowser;

async function openPanel(browser: PanelBrowser, panel: Parameters<typeof openPanelIn>[2], errors: string[], state?: unknown): Promise<Page> {
  return openPanelIn(browser, await webviewBundles(), panel, errors, state);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  pb = await launch();
});
after(async () => pb?.close());

/** Nothing ran, nothing was injected, the CSP was never violated, no page error. */
async function assertInert(page: Page, errors: string[]): Promise<void> {
  const rec = await record(page);
  assert.equal(rec.pwned, undefined, 'a hostile value ran script');
  assert.deepEqual(rec.cspViolations, [], 'CSP violations');
  assert.deepEqual(errors, [], 'page errors');
  const injected = await page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    img: document.querySelectorAll('img, iframe, foreignObject, a[href]').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    nestedSvg: document.querySelectorAll('svg svg').length,
  }));
  assert.deepEqual(injected, { scripts: 1, img: 0, handlers: 0, nestedSvg: 0 }, 'markup from values reached the DOM');
}

async function bodyText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText + [...document.querySelectorAll('title')].map((t) => t.textContent).join('\n'));
}

async function posted(page: Page, type: string) {
  return (await record(page)).posted.filter((m) => m.type === type);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

describe('Lineage panel in Chromium', () => {
  it('draws the DAG with values and names as inert text, marks stale and target nodes, reveals a cell on click and Enter', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'lineage', errors);
    await send(page, { type: 'lineage', version: V, data: lineageFixture() });
    await page.waitForSelector('g.node');
    assert.equal(await page.locator('g.node').count(), 4);
    assert.equal(await page.locator('path.edge').count(), 4);
    assert.equal(await page.locator('g.node.stale').count(), 1);
    assert.equal(await page.locator('g.node.target').count(), 1);
    const text = await bodyText(page);
    for (const value of [HOSTILE.img, HOSTILE.svg, HOSTILE.rtl, HOSTILE.iframe.slice(0, 30)]) assert.ok(text.includes(value), `shown as text: ${value.slice(0, 40)}`);
    assert.ok(!text.includes(MEGABYTE), 'a 1 MB value is cut for display');
    await assertInert(page, errors);

    await page.locator('g.node', { hasText: 'cell 2 [3]' }).click();
    assert.deepEqual((await posted(page, 'revealCell')).at(-1), { type: 'revealCell', cellId: 'c2', cellIndex: 2 });
    await page.locator('g.node', { hasText: 'cell 0 [1]' }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const reveals = await posted(page, 'revealCell');
    assert.equal(reveals.length, 2);
    assert.notEqual((reveals[1] as { cellId: string }).cellId, 'c0', 'arrow keys moved the focus to another node');
    await shot(page, 'lineage');

    await page.getByRole('button', { name: 'Statements' }).click();
    assert.deepEqual((await posted(page, 'lineageOptions')).at(-1), { type: 'lineageOptions', options: { global: false, granularity: 'operation', expandFunctions: false } });
    assert.deepEqual((await record(page)).state, { options: { global: false, granularity: 'operation', expandFunctions: false } });
    await page.close();
  });
});

describe('Trial diff panel in Chromium', () => {
  it('shows both trials side by side with deltas, shapes, hyperparameters, files, packages and the order diff, all as text', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'trialDiff', errors);
    await send(page, { type: 'trialDiff', version: V, data: trialDiffFixture() });
    await page.waitForSelector('table');
    const text = await bodyText(page);
    for (const expected of ['+0.025 (+2.75 %)', 'shape (800, 30)', 'shape (900, 30)', 'changed: shape', '↳ n_estimators', 'scikit-learn', '1.4.2', HOSTILE.script, HOSTILE.js, HOSTILE.rtl]) assert.ok(text.includes(expected), `shows ${expected}`);
    assert.equal(await page.locator('.order-diff .add').count(), 1);
    assert.equal(await page.locator('.order-diff .del').count(), 1);
    await assertInert(page, errors);
    await shot(page, 'trial-diff');

    const seedRows = () => page.locator('tr', { hasText: 'seed' }).count();
    assert.equal(await seedRows(), 1);
    await page.getByRole('button', { name: 'Only differences' }).click();
    assert.equal(await seedRows(), 0, 'equal parameter hidden');
    assert.equal(await page.locator('tr', { hasText: 'threshold' }).count(), 0, 'equal value hidden');
    const rowNames = await page.locator('tbody th[scope=row]').allTextContents();
    assert.ok(rowNames.includes('n_estimators') && rowNames.includes('↳ n_estimators'), 'changed parameter and hyperparameter stay');
    assert.deepEqual((await record(page)).state, { onlyDifferences: true });
    await shot(page, 'trial-diff-only-differences');
    await page.close();
  });

  it('a large value whose content hash is pending reads "not compared", never "same", and stays under "only differences"', async () => {
    const errors: string[] = [];
    const big = (deferred: 'pending' | 'abandoned') =>
      valueOf('X', { role: 'dataset', type: 'numpy.ndarray', repr: 'array([0.1, ..., 0.9])', shape: [50_000_000], dtype: 'float64', deferred, stats: { mean: 0.5, sampled: 65_536 } });
    const data = buildTrialDiffPayload(trialOf('a', { tagged: { X: big('pending') } }), trialOf('b', { tagged: { X: big('abandoned') } }));
    const page = await openPanel(pb, 'trialDiff', errors, { onlyDifferences: true });
    await send(page, { type: 'trialDiff', version: V, data });
    await page.waitForSelector('table');
    const row = page.locator('tr', { hasText: 'X' }).first();
    assert.equal(await row.locator('td.status').innerText(), 'not compared');
    const text = await bodyText(page);
    assert.ok(text.includes('hash pending'), 'side A says its hash is pending');
    assert.ok(text.includes('hash never computed'), 'side B says its hash was never computed');
    assert.ok(text.includes('0 values') && text.includes('1 large value was not compared'), 'the summary counts it apart from the changes');
    assert.equal(await page.locator('td.status.same').count(), 0);
    await assertInert(page, errors);
    await shot(page, 'trial-diff-not-compared');
    await page.close();
  });

  it('keeps "only differences" across a reload (getState) and says so when a shown trial is deleted', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'trialDiff', errors, { onlyDifferences: true });
    await send(page, { type: 'trialDiff', version: V, data: trialDiffFixture() });
    await page.waitForSelector('table');
    assert.equal(await page.getByRole('button', { name: 'Only differences' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('tr', { hasText: 'seed' }).count(), 0);
    await send(page, { type: 'trialDeleted', version: V, trialId: 't-2', message: `Trial "${HOSTILE.img}" was deleted; this comparison shows what it held before.` });
    await page.waitForSelector('.banner[role=alert]');
    assert.ok((await page.locator('.banner[role=alert]').innerText()).includes(HOSTILE.img));
    await assertInert(page, errors);
    await shot(page, 'trial-diff-deleted');
    await page.close();
  });
});

describe('Across-trials panel in Chromium', () => {
  it('charts one series per notebook, shows the trial and its parameters on hover, opens the diff with the previous trial on click', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'acrossTrials', errors);
    const data = acrossTrialsFixture();
    await send(page, { type: 'acrossTrials', version: V, data });
    await page.waitForSelector('svg.chart circle.point');
    assert.equal(await page.locator('svg.chart circle.point').count(), 11, 'eleven finite points (one NaN is a gap marker)');
    assert.equal(await page.locator('svg.chart path.series-line').count(), 2, 'one line per notebook');
    assert.equal(await page.locator('svg.chart .legend-label').count(), 2);
    await assertInert(page, errors);

    const point = page.locator('svg.chart circle.point[data-index="4"]');
    await point.hover();
    const card = page.locator('.hover-card');
    await card.waitFor({ state: 'visible' });
    const cardText = await card.innerText();
    assert.ok(cardText.includes(HOSTILE.img) && cardText.includes('n_estimators = 300'), cardText);
    await shot(page, 'across-trials-hover');
    await point.click();
    // Row 4 is in fraud.ipynb; the previous trial of that notebook is row 3.
    assert.deepEqual((await posted(page, 'openDiff')).at(-1), { type: 'openDiff', trialA: 't3', trialB: 't4' });
    await page.locator('svg.chart circle.point[data-index="1"]').focus();
    await page.keyboard.press('Enter');
    assert.deepEqual((await posted(page, 'openDiff')).at(-1), { type: 'openDiff', trialA: 't0', trialB: 't1' });
    await assertInert(page, errors);
    await page.close();
  });

  it('sorts the values table, exports CSV with every value quoted as data, and asks for a scatter against a parameter', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'acrossTrials', errors);
    const data = acrossTrialsFixture();
    await send(page, { type: 'acrossTrials', version: V, data });
    await page.waitForSelector('table.values tbody tr');
    const firstValue = () => page.locator('table.values tbody tr').first().locator('td').nth(4).innerText();
    await page.locator('table.values button.sort').nth(4).click();
    const ascending = await firstValue();
    await page.locator('table.values button.sort').nth(4).click();
    const descending = await firstValue();
    const numbers = data.rows.map((r) => r.value).filter((v): v is number => typeof v === 'number');
    assert.equal(Number(descending), Math.max(...numbers));
    assert.ok(ascending === 'NaN' || Number(ascending) === Math.min(...numbers), ascending);
    assert.equal((await record(page)).state && ((await record(page)).state as { sortKey: string }).sortKey, 'value');

    await page.getByRole('button', { name: 'Export CSV…' }).click();
    const exported = (await posted(page, 'exportCsv')).at(-1) as { fileName: string; csv: string };
    assert.equal(exported.fileName, 'accuracy.csv');
    assert.equal(exported.csv.split('\n')[0], 'trial,trial_id,notebook,created_at,variable,value,repr,type,hash');
    assert.ok(exported.csv.includes(`"${HOSTILE.img.replace(/"/g, '""')}"`), 'quoted as CSV data');

    await page.getByRole('combobox', { name: 'scatter against' }).selectOption('n_estimators');
    assert.deepEqual((await posted(page, 'scatterAgainst')).at(-1), { type: 'scatterAgainst', against: 'n_estimators' });
    await send(page, { type: 'acrossTrials', version: V, data: { ...data, against: 'n_estimators' } });
    await page.waitForSelector('svg.chart .x-title');
    assert.equal(await page.locator('svg.chart .x-title').textContent(), 'n_estimators');
    assert.equal(await page.locator('svg.chart path.series-line').count(), 0, 'a scatter has no lines');
    await assertInert(page, errors);
    await shot(page, 'across-trials-scatter');
    await page.close();
  });

  it('shows strings and complex values as categories with their hashes', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'acrossTrials', errors);
    await send(page, { type: 'acrossTrials', version: V, data: categoricalFixture() });
    await page.waitForSelector('svg.chart circle.point');
    const ticks = await page.locator('svg.chart .y-axis .tick text').allTextContents();
    assert.equal(ticks.length, 4);
    assert.ok(ticks.some((t) => t.includes('#0f00ba40')), ticks.join(' | '));
    await assertInert(page, errors);
    await shot(page, 'across-trials-categories');
    await page.close();
  });
});

describe('Every panel: empty states and protocol', () => {
  for (const panel of ['lineage', 'trialDiff', 'acrossTrials'] as const) {
    it(`${panel}: a helpful empty state with its next step as a button, never a blank panel`, async () => {
      const errors: string[] = [];
      const page = await openPanel(pb, panel, errors);
      assert.deepEqual((await posted(page, 'ready'))[0], { type: 'ready', version: V, panel });
      await send(page, { type: 'empty', version: V, state: { title: 'No trials yet', message: `Nothing recorded in ${HOSTILE.script}`, action: { label: 'Save Trial…', command: 'nbprov.saveTrial' } } });
      await page.getByRole('button', { name: 'Save Trial…' }).click();
      assert.deepEqual((await posted(page, 'runCommand')).at(-1), { type: 'runCommand', command: 'nbprov.saveTrial' });
      assert.ok((await bodyText(page)).includes(HOSTILE.script));
      await assertInert(page, errors);
      if (panel === 'acrossTrials') await shot(page, 'empty-state');
      await page.close();
    });
  }

  it('refuses a message of another protocol version instead of misreading it', async () => {
    const errors: string[] = [];
    const page = await openPanel(pb, 'lineage', errors);
    await send(page, { type: 'lineage', version: V + 1, data: lineageFixture() } as HostMessage);
    await page.waitForSelector('.empty');
    assert.match(await bodyText(page), /close and reopen/);
    assert.equal(await page.locator('g.node').count(), 0);
    await page.close();
  });
});
