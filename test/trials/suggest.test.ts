import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyFacts, type CallSite, type CellFacts, type ImportFact, type Operation } from '../../src/core/analysis/facts';
import { looksLikeMetricName, suggestTags, type SuggestionCell } from '../../src/core/trials/suggest';

let line = 0;
function op(code: string, fields: Partial<Operation> = {}): Operation {
  line += 1;
  return { index: line, kind: 'assign', span: { startLine: line, startColumn: 0, endLine: line, endColumn: code.length }, code, defines: [], uses: [], mutates: [], deletes: [], calls: [], ...fields };
}

function call(callee: string, fields: Partial<CallSite> = {}): CallSite {
  const parts = callee.split('.');
  const chain = callee !== '<expr>';
  return { callee, receiver: chain && parts.length > 1 ? parts[0] : undefined, method: parts.length > 1 ? parts[parts.length - 1] : undefined, argNames: [], keywordNames: {}, literalArgs: {}, line, ...fields };
}

function cell(index: number, operations: Operation[], options: { tags?: string[]; imports?: ImportFact[] } = {}): SuggestionCell {
  const facts: CellFacts = { ...emptyFacts('python'), operations, imports: options.imports ?? [], defines: [...new Set(operations.flatMap((o) => o.defines))] };
  return { index, tags: options.tags ?? [], facts };
}

/** The demo notebook's cells, as the Python analyser would describe them. */
function demoNotebook(): SuggestionCell[] {
  line = 0;
  return [
    cell(0, [op('import pandas as pd', { kind: 'import', defines: ['pd'] }), op('from sklearn.metrics import accuracy_score, f1_score', { kind: 'import', defines: ['accuracy_score', 'f1_score'] })], {
      imports: [{ module: 'pandas', names: ['pd'], line: 1 }, { module: 'sklearn.metrics', names: ['accuracy_score', 'f1_score'], line: 2 }],
    }),
    cell(1, [op('n_estimators = 100', { defines: ['n_estimators'] }), op('data_path = "iris.csv"', { defines: ['data_path'] }), op('cols = select(3)', { defines: ['cols'], calls: [call('select', { literalArgs: { '0': 3 } })] })], { tags: ['parameters'] }),
    cell(2, [op('df = pd.read_csv(data_path)', { defines: ['df'], uses: ['pd', 'data_path'], calls: [call('pd.read_csv', { argNames: ['data_path'] })] })]),
    cell(3, [
      op('test_size = 0.25', { defines: ['test_size'] }),
      op('seed = 42', { defines: ['seed'] }),
      op('X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=seed)', {
        defines: ['X_train', 'X_test', 'y_train', 'y_test'], uses: ['X', 'y', 'test_size', 'seed'],
        calls: [call('train_test_split', { argNames: ['X', 'y'], keywordNames: { test_size: 'test_size', random_state: 'seed' } })],
      }),
    ]),
    cell(4, [
      op('depth = 5', { defines: ['depth'] }),
      op('clf = RandomForestClassifier(n_estimators=n_estimators, max_depth=depth)', { defines: ['clf'], uses: ['n_estimators', 'depth'], calls: [call('RandomForestClassifier', { keywordNames: { n_estimators: 'n_estimators', max_depth: 'depth' } })] }),
      op('clf.fit(X_train, y_train)', { kind: 'expression', uses: ['clf', 'X_train', 'y_train'], mutates: ['clf'], calls: [call('clf.fit', { argNames: ['X_train', 'y_train'] })] }),
      op('reg = Ridge(alpha=0.5).fit(X_train, y_train)', { defines: ['reg'], uses: ['X_train', 'y_train'], calls: [call('Ridge', { literalArgs: { alpha: 0.5 } }), call('<expr>', { method: 'fit', argNames: ['X_train', 'y_train'] })] }),
    ]),
    cell(5, [
      op('y_pred = clf.predict(X_test)', { defines: ['y_pred'], uses: ['clf', 'X_test'], calls: [call('clf.predict', { argNames: ['X_test'] })] }),
      op('acc = accuracy_score(y_test, y_pred)', { defines: ['acc'], uses: ['accuracy_score', 'y_test', 'y_pred'], calls: [call('accuracy_score', { argNames: ['y_test', 'y_pred'] })] }),
      op('result = skm.roc_auc_score(y_test, proba)', { defines: ['result'], uses: ['skm'], calls: [call('skm.roc_auc_score', { argNames: ['y_test', 'proba'] })] }),
      op('val_loss = history[-1]', { defines: ['val_loss'], uses: ['history'] }),
      op('accumulator = []', { defines: ['accumulator'] }),
    ]),
  ];
}

