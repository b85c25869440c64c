/**
 * Run-time object identities merged into the may-alias classes (AliasState.observe through the
 * graph): equal ids in one record make one class, a member id puts the name in the elements class,
 * ids of different records are never compared (ids are reused), and identities only add aliasing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependentCellIndices, staleCells } from '../../src/core/lineage';
import { pythonHistory, type PythonRun } from './helpers';


describe('aliases from run-time identities', () => {
  test('two names with the same id in one record are one class: mutating one changes the other', async () => {
    const runs: PythonRun[] = [
      [0, 'a = [1, 2]', { a: { id: '10' } }],
      [1, 'b = lookup("a")', { b: { id: '10' }, a: { id: '10' } }],
      [2, 'b.append(3)', { b: { id: '10' }, a: { id: '10' } }],
      [3, 'print(a)'],
    ];
    assert.deepEqual(dependentCellIndices(await pythonHistory(runs), 2), [3]);
    const staticOnly = await pythonHistory(runs.map(([index, code]) => [index, code]));
    assert.deepEqual(dependentCellIndices(staticOnly, 2), [], 'the static analysis alone does not see this alias');
  });

  test('a name whose id is a member of another name is in its elements class', async () => {
    const runs: PythonRun[] = [
      [0, 'x = [0]'],
      [1, 'rows = build()', { rows: { id: '20', members: ['30', '31'] }, x: { id: '30' } }],
      [2, 'rows[0].append(1)'],
      [3, 'print(x)'],
      [4, 'rows.append([])'],
      [5, 'print(x)'],
    ];
    const graph = await pythonHistory(runs);
    assert.deepEqual(dependentCellIndices(graph, 2), [3, 4, 5], 'changing what rows holds changes x (cell 4 reads rows itself)');
    assert.deepEqual(dependentCellIndices(graph, 4), [], 'appending to rows (its own object only) leaves x alone');
  });

  test('equal ids in different records prove nothing (an id is reused once its object dies)', async () => {
    const graph = await pythonHistory([
      [0, 'a = [1]', { a: { id: '40' } }],
      [1, 'b = make()', { b: { id: '40' } }],
      [2, 'b.append(2)'],
      [3, 'print(a)'],
    ]);
    assert.deepEqual(dependentCellIndices(graph, 2), [], 'the record of cell 1 would have listed a had it held the same object');
  });

  test('identities only add aliasing: a static alias stays when the run shows different ids', async () => {
    const graph = await pythonHistory([
      [0, 'a = [1, 2]', { a: { id: '50' } }],
      [1, 'b = a', { b: { id: '51' }, a: { id: '52' } }],
      [2, 'b.append(3)'],
      [3, 'print(a)'],
    ]);
    assert.deepEqual(dependentCellIndices(graph, 2), [3]);
  });

  test('stale cells follow the alias too, and names lineage never bound are ignored', async () => {
    const graph = await pythonHistory([
      [0, 'a = [1, 2]'],
      [1, 'b = lookup("a")', { b: { id: '60' }, a: { id: '60' }, hidden: { id: '60' } }],
      [3, 'print(a)'],
      [2, 'b.append(3)'],
    ]);
    assert.deepEqual(staleCells(graph).map((c) => c.cellIndex), [3]);
  });
});
