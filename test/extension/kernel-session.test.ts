/**
 * The queue behind "nbprov: Python", against a real Jupyter Server and ipykernel: order, outputs,
 * records attributed to cells, failures cancelling the queue, interrupt, restart, a kernel dying
 * mid-cell, and the messages for a missing Python or a refused token. No VS Code: the test plays
 * the editor's part of each queued cell.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../../src/core/records';
import { KernelConnector, type ConnectionRequest } from '../../src/extension/kernel/connection';
import { KernelSession, type QueuedCell } from '../../src/extension/kernel/kernelSession';
import type { KernelOutput } from '../../src/kernel/kernelClient';
import { startLocalJupyterServer, type LocalJupyterServer } from '../../src/kernel/localServer';
import { KERNEL_TEST_TIMEOUT } from '../kernel/helpers';

class EditorCell implements QueuedCell {
  readonly events: string[] = [];
  readonly outputs: KernelOutput[] = [];
  readonly messages: string[] = [];
  order: number | null = null;
  success: boolean | undefined | 'pending' = 'pending';
  startTime = 0;
  endTime: number | undefined;
  private readonly waiters: { text: string; resolve: () => void }[] = [];

  constructor(
    readonly cellId: string,
    readonly cellIndex: number,
    readonly code: string,
    readonly languageId = 'python',
  ) {}

  started(startTime: number): void {
    this.events.push('started');
    this.startTime = startTime;
  }
  executionOrder(order: number | null): void {
    this.order = order;
  }
  output(output: KernelOutput): void {
    this.outputs.push(output);
    const text = output.type === 'stream' ? output.text : '';
    for (const w of this.waiters.filter((w) => text.includes(w.text))) w.resolve();
  }
  message(text: string): void {
    this.messages.push(text);
  }
  finished(success: boolean | undefined, endTime?: number): void {
    this.events.push('finished');
    this.success = success;
    this.endTime = endTime;
  }
  /** Resolves when the cell printed `text` (the kernel is inside the cell then). */
  printed(text: string): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ text, resolve }));
  }
  stdout(): string {
    return this.outputs.map((o) => (o.type === 'stream' && o.name === 'stdout' ? o.text : '')).join('');
  }
}

interface Harness {
  session: KernelSession;
  records: { record: ExecutionRecord; session: SessionRecord; cell: QueuedCell }[];
  patches: ValuePatch[];
  sessions: SessionRecord[];
  connectErrors: Error[];
  recording: { enabled: boolean; excludedNames: string[] };
}

function harness(connector: KernelConnector, request: ConnectionRequest): Harness {
  const h: Harness = { session: null as unknown as KernelSession, records: [], patches: [], sessions: [], connectErrors: [], recording: { enabled: true, excludedNames: [] } };
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  h.session = new KernelSession({
    notebookPath: () => 'work/nb.ipynb',
    connect: () => connector.connect(request),
    recording: () => h.recording,
    log: quiet,
    onRecord: (record, session, cell) => h.records.push({ record, session, cell }),
    onPatches: (patches) => h.patches.push(...patches),
    onSession: (session) => h.sessions.push({ ...session }),
    onConnectError: (error) => h.connectErrors.push(error),
  });
  return h;
}

const value = (record: ExecutionRecord | undefined, name: string) => record?.values.find((v) => v.name === name)?.value;

