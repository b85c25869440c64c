/**
 * Ground truth from a real IPython kernel (see `cases.ts` for the definition).
 *
 * One kernel serves many cases: each replay starts with IPython's own `reset` (what `%reset -f`
 * does), a fresh working directory and re-seeded `random`/`numpy.random`, so nothing a case binds,
 * mutates or writes reaches the next one. Imported modules stay loaded, which is faithful: a
 * notebook's `import numpy` does not depend on whether numpy was imported before. The original
 * replay runs with nbprov's recorder, like `nbprov run`, and its records are what the prediction
 * reads; a second original replay finds nondeterministic cells. Results are cached under
 * `.cache/soundness/` by a hash of the case, the observer and the recorder's source, so a change to
 * any of them recomputes; a clean checkout computes everything from the kernel.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionRecord, SessionRecord } from '../../src/core/records';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import type { KernelClient, KernelOutput } from '../../src/kernel/kernelClient';
import { recorderSources } from '../../src/kernel/recorderAsset';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { runCells } from '../../src/kernel/runCells';
import { historyOf, originalCode, type SoundnessCase } from './cases';
import { OBSERVER_SOURCE } from './observer';

/** Bump when the meaning of a cached truth changes. */
const ORACLE_VERSION = 2;
export const NOTEBOOK_PATH = 'soundness.ipynb';

export interface CellObservation {
  outputs: string[];
  touched: Record<string, { digest: string; sameAs: string[] }>;
  deleted: string[];
  files: Record<string, string>;
  error: string | null;
}

export interface CaseTruth {
  key: string;
  /** Cells (≠ the edited one) whose latest execution is observed differently after the edit. */
  truth: number[];
  /** Why each truth cell differs (first difference), for reports. */
  why: Record<number, string>;
  /** Cells whose observation differs between two replays of the original (left out of truth). */
  unstable: number[];
  /** The recorded original replay: what nbprov would have in its store. */
  records: ExecutionRecord[];
  sessions: SessionRecord[];
  /** Cells that failed in the original replay, as `index: error`. */
  originalErrors: Record<number, string>;
  /** Kernel milliseconds spent on this case (0 when it came from the cache). */
  kernelMs: number;
}

export function cellId(index: number): string {
  return `sc${index}`;
}

export function caseKey(c: SoundnessCase): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: ORACLE_VERSION, cells: c.cells, history: historyOf(c), code: originalCode(c), edit: c.edit }));
  h.update(OBSERVER_SOURCE);
  for (const { module, source } of recorderSources()) h.update(`${module}\n${source}`);
  return h.digest('hex').slice(0, 24);
}

function cacheDir(): string {
  return process.env.NBPROV_SOUNDNESS_CACHE ?? path.join(process.cwd(), '.cache', 'soundness');
}

function readCache(key: string): CaseTruth | null {
  const file = path.join(cacheDir(), `${key}.json`);
  if (!existsSync(file)) return null;
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as CaseTruth;
    return cached.key === key ? { ...cached, kernelMs: 0 } : null;
  } catch {
    return null;
  }
}

function writeCache(truth: CaseTruth): void {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${truth.key}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(truth));
  renameSync(temp, file);
}

/** One kernel with nbprov's recorder and the observer, reused across cases. */
export class Oracle {
  private client: KernelClient | null = null;
  private session: RecorderSession | null = null;
  private readonly scratch = mkdtempSync(path.join(tmpdir(), 'nbprov-soundness-'));
  private runs = 0;
  /** Cases computed in the kernel (not from the cache). */
  computed = 0;