const byName = (cells: SuggestionCell[], existing?: Record<string, string>) => new Map(suggestTags(cells, existing).map((s) => [s.name, s]));

describe('suggestTags', () => {
  const s = byName(demoNotebook());

  test('literal assignments in the parameters cell become params, others in that cell do not', () => {
    assert.equal(s.get('n_estimators')?.role, 'param');
    assert.match(s.get('n_estimators')?.reason ?? '', /parameters/);
    assert.equal(s.get('data_path')?.role, 'param');
    assert.equal(s.get('cols'), undefined, 'a call result is not a literal');
  });

  test('literals fed to splitters and model constructors become params, with where and how', () => {
    assert.equal(s.get('test_size')?.role, 'param');
    assert.match(s.get('test_size')?.reason ?? '', /test_size= to train_test_split/);
    assert.equal(s.get('seed')?.role, 'param');
    assert.equal(s.get('depth')?.role, 'param');
    assert.match(s.get('depth')?.reason ?? '', /max_depth= to RandomForestClassifier\(…\) in cell 4/);
    assert.equal(s.get('depth')?.cellIndex, 4);
    assert.equal(s.get('X_train'), undefined, 'data passed to a splitter is not a parameter');
  });

  test('results of metric functions and metric-like names become metrics', () => {
    assert.equal(s.get('acc')?.role, 'metric');
    assert.match(s.get('acc')?.reason ?? '', /accuracy_score/);
    assert.equal(s.get('val_loss')?.role, 'metric');
    assert.equal(s.get('accumulator'), undefined);
  });

  test('sklearn.metrics through a module alias counts', () => {
    line = 100;
    const cells = [
      cell(0, [op('import sklearn.metrics as skm', { kind: 'import', defines: ['skm'] })], { imports: [{ module: 'sklearn.metrics', names: ['skm'], line: 1 }] }),
      cell(1, [op('result = skm.matthews_corrcoef(a, b)', { defines: ['result'], uses: ['skm', 'a', 'b'], calls: [call('skm.matthews_corrcoef', { argNames: ['a', 'b'] })] })]),
    ];
    assert.equal(byName(cells).get('result')?.role, 'metric');
    assert.equal(s.get('result')?.role, 'metric', 'roc_auc_score reads as a metric by its name');
  });

  test('fitted estimators become models', () => {
    assert.equal(s.get('clf')?.role, 'model');
    assert.match(s.get('clf')?.reason ?? '', /clf\.fit/);
    assert.equal(s.get('clf')?.cellIndex, 4);
    assert.equal(s.get('reg')?.role, 'model');
  });

  test('pd.read_* results become datasets', () => {
    assert.equal(s.get('df')?.role, 'dataset');
    assert.match(s.get('df')?.reason ?? '', /pd\.read_csv/);
  });

  test('every suggestion has a reason; ordered by cell then line; already tagged names are skipped', () => {
    const list = suggestTags(demoNotebook());
    assert.ok(list.every((x) => x.reason.length > 10));
    const positions = list.map((x) => x.cellIndex * 1000 + x.line);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    assert.equal(byName(demoNotebook(), { acc: 'metric' }).get('acc'), undefined);
  });

  test('no facts, no suggestions', () => {
    assert.deepEqual(suggestTags([]), []);
  });
});

describe('looksLikeMetricName', () => {
  test('tokens, not substrings', () => {
    for (const name of ['acc', 'val_accuracy', 'rocAuc', 'f1', 'train_loss', 'cv_scores', 'r2', 'fscore']) assert.ok(looksLikeMetricName(name), name);
    for (const name of ['accumulator', 'access', 'classes', 'X_train', 'f10']) assert.ok(!looksLikeMetricName(name), name);
  });
});

