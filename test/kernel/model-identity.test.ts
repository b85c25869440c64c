// Issue 12: models are identified by what defines them. The same fit (class, hyperparameters,
// data, seed) in two separate kernel processes gets the same hash; other data or other
// hyperparameters get another. No address or other per-process identity feeds a content hash:
// a value known only by identity gets no hash at all, never one that could claim equality.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ValueSummary } from '../../src/core/records';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { startLocalJupyterServer, type LocalJupyterServer } from '../../src/kernel/localServer';
import { RecorderSession } from '../../src/kernel/recorderSession';
import { KERNEL_TEST_TIMEOUT } from './helpers';

const FIT = (seed: number) =>
  [
    'from sklearn.datasets import make_classification',
    'from sklearn.ensemble import GradientBoostingClassifier',
    'from sklearn.linear_model import LogisticRegression',
    'from sklearn.pipeline import make_pipeline',
    'from sklearn.preprocessing import StandardScaler',
    `X, y = make_classification(n_samples=300, n_features=8, random_state=${seed})`,
    'gb = GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0).fit(X, y)',
    'lr = LogisticRegression(C=0.5, max_iter=200).fit(X, y)',
    'pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)',
    'gb_unfitted = GradientBoostingClassifier(n_estimators=15, max_depth=2, random_state=0)',
    'class Plain:\n    def __init__(self, a, b):\n        self.a, self.b = a, b',
    'plain = Plain(1, [2.5, "x"])',
    'import threading',
    'holds_lock = {"lock": threading.Lock(), "n": 1}',
  ].join('\n');

let server: LocalJupyterServer;

/** The values one cell records in a fresh kernel. */
async function fitInFreshKernel(code: string): Promise<Map<string, ValueSummary>> {
  const client = await JupyterServerClient.connectRemote({ url: server.baseUrl, token: server.token }, { kernelName: 'python3' });
  try {
    const session = new RecorderSession(client, 'models.ipynb');
    await session.ensureInstalled();
    const reply = await client.execute(code);
    assert.equal(reply.status, 'ok', JSON.stringify(reply.error));
    const batch = await session.collect();
    const values = new Map<string, ValueSummary>();
    for (const record of batch.records) for (const v of record.values) values.set(v.name, v);
    return values;
  } finally {
    await client.dispose();
  }
}

describe('models identified by what defines them, across kernel processes', { timeout: KERNEL_TEST_TIMEOUT * 2 }, () => {
  let first: Map<string, ValueSummary>;
  let second: Map<string, ValueSummary>;
  let otherData: Map<string, ValueSummary>;

  before(async () => {
    server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-models-')) });
    [first, second, otherData] = await Promise.all([fitInFreshKernel(FIT(1)), fitInFreshKernel(FIT(1)), fitInFreshKernel(FIT(2))]);
  });
  after(async () => {
    await server?.dispose();
  });

  const hashOf = (values: Map<string, ValueSummary>, name: string): string => {
    const summary = values.get(name);
    assert.ok(summary, `${name} not recorded`);
    assert.equal(summary.error, undefined, `${name}: ${summary.error}`);
    assert.match(summary.hash ?? '', /^[0-9a-f]{32}$/, `${name} has a full content hash`);
    return summary.hash!;
  };

  test('the same GradientBoosting fit in two kernels has the same hash; other data, another', () => {
    assert.equal(hashOf(first, 'gb'), hashOf(second, 'gb'));
    assert.notEqual(hashOf(first, 'gb'), hashOf(otherData, 'gb'));
    assert.deepEqual(first.get('gb')!.params, otherData.get('gb')!.params, 'same hyperparameters, different fitted state');
    assert.equal(first.get('gb')!.params?.n_estimators, 15);
  });

  test('LogisticRegression and a Pipeline likewise; unfitted and fitted models differ', () => {
    for (const name of ['lr', 'pipe']) {
      assert.equal(hashOf(first, name), hashOf(second, name), name);
      assert.notEqual(hashOf(first, name), hashOf(otherData, name), name);
    }
    assert.equal(hashOf(first, 'gb_unfitted'), hashOf(otherData, 'gb_unfitted'), 'an unfitted model is its hyperparameters');
    assert.notEqual(hashOf(first, 'gb_unfitted'), hashOf(first, 'gb'));
    assert.equal(first.get('lr')!.repr, 'LogisticRegression(C=0.5, max_iter=200)');
  });

  test('plain objects hash by their state; a value holding an object known only by identity has no hash', () => {
    assert.equal(hashOf(first, 'plain'), hashOf(second, 'plain'));
    const locked = first.get('holds_lock');
    assert.ok(locked);
    assert.equal(locked.hash, undefined, `an opaque lock must not yield a content hash: ${locked.hash}`);
    assert.match(locked.repr, /'lock': <_thread\.lock object at 0x[0-9a-f]+>/);
  });
});
