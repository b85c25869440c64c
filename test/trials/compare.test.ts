import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTrials } from '../../src/core/trials/compare';
import { formatTrialDiff } from '../../src/core/trials/formatDiff';
import { trial, value } from './helpers';

const frame = (hash: string, extra: Partial<Parameters<typeof value>[1]> = {}) =>
  value('df', { role: 'dataset', type: 'pandas.core.frame.DataFrame', repr: '<DataFrame>', hash, shape: [150, 4], dtype: { a: 'float64' }, columns: ['a', 'b', 'c', 'd'], ...extra });

describe('compareTrials: values', () => {
  test('equal scalars are equal and carry a zero delta', () => {
    const d = compareTrials(trial('a', { tagged: { acc: value('acc', { value: 0.9 }) } }), trial('b', { tagged: { acc: value('acc', { value: 0.9 }) } }));
    assert.equal(d.common.length, 1);
    assert.equal(d.common[0].equal, true);
    assert.equal(d.common[0].comparedBy, 'value');
    assert.deepEqual(d.common[0].delta, { absolute: 0, relative: 0 });
    assert.equal(d.nothingInCommon, false);
  });

  test('changed numbers give b − a and the relative change', () => {
    const d = compareTrials(trial('a', { tagged: { acc: value('acc', { value: 0.8 }) } }), trial('b', { tagged: { acc: value('acc', { value: 0.9 }) } }));
    const [entry] = d.common;
    assert.equal(entry.equal, false);
    assert.ok(Math.abs((entry.delta?.absolute ?? 0) - 0.1) < 1e-12);
    assert.ok(Math.abs((entry.delta?.relative ?? 0) - 0.125) < 1e-12);
    assert.equal(entry.a.value, 0.8);
    assert.equal(entry.b.value, 0.9);
  });

  test('relative change is null when a is zero', () => {
    const d = compareTrials(trial('a', { tagged: { n: value('n', { value: 0 }) } }), trial('b', { tagged: { n: value('n', { value: 3 }) } }));
    assert.deepEqual(d.common[0].delta, { absolute: 3, relative: null });
  });

  test('added and removed names go to onlyB and onlyA with their values', () => {
    const d = compareTrials(
      trial('a', { tagged: { acc: value('acc', { value: 1 }), old: value('old', { value: 'x' }) } }),
      trial('b', { tagged: { acc: value('acc', { value: 1 }), fresh: value('fresh', { value: 2 }) } }),
    );
    assert.deepEqual(d.onlyA.map((v) => v.name), ['old']);
    assert.deepEqual(d.onlyB.map((v) => v.name), ['fresh']);
    assert.equal(d.onlyB[0].value.value, 2);
  });

  test('NaN equals NaN, and the diff says so', () => {
    const nan = () => value('loss', { type: 'float', value: 'NaN', repr: 'nan' });
    const d = compareTrials(trial('a', { tagged: { loss: nan() } }), trial('b', { tagged: { loss: nan() } }));
    assert.equal(d.common[0].equal, true);
    assert.match(d.common[0].note ?? '', /NaN.*equal/);
    assert.match(formatTrialDiff(d), /loss: both NaN: treated as equal/);
  });

  test('NaN against a number is a change without a numeric delta', () => {
    const d = compareTrials(
      trial('a', { tagged: { loss: value('loss', { type: 'float', value: 0.5 }) } }),
      trial('b', { tagged: { loss: value('loss', { type: 'float', value: 'NaN' }) } }),
    );
    assert.equal(d.common[0].equal, false);
    assert.deepEqual(d.common[0].delta, { absolute: null, relative: null });
  });

  test('infinities: equal signs are equal, opposite signs differ, finite to infinite has no delta', () => {
    const inf = (v: string) => value('x', { type: 'numpy.float64', value: v });
    assert.equal(compareTrials(trial('a', { tagged: { x: inf('Infinity') } }), trial('b', { tagged: { x: inf('Infinity') } })).common[0].equal, true);
    assert.equal(compareTrials(trial('a', { tagged: { x: inf('Infinity') } }), trial('b', { tagged: { x: inf('-Infinity') } })).common[0].equal, false);
    const finite = compareTrials(trial('a', { tagged: { x: value('x', { type: 'float', value: 2 }) } }), trial('b', { tagged: { x: inf('Infinity') } }));
    assert.equal(finite.common[0].equal, false);
    assert.equal(finite.common[0].delta?.absolute, null);
    assert.match(finite.common[0].note ?? '', /non-finite/);
    // The diff stays valid JSON.
    assert.doesNotThrow(() => JSON.parse(JSON.stringify(finite)));
  });

  test('the string "NaN" of a str variable is not a number', () => {
    const d = compareTrials(trial('a', { tagged: { s: value('s', { type: 'str', value: 'NaN' }) } }), trial('b', { tagged: { s: value('s', { type: 'str', value: 'NaN' }) } }));
    assert.equal(d.common[0].equal, true);
    assert.equal(d.common[0].delta, undefined);
  });

  test('complex values with the same hash are equal even if their repr differs', () => {
    const d = compareTrials(trial('a', { tagged: { df: frame('h1', { repr: 'one' }) } }), trial('b', { tagged: { df: frame('h1', { repr: 'two' }) } }));
    assert.equal(d.common[0].equal, true);
    assert.equal(d.common[0].comparedBy, 'hash');
    assert.deepEqual(d.common[0].changes, []);
  });

  test('complex values with different hashes are changed, and shape/columns changes are named', () => {
    const d = compareTrials(
      trial('a', { tagged: { df: frame('h1') } }),
      trial('b', { tagged: { df: frame('h2', { shape: [120, 4], columns: ['a', 'b', 'c', 'e'] }) } }),
    );
    const [entry] = d.common;
    assert.equal(entry.equal, false);
    assert.deepEqual(entry.changes, ['shape', 'columns']);
    assert.deepEqual(entry.columns, { added: ['e'], removed: ['d'] });
    const text = formatTrialDiff(d);
    assert.match(text, /shape \(150, 4\) → \(120, 4\)/);
    assert.match(text, /columns \+e −d/);
  });

  test('the same content with a new dtype reports the dtype change', () => {
    const d = compareTrials(trial('a', { tagged: { df: frame('h1') } }), trial('b', { tagged: { df: frame('h2', { dtype: { a: 'int64' } }) } }));
    assert.deepEqual(d.common[0].changes, ['dtype']);
  });

  test('values with neither value nor hash are compared by repr and the note says so', () => {
    const model = (repr: string) => value('m', { role: 'model', type: 'sklearn.svm.SVC', repr });
    const same = compareTrials(trial('a', { tagged: { m: model('SVC(C=1)') } }), trial('b', { tagged: { m: model('SVC(C=1)') } }));
    assert.equal(same.common[0].equal, true);
    assert.equal(same.common[0].comparedBy, 'repr');
    assert.match(same.common[0].note ?? '', /repr/);
    const changed = compareTrials(trial('a', { tagged: { m: model('SVC(C=1)') } }), trial('b', { tagged: { m: model('SVC(C=2)') } }));
    assert.equal(changed.common[0].equal, false);
  });

  test('an incomplete summary is never called equal', () => {
    const broken = () => value('big', { type: 'object', repr: '<timed out>', error: 'timeout' });
    const d = compareTrials(trial('a', { tagged: { big: broken() } }), trial('b', { tagged: { big: broken() } }));
    assert.equal(d.common[0].equal, false);
    assert.match(d.common[0].note ?? '', /incomplete/);
  });

  test('nothing in common: a flag and a message naming both sides, not an error', () => {
    const d = compareTrials(trial('iris', { tagged: { acc: value('acc', { value: 1 }) } }), trial('mnist', { tagged: { loss: value('loss', { value: 2 }) } }));
    assert.equal(d.nothingInCommon, true);
    assert.match(d.message ?? '', /share no tagged variable.*iris: acc.*mnist: loss/);
    assert.match(formatTrialDiff(d), /share no tagged variable/);
  });
});

