import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyFacts, type CellFacts } from '../../src/core/analysis/facts';
import type { ExecutionRecord, Trial } from '../../src/core/records';
import { openStore, SCHEMA_VERSION, type Store } from '../../src/core/store';
import { execution, intValue, NOTEBOOK, session, tempWorkspace, trial } from './fixtures';

async function reopened(store: Store, workspace: string): Promise<Store> {
  await store.save();
  store.close();
  return openStore(workspace);
}

const richExecution: ExecutionRecord = execution('e-rich', {
  cellId: 'b7f1c2',
  cellIndex: 3,
  code: "df = pd.read_csv('data/creditcard.csv')\nscore = float('nan')\nname = 'ünïcødé ✓ 🚀'\n",
  executionCount: 7,
  success: false,
  error: { type: 'ValueError', message: 'could not convert — “quotes”' },
  durationMs: 1234.567,
  values: [
    {
      name: 'df',
      type: 'pandas.core.frame.DataFrame',
      repr: '<DataFrame 284807×31>',
      hash: 'sha256:abc',
      shape: [284807, 31],
      dtype: { Time: 'float64', Class: 'int64' },
      columns: ['Time', 'Class'],
      stats: { mean: 0.5, std: Number.NaN, max: Number.POSITIVE_INFINITY, nulls: null },
      preview: [[1, 'a'], { k: [true, null] }],
    },
    { name: 'score', type: 'float', repr: 'nan', value: 'NaN' },
    { name: 'big', type: 'float', repr: 'inf', value: 'Infinity' },
    { name: 'small', type: 'float', repr: '-inf', value: '-Infinity' },
    { name: 'name', type: 'str', repr: "'ünïcødé ✓ 🚀'", value: 'ünïcødé ✓ 🚀' },
    { name: 'model', type: 'sklearn.ensemble._forest.RandomForestClassifier', repr: 'RandomForestClassifier()', params: { n_estimators: 100, max_depth: null }, mutated: true },
    { name: 'broken', type: 'Weird', repr: '<repr failed>', error: 'repr raised RuntimeError' },
  ],
  files: [
    { path: 'data/creditcard.csv', mode: 'r', kind: 'read', hashBefore: 'h1', hashAfter: 'h1', size: 1024 },
    { path: 'out/model.pkl', mode: 'wb', kind: 'write', hashBefore: null, hashAfter: 'h2' },
    { path: 'log.txt', mode: 'a+', kind: 'readwrite' },
  ],
});