describe('KernelSession on a real kernel', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  let dir: string;
  let connector: KernelConnector;
  let h: Harness;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nbprov-controller-'));
    connector = new KernelConnector({ info: () => undefined, warn: () => undefined });
    h = harness(connector, { pythonInterpreter: '', serverUrl: '', token: async () => undefined, rootDir: dir });
  });
  after(async () => {
    await h?.session.dispose();
    await connector?.dispose();
  });

  test('Run All: cells run in order on a lazily started kernel; outputs, order and records belong to each cell', async () => {
    const cells = [
      new EditorCell('a1', 0, 'x = 40\nprint("x is", x)'),
      new EditorCell('md-skipped', 1, '   '),
      new EditorCell('b2', 2, 'y = x + 2\ny'),
      new EditorCell('c3', 3, 'from IPython.display import HTML, display\ndisplay(HTML("<b>bold</b>"))\nimport os\ncwd = os.getcwd()'),
    ];
    const summary = await h.session.enqueue(cells);
    assert.equal(summary.failure, null);
    assert.deepEqual(summary.results.map((r) => r.status), ['ok', 'skipped', 'ok', 'ok']);
    assert.deepEqual([cells[0]!.order, cells[2]!.order, cells[3]!.order], [1, 2, 3]);
    assert.deepEqual(cells.map((c) => c.success), [true, undefined, true, true]);
    assert.equal(cells[0]!.stdout(), 'x is 40\n');
    assert.deepEqual(cells[2]!.outputs, [{ type: 'execute_result', data: { 'text/plain': '42' }, metadata: {}, executionCount: 2 }]);
    assert.equal((cells[3]!.outputs[0] as { data: Record<string, unknown> }).data['text/html'], '<b>bold</b>');
    assert.ok(cells.every((c) => c.endTime === undefined || c.endTime >= c.startTime));

    assert.deepEqual(h.records.map((r) => [r.record.cellId, r.record.cellIndex, r.record.executionCount]), [['a1', 0, 1], ['b2', 2, 2], ['c3', 3, 3]]);
    assert.equal(value(h.records[1]!.record, 'y'), 42);
    assert.equal(value(h.records[3 - 1]!.record, 'cwd'), dir, 'the local kernel starts in the notebook folder');
    assert.equal(h.records[0]!.cell, cells[0]);
    assert.ok(h.records.every((r) => r.record.notebookPath === 'work/nb.ipynb' && r.record.sessionId === h.records[0]!.session.id));
    assert.equal(summary.session?.id, h.records[0]!.session.id);
    assert.equal(h.sessions[0]!.id, summary.session?.id);
  });

  test('a large value is recorded with its hash pending; flushing brings the hash as a patch of that record', async () => {
    const cell = new EditorCell('big', 4, "import numpy as np\nbig = np.arange(2_000_000, dtype='float64')");
    const summary = await h.session.enqueue([cell]);
    assert.equal(summary.failure, null);
    const record = h.records[h.records.length - 1]!.record;
    const big = record.values.find((v) => v.name === 'big');
    assert.equal(big?.deferred, 'pending', JSON.stringify(big));
    assert.equal(await h.session.flushHashes(120), 0, 'nothing left to hash');
    const patch = h.patches.find((p) => p.executionId === record.id && p.name === 'big');
    assert.ok(patch?.hash, `the hash of big arrived for its record: ${JSON.stringify(h.patches)}`);
  });

  test('runs requested while another runs wait their turn; the environment follows once idle', async () => {
    const slow = new EditorCell('slow', 0, 'import time\nprint("in slow", flush=True)\ntime.sleep(0.3)\nimport json\nslow_done = True');
    const first = h.session.enqueue([slow]);
    await slow.printed('in slow');
    const next = new EditorCell('next', 1, 'after = slow_done');
    const second = h.session.enqueue([next]);
    assert.deepEqual(next.events, [], 'the second run waits while the first is in the kernel');
    await Promise.all([first, second]);
    assert.deepEqual(next.events, ['started', 'finished']);
    assert.equal(next.success, true);
    assert.equal(value(h.records.at(-1)!.record, 'after'), true);
    await h.session.whenIdle();
    assert.equal(h.session.currentSession?.environment?.language, 'python', 'read once the queue is idle');
    const withEnvironment = h.sessions.filter((s) => s.environment !== null);
    assert.ok(withEnvironment.length >= 1, 'the session is announced again once its environment is known');
    assert.equal(withEnvironment.at(-1)!.environment!.language, 'python');
  });

  test('a failing cell is recorded as failed and cancels the cells queued behind it', async () => {
    const bad = new EditorCell('bad', 0, 'raise ValueError("broken input")');
    const never = new EditorCell('never', 1, 'never = 1');
    const before = h.records.length;
    const summary = await h.session.enqueue([bad, never]);
    assert.deepEqual(summary.results.map((r) => r.status), ['error', 'cancelled']);
    assert.equal(summary.failure?.cellId, 'bad');
    assert.equal(summary.failure?.message, 'ValueError: broken input');
    assert.equal(bad.success, false);
    assert.equal(bad.outputs.find((o) => o.type === 'error')?.type, 'error');
    assert.deepEqual(never.events, ['finished'], 'cancelled without ever starting');
    assert.equal(never.success, undefined);
    assert.deepEqual(h.records.slice(before).map((r) => [r.record.cellId, r.record.success, r.record.error?.type]), [['bad', false, 'ValueError']]);
  });

  test('interrupt stops the running cell (KeyboardInterrupt) and cancels the queue', async () => {
    const sleeper = new EditorCell('sleeper', 0, 'import time\nprint("sleeping", flush=True)\ntime.sleep(60)');
    const queued = new EditorCell('queued', 1, 'z = 1');
    const run = h.session.enqueue([sleeper, queued]);
    await sleeper.printed('sleeping');
    await h.session.interrupt();
    const summary = await run;
    assert.deepEqual(summary.results.map((r) => r.status), ['interrupted', 'cancelled']);
    assert.equal(sleeper.success, false);
    assert.equal(h.records.at(-1)!.record.cellId, 'sleeper');
    assert.equal(h.records.at(-1)!.record.error?.type, 'KeyboardInterrupt');
  });

  test('after a restart variables are gone and records come under a new session', async () => {
    const before = h.session.currentSession!.id;
    await h.session.restart();
    const after = h.session.currentSession!.id;
    assert.notEqual(after, before);
    assert.equal(h.sessions.at(-1)!.id, after, 'the new session is announced');
    const probe = new EditorCell('probe', 0, 'x');
    const summary = await h.session.enqueue([probe]);
    assert.equal(summary.results[0]!.status, 'error');
    assert.equal(probe.order, 1, 'execution counts start again');
    assert.equal(h.records.at(-1)!.record.sessionId, after);
    assert.equal(h.records.at(-1)!.record.error?.type, 'NameError');
  });

  test('a kernel that dies mid-cell: the cell fails with a clear message, earlier records stay, the next run gets a new kernel', async () => {
    const ok = new EditorCell('kept', 0, 'kept = 1');
    const die = new EditorCell('die', 1, 'import os\nos._exit(1)');
    const queued = new EditorCell('behind', 2, 'behind = 1');
    const before = h.records.length;
    const oldSession = h.session.currentSession!.id;
    const summary = await h.session.enqueue([ok, die, queued]);
    assert.deepEqual(summary.results.map((r) => r.status), ['ok', 'kernel-died', 'cancelled']);
    assert.match(die.messages[0] ?? '', /kernel died while this cell ran.*Run the cell again to start a new kernel/);
    assert.equal(die.success, false);
    assert.deepEqual(h.records.slice(before).map((r) => [r.record.cellId, r.record.success, r.record.error?.type ?? null]), [['kept', true, null], ['die', false, 'KernelDied']]);
    assert.equal(h.session.hasKernel, false);

    const again = new EditorCell('again', 0, 'fresh = 7');
    const next = await h.session.enqueue([again]);
    assert.equal(next.results[0]!.status, 'ok');
    assert.equal(again.order, 1);
    assert.equal(value(h.records.at(-1)!.record, 'fresh'), 7);
    assert.notEqual(h.records.at(-1)!.record.sessionId, oldSession);
  });

  test('excluded names are never published; with recording off nothing is', async () => {
    h.recording.excludedNames = ['api_key'];
    await h.session.enqueue([new EditorCell('secret', 0, 'api_key = "s3cr3t"\nn = 3')]);
    assert.deepEqual(h.records.at(-1)!.record.values.map((v) => v.name), ['n']);
    const before = h.records.length;
    h.recording.enabled = false;
    const quiet = new EditorCell('quiet', 1, 'm = 1');
    const summary = await h.session.enqueue([quiet]);
    assert.equal(summary.results[0]!.status, 'ok');
    assert.equal(quiet.success, true);
    assert.equal(h.records.length, before);
    h.recording = { enabled: true, excludedNames: [] };
  });

  test('a non-Python cell is refused with the reason, and stops the run', async () => {
    const js = new EditorCell('js', 0, 'let a = 1', 'javascript');
    const behind = new EditorCell('py', 1, 'b = 1');
    const summary = await h.session.enqueue([js, behind]);
    assert.deepEqual(summary.results.map((r) => r.status), ['refused', 'cancelled']);
    assert.match(js.messages[0] ?? '', /Python cells only/);
    assert.equal(js.success, false);
  });
});

