/**
 * The CLI's JSON documents (`nbprov <verb> --json`: exactly one on stdout), as TypeScript types.
 * This is the contract of the README's command table and docs/architecture.md §4: the CLI builds
 * its documents typed by these, and the extension and webviews read them. Fields are only added.
 */
import type { CellFacts, CellLanguage, Operation } from './facts';
import type { EnvironmentRecord, ExecutionRecord, JsonValue, Trial, TrialValue, ValueSummary } from './records';

/** Where lineage came from: the recorded executions in the store, or the notebook's saved execution counts. */
export type HistorySource = 'recorded' | 'saved';

// ── nbprov analyze ──────────────────────────────────────────────────────────

/** A code cell's facts as `analyze` prints them: partial analysis is reported as a diagnostic. */
export type AnalyzedCell = Omit<CellFacts, 'language' | 'operations' | 'partial'> & {
  /** Position among all cells, markdown included. */
  index: number;
  id: string;
  /** null: a language nbprov does not analyse (a diagnostic says so). */
  language: CellLanguage | null;
  executionCount: number | null;
  /** With --operations. */
  operations?: Operation[];
};

export interface AnalyzeDocument {
  notebook: string;
  /** Code cells only, in notebook order. */
  cells: AnalyzedCell[];
}

// ── nbprov run ──────────────────────────────────────────────────────────────

/** A value as `run` and `trial save` report it: the summary's headline fields. */
export interface ReportedValue {
  type: string;
  repr: string;
  value?: JsonValue;
  hash?: string;
  /** The content hash of this large value was still pending, or was abandoned (see `ValueSummary.deferred`). */
  deferred?: 'pending' | 'abandoned';
}

