// The static verbs (analyze, lineage, dependents) through the built CLI, on notebooks with no
// recorded session: design §3's --json shapes with exact values on the demo notebook, a real
// scikit-learn notebook, and the saved execution_count order.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAUD_NOTEBOOK, REAL_FIXTURES, ensureBuilt, nbprov, nbprovJson, parseSingleJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('static');
  copyFileSync(FRAUD_NOTEBOOK, path.join(ws, 'fraud.ipynb'));
  copyFileSync(path.join(REAL_FIXTURES, 'plot_forest_importances.ipynb'), path.join(ws, 'forest.ipynb'));
});
after(() => removeWorkspace(ws));

describe('analyze --json', () => {
  test('one document with every contract field for each code cell of the demo notebook', () => {
    const doc = nbprovJson(['analyze', 'fraud.ipynb'], ws);
    assert.deepEqual(doc.cells.map((c: { index: number }) => c.index), [1, 2, 3, 4, 5, 6, 7]);
    for (const cell of doc.cells) {
      for (const field of ['index', 'id', 'language', 'defines', 'uses', 'mutates', 'imports', 'functions', 'files', 'diagnostics']) {
        assert.ok(field in cell, `cell ${cell.index} lacks ${field}`);
      }
      assert.ok(Array.isArray(cell.files.reads) && Array.isArray(cell.files.writes));
      assert.equal(cell.language, 'python');
      assert.deepEqual(cell.diagnostics, []);
    }
  });

  test('exact facts of the demo cells', () => {
    const doc = nbprovJson(['analyze', 'fraud.ipynb'], ws);
    const cell = (i: number) => doc.cells.find((c: { index: number }) => c.index === i);
    assert.equal(cell(1).id, 'fraud-1');
    assert.deepEqual(cell(1).defines, ['n_components', 'normal_per_fraud', 'test_size', 'n_estimators', 'max_depth', 'seed']);
    assert.deepEqual(cell(1).uses, []);
    assert.deepEqual(cell(2).defines, ['np', 'pd', 'df']);
    assert.deepEqual(cell(2).imports.map((i: { module: string }) => i.module), ['numpy', 'pandas']);
    assert.deepEqual(cell(2).files.reads.map((r: { path: string }) => r.path), ['creditcard.csv']);
    assert.deepEqual(cell(3).uses, ['df', 'n_components', 'seed']);
    assert.deepEqual(cell(6).defines, ['RandomForestClassifier', 'model']);
    assert.deepEqual(cell(6).mutates, ['model']);
    assert.deepEqual(cell(7).defines, ['f1_score', 'roc_auc_score', 'scores', 'auc', 'f1']);
    assert.deepEqual(cell(7).uses, ['model', 'X_test', 'y_test']);
  });

  test('a real scikit-learn notebook analyses with no error diagnostics', () => {
    const doc = nbprovJson(['analyze', 'forest.ipynb'], ws);
    assert.deepEqual(doc.cells.map((c: { index: number }) => c.index), [0, 2, 4, 6, 8, 10, 12, 14]);
    for (const cell of doc.cells) assert.deepEqual(cell.diagnostics.filter((d: { severity: string }) => d.severity === 'error'), [], `cell ${cell.index}`);
    assert.deepEqual(doc.cells.find((c: { index: number }) => c.index === 6).defines, ['RandomForestClassifier', 'feature_names', 'forest']);
  });

  test('functions carry their free variables', () => {
    writeNotebook(ws, 'fn.ipynb', ['k = 3', 'def scale(v):\n    w = v * k\n    return w', 'z = scale(5)']);
    const doc = nbprovJson(['analyze', 'fn.ipynb'], ws);
    const [fn] = doc.cells[1].functions;
    assert.equal(fn.name, 'scale');
    assert.deepEqual(fn.params, ['v']);
    assert.deepEqual(fn.freeVariables, ['k']);
  });
});

