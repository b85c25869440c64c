/**
 * Trial library benchmark (issue 4): buildTrial, compareTrials and operationOrderDiff on realistic
 * trials (a 40-cell session, 8 tagged variables with overlapping lineages, data frames, files,
 * 60 packages), and valueSeries / CSV / SVG over stores of 10, 1,000 and 10,000 trials.
 * Targets: diff ≤ 10 ms, series over 10,000 trials ≤ 50 ms.
 */
import type { ExecutionRecord, Trial } from '../src/core/records';
import { buildTrial, type TaggedSlice } from '../src/core/trials/buildTrial';
import { compareTrials } from '../src/core/trials/compare';
import { formatTrialDiff } from '../src/core/trials/formatDiff';
import { operationOrderDiff } from '../src/core/trials/operationOrder';
import { renderSeriesSvg } from '../src/core/trials/plot';
import { seriesFromRows, seriesToCsv, valueSeries } from '../src/core/trials/series';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/core/store';

const CELLS = 40;
const TAGGED = ['n_estimators', 'max_depth', 'test_size', 'df', 'X_train', 'model', 'accuracy', 'f1'];

function median(fn: () => void, repeat: number): number {
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    runs.push(performance.now() - start);
  }
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

function session(variant: number, worstCase: boolean): { executions: ExecutionRecord[]; slices: Record<string, TaggedSlice> } {
  const executions: ExecutionRecord[] = [];
  for (let c = 0; c < CELLS; c++) {
    const name = c < TAGGED.length ? TAGGED[c] : `v${c}`;
    const frame = name === 'df' || name === 'X_train';
    executions.push({
      id: `s${variant}-e${c}`, sessionId: `s${variant}`, notebookPath: 'demo.ipynb', cellId: `cell-${c}`, cellIndex: c, language: 'python',
      code: Array.from({ length: 6 }, (_, l) => `${name}_${l} = step_${c}_${l}(${name}_${l - 1}, alpha=${c === 0 || worstCase ? variant : 0})`).join('\n'),
      executionCount: c + 1, success: true, startedAt: new Date(Date.UTC(2024, 4, 1, 10, 0, c)).toISOString(), durationMs: 12,
      values: [frame
        ? { name, type: 'pandas.core.frame.DataFrame', repr: '<df>', hash: `h-${name}-${variant % 2}`, shape: [1000 + variant, 12], dtype: Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`col${k}`, 'float64'])), columns: Array.from({ length: 12 }, (_, k) => `col${k}`) }
        : { name, type: 'float', repr: String(0.8 + variant / 100 + c / 1000), value: 0.8 + variant / 100 + c / 1000 }],
      files: c === 3 ? [{ path: 'data/train.csv', mode: 'r', kind: 'read', hashBefore: `data-${variant % 3}` }] : [],
    });
  }
  // The second variant ran cells 3 and 4 in the other order (a reordering the order diff must show).
  if (variant % 2) [executions[3], executions[4]] = [executions[4], executions[3]];
  const slices: Record<string, TaggedSlice> = {};
  TAGGED.forEach((name, t) => {
    // Each tagged variable depends on most earlier cells: lineages overlap heavily, as in real notebooks.
    const cells = Array.from({ length: CELLS }, (_, c) => c).filter((c) => c <= t || c % 3 !== t % 3);
    const ops = cells.flatMap((c) => Array.from({ length: 6 }, (_, l) => ({ executionId: executions[c].id, line: l + 1, code: executions[c].code.split('\n')[l], defines: [l === 5 && c < TAGGED.length ? TAGGED[c] : `v${c}_${l}`] })));
    slices[name] = { executionIds: [...new Set(ops.map((o) => o.executionId))], operations: ops };
  });
  return { executions, slices };
}

/** `worstCase`: every line of code differs between variants (the slowest input for a line diff). */
function realisticTrial(variant: number, worstCase = false): Trial {
  const { executions, slices } = session(variant, worstCase);
  return buildTrial({
    id: `trial-${variant}`, name: `run ${variant}`, note: null, notebookPath: 'demo.ipynb', createdAt: new Date(Date.UTC(2024, 4, 1, 10, variant)).toISOString(), sessionId: `s${variant}`,
    params: { n_estimators: 100 + variant, max_depth: 5 }, tags: Object.fromEntries(TAGGED.map((n, i) => [n, i < 3 ? 'param' : 'metric'])), executions, slices,
    environment: { language: 'python', languageVersion: '3.11.2', packages: Object.fromEntries(Array.from({ length: 60 }, (_, k) => [`pkg${k}`, `1.${k}.${variant % 2}`])) },
  });
}

