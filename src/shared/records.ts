/**
 * The recorded data model as it appears in the CLI's JSON documents and in messages to webviews.
 * Pure types: src/shared imports nothing, so browser code can use it. src/core's records
 * (src/core/records.ts) are kept identical to these by a compile-time check (test/shared).
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A bounded summary of one recorded value. Non-finite floats are the strings "NaN", "Infinity",
 * "-Infinity" in `value` (type "float").
 */
export interface ValueSummary {
  name: string;
  /** Qualified type name: `int`, `pandas.core.frame.DataFrame`, … */
  type: string;
  /** Bounded repr (a few hundred characters at most). */
  repr: string;
  /** The value itself, for scalars. */
  value?: JsonValue;
  /** Content hash for arrays, frames, tensors and collections: equal hash ⇒ same content. */
  hash?: string;
  shape?: number[];
  dtype?: string | Record<string, string>;
  columns?: string[];
  length?: number;
  stats?: Record<string, number | null>;
  /** `get_params()` of estimators. */
  params?: Record<string, JsonValue>;
  preview?: JsonValue;
  /** Changed in place rather than rebound. */
  mutated?: boolean;
  /** Summarising failed or hit its bound; `repr` says what is known. */
  error?: string;
}

export interface FileAccessRecord {
  path: string;
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
  cwd?: string;
  /** Versions of imported top-level packages. */
  packages: Record<string, string>;
}

export type ExecutionLanguage = 'python' | 'javascript' | 'typescript';

export interface ExecutionRecord {
  id: string;
  sessionId: string;
  notebookPath: string;
  cellId: string;
  /** Position when it ran; null when unknown (a deleted cell). */
  cellIndex: number | null;
  language: ExecutionLanguage;
  code: string;
  executionCount: number | null;
  success: boolean;
  error?: { type: string; message: string };
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  values: ValueSummary[];
  files: FileAccessRecord[];
}

/** A tagged variable's value in a trial. */
export interface TrialValue extends ValueSummary {
  role: string;
}

/** One statement in the backward lineage of a tagged variable, in execution order. */
export interface TrialOperation {
  executionId: string;
  cellId: string;
  cellIndex: number | null;
  line: number;
  code: string;
  defines: string[];
  value?: ValueSummary;
}

export interface TrialExecution {
  id: string;
  cellId: string;
  cellIndex: number | null;
  executionCount: number | null;
  code: string;
}

/** A named snapshot of an experiment (`nbprov trial show --json`). */
export interface Trial {
  id: string;
  name: string | null;
  note: string | null;
  notebookPath: string;
  createdAt: string;
  sessionId: string | null;
  params: Record<string, JsonValue>;
  tagged: Record<string, TrialValue>;
  lineage: Record<string, TrialOperation[]>;
  executions: TrialExecution[];
  files: FileAccessRecord[];
  environment: EnvironmentRecord | null;
  /** Tagged names with no recorded value when the trial was saved. */
  missing?: string[];
}
