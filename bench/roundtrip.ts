/**
 * Per-execute round trip of a trivial cell (`x = 1`), side by side in one run, rounds interleaved:
 * - nbprov's client on the server nbprov starts (launcher with TCP_NODELAY on kernel websockets);
 * - the same, per cell as `nbprov run` does it (recorder installed, records collected);
 * - nbprov's client on a stock `python3 -m jupyter_server` (what a team server without the fix does);
 * - the same stock server with the README's jupyter_server_config.py snippet for team-server admins
 *   (read from README.md, so the bench checks the text users copy);
 * - a direct jupyter_client round trip over ZeroMQ (Debian's python3-jupyter-client), the floor.
 * Goal (issue 7): nbprov's client p50 ≤ 2× the direct round trip.
 * Then durability: how long after a cell finishes its record is in the store file, as `nbprov run`
 * saves (batched), on a fresh store and on one already holding 5,000 executions. Goal: ≤ 1 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { RecordingSink } from '../src/cli/session';
import type { ExecutionRecord } from '../src/core/records';
import { openStoreAt } from '../src/core/store';
import { checkServer, JupyterServerClient } from '../src/kernel/jupyterServerClient';
import { freePort } from '../src/kernel/localServer';
import { RecorderSession } from '../src/kernel/recorderSession';
import { runCells } from '../src/kernel/runCells';

const PYTHON = '/usr/bin/python3';
const WARMUP = 20;
const ROUNDS = 5;
const PER_ROUND = 40;
const GOAL_RATIO = 2;
const DURABILITY_CELLS = 100;
const README = path.join(__dirname, '..', 'README.md');

/** Runs `x = 1` N times per request line on a kernel of its own; answers each line with the latencies (ms) as JSON. */
const DIRECT_SCRIPT = `
import json, sys, time
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="python3")
def once():
    start = time.perf_counter()
    msg_id = kc.execute("x = 1")
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    return (time.perf_counter() - start) * 1000
try:
    for line in sys.stdin:
        n = int(line)
        print(json.dumps([once() for _ in range(n)]), flush=True)
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    del kc, km  # before interpreter shutdown, where their __del__ would log into a torn-down logging module
`;

class DirectKernel {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor() {
    const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    this.child = spawn(PYTHON, ['-c', DIRECT_SCRIPT], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    this.lines = createInterface({ input: this.child.stdout! })[Symbol.asyncIterator]();
  }