export interface RunFailure {
  kind: 'error' | 'interrupted' | 'kernel-died';
  cellId: string;
  cellIndex: number;
  /** One line for people: what failed where. */
  message: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface RunDocument {
  /** The notebook's key in the store (workspace-relative path). */
  notebook: string;
  /** null with --no-trial, after a failure, or when nothing is tagged. */
  trial: { id: string; name: string | null } | null;
  executions: number;
  failure: RunFailure | null;
  tagged: Record<string, ReportedValue>;
  /** Tagged names with no recorded value. */
  missing: string[];
  /** Kernel time the recorder added, in milliseconds. */
  recorderMs: number;
  /**
   * Large values whose content hash the kernel had not finished when the run ended (after waiting
   * up to its flush bound): they stay "hash pending" in the store and are never reported equal.
   */
  pendingHashes: number;
}

// ── nbprov lineage / dependents / stale ─────────────────────────────────────

export interface LineageExecution {
  id: string;
  /** null: a cell no longer in the notebook, or the injected parameters. */
  cell: number | null;
  cellId: string;
  executionCount: number | null;
  code: string;
  /** The cell's stage (its `stage:<name>` tag in the notebook now). */
  stage?: string;
  /** Kernel session the execution ran in (recorded history only). */
  sessionId?: string;
  /** Restart epoch (0, 1, …) of the execution; `restartBefore`: a restart lies between it and the execution listed before. */
  segment: number;
  restartBefore: boolean;
  /** ISO 8601, when recorded. */
  startedAt?: string;
  /** Trials saved from the execution's session (names, else ids). */
  trials: string[];
  /** The cell ran before with other code: that execution, and the lines that changed. */
  edited?: { previousExecutionId: string; changes: { kind: 'added' | 'removed'; line: string }[] };
}

export interface LineageOperation {
  cell: number | null;
  cellId: string;
  executionId: string;
  line: number;
  code: string;
  defines: string[];
  /** With --expand-functions: the notebook function whose body the statement is in. */
  function?: string;
  /** The stage of the statement's cell. */
  stage?: string;
  /** The names of `defines` the lineage needs from this statement (empty in a function body). */
  needed: string[];
  /** The recorded value shown for the statement: the variable's own, else the first of `values`. */
  value?: { name: string; type: string; repr: string; value?: JsonValue };
  /** Each needed name's own recorded value (a tuple assignment or a multi-name import has several). */
  values?: { name: string; type: string; repr: string; value?: JsonValue }[];
}

export interface LineageDocument {
  variable: string;
  notebook: string;
  history: HistorySource;
  /** --global: every definition, not only the latest. */
  global: boolean;
  /** Cell indices in execution order (cells still in the notebook). */
  cells: number[];
  executions: LineageExecution[];
  /** With --operations or --expand-functions; empty otherwise. */
  operations: LineageOperation[];
}

export interface DependentsDocument {
  cell: number;
  cellId: string;
  history: HistorySource;
  /** Cells made stale if `cell` changes, in notebook order. */
  dependents: number[];
  executions: { id: string; cell: number | null; executionCount: number | null }[];
}

export interface StaleReason {
  name: string;
  change: 'define' | 'mutate' | 'delete';
  changedBy: { cell: number | null; cellId: string; executionCount: number | null };
}

export interface StaleDocument {
  notebook: string;
  history: HistorySource;
  stale: { cell: number | null; cellId: string; executionCount: number | null; reasons: StaleReason[] }[];
}

// ── nbprov tag ──────────────────────────────────────────────────────────────

export interface TagSuggestionEntry {
  name: string;
  role: string;
  /** Where the suggested variable is bound. */
  cellIndex: number;
  line: number;
  /** Why nbprov proposes it. */
  reason: string;
}

export interface TagDocument {
  notebook: string;
  /** Whether the file was written. */
  changed: boolean;
  /** Variable → role after the command. */
  variables: Record<string, string>;
  stages: { cell: number; stage: string }[];
  /** For untagged notebooks: suggestions not applied. */
  suggestions: TagSuggestionEntry[];
  /** With --accept-suggested: the suggestions applied. */
  applied: TagSuggestionEntry[];
}

// ── nbprov trials / trial ───────────────────────────────────────────────────

export interface TrialListEntry {
  id: string;
  name: string | null;
  note: string | null;
  notebook: string;
  createdAt: string;
  sessionId: string | null;
  tagged: Record<string, TrialValue>;
}

export interface TrialsDocument {
  trials: TrialListEntry[];
}

/** `nbprov trial show --json` is the whole trial. */
export type TrialShowDocument = Trial;

export interface TrialSaveDocument {
  trial: { id: string; name: string | null };
  tagged: Record<string, TrialValue>;
  missing?: string[];
}

/** `nbprov trial rename|note|delete --json`. */
export type TrialUpdateDocument = { id: string; updated: true } | { id: string; deleted: true };

// ── nbprov diff ─────────────────────────────────────────────────────────────

/** Where a trial's parameter value came from: injected (`--param`, Run as Trial) or the `parameters` cell. */
export type ParamSource = 'injected' | 'notebook';

export interface TrialRef {
  id: string;
  name: string | null;
  notebookPath: string;
  createdAt: string;
}

/** Which descriptive property of a value differs between the two sides. */
export type ValueChange = 'type' | 'shape' | 'dtype' | 'columns' | 'length';

export interface ValueComparison {
  equal: boolean;
  /**
   * `value`: the scalars themselves; `hash`: content hashes (equal hash ⇒ equal content);
   * `repr`: neither a value nor a hash on both sides, so the type and bounded repr were compared;
   * `none`: not compared, because a side is a large value without a content hash (`notCompared`
   * says why); then `equal` is false, meaning "not known to be equal", never "changed".
   */
  comparedBy: 'value' | 'hash' | 'repr' | 'none';
  /**
   * Why the content was not compared: the content hash of a large value (`ValueSummary.deferred`)
   * is still `pending` on a side (the kernel's background hasher had not finished), or was
   * `abandoned` (a later cell changed the value before it was hashed, so it never will be).
   * Its repr and sampled statistics are never taken as evidence of equality.
   */
  notCompared?: NotCompared;
  /** For two numbers: b − a, and (b − a) / |a|. Null where undefined (non-finite, or a = 0). */
  delta?: { absolute: number | null; relative: number | null };
  /** Descriptive properties that differ (shape, dtype, columns, …), whether or not the content is equal. */
  changes: ValueChange[];
  /** Columns only in b (`added`) and only in a (`removed`), when both sides have columns. */
  columns?: { added: string[]; removed: string[] };
  /** When the dtype changed: per column of a data frame (`column` absent for one-dtype values), old → new. */
  dtypes?: { column?: string; a: string | null; b: string | null }[];
  /** Anything the reader must know to trust the verdict (NaN treated as equal, repr-only comparison, …). */
  note?: string;  /** Models (values recorded with `get_params`): what defines them, compared. */
  model?: ModelComparison;
}

export interface NotCompared {
  /** `hash-abandoned` when a side will never have a hash, else `hash-pending`. */
  reason: 'hash-pending' | 'hash-abandoned';
  /** Each side without a content hash, and why (`ValueSummary.deferred`); a side with its hash is absent. */
  a?: 'pending' | 'abandoned';
  b?: 'pending' | 'abandoned';
}

/** Two fitted models compared by hyperparameters, then by the hash of their fitted state. */
export interface ModelComparison {
  /** The hyperparameters that differ (a side without the hyperparameter has no `a`/`b`), by name. */
  hyperparameters: { name: string; a?: JsonValue; b?: JsonValue }[];
  /**
   * `same model`: same hyperparameters and fitted-state hash; `same hyperparameters, different
   * fitted state`; `hyperparameters changed`; `same hyperparameters` when no fitted-state hash was
   * recorded on both sides.
   */
  verdict: 'same model' | 'same hyperparameters, different fitted state' | 'hyperparameters changed' | 'same hyperparameters';
}

export interface CommonValue extends ValueComparison {
  name: string;
  a: TrialValue;
  b: TrialValue;
}

export interface DiffDocument {
  trialA: TrialRef;
  trialB: TrialRef;
  common: CommonValue[];
  onlyA: { name: string; value: TrialValue }[];
  onlyB: { name: string; value: TrialValue }[];
  nothingInCommon: boolean;
  message?: string;
  /** Effective parameters: injected, else the `parameters` cell's own value; `sourceA`/`sourceB` say which. */
  params: { name: string; a: JsonValue | undefined; b: JsonValue | undefined; equal: boolean; sourceA?: ParamSource; sourceB?: ParamSource; reprA?: string; reprB?: string }[];
  files: { path: string; hashesA: string[]; hashesB: string[]; status: 'same' | 'changed' | 'onlyA' | 'onlyB' | 'unknown' }[];
  environment: {
    language: { a: string | null; b: string | null; equal: boolean };
    packages: { name: string; a: string | null; b: string | null; status: 'changed' | 'added' | 'removed' }[];
  };
  /** With --order: both trials' lineage statements as a unified diff. */
  order?: string;
}

// ── nbprov values / plot / export ───────────────────────────────────────────

export interface ValuesRow {
  /** The trial's name, or its id when it has none. */
  trial: string;
  trialId: string;
  /** The notebook the trial ran (workspace-relative key). */
  notebook?: string;
  createdAt: string;
  /** The recorded scalar (non-finite floats as "NaN"/"Infinity"/"-Infinity"); null for complex values (see repr). */
  value: JsonValue;
  repr: string;
  type: string;
  role: string;
  hash?: string;
  /** A large value without its content hash: still `pending` when the trial was saved, or `abandoned` (never computed). */
  deferred?: 'pending' | 'abandoned';
}

export interface ValuesDocument {
  variable: string;
  /** Oldest trial first. */
  rows: ValuesRow[];
}

export interface PlotDocument {
  variable: string;
  /** Trials plotted. */
  trials: number;
  /** The SVG file written. */
  out: string;
}

/** `nbprov export --format json`. */
export interface ExportDocument {
  format: 'nbprov-export';
  version: 1;
  trials: Trial[];
  executions: ExecutionRecord[];
}

export type { EnvironmentRecord, ValueSummary };
