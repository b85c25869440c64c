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
