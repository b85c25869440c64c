/**
 * The engine's NotebookView over a live notebook in the editor (unsaved edits included): cell ids as
 * the CLI reads them from the saved file (nbformat id, else `cell-<index>`), each code cell's language
 * from its editor language, execution counts from the execution summary, Jupyter tags from the
 * ipynb serializer's metadata. A snapshot: build a new one after an edit.
 *
 * It takes the few members of `vscode.NotebookDocument` it reads, structurally, so the bench and
 * the unit tests build it from plain data without the editor.
 */
import { plainNotebookView, type PlainCell } from '../core/notebook/plainView';
import type { NotebookCellKind, NotebookCellView, NotebookView } from '../core/notebook/view';
import { jupyterCellId, jupyterMetadata, rawCellTags, type Metadata } from './ipynbMetadata';

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

/** VS Code shows raw cells as code cells in the language "raw". */
function cellKind(cell: LiveCell): NotebookCellKind {
  if (cell.kind === CODE_CELL_KIND) return cell.document.languageId === 'raw' ? 'raw' : 'code';
  return 'markdown';
}

function plainCell(cell: LiveCell): PlainCell {
  return {
    cellType: cellKind(cell),
    source: cell.document.getText(),
    languageId: cell.document.languageId,
    executionCount: cell.executionSummary?.executionOrder ?? null,
    id: jupyterCellId(cell.metadata) ?? null,
    tags: rawCellTags(cell.metadata),
  };
}

/** One cell as the engine sees it (the same rules as the .ipynb reader, through core's plain view). */
export function cellView(cell: LiveCell): NotebookCellView {
  const view = plainNotebookView('', [plainCell(cell)], {}).cells[0];
  return { ...view, index: cell.index, id: jupyterCellId(cell.metadata) ?? `cell-${cell.index}` };
}

export function liveNotebookView(notebook: LiveNotebook): NotebookView {
  return plainNotebookView(notebook.uri.path, notebook.getCells().map(plainCell), jupyterMetadata(notebook.metadata));
}
