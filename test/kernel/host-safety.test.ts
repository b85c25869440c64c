// The kernel layer will run inside VS Code's extension host, one process shared with every other
// extension: loading it and running a real kernel session through it (including a cancelled run)
// must leave process-wide state as it found it — signal and exit listeners, console, environment.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { KERNEL_TEST_TIMEOUT } from './helpers';

const WATCHED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection'] as const;
const CONSOLE_METHODS = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const;

interface ProcessState {
  listeners: Record<string, number>;
  console: Record<string, unknown>;
  env: Record<string, string | undefined>;
  exitCode: typeof process.exitCode;
}

function snapshot(): ProcessState {
  return {
    listeners: Object.fromEntries(WATCHED_EVENTS.map((event) => [event, process.listenerCount(event)])),
    console: Object.fromEntries(CONSOLE_METHODS.map((name) => [name, console[name]])),
    env: { ...process.env },
    exitCode: process.exitCode,
  };
}

function assertSameState(before: ProcessState, after: ProcessState, when: string): void {
  assert.deepEqual(after.listeners, before.listeners, `listener counts changed ${when}`);
  for (const name of CONSOLE_METHODS) assert.equal(after.console[name], before.console[name], `console.${name} was replaced ${when}`);
  assert.deepEqual(after.env, before.env, `process.env changed ${when}`);
  assert.equal(after.exitCode, before.exitCode, `process.exitCode changed ${when}`);
}

/** Running (a zombie waiting to be reaped has ended). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent;
      } catch {
        return false;
      }
    });
}

describe('host safety of src/kernel', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  test('importing it and running a real kernel session (finished and cancelled runs) leaves process-wide state untouched', async () => {
    const before = snapshot();
    // Imported here, after the snapshot, so patches made at import time are caught too.
    const kernel = await import('../../src/kernel/index');
    assertSameState(before, snapshot(), 'by importing src/kernel');

    const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-host-'));
    const server = await kernel.startLocalJupyterServer({ rootDir: dir });
    const client = await kernel.JupyterServerClient.connectRemote({ url: server.baseUrl, token: server.token }, { kernelName: 'python3' });
    let serverGone = false;
    let kernels: number[] = [];
    try {
      kernels = childrenOf(server.pid);
      assert.equal(kernels.length, 1, 'one kernel process under the server');
      const during = snapshot();
      assertSameState(before, during, 'while a server and kernel run');

      const finished = await kernel.runCells(
        client,
        [
          { cellId: 'a', cellIndex: 0, code: 'x = 1' },
          { cellId: 'b', cellIndex: 1, code: 'y = x + 1' },
        ],
        { notebookPath: 'host.ipynb' },
      );
      assert.equal(finished.failure, null);
      assert.deepEqual(finished.executions.map((e) => e.cellId), ['a', 'b']);

      // Cancellation goes through an AbortSignal only: abort once the cell says it is running.
      const controller = new AbortController();
      const cancelled = await kernel.runCells(
        client,
        [
          { cellId: 'slow', cellIndex: 0, code: 'import time\nprint("sleeping", flush=True)\nfor _ in range(3000):\n    time.sleep(0.1)' },
          { cellId: 'never', cellIndex: 1, code: 'z = 3' },
        ],
        {
          notebookPath: 'host.ipynb',
          signal: controller.signal,
          onOutput: (_cell, output) => {
            if (output.type === 'stream' && output.text.includes('sleeping')) controller.abort();
          },
        },
      );
      assert.equal(cancelled.failure?.kind, 'interrupted');
      assert.deepEqual(cancelled.executions.map((e) => e.cellId), ['slow']);
      assert.equal(cancelled.executions[0]?.error?.type, 'KeyboardInterrupt');
      assertSameState(before, snapshot(), 'by running cells');
    } finally {
      await client.dispose();
      await server.dispose();
      serverGone = !alive(server.pid);
    }
    assert.ok(serverGone, `the server ${server.pid} outlived dispose()`);
    assert.deepEqual(kernels.filter(alive), [], 'the kernel outlived its server');
    assertSameState(before, snapshot(), 'after the session ended');
  });
});