describe('compareTrials: params, files, environment', () => {
  test('params are compared by value', () => {
    const d = compareTrials(trial('a', { params: { n: 100, seed: 1 } }), trial('b', { params: { n: 200, seed: 1, extra: [1, 2] } }));
    assert.deepEqual(
      d.params.map((p) => [p.name, p.equal]),
      [['n', false], ['seed', true], ['extra', false]],
    );
    assert.equal(d.params[2].a, undefined);
  });

  test('a dataset whose content changed under the same name shows up by hash', () => {
    const read = (hash: string) => [{ path: 'data/iris.csv', mode: 'r', kind: 'read' as const, hashBefore: hash }];
    const d = compareTrials(trial('a', { files: read('aaa') }), trial('b', { files: read('bbb') }));
    assert.deepEqual(d.files, [{ path: 'data/iris.csv', hashesA: ['aaa'], hashesB: ['bbb'], status: 'changed' }]);
    assert.match(formatTrialDiff(d), /data\/iris\.csv\s+changed\s+aaa → bbb/);
    const same = compareTrials(trial('a', { files: read('aaa') }), trial('b', { files: read('aaa') }));
    assert.equal(same.files[0].status, 'same');
  });

  test('files written are not reads; files read on one side only are reported', () => {
    const d = compareTrials(
      trial('a', { files: [{ path: 'out.csv', mode: 'w', kind: 'write', hashAfter: 'x' }, { path: 'in.csv', mode: 'r', kind: 'read', hashBefore: 'h' }] }),
      trial('b', { files: [{ path: 'other.csv', mode: 'r', kind: 'read', hashBefore: null }] }),
    );
    assert.deepEqual(d.files.map((f) => [f.path, f.status]), [['in.csv', 'onlyA'], ['other.csv', 'onlyB']]);
  });

  test('package version changes, additions and removals', () => {
    const env = (packages: Record<string, string>, languageVersion = '3.11.2') => ({ language: 'python', languageVersion, packages });
    const d = compareTrials(
      trial('a', { environment: env({ numpy: '1.26.4', pandas: '2.2.0', scipy: '1.0' }) }),
      trial('b', { environment: env({ numpy: '2.0.0', pandas: '2.2.0', torch: '2.3' }, '3.12.1') }),
    );
    assert.deepEqual(d.environment.packages, [
      { name: 'numpy', a: '1.26.4', b: '2.0.0', status: 'changed' },
      { name: 'scipy', a: '1.0', b: null, status: 'removed' },
      { name: 'torch', a: null, b: '2.3', status: 'added' },
    ]);
    assert.equal(d.environment.language.equal, false);
    assert.match(formatTrialDiff(d), /numpy\s+1\.26\.4\s+→\s+2\.0\.0/);
  });
});

describe('formatTrialDiff', () => {
  test('aligns the table columns, unicode names included', () => {
    const d = compareTrials(
      trial('a', { tagged: { 精度: value('精度', { value: 0.8 }), acc: value('acc', { value: 0.5 }) } }),
      trial('b', { tagged: { 精度: value('精度', { value: 0.9 }), acc: value('acc', { value: 0.5 }) } }),
    );
    const text = formatTrialDiff(d);
    const lines = text.split('\n').filter((l) => /^(variable|精度|acc)/.test(l));
    assert.equal(lines.length, 3);
    // "role" column starts at the same display column: 精度 is 4 columns wide.
    const roleColumn = (line: string) => line.indexOf('metric') + (line.startsWith('精度') ? 2 : 0);
    assert.equal(roleColumn(lines[1]), roleColumn(lines[2]));
    assert.match(lines[1], /changed, \+0\.1 \(\+12\.5%\)/);
    assert.match(lines[2], /equal/);
  });
});
