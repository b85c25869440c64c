/**
 * Issue 13: a large value's content hash and exact statistics are computed by the kernel's
 * background hasher while the kernel is idle, and reach the host as patches. In a real kernel:
 * the record carries sampled statistics and `deferred: 'pending'`; once the hasher has run, the
 * patch's hash is the very hash a synchronous summary of the same value gives (a trial compares
 * them); every pending value gets exactly one patch (a hash, or `abandoned` when a later cell
 * changed it first); and the hasher never holds a reference a cell could trip over.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import type { RawExecutionRecord, RawValuePatch } from '../../src/kernel/recordConversion';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { KERNEL_TEST_TIMEOUT, startKernel } from './helpers';

let client: JupyterServerClient;
let session: RecorderSession;

async function cell(code: string, flushSeconds?: number): Promise<{ record: RawExecutionRecord; patches: RawValuePatch[]; pending: number }> {
  const result = await client.execute(code, { silent: false, storeHistory: true });
  assert.equal(result.status, 'ok', `${code}: ${result.error?.ename}: ${result.error?.evalue}`);
  const batch = await session.collect(flushSeconds ? { flushSeconds } : {});
  assert.equal(batch.records.length, 1, code);
  return { record: batch.records[0]!, patches: batch.patches, pending: batch.pendingHashes };
}

const valueOf = (record: RawExecutionRecord, name: string) => record.values.find((v) => v.name === name);

describe('deferred hashes of large values, in a real kernel', { timeout: KERNEL_TEST_TIMEOUT * 3 }, () => {
  before(async () => {
    ({ client } = await startKernel());
    session = new RecorderSession(client, 'nb.ipynb');
    await session.install();
    await session.collect();
  });
  after(async () => {
    await client?.dispose();
  });

  test('a large array gets sampled statistics now and, after the idle hasher ran, the hash a synchronous summary gives', async () => {
    const { record } = await cell("import numpy as np\nbig = np.arange(4_000_000, dtype='float64')\nsmall = np.arange(10)");
    const big = valueOf(record, 'big')!;
    assert.equal(big.deferred, 'pending');
    assert.equal(big.hash, undefined);
    assert.ok(typeof big.stats?.sampled === 'number' && big.stats.sampled > 0, JSON.stringify(big.stats));
    const small = valueOf(record, 'small')!;
    assert.equal(small.deferred, undefined, 'a small value is hashed in the hook');
    assert.ok(small.hash);

    const flushed = await session.collect({ flushSeconds: 120 });
    assert.equal(flushed.pendingHashes, 0);
    const patch = flushed.patches.find((p) => p.seq === record.seq && p.name === 'big');
    assert.ok(patch?.hash, `a patch with the hash of big: ${JSON.stringify(flushed.patches)}`);
    assert.equal(patch.stats?.max, 3_999_999, 'exact statistics replace the sampled ones');
    const direct = await session.summarize(['big']);
    assert.equal(patch.hash, direct.big?.hash, 'the same content hash as a synchronous summary');
  });

  test('with no idle time, every pending value still gets exactly one patch: a hash, or abandoned', async () => {
    const records: RawExecutionRecord[] = [];
    const patches: RawValuePatch[] = [];
    for (const code of ["df_big = __import__('pandas').DataFrame({'x': np.arange(2_000_000), 's': ['k'] * 2_000_000})", "df_big['x'] += 1", "df_big['y'] = 2.0", "del df_big"]) {
      const { record, patches: got } = await cell(code);
      records.push(record);
      patches.push(...got);
    }
    const flushed = await session.collect({ flushSeconds: 120 });
    patches.push(...flushed.patches);
    const pending = records.flatMap((r) => r.values.filter((v) => v.deferred === 'pending').map((v) => `${r.seq}:${v.name}`));
    assert.ok(pending.length >= 3, `three versions of df_big were deferred: ${pending}`);
    const patched = patches.filter((p) => records.some((r) => r.seq === p.seq)).map((p) => `${p.seq}:${p.name}`);
    assert.deepEqual([...patched].sort(), [...pending].sort(), 'one patch per pending value');
    for (const p of patches.filter((x) => pending.includes(`${x.seq}:${x.name}`))) assert.ok(Boolean(p.hash) !== Boolean(p.abandoned), JSON.stringify(p));
  });

  test('a cell resizing an array the hasher was about to read runs as without the recorder', async () => {
    await cell('grow = np.ones(3_000_000)');
    const { record } = await cell('grow.resize(4_000_000, refcheck=True)\nsize = grow.size');
    assert.equal(record.success, true, JSON.stringify(record.error));
    assert.equal(valueOf(record, 'size')?.value, 4_000_000);
  });
});
