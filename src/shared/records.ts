/**
 * The recorded data model: what capture produces, the store keeps, trials are built from, and the
 * CLI's JSON documents and the webview messages carry. Pure types (src/shared imports no layer),
 * so browser code can use them; src/core re-exports them (src/core/records.ts).
 * Every record carries a globally unique id so that two copies of a store can be merged by union.
 */
import type { CellLanguage } from './facts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A bounded summary of one value a cell bound or mutated.
 * Non-finite floats are encoded in `value` as the strings "NaN", "Infinity", "-Infinity"
 * (with `type` "float"), because JSON has no spelling for them.
 */
export interface ValueSummary {
  name: string;
  /** Qualified type name: `int`, `pandas.core.frame.DataFrame`, `sklearn.ensemble._forest.RandomForestClassifier`. */
  type: string;
  /** Bounded repr (at most a few hundred characters). */
  repr: string;
  /** The value itself, for scalars (int, float, bool, None, short str). */
  value?: JsonValue;
  /** Stable content hash for arrays, frames, tensors and collections: equal hash ⇒ same content. */
  hash?: string;
  /**
   * Set on a large value (arrays and frames of at least 8 MB of data) whose content hash and exact
   * statistics are computed off the cell's critical path, by the kernel's background hasher.
   * `pending`: they arrive later as a `ValuePatch` (then `hash` is set and this field removed);
   * until then `stats` come from a fixed sample (`stats.sampled` elements). `abandoned`: a later
   * cell changed, rebound or freed the value before it was hashed, so it has no content hash; the
   * value is never reported equal to another on the strength of its repr.
   */
  deferred?: 'pending' | 'abandoned';
  shape?: number[];
  /** One dtype (arrays, series) or dtype per column (data frames). */
  dtype?: string | Record<string, string>;
  columns?: string[];
  length?: number;
  /** A few summary statistics for numeric data: min, max, mean, std, nulls, … */
  stats?: Record<string, number | null>;
  /** `get_params()` of estimators. */
  params?: Record<string, JsonValue>;
  /** Bounded preview of a collection's first items. */
  preview?: JsonValue;
  /** The value was changed in place rather than rebound. */
  mutated?: boolean;
  /** Summarising failed or hit its time/size bound; `repr` says what is known. */
  error?: string;
}

export interface FileAccessRecord {
  path: string;
  /** The mode passed to `open` (`r`, `rb`, `w`, `a+`, …). */
  mode: string;
  kind: 'read' | 'write' | 'readwrite';
  hashBefore?: string | null;
  hashAfter?: string | null;
  size?: number | null;
}

export interface EnvironmentRecord {
  language: string;
  languageVersion: string;
  kernelName?: string;
  /** The kernel's interpreter (`sys.executable`), as the kernel reports it. */
  executable?: string;
  cwd?: string;
  /** Versions of imported top-level packages: `{ "numpy": "1.26.4" }`. */
  packages: Record<string, string>;
}

/**
 * The run-time identity of a value an execution bound or mutated (or of another name holding one of
 * those objects): Python's `id()` of it (a numpy view's base) and of its direct members. Ids are
 * reused once an object dies, so they only say "the same object at that moment" and are compared
 * within one execution's record, never across records.
 */
export interface ObjectIdentity {
  id: string;
  members?: string[];
}

export interface ExecutionRecord {
  id: string;
  sessionId: string;
  notebookPath: string;
  /** nbformat 4.5 cell id when present, else a stable key derived from the cell's position. */
  cellId: string;
  /** The cell's position in the notebook when it ran (null when unknown, e.g. a deleted cell). */
  cellIndex: number | null;
  language: CellLanguage;
  /** The exact code that was executed. */
  code: string;
  executionCount: number | null;
  success: boolean;
  error?: { type: string; message: string };
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  values: ValueSummary[];
  files: FileAccessRecord[];
  /** Object identities when the execution ended, by name (recorded sessions only; absent in older records). */
  identities?: Record<string, ObjectIdentity>;
  /** Why the recorder left some of this execution's values out (never set when all were recorded). */
  recorderError?: string;
}

/**
 * The late part of a recorded value whose hash was deferred (`ValueSummary.deferred`): the host
 * merges it into the stored summary of `name` in execution `executionId`.
 */
export interface ValuePatch {
  executionId: string;
  name: string;
  /** The content hash, when the background hasher finished before the value changed. */
  hash?: string;
  /** Exact statistics, replacing the sampled ones. */
  stats?: Record<string, number | null>;
  /** Set instead of `hash` when the value changed, was rebound or freed before it was hashed. */
  abandoned?: true;
}

/** A tagged variable's value in a trial. */
export interface TrialValue extends ValueSummary {
  role: string;
  /**
   * The execution that recorded the value: set when its content hash was still pending when the
   * trial was saved, so the late hash (`ValuePatch`) reaches the trial too.
   */
  executionId?: string;
}

/** One operation in the backward lineage of a tagged variable, in execution order. */
export interface TrialOperation {
  executionId: string;
  cellId: string;
  cellIndex: number | null;
  line: number;
  code: string;
  defines: string[];
  /** Recorded value of what the operation defined, when capture recorded one (the tagged name's, else the first of `values`). */
  value?: ValueSummary;
  /**
   * Each recorded value the lineage needs from the operation, one per name, each the name's own
   * (`X_train, X_test, y_train, y_test = …` holds four). Absent in trials saved before it existed.
   */
  values?: ValueSummary[];
  /** The names of `defines` the tagged variable's lineage needs from the operation (absent in older trials). */
  needed?: string[];
}

export interface TrialExecution {
  id: string;
  cellId: string;
  cellIndex: number | null;
  executionCount: number | null;
  code: string;
  /** The cell's stage (its `stage:<name>` tag) when the trial was saved. */
  stage?: string;
}

/** The value a trial actually used for a parameter, and where it came from. */
export interface EffectiveParam {
  /** The scalar, when it is one. */
  value?: JsonValue;
  repr: string;
  /** `injected`: `--param` (or the editor's Run as Trial); `notebook`: the `parameters` cell's own value. */
  source: 'injected' | 'notebook';
}

/** A named snapshot of an experiment. */
export interface Trial {
  id: string;
  name: string | null;
  note: string | null;
  notebookPath: string;
  createdAt: string;
  sessionId: string | null;
  /** Parameters injected for this run (`--param k=v`), if any. */
  params: Record<string, JsonValue>;
  /**
   * Every parameter's value in this run: the injected ones and the `parameters` cell's own
   * (recorded when the trial was saved; older trials lack it, see core's effectiveParams).
   */
  effectiveParams?: Record<string, EffectiveParam>;
  tagged: Record<string, TrialValue>;
  /** Backward lineage of each tagged variable at operation granularity. */
  lineage: Record<string, TrialOperation[]>;
  executions: TrialExecution[];
  files: FileAccessRecord[];
  environment: EnvironmentRecord | null;
  /** Tagged names that had no recorded value when the trial was saved (reported, not dropped). */
  missing?: string[];
}
