import type { Database } from 'sql.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TrialValue } from '../../src/core/records';
import { openStore } from '../../src/core/store';
import { metric, NOTEBOOK, tempWorkspace, trial } from './fixtures';

describe('trials in the store', () => {
  test('the series of a variable is ordered by creation time (not save order), ties by trial id', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.saveTrial(trial('t-c', '2024-05-03T00:00:00.000Z', { auc: metric(0.93) }, { name: 'third' }));
    store.saveTrial(trial('t-a', '2024-05-01T00:00:00.000Z', { auc: metric(0.91) }, { name: 'first' }));
    store.saveTrial(trial('t-b2', '2024-05-02T00:00:00.000Z', { auc: metric(0.925) }));
    store.saveTrial(trial('t-b1', '2024-05-02T02:00:00+02:00', { auc: metric(0.92) }));
    store.saveTrial(trial('t-x', '2024-05-04T00:00:00.000Z', { loss: { ...metric(1), name: 'loss' } }));
    const series = store.trialValueSeries('auc');
    assert.deepEqual(
      series.map((r) => [r.trialId, r.trialName, r.numeric]),
      [
        ['t-a', 'first', 0.91],
        ['t-b1', null, 0.92],
        ['t-b2', null, 0.925],
        ['t-c', 'third', 0.93],
      ],
    );
    assert.deepEqual(series[0], {
      trialId: 't-a', trialName: 'first', notebookPath: NOTEBOOK, createdAt: '2024-05-01T00:00:00.000Z',
      role: 'metric', type: 'float', repr: '0.91', value: 0.91, numeric: 0.91,
    });
    assert.deepEqual(store.trialValueSeries('missing'), []);
    store.close();
  });

  test('non-finite, string and complex values keep their value but have no numeric', async (t) => {
    const store = await openStore(tempWorkspace(t));
    const frame: TrialValue = { name: 'auc', role: 'dataset', type: 'pandas.core.frame.DataFrame', repr: '<DataFrame>', hash: 'sha:1', shape: [3, 2] };
    store.saveTrial(trial('t1', '2024-05-01T00:00:00.000Z', { auc: metric('NaN') }));
    store.saveTrial(trial('t2', '2024-05-02T00:00:00.000Z', { auc: metric('Infinity') }));
    store.saveTrial(trial('t3', '2024-05-03T00:00:00.000Z', { auc: { ...metric(0), type: 'str', value: 'ünï ✓', repr: "'ünï ✓'" } }));
    store.saveTrial(trial('t4', '2024-05-04T00:00:00.000Z', { auc: frame }));
    store.saveTrial(trial('t5', '2024-05-05T00:00:00.000Z', { auc: { ...metric(0), type: 'bool', value: true, repr: 'True' } }));
    const rows = store.trialValueSeries('auc');
    assert.deepEqual(rows.map((r) => [r.value, r.numeric]), [['NaN', null], ['Infinity', null], ['ünï ✓', null], [undefined, null], [true, null]]);
    assert.equal(rows[3].hash, 'sha:1');
    assert.equal('value' in rows[3], false);
    store.close();
  });

  test('the series can be limited to one notebook', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.saveTrial(trial('t1', '2024-05-01T00:00:00.000Z', { auc: metric(0.1) }));
    store.saveTrial(trial('t2', '2024-05-02T00:00:00.000Z', { auc: metric(0.2) }, { notebookPath: 'other.ipynb' }));
    assert.deepEqual(store.trialValueSeries('auc').map((r) => r.trialId), ['t1', 't2']);
    assert.deepEqual(store.trialValueSeries('auc', { notebookPath: 'other.ipynb' }).map((r) => r.trialId), ['t2']);
    store.close();
  });

  test('rename, note and delete report unknown ids and update the series', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.saveTrial(trial('t1', '2024-05-01T00:00:00.000Z', { auc: metric(0.5) }));
    assert.equal(store.renameTrial('t1', 'tuned'), true);
    assert.equal(store.setTrialNote('t1', 'more trees'), true);
    assert.equal(store.renameTrial('nope', 'x'), false);
    assert.equal(store.setTrialNote('nope', 'x'), false);
    assert.equal(store.trialValueSeries('auc')[0].trialName, 'tuned');
    assert.deepEqual([store.getTrial('t1')?.name, store.getTrial('t1')?.note], ['tuned', 'more trees']);
    assert.equal(store.renameTrial('t1', null), true);
    assert.equal(store.getTrial('t1')?.name, null);
    assert.equal(store.deleteTrial('t1'), true);
    assert.equal(store.deleteTrial('t1'), false);
    assert.deepEqual(store.trialValueSeries('auc'), []);
    assert.deepEqual(store.listTrials(), []);
    assert.equal(store.stats().trialValues, 0);
    store.close();
  });

  test('re-saving a trial replaces its tagged values', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.saveTrial(trial('t1', '2024-05-01T00:00:00.000Z', { auc: metric(0.5), f1: { ...metric(0.4), name: 'f1' } }));
    store.saveTrial(trial('t1', '2024-05-01T00:00:00.000Z', { auc: metric(0.6) }));
    assert.deepEqual(store.trialValueSeries('auc').map((r) => r.numeric), [0.6]);
    assert.deepEqual(store.trialValueSeries('f1'), []);
    assert.deepEqual(Object.keys(store.listTrials()[0].tagged), ['auc']);
    store.close();
  });

  test('the series over 10,000 trials comes back complete and in time order (speed: npm run bench -- store)', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const start = Date.parse('2024-01-01T00:00:00.000Z');
    for (let i = 0; i < 10_000; i++) {
      const createdAt = new Date(start + ((i * 7919) % 10_000) * 60_000).toISOString();
      store.saveTrial(trial(`t${i}`, createdAt, { auc: metric(i / 10_000), n_estimators: { ...metric(i), name: 'n_estimators', role: 'param' } }));
    }
    await store.save();
    store.close();
    const reopened = await openStore(ws);
    const series = reopened.trialValueSeries('auc');
    assert.equal(series.length, 10_000);
    for (let i = 1; i < series.length; i++) assert.ok(series[i - 1].createdAt <= series[i].createdAt, `row ${i} out of order`);
    assert.equal(reopened.listTrials().length, 10_000);
    reopened.close();
  });
});

