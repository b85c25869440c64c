/**
 * Overhead of capture on one real kernel, side by side: THE demo notebook
 * (examples/fraud/fraud.ipynb on the deterministic creditcard.csv) and a pure-Python-loop
 * notebook. Each runs alternately with and without the recorder on the same kernel; with the
 * recorder, a collect is queued behind every cell as `nbprov run` does. Prints the median run
 * times and their ratio, the kernel time the hooks add per cell, the execution record's JSON
 * size, and how much the real sql.js store grows per execution.
 * Targets (issue 3): ≤ 1.03× on the demo, ≤ 1.05× on the loop notebook, ≤ 4 KB per execution.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { creditCardCsv } from '../src/cli/demo/creditcardData';
import { loadNotebook } from '../src/core/notebook/load';
import type { ExecutionRecord } from '../src/core/records';
import { openStoreAt } from '../src/core/store';
import { JupyterServerClient } from '../src/kernel/jupyterServerClient';
import type { KernelClient } from '../src/kernel/kernelClient';
import { toExecutionRecord } from '../src/kernel/recordConversion';
import { type CollectedBatch, RecorderSession, uninstallRecorder } from '../src/kernel/recorderSession';

const ROUNDS = 7;
const DEMO_NOTEBOOK = path.join(__dirname, '..', 'examples', 'fraud', 'fraud.ipynb');

interface BenchCell {
  cellId: string;
  cellIndex: number;
  code: string;
}

interface BenchNotebook {
  name: string;
  path: string;
  cells: BenchCell[];
  target: number;
}

const loopNotebook: BenchNotebook = {
  name: 'pure-Python loop notebook',
  path: 'loop.ipynb',
  target: 1.05,
  cells: [
    'total = 0\nfor i in range(1_500_000):\n    total += i * i',
    'words = {}\nfor i in range(300_000):\n    key = i % 97\n    words[key] = words.get(key, 0) + 1',
    'walk = [0.0]\nfor i in range(50_000):\n    walk.append(walk[-1] * 0.5 + (i % 7))\nwalk_len = len(walk)',
    'primes = [n for n in range(2, 60_000) if all(n % d for d in range(2, int(n ** 0.5) + 1))]',
  ].map((code, i) => ({ cellId: `loop-${i}`, cellIndex: i, code })),
};

/** The demo notebook copied next to its generated creditcard.csv in `dir` (the kernel's cwd). */
function prepareDemo(dir: string): BenchNotebook {
  const notebookPath = path.join(dir, 'fraud.ipynb');
  copyFileSync(DEMO_NOTEBOOK, notebookPath);
  writeFileSync(path.join(dir, 'creditcard.csv'), creditCardCsv());
  const notebook = loadNotebook(notebookPath);
  const cells = notebook.cells.filter((c) => c.cellType === 'code' && c.source.trim() !== '').map((c) => ({ cellId: c.id, cellIndex: c.index, code: c.source }));
  return { name: 'demo notebook (examples/fraud/fraud.ipynb)', path: 'fraud.ipynb', target: 1.03, cells };
}

interface RunTiming {
  totalMs: number;
  records: ExecutionRecord[];
  /** Kernel time of the recorder's hooks, per recorded cell. */
  hookMs: number[];
}

/**
 * Runs one cell as runCells does: its records come back in the cell's reply, or a collect is
 * queued behind it. Null batch without a session.
 */
export async function executeRecorded(client: KernelClient, code: string, session: RecorderSession | null): Promise<CollectedBatch | null> {
  const piggyback = session?.collectRequest() ?? null;
  const reply = client.execute(code, { silent: false, storeHistory: true, ...piggyback });
  const queued = session && !piggyback ? session.collect() : undefined;
  const result = await reply;
  if (result.status !== 'ok') throw new Error(`bench cell failed: ${result.error?.ename}: ${result.error?.evalue}\n${code}`);
  return session ? ((await queued) ?? (await session.collectFromReply(result)) ?? (await session.collect())) : null;
}

async function runOnce(client: KernelClient, notebook: BenchNotebook, session: RecorderSession | null): Promise<RunTiming> {
  const records: ExecutionRecord[] = [];
  const hookMs: number[] = [];
  const started = performance.now();
  for (const cell of notebook.cells) {
    const batch = await executeRecorded(client, cell.code, session);
    for (const raw of batch?.records ?? []) {
      records.push(toExecutionRecord(raw, batch?.sessionId ?? 'bench-session', { notebookPath: notebook.path, cellId: cell.cellId, cellIndex: cell.cellIndex }));
      hookMs.push(raw.recorderMs);
    }
  }
  return { totalMs: performance.now() - started, records, hookMs };
}

/**
 * Runs with and without the recorder (installed before, removed before), `rounds` times each,
 * the order flipping every round so drift in the kernel favours neither.
 */
