// One value per name (issue 12): a statement binding several names (tuple and star targets,
// chained assignments, multi-name imports, `with … as (a, b)`) gives each name its own recorded
// value in lineage and in the saved trial, and a name is never attributed another name's value
// (the lineage of f1 holds f1_score from `from sklearn.metrics import f1_score, roc_auc_score`,
// never roc_auc_score). Real kernel, real scikit-learn.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('one-value');
  writeNotebook(
    ws,
    'split.ipynb',
    [
      'import numpy as np\nfrom sklearn.model_selection import train_test_split\nX = np.arange(40).reshape(20, 2)\ny = np.array([0, 1] * 10)',
      'X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)\nfirst, *others = [10, 20, 30]',
      'import contextlib\nwith contextlib.nullcontext((3, 4)) as (p, q):\n    pass\nlo = hi = 0.5',
      'from sklearn.metrics import f1_score, roc_auc_score\nf1 = f1_score(y_test, y_test)\nsizes = [len(X_train), len(X_test), len(y_train), first, len(others), p + q, lo + hi]',
    ],
    { nbprov: { variables: { f1: 'metric', sizes: 'metric' } } },
  );
  nbprovJson(['run', 'split.ipynb', '--trial', 'split'], ws, 180_000);
});
after(() => removeWorkspace(ws));

interface Value {
  name: string;
  type: string;
  repr: string;
  value?: unknown;
}
interface Operation {
  cell: number | null;
  line: number;
  code: string;
  defines: string[];
  needed: string[];
  value?: Value;
  values?: Value[];
}

const lineageOps = (variable: string): Operation[] => nbprovJson(['lineage', 'split.ipynb', variable, '--operations'], ws).operations;
const at = (ops: Operation[], cell: number, line: number): Operation => {
  const op = ops.find((o) => o.cell === cell && o.line === line);
  assert.ok(op, `no statement at cell ${cell}:${line} in ${JSON.stringify(ops.map((o) => [o.cell, o.line]))}`);
  return op;
};

describe('one value per name', () => {
  test('a train_test_split tuple assignment shows each of the four names with its own value', () => {
    const split = at(lineageOps('sizes'), 1, 1);
    assert.deepEqual(split.defines, ['X_train', 'X_test', 'y_train', 'y_test']);
    assert.deepEqual(split.needed, ['X_train', 'X_test', 'y_train'], 'sizes reads three of the four');
    assert.deepEqual(split.values?.map((v) => v.name), ['X_train', 'X_test', 'y_train']);
    const reprs = new Set(split.values!.map((v) => v.repr));
    assert.equal(reprs.size, 3, `three different values: ${[...reprs].join(' | ')}`);
    assert.match(split.values!.find((v) => v.name === 'y_train')!.repr, /^array\(\[[01], /);
    assert.match(split.values!.find((v) => v.name === 'X_test')!.repr, /^array\(\[\[/);

    const forY = at(lineageOps('y_test'), 1, 1);
    assert.deepEqual(forY.needed, ['y_test']);
    assert.equal(forY.value?.name, 'y_test', 'the lineage of y_test shows y_test, not X_train');
  });

  test('star targets, chained assignments and with … as (a, b) give each name its value', () => {
    const ops = lineageOps('sizes');
    const star = at(ops, 1, 2);
    assert.deepEqual(star.values?.map((v) => [v.name, v.repr]), [['first', '10'], ['others', '[20, 30]']]);
    const withAs = at(ops, 2, 2);
    assert.deepEqual(withAs.values?.map((v) => [v.name, v.value]), [['p', 3], ['q', 4]]);
    const chained = at(ops, 2, 4);
    assert.deepEqual(chained.values?.map((v) => [v.name, v.value]), [['lo', 0.5], ['hi', 0.5]]);
  });

  test('a multi-name import gives f1 the function it called, never its neighbour', () => {
    const imported = at(lineageOps('f1'), 3, 1);
    assert.deepEqual(imported.needed, ['f1_score']);
    assert.deepEqual(imported.values?.map((v) => v.name), ['f1_score']);
    assert.equal(imported.value?.name, 'f1_score');

    const exported = nbprovJson(['export', '--format', 'json'], ws);
    const trial = exported.trials.find((t: { name: string }) => t.name === 'split');
    const trialImport = trial.lineage.f1.find((op: Operation & { code: string }) => op.code.startsWith('from sklearn.metrics'));
    assert.deepEqual(trialImport.values.map((v: Value) => v.name), ['f1_score']);
    const trialSplit = trial.lineage.sizes.find((op: Operation & { code: string }) => op.code.startsWith('X_train, X_test'));
    assert.deepEqual(trialSplit.values.map((v: Value) => v.name), ['X_train', 'X_test', 'y_train'], 'the trial keeps each name its own value');
    assert.deepEqual(trialSplit.needed, ['X_train', 'X_test', 'y_train'], 'and the names the lineage needs from the statement');
  });
});