describe('kernel connection problems get messages naming the fix', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  let server: LocalJupyterServer;
  const connector = new KernelConnector({ info: () => undefined, warn: () => undefined });

  before(async () => {
    server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-remote-')) });
  });
  after(async () => {
    await connector.dispose();
    await server?.dispose();
  });

  test('an interpreter without Jupyter: the cell says which setting and which Debian packages', async () => {
    const h = harness(connector, { pythonInterpreter: '/nonexistent/python3', serverUrl: '', token: async () => undefined, rootDir: tmpdir() });
    const cells = [new EditorCell('a', 0, 'x = 1'), new EditorCell('b', 1, 'y = 2')];
    const summary = await h.session.enqueue(cells);
    assert.deepEqual(summary.results.map((r) => r.status), ['no-kernel', 'cancelled']);
    const message = cells[0]!.messages[0] ?? '';
    assert.match(message, /^The setting nbprov\.python\.interpreter names \/nonexistent\/python3, which cannot run a Jupyter kernel \(\/nonexistent\/python3: not found\)/);
    assert.match(message, /apt-get install python3-jupyter-server python3-ipykernel/);
    assert.equal(h.connectErrors.length, 1);
    assert.equal(h.records.length, 0);
    await h.session.dispose();
  });

  test('a remote server that refuses the token: the message names nbprov.setServerToken and never the token', async () => {
    const h = harness(connector, { pythonInterpreter: '', serverUrl: server.baseUrl, token: async () => 'not-the-token', rootDir: tmpdir() });
    const cell = new EditorCell('a', 0, 'x = 1');
    await h.session.enqueue([cell]);
    assert.match(cell.messages[0] ?? '', /refused the token: run "nbprov: Set Jupyter Server Token…" \(nbprov\.setServerToken\)/);
    assert.doesNotMatch(cell.messages[0] ?? '', /not-the-token/);
    await h.session.dispose();
  });

  test('the same remote server with the right token runs and records', async () => {
    const h = harness(connector, { pythonInterpreter: '', serverUrl: server.baseUrl, token: async () => server.token, rootDir: tmpdir() });
    const cell = new EditorCell('a', 0, 'remote = "yes"');
    await h.session.enqueue([cell]);
    assert.equal(cell.success, true);
    assert.equal(value(h.records[0]?.record, 'remote'), 'yes');
    await h.session.dispose();
  });
});
