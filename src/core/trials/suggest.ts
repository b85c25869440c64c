import type { CallSite, CellFacts, Operation } from '../analysis/facts';

export type SuggestedRole = 'param' | 'metric' | 'model' | 'dataset';

export interface TagSuggestion {
  name: string;
  role: SuggestedRole;
  /** Where the suggested variable is bound. */
  cellIndex: number;
  line: number;
  /** Why nbprov proposes it, in words a user can check. */
  reason: string;
}

export interface SuggestionCell {
  index: number;
  /** The cell's Jupyter tags (`parameters` marks the papermill parameters cell). */
  tags: string[];
  facts: CellFacts;
}

interface Located {
  cellIndex: number;
  op: Operation;
}

const METRIC_TOKENS = new Set(['score', 'scores', 'auc', 'f1', 'loss', 'losses', 'acc', 'accuracy', 'precision', 'recall', 'mse', 'rmse', 'mae', 'mape', 'r2', 'logloss']);
const METRIC_FRAGMENTS = ['score', 'auc', 'loss'];

/** Model constructors, splitters and searches whose literal arguments are hyperparameters. */
const PARAMETERISED_CALL =
  /(Classifier|Regressor|Regression|Clustering|Estimator|Pipeline|KFold|SearchCV|Booster)$|^(SVC|SVR|LinearSVC|KMeans|MiniBatchKMeans|DBSCAN|PCA|TruncatedSVD|TSNE|UMAP|Lasso|Ridge|ElasticNet|MLPClassifier|train_test_split|cross_val_score|cross_validate|make_pipeline|XGB\w+|LGBM\w+|CatBoost\w+)$/;

const FIT_METHODS = new Set(['fit', 'partial_fit']);

/** Metric functions (sklearn and alike) whose result is an array, a curve, a report or a tuple: never a metric to tag. */
const NON_SCALAR_METRICS = new Set([
  'confusion_matrix', 'multilabel_confusion_matrix', 'roc_curve', 'precision_recall_curve', 'det_curve', 'classification_report',
  'precision_recall_fscore_support', 'cross_val_score', 'cross_val_predict', 'cross_validate', 'learning_curve', 'validation_curve',
  'permutation_importance', 'calibration_curve', 'pairwise_distances',
]);
/** Methods that return one value per sample (predictions, probabilities, transformed rows). */
const PER_SAMPLE_METHODS = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'transform', 'fit_transform', 'score_samples', 'fit_predict']);

/**
 * The statement's value is an array, curve, table or tuple, not a number: it calls a metric that
 * returns one, or it computes per-sample predictions without reducing them through a metric
 * (`f1 = f1_score(y, model.predict(X))` is a number; `scores = model.predict_proba(X)` is not).
 */
function producesNonScalar(op: Operation, isMetricCall: (call: CallSite) => boolean): boolean {
  if (op.calls.some((call) => NON_SCALAR_METRICS.has(calleeName(call)))) return true;
  const perSample = op.calls.some((call) => call.method !== undefined && PER_SAMPLE_METHODS.has(call.method));
  return perSample && !op.calls.some(isMetricCall);
}

function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** `val_accuracy`, `rocAuc`, `f1`, `train_loss`, `cv_scores` — not `accumulator` or `access`. */
export function looksLikeMetricName(name: string): boolean {
  return tokens(name).some((t) => METRIC_TOKENS.has(t) || METRIC_FRAGMENTS.some((f) => t.includes(f)));
}

function lastSegment(callee: string): string {
  const parts = callee.split('.');
  return parts[parts.length - 1];
}

function calleeName(call: CallSite): string {
  return call.callee === '<expr>' ? (call.method ?? '') : lastSegment(call.callee);
}

/** Aliases bound by imports of a module (or its submodules / members) across the notebook. */
function importedNames(cells: SuggestionCell[], test: (module: string) => boolean): Set<string> {
  const names = new Set<string>();
  for (const cell of cells) for (const imp of cell.facts.imports) if (test(imp.module)) imp.names.forEach((n) => names.add(n));
  return names;
}

/** Statements whose defined names are values (not imported or defined functions, not loop targets). */
function isAssignment(op: Operation): boolean {
  return op.kind === 'assign' || op.kind === 'annassign' || op.kind === 'augassign';
}

function isLiteralAssignment(op: Operation): boolean {
  return (op.kind === 'assign' || op.kind === 'annassign') && op.defines.length > 0 && op.uses.length === 0 && op.calls.length === 0;
}

/**
 * Proposes variable tags from static facts: literal assignments in the `parameters` cell and
 * literals fed to model constructors or splitters (param), results of metric functions and
 * metric-like names (metric), estimators that get fitted (model), `pd.read_*` results (dataset).
 * One suggestion per name (the first rule that matches, in that order); names in `existing` are skipped.
 */