describe('trial documents on disk', () => {
  test('are stored compressed and read back whole, and plain-JSON documents still read', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const big = trial('big', '2024-05-01T00:00:00.000Z', { auc: metric(0.5) });
    big.executions = Array.from({ length: 200 }, (_, i) => ({ id: `e${i}`, cellId: `c${i}`, cellIndex: i, executionCount: i + 1, code: `x_${i} = compute(${i})  # the same comment on every line` }));
    store.saveTrial(big);
    const plainJson = trial('plain', '2024-05-02T00:00:00.000Z', { auc: metric(0.6) });
    store.saveTrial(plainJson);
    // A document written before compression: plain JSON text in the same column.
    const db = (store as unknown as { ctx: { db: Database } }).ctx.db;
    db.run('UPDATE trials SET document_json = ? WHERE id = ?', [JSON.stringify(plainJson), 'plain']);
    const [stored] = db.exec("SELECT typeof(document_json), length(document_json) FROM trials WHERE id = 'big'")[0].values;
    assert.equal(stored[0], 'blob');
    assert.ok(Number(stored[1]) * 5 < JSON.stringify(big).length, `stored ${stored[1]} B for a ${JSON.stringify(big).length} B document`);
    await store.save();
    store.close();
    const reopened = await openStore(ws);
    assert.deepEqual(reopened.getTrial('big')!.executions, big.executions);
    assert.equal(reopened.getTrial('plain')!.id, 'plain');
    reopened.close();
  });
});
