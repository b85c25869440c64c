import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csvParse } from 'd3-dsv';
import { operationOrderDiff, orderedOperations, operationLine } from '../../src/core/trials/operationOrder';
import { seriesFromRows, seriesToCsv, valueSeries } from '../../src/core/trials/series';
import { UnknownVariableError } from '../../src/core/trials/errors';
import { op, trial, value } from './helpers';

const split = (ex: string, cell = 3) => op(ex, cell, 1, 'X_train, X_test = train_test_split(\n    X, y, test_size=0.2)', ['X_train', 'X_test']);

describe('operationOrderDiff', () => {
  const load = op('e1', 1, 1, 'df = pd.read_csv("iris.csv")', ['df']);
  const clean = op('e2', 2, 1, 'df = df.dropna()', ['df']);
  const fit = op('e3', 4, 2, 'model.fit(X_train, y_train)', ['model']);

  test('operations are the union over tagged variables, once each, in execution order', () => {
    const t = trial('a', { lineage: { acc: [load, clean, split('e2b'), fit], model: [load, clean, fit] } });
    t.executions = ['e1', 'e2', 'e2b', 'e3'].map((id, i) => ({ id, cellId: id, cellIndex: i, executionCount: i + 1, code: '' }));
    assert.deepEqual(orderedOperations(t).map((o) => o.code.slice(0, 8)), ['df = pd.', 'df = df.', 'X_train,', 'model.fi']);
  });

  test('one line per operation with its cell, multi-line code joined', () => {
    assert.equal(operationLine(split('e')), '[cell 3] X_train, X_test = train_test_split( X, y, test_size=0.2)');
  });

  test('equal trials give headers naming the trials and no hunk', () => {
    const a = trial('base', { lineage: { acc: [load, clean] } });
    const b = trial('tuned', { lineage: { acc: [load, clean] } });
    const patch = operationOrderDiff(a, b);
    assert.match(patch, /^--- trial base \(base\)/m);
    assert.match(patch, /^\+\+\+ trial tuned \(tuned\)/m);
    assert.doesNotMatch(patch, /^@@/m);
  });

  test('added and removed operations are + and − lines', () => {
    const a = trial('a', { lineage: { acc: [load, fit] } });
    const b = trial('b', { lineage: { acc: [load, clean, fit] } });
    const patch = operationOrderDiff(a, b);
    assert.match(patch, /^\+\[cell 2\] df = df\.dropna\(\)$/m);
    assert.doesNotMatch(patch, /^-\[cell/m);
    const back = operationOrderDiff(b, a);
    assert.match(back, /^-\[cell 2\] df = df\.dropna\(\)$/m);
  });

  test('reordered operations show up even though the sets are equal', () => {
    const scale = op('s', 5, 1, 'X = scaler.fit_transform(X)', ['X']);
    const splitOp = split('p', 6);
    const a = trial('a', { lineage: { acc: [scale, splitOp] } });
    const b = trial('b', { lineage: { acc: [splitOp, scale] } });
    b.executions = [{ id: 'p', cellId: 'p', cellIndex: 6, executionCount: 1, code: '' }, { id: 's', cellId: 's', cellIndex: 5, executionCount: 2, code: '' }];
    const patch = operationOrderDiff(a, b);
    assert.match(patch, /^@@/m);
    const changed = patch.split('\n').filter((l) => /^[-+]\[cell/.test(l));
    assert.ok(changed.some((l) => l.startsWith('-') && l.includes('fit_transform')) || changed.some((l) => l.startsWith('-') && l.includes('train_test_split')));
    assert.ok(changed.some((l) => l.startsWith('+')));
  });
});

describe('valueSeries', () => {
  const t = (id: string, createdAt: string, acc?: number | string) =>
    trial(id, { createdAt, tagged: acc === undefined ? { other: value('other', { value: 1 }) } : { acc: value('acc', { value: acc, type: 'float' }) } });

  test('rows are ordered by trial time, trials without the variable skipped', () => {
    const s = valueSeries([t('c', '2024-05-03T00:00:00Z', 0.7), t('a', '2024-05-01T00:00:00Z', 0.5), t('x', '2024-05-02T00:00:00Z'), t('b', '2024-05-02T00:00:00Z', 0.6)], 'acc');
    assert.equal(s.variable, 'acc');
    assert.deepEqual(s.rows.map((r) => [r.trial, r.value]), [['a', 0.5], ['b', 0.6], ['c', 0.7]]);
    assert.deepEqual(Object.keys(s.rows[0]).sort(), ['createdAt', 'notebook', 'repr', 'role', 'trial', 'trialId', 'type', 'value']);
    assert.equal(s.rows[0].notebook, 'demo.ipynb', 'the notebook each trial came from');
  });

  test('time zones are compared as instants, equal times by trial id', () => {
    const s = valueSeries([t('z', '2024-05-01T12:00:00+02:00', 2), t('y', '2024-05-01T11:00:00Z', 3), t('x', '2024-05-01T10:00:00Z', 1)], 'acc');
    assert.deepEqual(s.rows.map((r) => r.trialId), ['x', 'z', 'y']);
  });

  test('an untagged variable is a typed error listing tagged variables, closest first', () => {
    const trials = [trial('a', { tagged: { accuracy: value('accuracy'), loss: value('loss'), n_estimators: value('n_estimators') } })];
    assert.throws(() => valueSeries(trials, 'acuracy'), (e: unknown) => {
      assert.ok(e instanceof UnknownVariableError);
      assert.equal(e.tagged[0], 'accuracy');
      assert.deepEqual([...e.tagged].sort(), ['accuracy', 'loss', 'n_estimators']);
      assert.match(e.message, /"acuracy" is not tagged.*accuracy, /);
      return true;
    });
    assert.throws(() => valueSeries([], 'acc'), /no trial has tagged variables yet/);
  });

  test('from store rows', () => {
    const s = seriesFromRows('acc', [
      { trialId: 't2', trialName: null, createdAt: '2024-01-02T00:00:00Z', role: 'metric', type: 'float', repr: '0.2', value: 0.2 },
      { trialId: 't1', trialName: 'first', createdAt: '2024-01-01T00:00:00Z', role: 'metric', type: 'float', repr: 'nan', value: 'NaN' },
    ], ['acc']);
    assert.deepEqual(s.rows.map((r) => [r.trial, r.value]), [['first', 'NaN'], ['t2', 0.2]]);
    assert.throws(() => seriesFromRows('ac', [], ['acc', 'loss']), /tagged variables \(closest first\): acc, loss/);
  });

  test('CSV escapes commas, quotes, newlines and keeps unicode', () => {
    const tricky = 'a, "quoted"\nsecond line — 日本語 🙂';
    const s = valueSeries([trial('名前, "x"', { tagged: { label: value('label', { type: 'str', value: tricky, repr: `'${tricky}'` }) } })], 'label');
    const csv = seriesToCsv(s);
    assert.ok(csv.startsWith('trial,trial_id,notebook,created_at,variable,value,repr,type,hash\n'));
    const parsed = csvParse(csv);
    assert.equal(parsed.length, 1);
    assert.equal(parsed[0].trial, '名前, "x"');
    assert.equal(parsed[0].value, tricky);
    assert.equal(parsed[0].repr, `'${tricky}'`);
    assert.match(csv, /"a, ""quoted""\nsecond line/);
  });

  test('CSV writes complex and null values as JSON or empty', () => {
    const s = valueSeries([trial('t', { tagged: { v: value('v', { type: 'list', value: [1, 'a'], repr: '[1]' }), w: value('w') } })], 'v');
    assert.equal(csvParse(seriesToCsv(s))[0].value, '[1,"a"]');
    const n = valueSeries([trial('t', { tagged: { w: value('w', { type: 'NoneType', value: null, repr: 'None' }) } })], 'w');
    assert.equal(csvParse(seriesToCsv(n))[0].value, '');
  });
});
