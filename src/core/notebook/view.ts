/**
 * A notebook as the engine sees it, whoever holds it: the CLI implements this view over ipynb JSON
 * (src/core/notebook/ipynb.ts), the extension over a live `NotebookDocument` (unsaved edits
 * included). Tag operations take a view and return `NotebookEdit`s; each front end applies them its
 * own way (the CLI to the file, atomically; the extension through `WorkspaceEdit`/`NotebookEdit`,
 * so they are undoable and make the notebook dirty).
 */
import type { CellLanguage } from '../analysis/facts';

export type NotebookCellKind = 'code' | 'markdown' | 'raw';

export interface NotebookCellView {
  /** Position among all cells (0-based), markdown cells included. */
  readonly index: number;
  /** nbformat 4.5 cell id when present, else `cell-<index>`. */
  readonly id: string;
  readonly cellType: NotebookCellKind;
  readonly source: string;
  /** Language of a code cell; null for markdown/raw cells and languages nbprov cannot analyse. */
  readonly language: CellLanguage | null;
  readonly executionCount: number | null;
  /** Jupyter cell tags (`metadata.tags`), e.g. `parameters`, `stage:evaluation`. */
  readonly tags: readonly string[];
}

export interface NotebookView {
  /** File path (CLI) or URI path (editor); used in messages only. */
  readonly path: string;
  readonly cells: readonly NotebookCellView[];
  /** `metadata.nbprov.variables` (name → role); invalid entries left out. */
  variableTags(): Record<string, string>;
}

/** A change to a notebook, in terms both front ends can apply. */
export type NotebookEdit =
  /** Replace the whole `metadata.nbprov.variables` object (other `metadata.nbprov` keys are kept). */
  | { kind: 'variableTags'; variables: Record<string, string> }
  /** Replace one cell's `metadata.tags` (an empty list removes the key). */
  | { kind: 'cellTags'; cellIndex: number; cellId: string; tags: string[] };