export function suggestTags(cells: SuggestionCell[], existing: Record<string, string> = {}): TagSuggestion[] {
  const operations: Located[] = cells.flatMap((cell) => cell.facts.operations.map((op) => ({ cellIndex: cell.index, op })));
  const suggestions = new Map<string, TagSuggestion>();
  const suggest = (name: string, role: SuggestedRole, at: Located, reason: string) => {
    if (!suggestions.has(name) && !Object.prototype.hasOwnProperty.call(existing, name))
      suggestions.set(name, { name, role, cellIndex: at.cellIndex, line: at.op.span.startLine, reason });
  };

  const metricsImports = importedNames(cells, (m) => m === 'sklearn.metrics' || m.startsWith('sklearn.metrics.'));
  const pandasAliases = importedNames(cells, (m) => m === 'pandas');
  if (!pandasAliases.size) pandasAliases.add('pd');
  const definedNames = new Set(cells.flatMap((c) => c.facts.defines));
  const moduleAliases = new Set(cells.flatMap((c) => c.facts.imports.flatMap((i) => i.names)));

  // The latest literal binding of each name (notebook order).
  const literals = new Map<string, Located>();
  for (const located of operations) if (isLiteralAssignment(located.op)) for (const name of located.op.defines) literals.set(name, located);

  for (const cell of cells) {
    if (!cell.tags.includes('parameters')) continue;
    for (const op of cell.facts.operations)
      if (isLiteralAssignment(op)) for (const name of op.defines) suggest(name, 'param', { cellIndex: cell.index, op }, `literal assignment in the "parameters" cell (cell ${cell.index})`);
  }

  for (const located of operations) {
    const { op } = located;
    const fromMetrics = (call: CallSite) => call.callee.startsWith('sklearn.metrics.') || (call.receiver !== undefined && metricsImports.has(call.receiver)) || metricsImports.has(call.callee);
    const isMetricCall = (call: CallSite) => !(call.method !== undefined && PER_SAMPLE_METHODS.has(call.method)) && (fromMetrics(call) || looksLikeMetricName(calleeName(call)));
    // Metrics are scalars: a probability array or a confusion matrix is never proposed.
    if (!isAssignment(op) || producesNonScalar(op, isMetricCall)) continue;
    const metricCalls = op.calls.filter(isMetricCall).map((call) => (call.callee === '<expr>' ? calleeName(call) : call.callee));
    if (metricCalls.length > 0) {
      // `p, r = precision_score(…), recall_score(…)`: one call per name, in order. Otherwise no
      // single call can be named for each name, so every candidate is.
      const paired = op.defines.length > 1 && metricCalls.length === op.defines.length;
      op.defines.forEach((defined, i) => {
        const reason = paired || metricCalls.length === 1 ? `the metric function ${paired ? metricCalls[i] : metricCalls[0]}()` : `the metric functions ${metricCalls.map((c) => `${c}()`).join(', ')}`;
        suggest(defined, 'metric', located, `result of ${reason} in cell ${located.cellIndex}`);
      });
    }
    for (const defined of op.defines)
      if (looksLikeMetricName(defined)) suggest(defined, 'metric', located, `metric-like name, assigned in cell ${located.cellIndex}`);
  }

  for (const located of operations) {
    for (const call of located.op.calls) {
      if (!call.method || !FIT_METHODS.has(call.method)) continue;
      if (call.callee !== '<expr>' && call.receiver && call.callee === `${call.receiver}.${call.method}` && definedNames.has(call.receiver) && !moduleAliases.has(call.receiver)) {
        const binding = operations.find((o) => o.op.defines.includes(call.receiver as string)) ?? located;
        suggest(call.receiver, 'model', binding, `estimator fitted with ${call.callee}(…) in cell ${located.cellIndex}`);
      } else if (call.callee === '<expr>') {
        for (const defined of located.op.defines) suggest(defined, 'model', located, `result of ….${call.method}(…) in cell ${located.cellIndex} (a fitted estimator)`);
      }
    }
  }

  for (const located of operations) {
    for (const call of located.op.calls) {
      const isRead = (call.receiver !== undefined && pandasAliases.has(call.receiver) && /^\w+\.read_\w+$/.test(call.callee)) || (pandasAliases.has(call.callee) && call.callee.startsWith('read_'));
      if (isRead) for (const defined of located.op.defines) suggest(defined, 'dataset', located, `loaded with ${call.callee}(…) in cell ${located.cellIndex}`);
    }
  }

  for (const located of operations) {
    for (const call of located.op.calls) {
      const callee = calleeName(call);
      if (!PARAMETERISED_CALL.test(callee)) continue;
      const passed: [string, string][] = [
        ...call.argNames.flatMap((name, i): [string, string][] => (name ? [[name, `argument ${i + 1}`]] : [])),
        ...Object.entries(call.keywordNames).map(([keyword, name]): [string, string] => [name, `${keyword}=`]),
      ];
      for (const [name, how] of passed) {
        const binding = literals.get(name);
        if (binding) suggest(name, 'param', binding, `bound to a literal in cell ${binding.cellIndex} and passed as ${how} to ${callee}(…) in cell ${located.cellIndex}`);
      }
    }
  }

  return [...suggestions.values()].sort((a, b) => a.cellIndex - b.cellIndex || a.line - b.line || a.name.localeCompare(b.name));
}
