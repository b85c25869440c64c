/**
 * Helpers for end-to-end tests of the built `nbprov` CLI: build it once (when src changed), spawn
 * `node bin/nbprov.js` in a temporary workspace, and check the CLI's output contract.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { creditCardCsv } from '../../src/cli/demo/creditcardData';

export const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'nbprov.js');
const BUNDLE = path.join(ROOT, 'dist', 'cli.js');
export const FRAUD_NOTEBOOK = path.join(ROOT, 'examples', 'fraud', 'fraud.ipynb');
export const REAL_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'real');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds dist/cli.js when it is missing or older than src/. Test files run two at a time, so the
 * build is guarded by a lock directory: a second file waits instead of reading a half-written bundle.
 */
export function ensureBuilt(): void {
  const lock = path.join(os.tmpdir(), 'nbprov-cli-tests-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than two minutes belongs to a crashed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited too long for the build lock ${lock}`);
      sleep(200);
    }
  }
  try {
    const stale = !existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < newestSourceTime(path.join(ROOT, 'src'));
    if (stale) {
      const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, `build failed:\n${build.stderr}`);
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function nbprov(args: readonly string[], cwd: string, timeoutMs = 60_000, extraEnv: Record<string, string> = {}): CliResult {
  const started = Date.now();
  const env = { ...process.env, ...extraEnv };
  delete env.NBPROV_DEBUG;
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: Date.now() - started };
}

/** Runs a --json command that must succeed and returns its single JSON document. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function nbprovJson(args: readonly string[], cwd: string, timeoutMs?: number): any {
  const result = nbprov([...args, '--json'], cwd, timeoutMs);
  assert.equal(result.code, 0, `nbprov ${args.join(' ')} exited ${result.code}\nstderr: ${result.stderr}`);
  return parseSingleJson(result.stdout);
}

/** stdout must be exactly one JSON document (JSON.parse rejects anything after the first value). */
export function parseSingleJson(stdout: string): unknown {
  assert.ok(stdout.trim().length > 0, 'stdout is empty');
  try {
    return JSON.parse(stdout);
  } catch (err) {
    assert.fail(`stdout is not one JSON document (${(err as Error).message}):\n${stdout.slice(0, 500)}`);
  }
}

/** The error contract: exit 2, one `nbprov:` line on stderr, no stack trace, nothing on stdout. */
export function assertUsageError(result: CliResult, pattern: RegExp): string {
  assert.equal(result.code, 2, `expected exit 2, got ${result.code}\nstdout: ${result.stdout.slice(0, 300)}\nstderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `stderr must be one line:\n${result.stderr}`);
  const [line] = lines;
  assert.match(line, /^nbprov: /);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'stderr holds a stack trace');
  assert.ok(!result.stderr.includes('    at '), 'stderr holds a stack trace');
  assert.doesNotMatch(line, /internal error/);
  assert.equal(result.stdout, '', 'stdout must stay empty on error');
  assert.match(line, pattern);
  return line;
}

export function tempWorkspace(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `nbprov-cli-${prefix}-`));
  // Pins the workspace here, so no .nbprov/ store in a parent folder is picked up.
  mkdirSync(path.join(dir, '.nbprov'));
  return dir;
}

export function removeWorkspace(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CellSpec {
  source: string;
  count?: number | null;
  tags?: string[];
  type?: 'code' | 'markdown';
}

export function notebookJson(cells: ReadonlyArray<string | CellSpec>, metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
      language_info: { name: 'python' },
      ...metadata,
    },
    cells: cells.map((spec, i) => {
      const cell = typeof spec === 'string' ? { source: spec } : spec;
      const type = cell.type ?? 'code';
      const base = { id: `c${i}`, cell_type: type, metadata: cell.tags ? { tags: cell.tags } : {}, source: cell.source };
      return type === 'code' ? { ...base, execution_count: cell.count ?? null, outputs: [] } : base;
    }),
  });
}

export function writeNotebook(dir: string, name: string, cells: ReadonlyArray<string | CellSpec>, metadata?: Record<string, unknown>): string {
  const file = path.join(dir, name);
  writeFileSync(file, notebookJson(cells, metadata));
  return file;
}

/** The demo experiment: fraud.ipynb and the synthetic creditcard.csv it reads, in a new workspace. */
export function fraudWorkspace(prefix: string): string {
  const dir = tempWorkspace(prefix);
  copyFileSync(FRAUD_NOTEBOOK, path.join(dir, 'fraud.ipynb'));
  writeFileSync(path.join(dir, 'creditcard.csv'), creditCardCsv());
  return dir;
}
