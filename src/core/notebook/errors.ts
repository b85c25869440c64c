/** Typed errors of reading, validating and tagging notebooks: code + data, and a neutral message. */
import { NbprovError } from '../errors';

/** Code → data of the notebook errors (see CoreErrorData). */
export interface NotebookErrorData {
  'notebook-not-found': { path: string };
  /** A directory, FIFO, device… where a notebook file was expected. */
  'notebook-not-a-file': { path: string; kind: 'directory' | 'special' };
  'notebook-too-large': { path: string; bytes: number; limitBytes: number };
  /** The file exists but reading it failed (`reason` is the system error code, e.g. EACCES). */
  'notebook-unreadable': { path: string; reason: string };
  /** The bytes are not UTF-8; nbprov refuses rather than replacing them. `offset` is the first bad byte's. */
  'notebook-invalid-utf8': { path: string; offset: number };
  /** Not a notebook nbprov can read; `problem` says what is wrong in words. */
  'notebook-invalid': { path: string; problem: NotebookProblem; detail: string };
  'notebook-unsupported-nbformat': { path: string; nbformat: number; supported: number };
  /** The notebook changed between reading it and applying edits to it. */
  'notebook-changed': { path: string; detail: string };
  'tag-invalid-variable': { variable: string };
  'tag-invalid-role': { role: string; knownRoles: string[] };
  'tag-invalid-stage': { stage: string; knownStages: string[] };
  'tag-cell-out-of-range': { cell: number; cellCount: number };
  'tag-variable-not-tagged': { path: string; variable: string; tagged: string[] };
  /** No code cell of the notebook defines the name (static analysis); `suggestions` are defined names close to it. */
  'tag-unknown-variable': { path: string; variable: string; suggestions: string[] };
  /** A role (or stage) one or two letters from a known one, most likely a typo of `suggestion`. */
  'tag-role-typo': { role: string; suggestion: string; knownRoles: string[] };
  'tag-stage-typo': { stage: string; suggestion: string; knownStages: string[] };
  /** Stages belong to code cells; `nearestCodeCells` are the code cells next to the one asked for. */
  'tag-stage-not-code': { cell: number; cellType: string; nearestCodeCells: number[] };
  /**
   * A parameter name the notebook's `parameters` cell does not assign (or, without such a cell, a
   * name the notebook assigns itself, which would overwrite the injected value: `assignedIn`).
   */
  'unknown-parameter': { path: string; name: string; parametersCell: number | null; parameters: string[]; suggestions: string[]; assignedIn: number | null };
}

export type NotebookProblem =
  | 'binary'
  | 'invalid-json'
  | 'not-a-notebook'
  | 'no-nbformat'
  | 'no-cells'
  | 'cell-without-type'
  | 'bad-source'
  | 'bad-execution-count'
  | 'bad-metadata'
  | 'bad-cell-id'
  | 'duplicate-cell-id'
  | 'too-deep';

type Code = keyof NotebookErrorData;

/** A notebook that cannot be used, with the problem as data. */
export class NotebookError<C extends Code = Code> extends NbprovError<C, NotebookErrorData[C]> {
  constructor(code: C, data: NotebookErrorData[C], message: string) {
    super(message, { code, data });
  }
}

/** The file is not a notebook nbprov can read (kept as its own class: callers catch it by name). */
export class NotebookFormatError extends NotebookError<'notebook-invalid' | 'notebook-unsupported-nbformat' | 'notebook-invalid-utf8'> {
  get notebookPath(): string {
    return this.data.path;
  }

  static invalid(path: string, problem: NotebookProblem, detail: string): NotebookFormatError {
    return new NotebookFormatError('notebook-invalid', { path, problem, detail }, `${path}: ${detail}`);
  }
}

/** A tag request nbprov cannot carry out: a bad name, role, stage or cell. */
export class TagError<C extends Extract<Code, `tag-${string}`> = Extract<Code, `tag-${string}`>> extends NotebookError<C> {}
