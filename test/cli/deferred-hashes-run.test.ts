// Issue 13, end to end through `nbprov run` and a real kernel: a large value's hash is computed off
// the cells' critical path and reaches the store afterwards. Two runs of the same notebook give
// trials whose large tagged value carries the same content hash (so a diff can say "same"), and
// a third run with other data gives another; the stored executions hold no value left "pending".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;

interface TaggedValue {
  hash?: string;
  deferred?: string;
  stats?: Record<string, number | null>;
}

const CELLS = (seed: number) => [
  `import numpy as np\nfeatures = np.random.default_rng(${seed}).random(3_000_000)`,
  'features *= 2.0',
  'score = float(features.mean())',
];

before(() => {
  ensureBuilt();
  ws = tempWorkspace('deferred-run');
  writeNotebook(ws, 'same.ipynb', CELLS(1), { nbprov: { variables: { features: 'dataset', score: 'metric' } } });
  writeNotebook(ws, 'other.ipynb', CELLS(2), { nbprov: { variables: { features: 'dataset', score: 'metric' } } });
  nbprovJson(['run', 'same.ipynb', '--trial', 'first'], ws, 180_000);
  nbprovJson(['run', 'same.ipynb', '--trial', 'again'], ws, 180_000);
  nbprovJson(['run', 'other.ipynb', '--trial', 'other'], ws, 180_000);
});
after(() => removeWorkspace(ws));

const tagged = (trial: string): TaggedValue => nbprovJson(['trial', 'show', trial], ws).tagged.features as TaggedValue;

describe('deferred hashes through nbprov run', () => {
  test('the large tagged value of each trial has its content hash, equal for equal data', () => {
    const first = tagged('first');
    const again = tagged('again');
    const other = tagged('other');
    for (const v of [first, again, other]) {
      assert.ok(v.hash, `a hash after the run: ${JSON.stringify(v)}`);
      assert.equal(v.deferred, undefined);
      assert.equal(v.stats?.sampled, undefined, 'exact statistics replaced the sampled ones');
    }
    assert.equal(first.hash, again.hash, 'same data, same hash');
    assert.notEqual(first.hash, other.hash, 'other data, other hash');
  });

  test('the diff of two runs on the same data compares the large value by hash and finds it equal', () => {
    const diff = nbprovJson(['diff', 'first', 'again'], ws);
    const row = (diff.common as { name: string; comparedBy: string; equal: boolean }[]).find((r) => r.name === 'features');
    assert.ok(row, JSON.stringify(diff.common));
    assert.equal(row.comparedBy, 'hash');
    assert.equal(row.equal, true);
  });

  test('after the runs no recorded value is left pending: each has its hash or is marked never hashed', () => {
    const exported = nbprovJson(['export', '--format', 'json'], ws) as { executions: { code: string; values: TaggedValue[] }[] };
    const large = exported.executions.flatMap((e) => e.values).filter((v) => v.hash || v.deferred);
    const features = exported.executions.flatMap((e) => e.values.filter((v) => (v as { name?: string }).name === 'features'));
    assert.equal(features.length, 6, 'features recorded twice in each of three runs');
    for (const v of large) assert.ok(v.hash ? v.deferred === undefined : v.deferred === 'abandoned', JSON.stringify(v));
    assert.ok(features.filter((v) => v.hash).length >= 3, 'at least the final value of each run was hashed');
  });
});
