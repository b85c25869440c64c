/**
 * Store benchmark: save time and file size for 50 / 200 / 1,000 / 5,000 executions (three values
 * each), reopen time, merge time against a concurrent writer, and the series of one variable over
 * 10,000 trials. Run alone with `npm run bench -- store`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionRecord, Trial } from '../src/core/records';
import { openStore } from '../src/core/store';

export interface StoreBenchRow {
  executions: number;
  addMs: number;
  saveMs: number;
  reopenMs: number;
  mergeSaveMs: number;
  fileBytes: number;
  bytesPerExecution: number;
}

export interface StoreBenchResult {
  sizes: StoreBenchRow[];
  trials: { count: number; saveMs: number; seriesMs: number; listMs: number; fileBytes: number };
}

function benchExecution(i: number, writer = 'a'): ExecutionRecord {
  return {
    id: `${writer}-exec-${i}`,
    sessionId: `${writer}-session`,
    notebookPath: 'bench.ipynb',
    cellId: `cell-${i % 200}`,
    cellIndex: i % 200,
    language: 'python',
    code: `df_${i} = df.groupby('k').agg({'v': 'mean'})\nscore_${i} = model.score(X_test, y_test)\nn_${i} = len(df_${i})`,
    executionCount: i + 1,
    success: true,
    startedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    durationMs: 12.3,
    values: [
      { name: `df_${i}`, type: 'pandas.core.frame.DataFrame', repr: '<DataFrame 120×3>', hash: `sha256:${i.toString(16).padStart(64, '0')}`, shape: [120, 3], columns: ['k', 'v', 'w'], dtype: { k: 'object', v: 'float64', w: 'int64' } },
      { name: `score_${i}`, type: 'float', repr: String(0.9 + i / 1e6), value: 0.9 + i / 1e6 },
      { name: `n_${i}`, type: 'int', repr: '120', value: 120 },
    ],
    files: [],
  };
}

function benchTrial(i: number): Trial {
  return {
    id: `trial-${i}`,
    name: `run ${i}`,
    note: null,
    notebookPath: 'bench.ipynb',
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    sessionId: null,
    params: { n_estimators: 100 + i },
    tagged: {
      auc: { name: 'auc', role: 'metric', type: 'float', repr: String(i / 10_000), value: i / 10_000 },
      n_estimators: { name: 'n_estimators', role: 'param', type: 'int', repr: String(100 + i), value: 100 + i },
    },
    lineage: {},
    executions: [],
    files: [],
    environment: null,
  };
}

const time = async <T>(work: () => T | Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

export async function benchStore(): Promise<StoreBenchResult> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nbprov-store-bench-'));
  try {
    const sizes: StoreBenchRow[] = [];
    for (const count of [50, 200, 1_000, 5_000]) {
      const ws = path.join(root, `exec-${count}`);
      const store = await openStore(ws);
      const [, addMs] = await time(() => {
        for (let i = 0; i < count; i++) store.addExecution(benchExecution(i));
      });
      const [saved, saveMs] = await time(() => store.save());
      store.close();
      const [reopened, reopenMs] = await time(() => openStore(ws));
      // A concurrent writer saved ten executions meanwhile: the next save merges them.
      const other = await openStore(ws);
      for (let i = 0; i < 10; i++) other.addExecution(benchExecution(i, 'b'));
      await other.save();
      other.close();
      reopened.addExecution(benchExecution(count, 'a'));
      const [, mergeSaveMs] = await time(() => reopened.save());
      reopened.close();
      sizes.push({ executions: count, addMs, saveMs, reopenMs, mergeSaveMs, fileBytes: saved.bytes, bytesPerExecution: saved.bytes / count });
    }

    const ws = path.join(root, 'trials');
    const store = await openStore(ws);
    const count = 10_000;
    for (let i = 0; i < count; i++) store.saveTrial(benchTrial(i));
    const [saved, saveMs] = await time(() => store.save());
    store.close();
    const reopened = await openStore(ws);
    reopened.trialValueSeries('auc');
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push((await time(() => reopened.trialValueSeries('auc')))[1]);
    const [, listMs] = await time(() => reopened.listTrials());
    reopened.close();
    return { sizes, trials: { count, saveMs, seriesMs: runs.sort((a, b) => a - b)[2], listMs, fileBytes: saved.bytes } };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatStoreBench(result: StoreBenchResult): string {
  const lines = ['store: executions  add(ms)  save(ms)  reopen(ms)  merge+save(ms)  size(KB)  bytes/exec  save growth'];
  result.sizes.forEach((row, i) => {
    const prev = result.sizes[i - 1];
    const growth = prev ? `${(row.saveMs / prev.saveMs).toFixed(1)}× for ${(row.executions / prev.executions).toFixed(0)}× rows` : '';
    lines.push(
      `       ${String(row.executions).padStart(10)}  ${row.addMs.toFixed(1).padStart(7)}  ${row.saveMs.toFixed(1).padStart(8)}  ${row.reopenMs.toFixed(1).padStart(10)}  ${row.mergeSaveMs.toFixed(1).padStart(14)}  ${(row.fileBytes / 1024).toFixed(0).padStart(8)}  ${row.bytesPerExecution.toFixed(0).padStart(10)}  ${growth}`,
    );
  });
  const t = result.trials;
  lines.push(`trials: ${t.count} trials: save ${t.saveMs.toFixed(1)} ms, ${(t.fileBytes / 1024).toFixed(0)} KB; series of one variable ${t.seriesMs.toFixed(1)} ms (median of 5, target ≤ 50); listTrials ${t.listMs.toFixed(1)} ms`);
  return lines.join('\n');
}