function storeOf(size: number): Trial[] {
  return Array.from({ length: size }, (_, i) => ({
    id: `t${String(i).padStart(6, '0')}`, name: `trial ${i}`, note: null, notebookPath: 'demo.ipynb', createdAt: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % size) * 60000).toISOString(), sessionId: null,
    params: {}, tagged: { accuracy: { name: 'accuracy', role: 'metric', type: 'float', repr: '', value: 0.5 + Math.sin(i) / 4 }, depth: { name: 'depth', role: 'param', type: 'int', repr: String(i % 9), value: i % 9 } },
    lineage: {}, executions: [], files: [], environment: null,
  }));
}

export async function benchTrials(): Promise<void> {
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  const ops = (t: Trial) => Object.values(t.lineage).reduce((n, l) => n + l.length, 0);
  const build = median(() => realisticTrial(1), 20);
  const a = realisticTrial(0);
  const b = realisticTrial(1);
  console.log(`trials: buildTrial (${CELLS} executions, ${TAGGED.length} tagged, ${ops(a)} lineage operations): ${fmt(build)}`);
  const diff = median(() => compareTrials(a, b), 50);
  const text = median(() => formatTrialDiff(compareTrials(a, b)), 50);
  const order = median(() => operationOrderDiff(a, b), 20);
  console.log(`trials: compareTrials ${fmt(diff)} (target ≤ 10 ms); with text rendering ${fmt(text)}`);
  const [worstA, worstB] = [realisticTrial(0, true), realisticTrial(1, true)];
  const worst = median(() => operationOrderDiff(worstA, worstB), 10);
  console.log(`trials: operationOrderDiff ${fmt(order)} (target ≤ 10 ms); worst case, every operation's code differs: ${fmt(worst)}`);
  for (const size of [10, 1000, 10000]) {
    const trials = storeOf(size);
    const series = median(() => valueSeries(trials, 'accuracy'), 10);
    const s = valueSeries(trials, 'accuracy');
    const csv = median(() => seriesToCsv(s), 5);
    const svg = median(() => renderSeriesSvg(s), 3);
    console.log(`trials: ${String(size).padStart(5)} trials — valueSeries ${fmt(series)}${size === 10000 ? ' (target ≤ 50 ms)' : ''}, CSV ${fmt(csv)}, SVG ${fmt(svg)}`);
  }
}

/**
 * The same operations as a user runs them, against a real workspace store of 10, 1,000 and 10,000
 * realistic trials: saving one more trial (write + atomic save), diffing two trials loaded from
 * the store, and the series of a metric read from the store.
 */
export async function benchTrialStores(): Promise<void> {
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const template = realisticTrial(0);
  const other = realisticTrial(1);
  for (const size of [10, 1000, 10000]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-trials-'));
    try {
      const store = await openStore(dir);
      for (let i = 0; i < size; i++) {
        const source = i % 2 ? other : template;
        store.saveTrial({ ...source, id: `trial-${i}`, name: `run ${i}`, createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString() });
      }
      await store.save();
      const saves: number[] = [];
      for (let r = 0; r < 3; r++) {
        const t = performance.now();
        store.saveTrial({ ...template, id: `extra-${r}`, name: `extra ${r}`, createdAt: new Date().toISOString() });
        await store.save();
        saves.push(performance.now() - t);
      }
      const diff = median(() => compareTrials(store.getTrial('trial-0')!, store.getTrial('trial-1')!), 10);
      const series = median(() => seriesFromRows('accuracy', store.trialValueSeries('accuracy'), []), 5);
      store.close();
      saves.sort((a, b) => a - b);
      console.log(`store of ${String(size).padStart(5)} trials — save one more trial ${fmt(saves[1])}, diff two stored trials ${fmt(diff)} (target ≤ 10 ms), series of a metric ${fmt(series)}${size === 10000 ? ' (target ≤ 50 ms)' : ''}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
