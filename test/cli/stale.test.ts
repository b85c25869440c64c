import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

describe('nbprov stale', () => {
  let dir: string;
  before(() => {
    ensureBuilt();
    dir = tempWorkspace('nbprov-stale-');
  });
  after(() => removeWorkspace(dir));

  test('a cell whose input was redefined after it ran is stale, with the name and the cell that changed it', () => {
    writeNotebook(dir, 'nb.ipynb', [
      { source: 'a = 1', count: 1 },
      { source: 'b = a * 2', count: 2 },
      { source: 'a = 10', count: 3 },
      { source: 'c = b + a', count: 4 },
    ]);
    const doc = nbprovJson(['stale', 'nb.ipynb'], dir);
    assert.deepEqual(doc.stale, [{ cell: 1, cellId: 'c1', executionCount: 2, reasons: [{ name: 'a', change: 'define', changedBy: { cell: 2, cellId: 'c2', executionCount: 3 } }] }]);
    const text = nbprov(['stale', 'nb.ipynb'], dir);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /cell 1 \[2\]: a redefined by cell 2 \[3\]/);
  });

  test('a mutation after a cell ran makes its readers stale; a notebook run top to bottom has none', () => {
    writeNotebook(dir, 'mut.ipynb', [
      { source: 'xs = [1]', count: 1 },
      { source: 'n = len(xs)', count: 2 },
      { source: 'xs.append(2)', count: 3 },
    ]);
    assert.deepEqual(nbprovJson(['stale', 'mut.ipynb'], dir).stale.map((s: { cell: number; reasons: { name: string; change: string }[] }) => [s.cell, s.reasons.map((r) => `${r.name}:${r.change}`)]), [[1, ['xs:mutate']]]);
    writeNotebook(dir, 'clean.ipynb', ['a = 1', 'b = a + 1', 'c = b * 2']);
    assert.deepEqual(nbprovJson(['stale', 'clean.ipynb'], dir).stale, []);
  });
});