  async run(n: number): Promise<number[]> {
    this.child.stdin!.write(`${n}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error('the direct jupyter_client script ended early');
    return JSON.parse(next.value) as number[];
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin!.end();
    await exited;
  }
}

/** The README's snippet for team-server admins: the python block after the TCP_NODELAY heading. */
function readmeNodelaySnippet(): string {
  const text = readFileSync(README, 'utf8');
  const section = text.indexOf('TCP_NODELAY');
  const match = section < 0 ? null : /```python\n([\s\S]*?)```/.exec(text.slice(section));
  if (!match) throw new Error('README.md has no ```python snippet after its TCP_NODELAY section');
  return match[1]!;
}

interface StockServer {
  client: JupyterServerClient;
  stop(): Promise<void>;
}

/** `python3 -m jupyter_server` as a team would run it, optionally with a config directory. */
async function startStockServer(rootDir: string, configDir: string | null): Promise<StockServer> {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...(configDir ? { JUPYTER_CONFIG_DIR: configDir } : {}) };
  const child = spawn(
    PYTHON,
    ['-m', 'jupyter_server', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, `--ServerApp.token=${token}`, '--ServerApp.open_browser=False', '--ServerApp.allow_root=True', `--ServerApp.root_dir=${rootDir}`],
    { cwd: rootDir, env, stdio: 'ignore', detached: true },
  );
  const baseUrl = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await checkServer(baseUrl, token, 2000);
        break;
      } catch (error) {
        if (attempt > 300 || child.exitCode !== null) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const client = await JupyterServerClient.connectRemote({ url: baseUrl, token }, { kernelName: 'python3' });
    return {
      client,
      stop: async () => {
        await client.dispose();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function executeTimes(client: JupyterServerClient, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await client.execute('x = 1');
    times.push(performance.now() - start);
  }
  return times;
}

/** Per cell as `nbprov run` runs it: start → record converted (execute + records in its reply). */
async function runCellTimes(client: JupyterServerClient, session: RecorderSession, n: number): Promise<number[]> {
  const started = new Map<string, number>();
  const times: number[] = [];
  const cells = Array.from({ length: n }, (_, i) => ({ cellId: `c${i}`, cellIndex: i, code: 'x = 1' }));
  await runCells(client, cells, {
    notebookPath: 'roundtrip.ipynb',
    session,
    onProgress: (p) => {
      if (p.phase === 'start') started.set(p.cell.cellId, performance.now());
      else times.push(performance.now() - started.get(p.cell.cellId)!);
    },
  });
  return times;
}

function priorExecution(i: number): ExecutionRecord {
  return {
    id: `prior-${i}`,
    sessionId: 'prior-session',
    notebookPath: 'prior.ipynb',
    cellId: `cell-${i % 200}`,
    cellIndex: i % 200,
    language: 'python',
    code: `df_${i} = df.groupby('k').agg({'v': 'mean'})\nscore_${i} = model.score(X_test, y_test)`,
    executionCount: i + 1,
    success: true,
    startedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
    durationMs: 12.3,
    values: [
      { name: `df_${i}`, type: 'pandas.core.frame.DataFrame', repr: '<DataFrame 120×3>', shape: [120, 3], columns: ['k', 'v', 'w'] },
      { name: `score_${i}`, type: 'float', repr: String(0.9 + i / 1e6), value: 0.9 + i / 1e6 },
    ],
    files: [],
  };
}

/**
 * Runs `cells` trivial cells through runCells into a RecordingSink on a real store file holding
 * `prior` executions; returns, per execution, the time from its record to the end of the save that wrote it.
 */
async function recordToDiskTimes(client: JupyterServerClient, dir: string, prior: number, cells: number): Promise<{ latencies: number[]; saves: number; fileBytes: number }> {
  const store = await openStoreAt(path.join(dir, `durability-${prior}`, 'store.sqlite'));
  for (let i = 0; i < prior; i++) store.addExecution(priorExecution(i));
  await store.save();
  const recordedAt: number[] = [];
  const latencies: number[] = [];
  let savedUpTo = 0;
  let saves = 0;
  let fileBytes = 0;
  const save = store.save.bind(store);
  store.save = async () => {
    const upTo = recordedAt.length; // the sink hands every record received so far to the store before saving
    const result = await save();
    saves++;
    fileBytes = result.bytes;
    const now = performance.now();
    for (; savedUpTo < upTo; savedUpTo++) latencies.push(now - recordedAt[savedUpTo]!);
    return result;
  };
  const sink = new RecordingSink(store);
  const session = new RecorderSession(client, `durability-${prior}.ipynb`);
  try {
    await runCells(
      client,
      Array.from({ length: cells }, (_, i) => ({ cellId: `c${i}`, cellIndex: i, code: `x = ${i}` })),
      {
        notebookPath: `durability-${prior}.ipynb`,
        session,
        onRecord: (record) => {
          recordedAt.push(performance.now());
          sink.add(record, session.sessions);
        },
      },
    );
    await sink.flush();
  } finally {
    sink.dispose();
    store.close();
  }
  return { latencies, saves, fileBytes };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function benchRoundtrip(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-roundtrip-'));
  const configDir = path.join(dir, 'team-config');
  mkdirSync(configDir);
  writeFileSync(path.join(configDir, 'jupyter_server_config.py'), readmeNodelaySnippet());
  const stops: Array<() => Promise<void>> = [];
  try {
    const nbprovClient = await JupyterServerClient.startLocal({ rootDir: dir }, { kernelName: 'python3' });
    stops.push(() => nbprovClient.dispose());
    const stock = await startStockServer(dir, null);
    stops.push(stock.stop);
    const snippet = await startStockServer(dir, configDir);
    stops.push(snippet.stop);
    const direct = new DirectKernel();
    stops.push(() => direct.close());
    const session = new RecorderSession(nbprovClient, 'roundtrip.ipynb');

    const rows: Array<{ name: string; measure: (n: number) => Promise<number[]>; times: number[] }> = [
      { name: 'nbprov client, server nbprov starts', measure: (n) => executeTimes(nbprovClient, n), times: [] },
      { name: 'nbprov run per cell (recorder on), same', measure: (n) => runCellTimes(nbprovClient, session, n), times: [] },
      { name: 'nbprov client, stock jupyter_server', measure: (n) => executeTimes(stock.client, n), times: [] },
      { name: 'nbprov client, stock + README snippet', measure: (n) => executeTimes(snippet.client, n), times: [] },
      { name: 'direct jupyter_client (ZeroMQ)', measure: (n) => direct.run(n), times: [] },
    ];
    for (const row of rows) await row.measure(WARMUP);
    for (let round = 0; round < ROUNDS; round++) for (const row of rows) row.times.push(...(await row.measure(PER_ROUND)));

    const directP50 = percentile(rows[rows.length - 1]!.times, 50);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`x = 1, ${ROUNDS} interleaved rounds of ${PER_ROUND} executes each (after ${WARMUP} warm-up); per execute:`);
    for (const row of rows) {
      const p50 = percentile(row.times, 50);
      const p95 = percentile(row.times, 95);
      console.log(`  ${row.name.padEnd(width)}  p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  ${(p50 / directP50).toFixed(2)}× direct`);
    }
    const ratio = percentile(rows[0]!.times, 50) / directP50;
    console.log(`  goal: nbprov client p50 ≤ ${GOAL_RATIO}× direct: ${ratio.toFixed(2)}× — ${ratio <= GOAL_RATIO ? 'ok' : 'OVER GOAL'}`);

    console.log(`record → store file, ${DURABILITY_CELLS} trivial cells as nbprov run saves them (batched):`);
    for (const prior of [0, 5000]) {
      const { latencies, saves, fileBytes } = await recordToDiskTimes(nbprovClient, dir, prior, DURABILITY_CELLS);
      const worst = Math.max(...latencies);
      console.log(
        `  store with ${String(prior).padStart(4)} prior executions (${(fileBytes / 1e6).toFixed(1)} MB): p50 ${percentile(latencies, 50).toFixed(0)} ms, max ${worst.toFixed(0)} ms, ${saves} saves — goal max ≤ 1000 ms: ${worst <= 1000 ? 'ok' : 'OVER GOAL'}`,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
