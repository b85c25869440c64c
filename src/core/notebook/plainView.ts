/**
 * A NotebookView from plain cell data, for front ends that hold a notebook in another form (the
 * extension's `vscode.NotebookDocument`): the same id, language and tag rules as the .ipynb reader,
 * so lineage and tags agree between the editor and the CLI.
 */
import { languageFromName } from './ipynb';
import { readVariableTags } from './tags';
import type { NotebookCellKind, NotebookCellView, NotebookView } from './view';

export interface PlainCell {
  cellType: NotebookCellKind;
  source: string;
  /** The cell's language id (`python`, `typescript`, …); ignored for markdown and raw cells. */
  languageId: string | null;
  executionCount: number | null;
  /** The nbformat 4.5 cell id, when the notebook has one. */
  id?: string | null;
  /** The cell's `metadata.tags` as stored (non-strings are ignored). */
  tags?: unknown;
}

export function plainNotebookView(path: string, cells: readonly PlainCell[], notebookMetadata: unknown): NotebookView {
  const views: NotebookCellView[] = cells.map((cell, index) => ({
    index,
    id: typeof cell.id === 'string' && cell.id ? cell.id : `cell-${index}`,
    cellType: cell.cellType,
    source: cell.source,
    language: cell.cellType === 'code' ? languageFromName(cell.languageId) : null,
    executionCount: Number.isInteger(cell.executionCount) ? cell.executionCount : null,
    tags: Array.isArray(cell.tags) ? cell.tags.filter((t): t is string => typeof t === 'string') : [],
  }));
  return { path, cells: views, variableTags: () => readVariableTags(notebookMetadata) };
}