  async truthOf(c: SoundnessCase): Promise<CaseTruth> {
    const key = caseKey(c);
    const cached = process.env.NBPROV_SOUNDNESS_NO_CACHE ? null : readCache(key);
    if (cached) return cached;
    const started = performance.now();
    const original = await this.replay(c, false, true);
    const again = await this.replay(c, false, false);
    const edited = await this.replay(c, true, false);
    const latest = latestPositions(historyOf(c));
    // Names only one version ever binds (new names in the edited code, or names it no longer
    // binds) belong to the edited cell: a later cell that mutates an object such a name shares
    // behaves the same, so they are left out of the comparison.
    const shared = intersect(namesEverBound(original.observations), namesEverBound(edited.observations));
    const truth: number[] = [];
    const unstable: number[] = [];
    const why: Record<number, string> = {};
    for (const [cell, position] of [...latest].sort((a, b) => a[0] - b[0])) {
      if (cell === c.edit.cell) continue;
      if (difference(original.observations[position], again.observations[position], shared) !== null) {
        unstable.push(cell);
        continue;
      }
      const differs = difference(original.observations[position], edited.observations[position], shared);
      if (differs !== null) {
        truth.push(cell);
        why[cell] = differs;
      }
    }
    const originalErrors: Record<number, string> = {};
    for (const [cell, position] of latest) {
      const error = original.observations[position].error;
      if (error) originalErrors[cell] = error;
    }
    const result: CaseTruth = { key, truth, why, unstable, records: original.records, sessions: original.sessions, originalErrors, kernelMs: performance.now() - started };
    this.computed++;
    writeCache(result);
    return result;
  }

  private async kernel(): Promise<{ client: KernelClient; session: RecorderSession }> {
    if (this.client && this.session) return { client: this.client, session: this.session };
    const client = await JupyterServerClient.startLocal({ rootDir: this.scratch }, { kernelName: 'python3' });
    this.client = client;
    this.session = new RecorderSession(client, NOTEBOOK_PATH);
    await this.session.ensureInstalled();
    await silent(client, installObserverCode());
    return { client, session: this.session };
  }

  /**
   * With NBPROV_SOUNDNESS_RESTART=1 every replay starts in a restarted kernel, as if each notebook
   * had its own: slower, and the way to check that sharing one kernel changes no truth.
   */
  private async freshKernel(): Promise<{ client: KernelClient; session: RecorderSession }> {
    const kernel = await this.kernel();
    if (!process.env.NBPROV_SOUNDNESS_RESTART) return kernel;
    await kernel.client.restart();
    await kernel.session.ensureInstalled();
    await silent(kernel.client, installObserverCode());
    return kernel;
  }

  private async replay(c: SoundnessCase, edited: boolean, record: boolean): Promise<{ observations: CellObservation[]; records: ExecutionRecord[]; sessions: SessionRecord[] }> {
    const { client, session } = await this.freshKernel();
    const root = path.join(this.scratch, `run-${this.runs++}`);
    await silent(client, `__import__('sys').modules['nbprov_soundness'].begin(__import__('IPython').get_ipython(), ${JSON.stringify(root)})`);
    const history = historyOf(c);
    const code = originalCode(c);
    const cells = history.map((index, i) => ({ cellId: cellId(index), cellIndex: index, code: edited && index === c.edit.cell ? c.edit.code : code[i] }));
    // The recorded replay goes through runCells, exactly as `nbprov run` records; the others only
    // need outputs, so they skip its per-run collect and environment requests.
    const run = record
      ? await runCells(client, cells, { notebookPath: NOTEBOOK_PATH, session, stopOnError: false })
      : { outputs: await executeAll(client, cells.map((cell) => cell.code)), executions: [], sessions: [] };
    if (record && run.executions.length !== history.length) throw new Error(`${c.name}: ${history.length} cells ran but ${run.executions.length} were recorded`);
    const log = JSON.parse(await silent(client, `print(__import__('sys').modules['nbprov_soundness'].take())`)) as (Omit<CellObservation, 'outputs'> & { executionCount: number | null })[];
    if (run.outputs.length !== history.length || log.length !== history.length) {
      throw new Error(`${c.name}: ${history.length} cells ran but the kernel gave ${run.outputs.length} outputs and ${log.length} observations`);
    }
    const observations = run.outputs.map((out, i) => {
      const seen = log[i];
      if (out.executionCount !== null && seen.executionCount !== out.executionCount) {
        throw new Error(`${c.name}: observation ${i} is of execution ${seen.executionCount}, not ${out.executionCount}`);
      }
      return { outputs: out.outputs.map(normalizeOutput), touched: seen.touched, deleted: seen.deleted, files: seen.files, error: seen.error };
    });
    rmSync(root, { recursive: true, force: true });
    // The session the records belong to (the recorder session also lists earlier kernels' sessions).
    const sessions = run.sessions.filter((s) => run.executions.some((e) => e.sessionId === s.id));
    return { observations, records: run.executions, sessions };
  }

