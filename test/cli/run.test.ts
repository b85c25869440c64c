// `nbprov run` failure paths through the built CLI and a real kernel: a failing cell stops the run
// and keeps what ran before it; bad usage is refused before any kernel work.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertUsageError, ensureBuilt, nbprov, nbprovJson, parseSingleJson, removeWorkspace, tempWorkspace, writeNotebook, type CliResult } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('run');
});
after(() => removeWorkspace(ws));

/** `run` may print progress lines on stderr before the error; the error itself is the last line. */
function assertRunRefused(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `exit ${result.code}\nstderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.ok(!result.stderr.includes('    at '), `stack trace on stderr:\n${result.stderr}`);
  const last = result.stderr.trim().split('\n').at(-1) ?? '';
  assert.match(last, /^nbprov: /);
  assert.match(last, pattern);
}

function recordedExecutions(): Array<{ cellId: string; success: boolean; values: Array<{ name: string; value?: unknown }>; error?: { type: string; message: string } }> {
  if (!existsSync(path.join(ws, '.nbprov', 'store.sqlite'))) return [];
  return nbprovJson(['export', '--format', 'json'], ws).executions;
}

describe('nbprov run', () => {
  test('a failing cell stops the run with the error named; the executions before it stay recorded', () => {
    writeNotebook(ws, 'fails.ipynb', ["a = 41\nprint('first ran')", "b = a + 1\nraise ValueError(f'boom {b}')", 'c = 3']);
    const result = nbprov(['run', 'fails.ipynb', '--json'], ws, 120_000);
    assert.notEqual(result.code, 0);
    assert.notEqual(result.code, null);
    assert.match(result.stderr, /ValueError/);
    assert.match(result.stderr, /boom 42/);
    assert.ok(!result.stderr.includes('    at '), 'no JavaScript stack trace');
    const doc = parseSingleJson(result.stdout) as { trial: unknown; executions: number; failure: { ename: string; evalue: string; cellIndex: number } };
    assert.equal(doc.trial, null, 'no trial from a failed run');
    assert.equal(doc.executions, 2);
    assert.deepEqual([doc.failure.ename, doc.failure.evalue, doc.failure.cellIndex], ['ValueError', 'boom 42', 1]);

    const executions = recordedExecutions();
    assert.deepEqual(executions.map((e) => [e.cellId, e.success]), [['c0', true], ['c1', false]]);
    assert.deepEqual(executions[0].values.map((v) => [v.name, v.value]), [['a', 41]]);
    assert.equal(executions[1].error?.type, 'ValueError');
    assert.ok(!executions.some((e) => e.cellId === 'c2'), 'the cell after the failure did not run');
  });

  test('bad --param is refused before starting a kernel', () => {
    writeNotebook(ws, 'ok.ipynb', ['x = 1']);
    const result = nbprov(['run', 'ok.ipynb', '--param', 'x', '--json'], ws);
    assertUsageError(result, /--param.*name=value/);
  });

  test('a Python without Jupyter is a one-line error saying what to install', () => {
    writeNotebook(ws, 'ok.ipynb', ['x = 1']);
    assertRunRefused(nbprov(['run', 'ok.ipynb', '--python', path.join(ws, 'no-python'), '--json'], ws, 60_000), /jupyter_server.*ipykernel/);
  });

  test('--output naming the input notebook is refused before anything runs or is recorded', () => {
    const file = writeNotebook(ws, 'self.ipynb', ['marker_for_output_test = 1']);
    const before = readFileSync(file, 'utf8');
    const result = nbprov(['run', 'self.ipynb', '--output', 'self.ipynb', '--json'], ws, 120_000);
    assertRunRefused(result, /--output self\.ipynb is the input notebook/);
    assert.equal(readFileSync(file, 'utf8'), before);
    // Bad usage must not cost a kernel run nor leave a half-finished run (executions, no trial) behind.
    const ran = recordedExecutions().filter((e) => e.values.some((v) => v.name === 'marker_for_output_test'));
    assert.deepEqual(ran, [], 'the notebook ran and was recorded although the command was refused');
  });
});
