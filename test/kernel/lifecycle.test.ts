import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { runCells } from '../../src/kernel/runCells';
import { KERNEL_TEST_TIMEOUT, startKernel } from './helpers';

let client: JupyterServerClient;
let session: RecorderSession;

describe('runs, failures and restarts in a real kernel', { timeout: KERNEL_TEST_TIMEOUT }, () => {
  before(async () => {
    ({ client } = await startKernel());
    session = new RecorderSession(client, 'nb.ipynb');
  });
  after(async () => {
    await client?.dispose();
  });

  test('a collect queued behind a failing cell (which ipykernel aborts) is sent again and answers', async () => {
    await session.ensureInstalled();
    // The collect reaches the kernel while the cell still sleeps, so stop_on_error aborts it.
    const failing = client.execute('import time\ntime.sleep(1.5)\nraise ValueError("late failure")', {});
    const collected = session.collect();
    const [cell, batch] = await Promise.all([failing, collected]);
    assert.equal(cell.status, 'error');
    assert.equal(batch.installed, true);
    assert.ok(batch.records.some((r) => r.success === false), 'the failed cell\'s record is collected');
  });

  test('runCells stops at the first failing cell; earlier records are kept', async () => {
    const progress: string[] = [];
    const result = await runCells(
      client,
      [
        { cellId: 'one', cellIndex: 0, code: 'x = 41' },
        { cellId: 'two', cellIndex: 1, code: 'x += 1' },
        { cellId: 'bad', cellIndex: 2, code: 'raise ValueError("broken input")' },
        { cellId: 'never', cellIndex: 3, code: 'y = 1' },
      ],
      { notebookPath: 'nb.ipynb', session, onProgress: (p) => progress.push(`${p.phase}:${p.cell.cellId}`) },
    );
    assert.deepEqual(result.executions.map((e) => e.cellId), ['one', 'two', 'bad']);
    assert.deepEqual(result.executions.map((e) => e.success), [true, true, false]);
    assert.equal(result.executions[1]!.values.find((v) => v.name === 'x')?.value, 42);
    assert.deepEqual(result.executions[2]!.error, { type: 'ValueError', message: 'broken input' });
    assert.equal(result.failure?.kind, 'error');
    assert.equal(result.failure?.cellId, 'bad');
    assert.match(result.failure?.message ?? '', /Cell 2 failed: ValueError: broken input/);
    assert.deepEqual(progress, ['start:one', 'done:one', 'start:two', 'done:two', 'start:bad', 'done:bad']);
    assert.equal(result.session?.id, session.sessionId);
    assert.ok(result.session?.environment);
    const check = await client.execute('print(y if "y" in dir() else "no y")', { silent: true });
    assert.equal(check.stdout.trim(), 'no y');
  });

  test('a cell printing 50 MB keeps at most the output cap in memory', async () => {
    let streamed = 0;
    const result = await runCells(client, [{ cellId: 'loud', cellIndex: 0, code: 'import sys\nfor _ in range(50):\n    sys.stdout.write("x" * 1_000_000)\nloud_done = True' }], {
      notebookPath: 'nb.ipynb',
      session,
      maxOutputChars: 100_000,
      onOutput: (_cell, output) => {
        if (output.type === 'stream') streamed += output.text.length;
      },
    });
    assert.equal(result.failure, null);
    const kept = result.outputs[0]!;
    assert.equal(kept.truncated, true);
    const keptChars = kept.outputs.reduce((n, o) => n + (o.type === 'stream' ? o.text.length : 0), 0);
    assert.equal(keptChars, 100_000);
    assert.equal(streamed, 50_000_000);
    assert.equal(result.executions[0]!.values.find((v) => v.name === 'loud_done')?.value, true);
  });

  test('an interrupt stops the run with a clear message and keeps earlier records', async () => {
    const controller = new AbortController();
    const result = await runCells(
      client,
      [
        { cellId: 'fast', cellIndex: 0, code: 'before_sleep = 1' },
        { cellId: 'slow', cellIndex: 1, code: 'import time\ntime.sleep(30)' },
        { cellId: 'after', cellIndex: 2, code: 'after_sleep = 1' },
      ],
      {
        notebookPath: 'nb.ipynb',
        session,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'start' && p.cell.cellId === 'slow') setTimeout(() => controller.abort(), 500);
        },
      },
    );
    assert.equal(result.failure?.kind, 'interrupted');
    assert.match(result.failure?.message ?? '', /Interrupted by the user while cell 1 was running/);
    assert.deepEqual(result.executions.map((e) => [e.cellId, e.success]), [['fast', true], ['slow', false]]);
    assert.equal(result.executions[1]!.error?.type, 'KeyboardInterrupt');
  });

  test('after a restart records keep flowing under a new session id', async () => {
    const before = await session.ensureInstalled();
    const generation = client.generation;
    await client.restart();
    assert.equal(client.generation, generation + 1);
    const result = await runCells(client, [{ cellId: 'post', cellIndex: 0, code: 'after_restart = 7' }], { notebookPath: 'nb.ipynb', session });
    assert.notEqual(session.sessionId, before);
    assert.equal(result.executions[0]!.sessionId, session.sessionId);
    assert.equal(result.executions[0]!.values.find((v) => v.name === 'after_restart')?.value, 7);
    assert.ok(session.sessions.length >= 2);
    assert.equal(session.sessions.filter((s) => s.id === session.sessionId).length, 1);
  });

  test('a kernel that dies mid-cell stops the run with a typed failure; earlier records are kept', async () => {
    const result = await runCells(
      client,
      [
        { cellId: 'ok', cellIndex: 0, code: 'survivor = 3' },
        { cellId: 'die', cellIndex: 1, code: 'import os\nos._exit(1)' },
        { cellId: 'never', cellIndex: 2, code: 'z = 1' },
      ],
      { notebookPath: 'nb.ipynb', session },
    );
    assert.equal(result.failure?.kind, 'kernel-died');
    assert.match(result.failure?.message ?? '', /The kernel died while running cell 1:/);
    assert.deepEqual(result.executions.map((e) => [e.cellId, e.success]), [['ok', true], ['die', false]]);
    assert.equal(result.executions[0]!.values.find((v) => v.name === 'survivor')?.value, 3);
    assert.equal(result.executions[1]!.error?.type, 'KernelDied');
  });
});
