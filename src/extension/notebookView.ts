/**
 * The engine's NotebookView over a live notebook in the editor (unsaved edits included): cell ids as
 * the CLI reads them from the saved file (nbformat id, else `cell-<index>`), each code cell's language
 * from its editor language, execution counts from the execution summary, Jupyter tags from the
 * ipynb serializer's metadata. A snapshot: build a new one after an edit.
 *
 * It takes the few members of `vscode.NotebookDocument` it reads, structurally, so the bench and
 * the unit tests build it from plain data without the editor.
 */
import { languageFromName } from '../core/notebook/ipynb';
import { isIdentifier } from '../core/notebook/tags';
import type { NotebookCellKind, NotebookCellView, NotebookView } from '../core/notebook/view';
import { cellTags, jupyterCellId, notebookVariableTags, type Metadata } from './ipynbMetadata';

/** vscode.NotebookCellKind.Code (the enum's value; reading it from `vscode` would tie this module to the editor). */
const CODE_CELL_KIND = 2;

export interface LiveCell {
  readonly index: number;
  readonly kind: number;
  readonly metadata: Metadata;
  readonly document: { getText(): string; readonly languageId: string };
  readonly executionSummary?: { readonly executionOrder?: number } | undefined;
}

export interface LiveNotebook {
  readonly uri: { readonly path: string };
  readonly metadata: Metadata;
  getCells(): readonly LiveCell[];
}

/** A code cell whose language is markdown/raw in the file is shown as `raw` by VS Code with languageId "raw". */
function cellKind(cell: LiveCell): NotebookCellKind {
  if (cell.kind === CODE_CELL_KIND) return cell.document.languageId === 'raw' ? 'raw' : 'code';
  return 'markdown';
}

export function cellView(cell: LiveCell): NotebookCellView {
  const cellType = cellKind(cell);
  return {
    index: cell.index,
    id: jupyterCellId(cell.metadata) ?? `cell-${cell.index}`,
    cellType,
    source: cell.document.getText(),
    language: cellType === 'code' ? languageFromName(cell.document.languageId) : null,
    executionCount: cell.executionSummary?.executionOrder ?? null,
    tags: cellTags(cell.metadata),
  };
}

export function liveNotebookView(notebook: LiveNotebook): NotebookView {
  const cells = notebook.getCells().map(cellView);
  const variables = notebookVariableTags(notebook.metadata, isIdentifier);
  return {
    path: notebook.uri.path,
    cells,
    variableTags: () => ({ ...variables }),
  };
}
