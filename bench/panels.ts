/**
 * The editor's panels (issue 9): the Lineage graph of 500 nodes and the Across-trials chart and
 * table of 10,000 trials rendered by the built bundles in Debian's Chromium (from the data message
 * to the next frame), and the Trials tree's first paint (root plus the first notebook's trials)
 * computed from a real store of 5,000 trials.
 * Targets: lineage ≤ 500 ms, Trials tree ≤ 200 ms, across trials ≤ 300 ms.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store';
import { buildAcrossTrialsPayload } from '../src/extension/panels/acrossTrialsPayload';
import { notebookNodes, trialNodes } from '../src/extension/views/trialsTreeData';
import { PROTOCOL_VERSION, type HostMessage } from '../src/shared/protocol';
import { CHROMIUM, launch, openPanel } from '../test/panels/browser';
import { bigAcross, bigLineage } from '../test/panels/fixtures';

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function verdict(ms: number, goal: number): string {
  return `${fmt(ms)} (goal ≤ ${goal} ms${ms <= goal ? '' : ', MISSED'})`;
}

async function benchTrialsTree(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-bench-tree-'));
  try {
    const store = await openStore(dir);
    const start = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5000; i++) {
      store.saveTrial({
        id: `trial-${String(i).padStart(5, '0')}`,
        name: i % 3 ? `run ${i}` : null,
        note: null,
        notebookPath: i % 5 ? 'notebooks/train.ipynb' : 'notebooks/explore.ipynb',
        createdAt: new Date(start + i * 60_000).toISOString(),
        sessionId: null,
        params: { lr: i % 10 },
        tagged: {
          accuracy: { name: 'accuracy', role: 'metric', type: 'float', repr: String(0.8 + (i % 100) / 1000), value: 0.8 + (i % 100) / 1000 },
          lr: { name: 'lr', role: 'param', type: 'float', repr: String((i % 10) / 100), value: (i % 10) / 100 },
          model: { name: 'model', role: 'model', type: 'RandomForestClassifier', repr: 'RandomForestClassifier()', params: { n_estimators: 100 + i } },
        },
        lineage: {},
        executions: [],
        files: [],
        environment: null,
      });
    }
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      const roots = notebookNodes(store);
      const biggest = roots.reduce((a, b) => (b.trials > a.trials ? b : a));
      trialNodes(store, biggest.notebookPath);
      times.push(performance.now() - t0);
    }
    console.log(`panels: Trials tree first paint, 5,000 trials (notebooks + the larger notebook's 4,000 trials) ${verdict(medianOf(times), 200)}`);
    const across: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      buildAcrossTrialsPayload(store, 'accuracy');
      across.push(performance.now() - t0);
    }
    console.log(`panels: across-trials payload from the store, 5,000 trials (host side, before the webview) ${fmt(medianOf(across))}`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from delivering a data message to the frame after the panel finished drawing. */
async function renderTime(page: import('playwright-core').Page, message: HostMessage): Promise<number> {
  return page.evaluate(async (m) => {
    const t0 = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: m }));
    await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
    return performance.now() - t0;
  }, message);
}

async function benchBrowser(): Promise<void> {
  const bundles = path.resolve(__dirname, '..', 'dist', 'webview');
  if (!existsSync(CHROMIUM)) {
    console.log(`panels: skipped the browser measurements: ${CHROMIUM} is missing (apt-get install chromium)`);
    return;
  }
  if (!existsSync(path.join(bundles, 'lineage.js'))) {
    console.log('panels: skipped the browser measurements: dist/webview is missing (npm run build)');
    return;
  }
  const pb = await launch();
  try {
    const errors: string[] = [];
    const lineage = bigLineage(500);
    const lineageTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const page = await openPanel(pb, bundles, 'lineage', errors);
      lineageTimes.push(await renderTime(page, { type: 'lineage', version: PROTOCOL_VERSION, data: lineage }));
      const drawn = await page.locator('g.node').count();
      if (drawn !== 500) throw new Error(`lineage bench drew ${drawn} nodes, not 500`);
      await page.close();
    }
    console.log(`panels: Lineage graph of 500 nodes (${lineage.edges.length} edges) laid out and drawn in Chromium ${verdict(medianOf(lineageTimes), 500)}`);

    const across = bigAcross(10_000);
    const acrossTimes: number[] = [];
    for (let k = 0; k < 3; k++) {
      const page = await openPanel(pb, bundles, 'acrossTrials', errors);
      acrossTimes.push(await renderTime(page, { type: 'acrossTrials', version: PROTOCOL_VERSION, data: across }));
      const points = await page.locator('svg.chart circle.point').count();
      if (points !== 10_000) throw new Error(`across-trials bench drew ${points} points, not 10,000`);
      await page.close();
    }
    console.log(`panels: Across-trials chart and table of 10,000 trials in Chromium ${verdict(medianOf(acrossTimes), 300)}`);
    if (errors.length) console.log(`panels: page errors: ${errors.join('; ')}`);
  } finally {
    await pb.close();
  }
}

export async function benchPanels(): Promise<void> {
  // The figures scale with how busy the machine is; say so beside them.
  console.log(`panels: load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPU(s)`);
  await benchTrialsTree();
  await benchBrowser();
}