  async dispose(): Promise<void> {
    await this.client?.dispose();
    this.client = null;
    rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** Position in the history of each cell's latest execution. */
export function latestPositions(history: readonly number[]): Map<number, number> {
  const latest = new Map<number, number>();
  history.forEach((cell, position) => latest.set(cell, position));
  return latest;
}

const ADDRESS = / at 0x[0-9a-fA-F]+/g;

/** What a user sees of an output, without memory addresses (tracebacks name execution counts: only the error line). */
function normalizeOutput(output: KernelOutput): string {
  if (output.type === 'stream') return `${output.name}: ${output.text.replace(ADDRESS, '')}`;
  if (output.type === 'error') return `error: ${output.ename}: ${output.evalue.replace(ADDRESS, '')}`;
  const plain = output.data['text/plain'];
  const text = typeof plain === 'string' ? plain : JSON.stringify(Object.keys(output.data).sort());
  return `${output.type === 'execute_result' ? 'result' : 'display'}: ${text.replace(ADDRESS, '')}`;
}

function namesEverBound(observations: readonly CellObservation[]): Set<string> {
  return new Set(observations.flatMap((o) => [...Object.keys(o.touched), ...o.deleted]));
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** The first way two observations of one execution differ, or null; globals other than `names` are ignored. */
export function difference(a: CellObservation, b: CellObservation, names: ReadonlySet<string>): string | null {
  if (JSON.stringify(a.outputs) !== JSON.stringify(b.outputs)) return `outputs ${JSON.stringify(a.outputs).slice(0, 80)} → ${JSON.stringify(b.outputs).slice(0, 80)}`;
  if (a.error !== b.error) return `error ${a.error} → ${b.error}`;
  const touched = [...new Set([...Object.keys(a.touched), ...Object.keys(b.touched)])].filter((n) => names.has(n)).sort();
  for (const name of touched) {
    const x = a.touched[name];
    const y = b.touched[name];
    if (!x || !y) return `${x ? 'no longer touches' : 'now touches'} ${name}`;
    if (x.digest !== y.digest) return `value of ${name}`;
    const sameX = x.sameAs.filter((n) => names.has(n)).join(', ');
    const sameY = y.sameAs.filter((n) => names.has(n)).join(', ');
    if (sameX !== sameY) return `${name} is the same object as [${sameX}] → [${sameY}]`;
  }
  if (a.deleted.filter((n) => names.has(n)).join() !== b.deleted.filter((n) => names.has(n)).join()) return `deletes [${a.deleted.join(', ')}] → [${b.deleted.join(', ')}]`;
  const files = [...new Set([...Object.keys(a.files), ...Object.keys(b.files)])].sort();
  for (const file of files) if (a.files[file] !== b.files[file]) return `file ${file}`;
  return null;
}

async function executeAll(client: KernelClient, codes: readonly string[]): Promise<{ executionCount: number | null; outputs: KernelOutput[] }[]> {
  const outputs = [];
  for (const code of codes) {
    const reply = await client.execute(code, { silent: false, storeHistory: true });
    if (reply.status === 'aborted') throw new Error('the kernel aborted a replayed cell');
    outputs.push({ executionCount: reply.executionCount, outputs: reply.outputs });
  }
  return outputs;
}

function installObserverCode(): string {
  return [
    `(lambda m: (exec(compile(${JSON.stringify(OBSERVER_SOURCE)}, 'nbprov_soundness', 'exec'), m.__dict__),`,
    ` __import__('sys').modules.__setitem__('nbprov_soundness', m), m.install(__import__('IPython').get_ipython())))`,
    `(__import__('types').ModuleType('nbprov_soundness'))`,
  ].join('');
}

async function silent(client: KernelClient, code: string): Promise<string> {
  const result = await client.execute(code, { silent: true, storeHistory: false, maxOutputChars: 64 * 1024 * 1024 });
  if (result.status !== 'ok') throw new Error(`soundness oracle request failed: ${result.error ? `${result.error.ename}: ${result.error.evalue}\n${result.error.traceback.join("\n")}` : result.status}`);
  return result.stdout;
}
