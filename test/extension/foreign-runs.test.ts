/**
 * Runs made by another kernel (in the editor: the Microsoft Jupyter extension's), recorded through
 * the recorder installed in that kernel. A real kernel stands in for the Jupyter extension's: the
 * test executes cells in it directly, then reports the runs as the editor would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ForeignRunAttributor, type ReportedRun } from '../../src/extension/kernel/foreignRuns';
import type { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { KERNEL_TEST_TIMEOUT, startKernel } from '../kernel/helpers';

let client: JupyterServerClient;

/** Runs `code` in the kernel as the other extension would and returns the run the editor reports. */
async function run(cell: string, index: number, code: string): Promise<ReportedRun<string>> {
  const startTime = Date.now();
  let reply = await client.execute(code, { silent: false, storeHistory: true });
  // ipykernel's stop_on_error aborts requests that arrive just after a failing cell (a window that
  // widens under load); an aborted request never ran, so it is sent again, as a user would re-run it.
  for (let attempt = 0; reply.status === 'aborted' && attempt < 5; attempt++) reply = await client.execute(code, { silent: false, storeHistory: true });
  return { cell, cellId: cell, cellIndex: index, code, executionOrder: reply.executionCount, success: reply.status === 'ok', startTime, endTime: Date.now() };
}

const value = (values: { name: string; value?: unknown }[], name: string) => values.find((v) => v.name === name)?.value;

describe("recording another kernel's runs", { timeout: KERNEL_TEST_TIMEOUT }, () => {
  before(async () => {
    ({ client } = await startKernel());
  });
  after(async () => {
    await client?.dispose();
  });

  test('the first run before the recorder is in is kept without values; later runs get theirs, reported in any order', async () => {
    const recorder = new RecorderSession(client, 'nb.ipynb');
    const attributor = new ForeignRunAttributor<string>(() => 'nb.ipynb', (m) => assert.fail(m));

    const first = await run('load', 0, 'a = 1');
    const [unrecorded, ...none] = await attributor.attribute([first], recorder, []);
    assert.equal(none.length, 0);
    assert.deepEqual([unrecorded!.cell, unrecorded!.record.cellId, unrecorded!.record.executionCount, unrecorded!.record.values.length], ['load', 'load', 1, 0]);
    assert.equal(unrecorded!.session.id, recorder.sessionId, 'the recorder was installed by this first report');

    const b = await run('double', 1, 'b = a * 2');
    const c = await run('triple', 2, 'c = a * 3');
    const onlyC = await attributor.attribute([c], recorder, []);
    assert.deepEqual(onlyC.map((r) => [r.cell, r.record.executionCount, value(r.record.values, 'c')]), [['triple', 3, 3]]);
    const thenB = await attributor.attribute([b], recorder, []);
    assert.deepEqual(thenB.map((r) => [r.cell, r.record.executionCount, value(r.record.values, 'b')]), [['double', 2, 2]], "B's record waited for its report");
    assert.equal(thenB[0]!.record.id, `${recorder.sessionId}-${1}`, 'the id of the recorded execution, not a new one');
  });

  test('a failed run, a re-run of the same cell, excluded names', async () => {
    const recorder = new RecorderSession(client, 'nb.ipynb');
    const attributor = new ForeignRunAttributor<string>(() => 'nb.ipynb', (m) => assert.fail(m));
    await recorder.ensureInstalled();
    await recorder.collect();
    const bad = await run('bad', 3, 'raise KeyError("k")');
    const again1 = await run('set', 4, 'token = "s3cr3t"\nn = 1');
    const again2 = await run('set', 4, 'token = "s3cr3t"\nn = 1');
    const out = await attributor.attribute([again2, bad, again1], recorder, ['token']);
    assert.deepEqual(out.map((r) => [r.cell, r.record.success, r.record.error?.type ?? null]), [['bad', false, 'KeyError'], ['set', true, null], ['set', true, null]], 'oldest first');
    assert.notEqual(out[1]!.record.executionCount, out[2]!.record.executionCount);
    assert.ok(out.slice(1).every((r) => r.record.values.every((v) => v.name !== 'token')));
    assert.deepEqual(out.slice(1).map((r) => r.record.values.map((v) => v.name)), [['n'], ['n']], 'token is never published');
  });

  test('with no kernel to collect from, every run is kept without values under one editor session', async () => {
    const attributor = new ForeignRunAttributor<string>(() => 'nb.ipynb', (m) => assert.fail(m));
    const report = (cell: string, order: number): ReportedRun<string> => ({ cell, cellId: cell, cellIndex: order, code: 'x = 1', executionOrder: order, success: true, startTime: order, endTime: order + 1 });
    const one = await attributor.attribute([report('a', 1)], null, []);
    const two = await attributor.attribute([report('b', 2)], null, []);
    assert.match(one[0]!.session.id, /^editor-/);
    assert.equal(two[0]!.session.id, one[0]!.session.id);
    assert.deepEqual([...one, ...two].map((r) => [r.record.notebookPath, r.record.executionCount, r.record.values.length]), [['nb.ipynb', 1, 0], ['nb.ipynb', 2, 0]]);
  });
});