export async function interleaved(client: KernelClient, session: RecorderSession, rounds: number, withRecorder: () => Promise<void>, withoutRecorder: () => Promise<void>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (const recording of round % 2 === 0 ? [true, false] : [false, true]) {
      if (recording) {
        await session.install();
        await session.collect();
        await withRecorder();
      } else {
        await uninstallRecorder(client);
        await withoutRecorder();
      }
    }
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** Bytes the sql.js store file grows per execution, measured after a first save (schema pages excluded). */
export async function storeGrowth(dir: string, session: RecorderSession, first: ExecutionRecord[], rest: ExecutionRecord[]): Promise<number> {
  const file = path.join(dir, `store-${Date.now()}.sqlite`);
  const store = await openStoreAt(file);
  try {
    for (const s of session.sessions) store.addSession(s);
    for (const record of first) store.addExecution(record);
    await store.save();
    const before = statSync(file).size;
    for (const record of rest) store.addExecution(record);
    await store.save();
    return (statSync(file).size - before) / Math.max(1, rest.length);
  } finally {
    store.close();
  }
}

export interface CaptureBenchResult {
  name: string;
  withoutMs: number;
  withMs: number;
  ratio: number;
  target: number;
  /** (cells' own kernel time + hook time) / cells' own kernel time: the ratio without messaging latency. */
  kernelRatio: number;
  hookMeanMs: number;
  hookMaxMs: number;
  recordMeanBytes: number;
  recordMaxBytes: number;
  storeBytesPerExecution: number;
}

async function measure(client: KernelClient, dir: string, notebook: BenchNotebook): Promise<CaptureBenchResult> {
  const session = new RecorderSession(client, notebook.path);
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  const runs: ExecutionRecord[][] = [];
  const hookMs: number[] = [];
  const kernelRatios: number[] = [];
  await runOnce(client, notebook, null); // warm-up: imports, caches
  await interleaved(
    client,
    session,
    ROUNDS,
    async () => {
      const run = await runOnce(client, notebook, session);
      withMs.push(run.totalMs);
      runs.push(run.records);
      hookMs.push(...run.hookMs);
      const cellMs = run.records.reduce((sum, r) => sum + r.durationMs, 0);
      kernelRatios.push(1 + run.hookMs.reduce((a, b) => a + b, 0) / cellMs);
    },
    async () => void withoutMs.push((await runOnce(client, notebook, null)).totalMs),
  );
  await uninstallRecorder(client);
  const sizes = runs.flat().map((r) => Buffer.byteLength(JSON.stringify(r)));
  const [first = [], ...rest] = runs;
  return {
    name: `${notebook.name}, ${notebook.cells.length} cells`,
    withoutMs: median(withoutMs),
    withMs: median(withMs),
    ratio: median(withMs) / median(withoutMs),
    target: notebook.target,
    kernelRatio: median(kernelRatios),
    hookMeanMs: mean(hookMs),
    hookMaxMs: Math.max(0, ...hookMs),
    recordMeanBytes: Math.round(mean(sizes)),
    recordMaxBytes: Math.max(0, ...sizes),
    storeBytesPerExecution: Math.round(await storeGrowth(dir, session, first, rest.flat())),
  };
}

function report(r: CaptureBenchResult): void {
  const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');
  console.log(`${r.name} — median of ${ROUNDS} alternating runs on one kernel`);
  console.log(`  run time: without recorder ${r.withoutMs.toFixed(1)} ms, with recorder ${r.withMs.toFixed(1)} ms, ratio ${r.ratio.toFixed(3)}x (target ≤ ${r.target}x: ${verdict(r.ratio <= r.target)})`);
  console.log(`  kernel time added by the hooks per cell: mean ${r.hookMeanMs.toFixed(2)} ms, max ${r.hookMaxMs.toFixed(2)} ms; in-kernel ratio (cells + hooks) / cells ${r.kernelRatio.toFixed(3)}x`);
  console.log(`  execution record JSON: mean ${r.recordMeanBytes} B, max ${r.recordMaxBytes} B`);
  console.log(`  sql.js store growth per execution: ${r.storeBytesPerExecution} B (target ≤ 4096 B: ${verdict(r.storeBytesPerExecution <= 4096)})`);
}

export async function benchCapture(): Promise<CaptureBenchResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-bench-'));
  const demo = prepareDemo(dir);
  const client = await JupyterServerClient.startLocal({ rootDir: dir }, { kernelName: 'python3' });
  const results: CaptureBenchResult[] = [];
  try {
    for (const notebook of [demo, loopNotebook]) {
      const result = await measure(client, dir, notebook);
      report(result);
      results.push(result);
    }
  } finally {
    await client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
