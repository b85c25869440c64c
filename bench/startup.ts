/**
 * Start-up and facts reuse (issue 7): bundle sizes; `nbprov --help` and `nbprov analyze` of a
 * 50-cell Python notebook beside `node -e 0` (goal: --help ≤ 2× bare node), interleaved in one
 * run; lineage over 5,000 recorded executions cold (every cell parsed) vs warm (facts from the
 * store, as a new CLI process sees them; from memory, as the extension does), in process and
 * through the CLI. Needs `npm run build` (it runs dist/cli.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAnalyzer, type CellAnalyzer } from '../src/core/analysis';
import { parseNotebook } from '../src/core/notebook/ipynb';
import { notebookLineage } from '../src/core/notebookLineage';
import type { ExecutionRecord } from '../src/core/records';
import { openStore, type Store } from '../src/core/store';
import { syntheticCell } from './core';

const DIST = path.join(process.cwd(), 'dist');
const CLI = path.join(DIST, 'cli.js');

function median(runs: number[]): number {
  const sorted = [...runs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeProcess(args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr.trim().split('\n')[0]}`);
  return ms;
}

/** Each command's median over `rounds`, the commands interleaved so machine load hits them alike. */
function interleaved(commands: Record<string, string[]>, cwd: string, rounds: number): Record<string, number> {
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) for (const [name, args] of Object.entries(commands)) runs[name].push(timeProcess(args, cwd));
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)]));
}

function notebookJson(codes: string[]): string {
  const cells = codes.map((code, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i + 1, outputs: [], source: code }));
  return JSON.stringify({ cells, metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } }, nbformat: 4, nbformat_minor: 5 });
}

const kb = (file: string) => (existsSync(file) ? `${(statSync(file).size / 1024).toFixed(0)} KB` : 'absent');
const ms = (x: number) => `${x.toFixed(0)} ms`;

function lazyBundles(): string {
  const dir = path.join(DIST, 'lazy');
  if (!existsSync(dir)) return 'no dist/lazy/';
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => `dist/lazy/${f} ${kb(path.join(dir, f))}`)
    .join(', ');
}

export async function benchStartup(): Promise<void> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  console.log(`bundles: dist/cli.js ${kb(CLI)}, dist/extension.js ${kb(path.join(DIST, 'extension.js'))}; loaded on first use: dist/ts-analyzer.js ${kb(path.join(DIST, 'ts-analyzer.js'))} (first JS/TS cell), ${lazyBundles()}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-bench-startup-'));
  try {
    writeFileSync(path.join(dir, 'fifty.ipynb'), notebookJson(Array.from({ length: 50 }, (_, i) => syntheticCell(i))));
    const t = interleaved(
      { bare: ['-e', '0'], help: [CLI, '--help'], analyze: [CLI, 'analyze', 'fifty.ipynb', '--json'] },
      dir,
      11,
    );
    const ratio = t.help / t.bare;
    console.log(`node -e 0: ${ms(t.bare)}   nbprov --help: ${ms(t.help)} (${ratio.toFixed(2)}× bare node; goal ≤ 2×: ${ratio <= 2 ? 'met' : 'MISSED'})   nbprov analyze, 50 Python cells: ${ms(t.analyze)} (${(t.analyze / t.bare).toFixed(2)}× bare node)   medians of 11, interleaved`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function record(code: string, i: number): ExecutionRecord {
  return {
    id: `e${i}`,
    sessionId: 's',
    notebookPath: 'bench.ipynb',
    cellId: `c${i}`,
    cellIndex: i,
    language: 'python',
    code,
    executionCount: i + 1,
    success: true,
    startedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    durationMs: 1,
    values: [],
    files: [],
  };
}

async function lineageMs(workspace: string, notebookText: string, analyzer?: CellAnalyzer, keepFacts = false): Promise<{ ms: number; store: Store }> {
  const store = await openStore(workspace);
  const notebook = parseNotebook(notebookText, 'bench.ipynb');
  const use = analyzer ?? (await createAnalyzer());
  const started = performance.now();
  notebookLineage({ notebook, notebookKey: 'bench.ipynb', store, analyzer: use, keepFacts });
  return { ms: performance.now() - started, store };
}

export async function benchFactsReuse(size = 5000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-bench-facts-'));
  try {
    const codes = Array.from({ length: size }, (_, i) => syntheticCell(i));
    const notebookText = notebookJson(codes);
    writeFileSync(path.join(dir, 'bench.ipynb'), notebookText);
    mkdirSync(path.join(dir, '.nbprov'), { recursive: true });
    const setup = await openStore(dir);
    setup.addSession({ id: 's', notebookPath: 'bench.ipynb', kernelName: 'python3', startedAt: new Date(0).toISOString(), environment: null });
    codes.forEach((code, i) => setup.addExecution(record(code, i)));
    await setup.save();
    const withoutFacts = setup.stats().fileBytes ?? 0;
    setup.close();

    // In process: a fresh analyser and store each time, as a new process has.
    const cold = await lineageMs(dir, notebookText);
    cold.store.close();
    const memoryAnalyzer = await createAnalyzer();
    (await lineageMs(dir, notebookText, memoryAnalyzer)).store.close();
    const memory = await lineageMs(dir, notebookText, memoryAnalyzer);
    memory.store.close();
    const cliTarget = `v${size - 1}`;
    const cliCold = median([0, 1, 2].map(() => timeProcess([CLI, 'lineage', 'bench.ipynb', cliTarget, '--json'], dir)));
    // What the extension or a recorder does: keep the facts, which reach disk with its next save.
    const keeping = await lineageMs(dir, notebookText, undefined, true);
    await keeping.store.save();
    const withFacts = keeping.store.stats().fileBytes ?? 0;
    keeping.store.close();
    const warm = await lineageMs(dir, notebookText);
    warm.store.close();
    const cliWarm = median([0, 1, 2].map(() => timeProcess([CLI, 'lineage', 'bench.ipynb', cliTarget, '--json'], dir)));
    console.log(`lineage over ${size} recorded executions (notebookLineage, in process): cold ${ms(cold.ms)}, warm from the store ${ms(warm.ms)} (${(cold.ms / warm.ms).toFixed(1)}× faster), warm from memory ${ms(memory.ms)}; cold while keeping facts ${ms(keeping.ms)}`);
    console.log(`nbprov lineage over ${size} executions (whole CLI process, median of 3): cold ${ms(cliCold)}, facts in the store ${ms(cliWarm)}`);
    console.log(`store size: ${(withoutFacts / 1024).toFixed(0)} KB without facts, ${(withFacts / 1024).toFixed(0)} KB with the facts of ${size} cells`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
