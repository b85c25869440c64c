/**
 * Running the built CLI as a user would, and classifying what came back: crash (stack trace,
 * internal error, signal, odd exit code), hang (still running at a generous limit — used only to
 * classify, never asserted as a time), unclear message (a failure without one `nbprov:` line that
 * names the problem or a fix). Records lost and damaged files are counted by the callers, who know
 * what should have survived.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'nbprov.js');

/** Only to tell a hang from a slow machine: far above any case's normal time. */
export const HANG_LIMIT_MS = 120_000;

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NBPROV_DEBUG;
  return env;
}

export function runCli(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: cliEnv(extraEnv), encoding: 'utf8', timeout: HANG_LIMIT_MS, killSignal: 'SIGKILL', maxBuffer: 512 * 1024 * 1024 });
  const hung = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (result.error && !hung) throw result.error;
  return { args: [...args], code: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '', hung };
}

/** Starts the CLI without waiting (for concurrency and kill tests). */
export function startCli(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ args: [...args], code, signal, stdout, stderr, hung: false }));
  });
  return { child, done };
}

export type Outcome = 'ok' | 'crash' | 'hang' | 'unclear';

const CRASH = /internal error|\n\s+at \S+ \(|^\s+at |RangeError|TypeError|ReferenceError|Maximum call stack|FATAL ERROR|heap out of memory|Aborted|Segmentation/m;
/** A message that says what to do has one of these verbs (or names the file, for the problem). */
const FIX = /\b(pass|fix|run|check|remove|set|convert|give|pick|free|restore|re-save|delete|tag|move|use|clear|upgrade|record|make|rename|see)\b/i;
/** Lines a failing command may print besides its one error line. */
const CHATTER = /^(warning|note): |^starting a Jupyter|^connecting to |^\[\d+\/\d+\] /;

/**
 * What a run of the CLI amounts to. `names` are words a clear message about this input would
 * contain (the notebook's file name, "store"…): a failure must name one of them or a fix.
 */
export function classify(run: CliRun, names: readonly string[]): { outcome: Outcome; why: string } {
  if (run.hung) return { outcome: 'hang', why: `still running after ${HANG_LIMIT_MS / 1000} s` };
  if (run.signal) return { outcome: 'crash', why: `killed by ${run.signal}` };
  if (CRASH.test(run.stderr)) return { outcome: 'crash', why: firstLines(run.stderr) };
  if (run.code !== 0 && run.code !== 1 && run.code !== 2) return { outcome: 'crash', why: `exit code ${run.code}` };
  if (run.code === 0) return { outcome: 'ok', why: '' };
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '' && !CHATTER.test(l));
  if (lines.length !== 1) return { outcome: 'unclear', why: lines.length ? `${lines.length} lines: ${firstLines(run.stderr)}` : 'failed with no message' };
  const [line] = lines;
  if (!line.startsWith('nbprov: ')) return { outcome: 'unclear', why: `not an nbprov message: ${line}` };
  const namesProblem = names.some((n) => line.includes(n));
  if (!namesProblem && !FIX.test(line)) return { outcome: 'unclear', why: `names neither the input nor a fix: ${line}` };
  return { outcome: 'ok', why: '' };
}

function firstLines(text: string): string {
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 300);
}

/** The suite's figures: one row per section, summed. */
export interface Figures {
  tried: number;
  crashes: number;
  hangs: number;
  recordsLost: number;
  unclear: number;
  filesDamaged: number;
}

export const emptyFigures = (): Figures => ({ tried: 0, crashes: 0, hangs: 0, recordsLost: 0, unclear: 0, filesDamaged: 0 });

export function addOutcome(figures: Figures, outcome: Outcome): void {
  figures.tried++;
  if (outcome === 'crash') figures.crashes++;
  if (outcome === 'hang') figures.hangs++;
  if (outcome === 'unclear') figures.unclear++;
}

const COLUMNS: [keyof Figures, string][] = [
  ['tried', 'cases tried'],
  ['crashes', 'crashes'],
  ['hangs', 'hangs'],
  ['recordsLost', 'records lost'],
  ['unclear', 'unclear messages'],
  ['filesDamaged', 'files damaged'],
];

export function figuresTable(rows: [string, Figures][]): string {
  const total = emptyFigures();
  for (const [, f] of rows) for (const [k] of COLUMNS) total[k] += f[k];
  const all: [string, Figures][] = [...rows, ['total', total]];
  const first = Math.max(7, ...all.map(([n]) => n.length));
  const widths = COLUMNS.map(([, h]) => h.length);
  const row = (cells: string[]) => `| ${cells[0].padEnd(first)} | ${cells.slice(1).map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  const rule = `|${'-'.repeat(first + 2)}|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [row(['section', ...COLUMNS.map(([, h]) => h)]), rule, ...all.map(([n, f]) => row([n, ...COLUMNS.map(([k]) => String(f[k]))]))].join('\n');
}