describe('suggestTags leaves functions alone', () => {
  test('imported metric functions, defined functions and loop targets are not suggested as metrics', () => {
    line = 0;
    const cells = [
      cell(0, [op('from sklearn.metrics import f1_score, roc_auc_score', { kind: 'import', defines: ['f1_score', 'roc_auc_score'] })], {
        imports: [{ module: 'sklearn.metrics', names: ['f1_score', 'roc_auc_score'], line: 1 }],
      }),
      cell(1, [
        op('def best_score(xs): ...', { kind: 'function', defines: ['best_score'] }),
        op('for score_name in names: ...', { kind: 'control', defines: ['score_name'], calls: [call('roc_auc_score')] }),
        op('auc = roc_auc_score(y, p)', { defines: ['auc'], calls: [call('roc_auc_score', { argNames: ['y', 'p'] })] }),
      ]),
    ];
    assert.deepEqual(suggestTags(cells).map((s) => [s.name, s.role]), [['auc', 'metric']]);
  });
});

describe('suggestTags proposes only scalar metrics', () => {
  test('a probability array, a confusion matrix, a curve and cross-validation scores are not metrics; the AUC beside them is', () => {
    line = 0;
    const cells = [
      cell(0, [op('from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve', { kind: 'import', defines: ['confusion_matrix', 'roc_auc_score', 'roc_curve'] })], {
        imports: [{ module: 'sklearn.metrics', names: ['confusion_matrix', 'roc_auc_score', 'roc_curve'], line: 1 }],
      }),
      cell(1, [
        op('proba = model.predict_proba(X_test)', { defines: ['proba'], uses: ['model', 'X_test'], calls: [call('model.predict_proba', { argNames: ['X_test'] })] }),
        op('scores = model.predict_proba(X_test)[:, 1]', { defines: ['scores'], uses: ['model', 'X_test'], calls: [call('model.predict_proba', { argNames: ['X_test'] })] }),
        op('cm = confusion_matrix(y_test, y_pred)', { defines: ['cm'], uses: ['y_test', 'y_pred'], calls: [call('confusion_matrix', { argNames: ['y_test', 'y_pred'] })] }),
        op('fpr, tpr, thresholds = roc_curve(y_test, scores)', { defines: ['fpr', 'tpr', 'thresholds'], uses: ['y_test', 'scores'], calls: [call('roc_curve', { argNames: ['y_test', 'scores'] })] }),
        op('cv_scores = cross_val_score(model, X, y)', { defines: ['cv_scores'], uses: ['model', 'X', 'y'], calls: [call('cross_val_score', { argNames: ['model', 'X', 'y'] })] }),
        op('auc = roc_auc_score(y_test, scores)', { defines: ['auc'], uses: ['y_test', 'scores'], calls: [call('roc_auc_score', { argNames: ['y_test', 'scores'] })] }),
        op('f1 = f1_score(y_test, model.predict(X_test))', { defines: ['f1'], uses: ['y_test', 'model', 'X_test'], calls: [call('f1_score', { argNames: ['y_test'] }), call('model.predict', { argNames: ['X_test'] })] }),
      ]),
    ];
    const metrics = suggestTags(cells).filter((x) => x.role === 'metric').map((x) => x.name);
    assert.deepEqual(metrics, ['auc', 'f1'], 'a metric of predictions is a number');
  });

  test('a tuple of metric calls gives each name its own function', () => {
    line = 300;
    const cells = [
      cell(0, [op('from sklearn.metrics import precision_score, recall_score', { kind: 'import', defines: ['precision_score', 'recall_score'] })], { imports: [{ module: 'sklearn.metrics', names: ['precision_score', 'recall_score'], line: 301 }] }),
      cell(1, [op('precision, recall = precision_score(y, p), recall_score(y, p)', { defines: ['precision', 'recall'], uses: ['y', 'p'], calls: [call('precision_score', { argNames: ['y', 'p'] }), call('recall_score', { argNames: ['y', 'p'] })] })]),
    ];
    const found = byName(cells);
    assert.match(found.get('precision')?.reason ?? '', /precision_score\(\)/);
    assert.match(found.get('recall')?.reason ?? '', /recall_score\(\)/);
    assert.doesNotMatch(found.get('recall')?.reason ?? '', /precision_score/);
  });
});