describe('store round-trips', () => {
  test('a session, with and without environment, survives save and reopen', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const withEnv = session('s1');
    const withoutEnv = session('s2', { kernelName: null, environment: null, startedAt: '2024-05-02T09:00:00.000Z' });
    store.addSession(withEnv);
    store.addSession(withoutEnv);
    const again = await reopened(store, ws);
    assert.deepEqual(again.getSession('s1'), withEnv);
    assert.deepEqual(again.listSessions(NOTEBOOK), [withEnv, withoutEnv]);
    assert.equal(again.getSession('nope'), undefined);
    again.close();
  });

  test('an execution with values (NaN/Infinity, unicode, nested JSON) and file accesses round-trips exactly', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(richExecution);
    const again = await reopened(store, ws);
    const back = again.getExecution('e-rich');
    assert.deepEqual(back, richExecution);
    assert.ok(back && Number.isNaN(back.values[0].stats?.std));
    assert.equal(back?.values[0].stats?.max, Number.POSITIVE_INFINITY);
    assert.deepEqual(again.valuesOf('e-rich'), richExecution.values);
    again.close();
  });

  test('large code (2 MB) round-trips', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const code = Array.from({ length: 40_000 }, (_, i) => `value_${i} = compute(${i}, 'ß∂ƒ')  # line ${i}`).join('\n');
    assert.ok(code.length > 1_500_000);
    store.addExecution(execution('big', { code }));
    const again = await reopened(store, ws);
    assert.equal(again.getExecution('big')?.code, code);
    again.close();
  });

  test('listExecutions orders by start time, then insertion order, and filters by session', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.addExecution(execution('late', { startedAt: '2024-05-01T10:05:00.000Z', sessionId: 's2' }));
    store.addExecution(execution('tie-first', { startedAt: '2024-05-01T10:01:00.000Z' }));
    store.addExecution(execution('tie-second', { startedAt: '2024-05-01T10:01:00.000Z' }));
    // Same instant in another offset notation sorts by time, not by text.
    store.addExecution(execution('early', { startedAt: '2024-05-01T11:00:30+02:00' }));
    store.addExecution(execution('other-notebook', { notebookPath: 'other.ipynb' }));
    assert.deepEqual(
      store.listExecutions(NOTEBOOK).map((e) => e.id),
      ['early', 'tie-first', 'tie-second', 'late'],
    );
    assert.deepEqual(store.listExecutions(NOTEBOOK, { sessionId: 's2' }).map((e) => e.id), ['late']);
    assert.deepEqual(store.listExecutions('missing.ipynb'), []);
    store.close();
  });

  test('re-adding an execution id replaces it and keeps its place in the order', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.addExecution(execution('a', { values: [intValue('x', 1), intValue('y', 2)] }));
    store.addExecution(execution('b'));
    store.addExecution(execution('a', { values: [intValue('x', 5)] }));
    assert.deepEqual(store.listExecutions(NOTEBOOK).map((e) => e.id), ['a', 'b']);
    assert.deepEqual(store.valuesOf('a'), [intValue('x', 5)]);
    assert.equal(store.stats().values, 1);
    store.close();
  });

  test('latestValue follows execution order, not insertion order, and is per notebook', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.addExecution(execution('second', { startedAt: '2024-05-01T10:02:00.000Z', values: [intValue('n', 2)] }));
    store.addExecution(execution('first', { startedAt: '2024-05-01T10:01:00.000Z', values: [intValue('n', 1)] }));
    store.addExecution(execution('elsewhere', { notebookPath: 'b.ipynb', startedAt: '2024-05-01T11:00:00.000Z', values: [intValue('n', 9)] }));
    assert.deepEqual(store.latestValue(NOTEBOOK, 'n'), { executionId: 'second', startedAt: '2024-05-01T10:02:00.000Z', summary: intValue('n', 2) });
    assert.equal(store.latestValue(NOTEBOOK, 'missing'), undefined);
    store.close();
  });

  test('facts are cached by language, analyzer version and code', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const facts: CellFacts = {
      ...emptyFacts('python'),
      defines: ['x'],
      uses: ['y'],
      operations: [
        { index: 0, kind: 'assign', span: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 9 }, code: 'x = f(y, 1.5)', defines: ['x'], uses: ['y'], mutates: [], deletes: [], calls: [{ callee: 'f', argNames: ['y', null], keywordNames: {}, literalArgs: { '1': 1.5 }, line: 1 }] },
      ],
      diagnostics: [{ severity: 'warning', message: 'ünïcode', line: 1, column: 0 }],
    };
    const key = { language: 'python' as const, analyzerVersion: '1', code: 'x = f(y, 1.5)' };
    store.putFacts(key, facts);
    const again = await reopened(store, ws);
    assert.deepEqual(again.getFacts(key), facts);
    assert.equal(again.getFacts({ ...key, analyzerVersion: '2' }), undefined);
    assert.equal(again.getFacts({ ...key, code: 'x = f(y, 2)' }), undefined);
    assert.equal(again.getFacts({ ...key, language: 'javascript' }), undefined);
    again.close();
  });

  test('tags replace the notebook set and are queryable across notebooks', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.setTags(NOTEBOOK, { variables: { auc: 'metric', n_estimators: 'param', old: 'param' }, stages: { c1: 'load' } });
    store.setTags(NOTEBOOK, { variables: { auc: 'metric', n_estimators: 'param', __proto__x: 'x' }, stages: { c1: 'load', c2: 'train' } });
    store.setTags('other.ipynb', { variables: { auc: 'target' }, stages: {} });
    const again = await reopened(store, ws);
    assert.deepEqual(again.getTags(NOTEBOOK), { variables: { __proto__x: 'x', auc: 'metric', n_estimators: 'param' }, stages: { c1: 'load', c2: 'train' } });
    assert.deepEqual(again.listVariableTags('auc'), [
      { notebookPath: NOTEBOOK, name: 'auc', role: 'metric' },
      { notebookPath: 'other.ipynb', name: 'auc', role: 'target' },
    ]);
    assert.deepEqual(again.getTags('none.ipynb'), { variables: {}, stages: {} });
    again.close();
  });

  test('a variable called __proto__ is stored and returned as an ordinary tag', async (t) => {
    const store = await openStore(tempWorkspace(t));
    store.setTags(NOTEBOOK, { variables: JSON.parse('{"__proto__": "param"}') as Record<string, string>, stages: {} });
    const variables = store.getTags(NOTEBOOK).variables;
    assert.deepEqual(Object.keys(variables), ['__proto__']);
    assert.equal(Object.getPrototypeOf(variables), Object.prototype);
    store.close();
  });

  test('a full trial document round-trips; listTrials carries the tagged values', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    const full: Trial = trial(
      't1',
      '2024-05-01T12:00:00.000Z',
      {
        auc: { name: 'auc', role: 'metric', type: 'float', repr: '0.925', value: 0.925 },
        loss: { name: 'loss', role: 'metric', type: 'float', repr: 'nan', value: 'NaN' },
        df: { name: 'df', role: 'dataset', type: 'pandas.core.frame.DataFrame', repr: '<DataFrame>', hash: 'h', shape: [10, 2] },
      },
      {
        name: 'baseline ✓',
        note: 'first try',
        params: { n_estimators: 100, sample: 0.1 },
        lineage: { auc: [{ executionId: 'e1', cellId: 'c1', cellIndex: 0, line: 2, code: 'auc = roc_auc_score(y, p)', defines: ['auc'], value: { name: 'auc', type: 'float', repr: '0.925', value: 0.925 } }] },
        executions: [{ id: 'e1', cellId: 'c1', cellIndex: 0, executionCount: 1, code: 'auc = roc_auc_score(y, p)' }],
        files: [{ path: 'data.csv', mode: 'r', kind: 'read', hashAfter: 'h9' }],
        environment: { language: 'python', languageVersion: '3.11', packages: { sklearn: '1.4' } },
      },
    );
    store.saveTrial(full);
    const again = await reopened(store, ws);
    assert.deepEqual(again.getTrial('t1'), full);
    assert.deepEqual(again.listTrials(), [
      { id: 't1', name: 'baseline ✓', note: 'first try', notebookPath: NOTEBOOK, createdAt: full.createdAt, sessionId: 's1', tagged: full.tagged },
    ]);
    assert.deepEqual(again.listTrials('other.ipynb'), []);
    again.close();
  });

  test('listNotebooks and stats count what was stored', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addSession(session('s1'));
    store.addExecution(execution('e1', { values: [intValue('a', 1), intValue('b', 2)], files: [{ path: 'f', mode: 'r', kind: 'read' }] }));
    store.addExecution(execution('e2', { startedAt: '2024-05-01T10:09:00.000Z', cellId: 'cell-e1', cellIndex: 4 }));
    store.saveTrial(trial('t1', '2024-05-01T12:00:00.000Z', {}));
    assert.deepEqual(store.listNotebooks(), [{ path: NOTEBOOK, sessions: 1, executions: 2, trials: 1, lastExecutedAt: '2024-05-01T10:09:00.000Z' }]);
    assert.equal(store.stats().fileBytes, null);
    const saved = await store.save();
    const stats = store.stats();
    assert.deepEqual(
      { ...stats, fileBytes: 0 },
      { filePath: store.filePath, fileBytes: 0, schemaVersion: SCHEMA_VERSION, notebooks: 1, cells: 1, sessions: 1, executions: 2, values: 2, fileAccesses: 1, facts: 0, trials: 1, trialValues: 0 },
    );
    assert.equal(stats.fileBytes, saved.bytes);
    assert.ok(saved.bytes > 0);
    store.close();
  });

  test('records without an id or with an unparsable time are refused with a clear error', async (t) => {
    const store = await openStore(tempWorkspace(t));
    assert.throws(() => store.addExecution(execution('')), /execution has no id/);
    assert.throws(() => store.addExecution(execution('x', { startedAt: 'yesterday' })), /invalid time "yesterday"; use ISO 8601/);
    assert.throws(() => store.saveTrial(trial('t', 'soon', {})), /invalid createdAt "soon"/);
    assert.equal(store.stats().executions, 0);
    store.close();
  });
});
