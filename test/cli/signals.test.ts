// `nbprov run` ended by a signal mid-run, through the built CLI and a real kernel: every cell that
// finished before the signal is in the store and `nbprov lineage` sees it, and no Jupyter Server or
// kernel process of that run is left. Progress is read from files the cells write and from the
// store, never from elapsed time.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../../src/core/store';
import { ensureBuilt, nbprovJson, removeWorkspace, ROOT, tempWorkspace, writeNotebook } from './helpers';

const BIN = path.join(ROOT, 'bin', 'nbprov.js');
/** Generous bounds for a busy machine; the tests wait for events and only fail when a bound passes. */
const EVENT_BOUND_MS = 120_000;
const CLEANUP_BOUND_MS = 60_000;
const POLL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, check: () => T | null | undefined | false | Promise<T | null | undefined | false>, boundMs = EVENT_BOUND_MS): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`gave up waiting for ${what} after ${boundMs} ms`);
    await sleep(POLL_MS);
  }
}

/** A process as /proc shows it: pid plus start time, so a reused pid is not mistaken for it. */
interface ProcessId {
  pid: number;
  startTime: string;
  command: string;
}

function readStat(pid: number): { ppid: number; state: string; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

/** Every process descended from `root` (not `root` itself). */
function descendants(root: number): ProcessId[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(name)]);
  }
  const found: ProcessId[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    const stat = readStat(pid);
    if (stat) found.push({ pid, startTime: stat.startTime, command: commandOf(pid) });
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function isAlive(proc: ProcessId): boolean {
  const stat = readStat(proc.pid);
  return stat !== null && stat.startTime === proc.startTime && stat.state !== 'Z';
}

interface RunningCli {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startRun(ws: string, notebook: string): RunningCli {
  const env = { ...process.env };
  delete env.NBPROV_DEBUG;
  const child = spawn(process.execPath, [BIN, 'run', notebook, '--no-trial'], { cwd: ws, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, exit };
}

/**
 * Cells 0 and 1 finish at once; cell 2 writes `started` and then sleeps (ignoring SIGINT when
 * asked, to show that a second signal exits without waiting for it); cell 3 never runs.
 */
function sleepyNotebook(ws: string, ignoreInterrupt = false): string {
  writeNotebook(ws, 'sleepy.ipynb', [
    'a = 1',
    'b = a + 1',
    [
      'import pathlib, signal, time',
      ...(ignoreInterrupt ? ['signal.signal(signal.SIGINT, signal.SIG_IGN)'] : []),
      'pathlib.Path("started").write_text("cell 2")',
      'for _ in range(6000):',
      '    time.sleep(0.1)',
      'c = b + 1',
    ].join('\n'),
    'd = 4',
  ]);
  return 'sleepy.ipynb';
}

async function storedCells(ws: string): Promise<Array<{ cellId: string; success: boolean; error?: string }>> {
  if (!existsSync(path.join(ws, '.nbprov', 'store.sqlite'))) return [];
  const store = await openStore(ws);
  try {
    return store.listExecutions('sleepy.ipynb').map((e) => ({ cellId: e.cellId, success: e.success, error: e.error?.type }));
  } finally {
    store.close();
  }
}

/** Waits until cell 2 runs (and, for an abrupt end, until cells 0 and 1 are in the store file), then returns the run's processes. */
async function runUntilCellTwoSleeps(ws: string, cli: RunningCli, waitForStore: boolean): Promise<ProcessId[]> {
  await waitFor('cell 2 to start', () => existsSync(path.join(ws, 'started')) || (cli.child.exitCode !== null && assert.fail(`nbprov exited early:\n${cli.stderr()}`)));
  if (waitForStore) {
    await waitFor('cells 0 and 1 in the store while the run goes on', async () => {
      const ids = (await storedCells(ws)).map((c) => c.cellId);
      return ids.includes('c0') && ids.includes('c1');
    });
  }
  const processes = descendants(cli.child.pid!);
  assert.ok(
    processes.some((p) => p.command.includes('nbprov_server.py')),
    `no Jupyter Server among nbprov's processes: ${JSON.stringify(processes)}`,
  );
  assert.ok(
    processes.some((p) => p.command.includes('ipykernel')),
    `no kernel among nbprov's processes: ${JSON.stringify(processes)}`,
  );
  return processes;
}

/** Waits (up to a generous bound) for every process of the run to end; returns how long it took, for the record. */
async function assertAllEnded(processes: ProcessId[], since: number, diagnostic: (text: string) => void): Promise<void> {
  await waitFor(
    `the run's server and kernel to end (${processes.map((p) => `${p.pid} ${p.command.slice(0, 60)}`).join('; ')})`,
    () => processes.every((p) => !isAlive(p)),
    CLEANUP_BOUND_MS,
  );
  diagnostic(`server and kernel ended ${Date.now() - since} ms after the signal`);
}

function assertLineageSees(ws: string): void {
  const lineage = nbprovJson(['lineage', 'sleepy.ipynb', 'b'], ws);
  assert.equal(lineage.history, 'recorded');
  assert.deepEqual(
    lineage.executions.map((e: { cellId: string }) => e.cellId),
    ['c0', 'c1'],
  );
}

describe('nbprov run ended by a signal', { timeout: 4 * EVENT_BOUND_MS }, () => {
  const workspaces: string[] = [];
  before(() => ensureBuilt());
  after(() => workspaces.forEach(removeWorkspace));

  for (const [signal, exitCode] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    test(`${signal}: the running cell is interrupted, what finished is saved and reported, exit ${exitCode}`, async (t) => {
      const ws = tempWorkspace(`signal-${signal}`);
      workspaces.push(ws);
      const cli = startRun(ws, sleepyNotebook(ws));
      const processes = await runUntilCellTwoSleeps(ws, cli, false);
      const signalled = Date.now();
      cli.child.kill(signal);
      const ended = await cli.exit;
      await assertAllEnded(processes, signalled, (text) => t.diagnostic(text));
      assert.deepEqual(ended, { code: exitCode, signal: null }, cli.stderr());
      assert.match(cli.stderr(), new RegExp(`nbprov: ${signal}: stopping`));
      assert.match(cli.stderr(), /nbprov: 3 execution\(s\) saved in \.nbprov\/store\.sqlite/);
      assert.match(cli.stderr(), /Interrupted by the user while cell 2 was running/);
      assert.deepEqual(await storedCells(ws), [
        { cellId: 'c0', success: true, error: undefined },
        { cellId: 'c1', success: true, error: undefined },
        { cellId: 'c2', success: false, error: 'KeyboardInterrupt' },
      ]);
      assertLineageSees(ws);
    });
  }

  test('SIGKILL: the cells that finished are already in the store, and the server and kernel end on their own', async (t) => {
    const ws = tempWorkspace('signal-SIGKILL');
    workspaces.push(ws);
    const cli = startRun(ws, sleepyNotebook(ws));
    const processes = await runUntilCellTwoSleeps(ws, cli, true);
    const signalled = Date.now();
    cli.child.kill('SIGKILL');
    const ended = await cli.exit;
    await assertAllEnded(processes, signalled, (text) => t.diagnostic(text));
    assert.deepEqual(ended, { code: null, signal: 'SIGKILL' });
    assert.deepEqual(await storedCells(ws), [
      { cellId: 'c0', success: true, error: undefined },
      { cellId: 'c1', success: true, error: undefined },
    ]);
    assertLineageSees(ws);
  });

  test('a second Ctrl-C exits at once, even when the cell ignores interrupts; what was saved stays', async (t) => {
    const ws = tempWorkspace('signal-twice');
    workspaces.push(ws);
    const cli = startRun(ws, sleepyNotebook(ws, true));
    const processes = await runUntilCellTwoSleeps(ws, cli, true);
    cli.child.kill('SIGINT');
    await waitFor('the first Ctrl-C to be acknowledged', () => /nbprov: SIGINT: stopping/.test(cli.stderr()));
    const signalled = Date.now();
    cli.child.kill('SIGINT');
    const ended = await cli.exit;
    await assertAllEnded(processes, signalled, (text) => t.diagnostic(text));
    assert.deepEqual(ended, { code: 130, signal: null }, cli.stderr());
    assert.match(cli.stderr(), /SIGINT again: exiting now/);
    assert.deepEqual(
      (await storedCells(ws)).map((c) => c.cellId),
      ['c0', 'c1'],
    );
    assertLineageSees(ws);
  });
});