describe('lineage --json on the demo notebook (saved execution counts)', () => {
  test('auc comes from cells 1 to 7, in execution order, with the executed code', () => {
    const doc = nbprovJson(['lineage', 'fraud.ipynb', 'auc'], ws);
    assert.equal(doc.variable, 'auc');
    assert.deepEqual(doc.cells, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(doc.executions.map((e: { cell: number }) => e.cell), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(doc.executions.map((e: { executionCount: number }) => e.executionCount), [1, 2, 3, 4, 5, 6, 7]);
    assert.match(doc.executions[6].code, /^from sklearn\.metrics import f1_score, roc_auc_score/);
    assert.deepEqual(doc.operations, []);
  });

  test('--operations lists the contributing statements only: no f1, no print', () => {
    const doc = nbprovJson(['lineage', 'fraud.ipynb', 'auc', '--operations'], ws);
    const codes: string[] = doc.operations.map((o: { code: string }) => o.code);
    assert.ok(codes.includes('auc = roc_auc_score(y_test, scores)'));
    assert.ok(codes.includes('model.fit(X_train, y_train)'));
    assert.ok(codes.includes('df = pd.read_csv("creditcard.csv")'));
    assert.ok(!codes.some((c) => c.startsWith('f1 =')), 'f1 does not feed auc');
    assert.ok(!codes.some((c) => c.includes('print(')), 'print statements do not feed auc');
    assert.ok(!codes.includes('explained = float(pca.explained_variance_ratio_.sum())'));
    // Ordered by execution, then line; auc's own statement is the last.
    const last = doc.operations.at(-1);
    assert.deepEqual([last.cell, last.line, last.code], [7, 4, 'auc = roc_auc_score(y_test, scores)']);
    const order = doc.operations.map((o: { cell: number; line: number }) => o.cell * 1000 + o.line);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    for (const op of doc.operations) assert.equal(typeof op.line, 'number');
  });

  test('--global on a variable defined once gives the same cells', () => {
    const doc = nbprovJson(['lineage', 'fraud.ipynb', 'auc', '--global'], ws);
    assert.deepEqual(doc.cells, [1, 2, 3, 4, 5, 6, 7]);
  });

  test('lineage of an early variable stops where it was produced', () => {
    assert.deepEqual(nbprovJson(['lineage', 'fraud.ipynb', 'df'], ws).cells, [2]);
    assert.deepEqual(nbprovJson(['lineage', 'fraud.ipynb', 'X'], ws).cells, [1, 2, 3]);
  });

  test('--expand-functions includes the body of a called notebook function', () => {
    writeNotebook(ws, 'fn2.ipynb', [
      { source: 'k = 3\nunused = 9', count: 1 },
      { source: 'def scale(v):\n    w = v * k\n    return w', count: 2 },
      { source: 'z = scale(5)\nprint(z)', count: 3 },
    ]);
    const plain = nbprovJson(['lineage', 'fn2.ipynb', 'z', '--operations'], ws);
    assert.deepEqual(plain.cells, [0, 1, 2]);
    assert.ok(plain.operations.every((o: { function?: string }) => o.function === undefined));
    assert.ok(!plain.operations.some((o: { code: string }) => o.code.includes('unused')));
    const expanded = nbprovJson(['lineage', 'fn2.ipynb', 'z', '--expand-functions'], ws);
    const inside = expanded.operations.filter((o: { function?: string }) => o.function === 'scale');
    assert.ok(inside.length > 0, 'no statement of scale() in the expanded slice');
    assert.ok(inside.some((o: { code: string; cell: number }) => o.cell === 1 && o.code.includes('w = v * k')));
    assert.ok(expanded.operations.length > plain.operations.length);
  });
});

describe('dependents --json on the demo notebook', () => {
  test('cell 3 → cells 4 to 7', () => {
    const doc = nbprovJson(['dependents', 'fraud.ipynb', '--cell', '3'], ws);
    assert.equal(doc.cell, 3);
    assert.deepEqual(doc.dependents, [4, 5, 6, 7]);
  });

  test('cell 1 (parameters) → cells 3 to 7', () => {
    const doc = nbprovJson(['dependents', 'fraud.ipynb', '--cell', '1'], ws);
    assert.deepEqual(doc.dependents, [3, 4, 5, 6, 7]);
  });

  test('the last cell has no dependents; a cell id works as --cell', () => {
    assert.deepEqual(nbprovJson(['dependents', 'fraud.ipynb', '--cell', '7'], ws).dependents, []);
    const byId = nbprovJson(['dependents', 'fraud.ipynb', '--cell', 'fraud-5'], ws);
    assert.equal(byId.cell, 5);
    assert.deepEqual(byId.dependents, [6, 7]);
  });
});

describe('a real scikit-learn notebook (no execution counts: notebook order)', () => {
  test('lineage of forest: the data split and the fitted model', () => {
    assert.deepEqual(nbprovJson(['lineage', 'forest.ipynb', 'forest'], ws).cells, [4, 6]);
  });

  test('lineage of forest_importances follows both definitions back to the data', () => {
    const doc = nbprovJson(['lineage', 'forest.ipynb', 'forest_importances'], ws);
    for (const cell of [4, 6, 10, 12]) assert.ok(doc.cells.includes(cell), `cell ${cell} missing from ${doc.cells}`);
    assert.ok(!doc.cells.includes(0), '%matplotlib inline does not feed it');
    assert.deepEqual(doc.cells, [...doc.cells].sort((a: number, b: number) => a - b));
  });
});

describe('saved execution_count order', () => {
  // Cells ran 1, 3, 2: x = 1, then x = 2 (third cell), then y = x * 10 read x = 2.
  const outOfOrder = [
    { source: 'x = 1', count: 1 },
    { source: 'y = x * 10', count: 3 },
    { source: 'x = 2', count: 2 },
  ];

  test('lineage follows the counts, not the notebook order', () => {
    writeNotebook(ws, 'ooo.ipynb', outOfOrder);
    const y = nbprovJson(['lineage', 'ooo.ipynb', 'y'], ws);
    assert.deepEqual(y.cells, [2, 1]);
    assert.deepEqual(y.executions.map((e: { executionCount: number }) => e.executionCount), [2, 3]);
    assert.deepEqual(nbprovJson(['lineage', 'ooo.ipynb', 'x'], ws).cells, [2]);
    assert.deepEqual(nbprovJson(['lineage', 'ooo.ipynb', 'x', '--global'], ws).cells, [0, 2]);
  });

  test('dependents follow the counts: the overwritten x = 1 feeds nothing', () => {
    writeNotebook(ws, 'ooo.ipynb', outOfOrder);
    assert.deepEqual(nbprovJson(['dependents', 'ooo.ipynb', '--cell', '0'], ws).dependents, []);
    assert.deepEqual(nbprovJson(['dependents', 'ooo.ipynb', '--cell', '2'], ws).dependents, [1]);
  });

  test('with no counts, notebook order is used', () => {
    writeNotebook(ws, 'nocounts.ipynb', outOfOrder.map((c) => c.source));
    assert.deepEqual(nbprovJson(['lineage', 'nocounts.ipynb', 'y'], ws).cells, [0, 1]);
    assert.deepEqual(nbprovJson(['dependents', 'nocounts.ipynb', '--cell', '0'], ws).dependents, [1]);
    assert.deepEqual(nbprovJson(['dependents', 'nocounts.ipynb', '--cell', '2'], ws).dependents, []);
  });

  test('the human output says which order it used', () => {
    writeNotebook(ws, 'nocounts.ipynb', outOfOrder.map((c) => c.source));
    const result = nbprov(['lineage', 'nocounts.ipynb', 'y'], ws);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /notebook order/);
    assert.throws(() => parseSingleJson(result.stdout), 'without --json the output is text');
  });
});
