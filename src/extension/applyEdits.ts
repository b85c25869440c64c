/**
 * Applies the engine's NotebookEdits to a live notebook as one WorkspaceEdit: undoable, the notebook
 * becomes dirty, and saving writes the tags where Jupyter and the CLI read them (see ipynbMetadata).
 */
import * as vscode from 'vscode';
import { NbprovError } from '../core/errors';
import type { NotebookEdit } from '../core/notebook/view';
import { withCellTags, withVariableTags } from './ipynbMetadata';
import { cellView } from './notebookView';

/** The notebook edits for `edits`, against the notebook's current cells and metadata. */
export function notebookEditsFor(notebook: vscode.NotebookDocument, edits: readonly NotebookEdit[]): vscode.NotebookEdit[] {
  let metadata: Record<string, unknown> | undefined;
  const cellMetadata = new Map<number, Record<string, unknown>>();
  for (const edit of edits) {
    if (edit.kind === 'variableTags') {
      metadata = withVariableTags(metadata ?? notebook.metadata, edit.variables);
      continue;
    }
    const index = resolveCell(notebook, edit.cellIndex, edit.cellId);
    cellMetadata.set(index, withCellTags(cellMetadata.get(index) ?? notebook.cellAt(index).metadata, edit.tags));
  }
  const result: vscode.NotebookEdit[] = [];
  if (metadata) result.push(vscode.NotebookEdit.updateNotebookMetadata(metadata));
  for (const [index, m] of cellMetadata) result.push(vscode.NotebookEdit.updateCellMetadata(index, m));
  return result;
}

/** The edit's cell: at its index when the id still matches, else wherever that id moved to. */
function resolveCell(notebook: vscode.NotebookDocument, cellIndex: number, cellId: string): number {
  if (cellIndex < notebook.cellCount && cellView(notebook.cellAt(cellIndex)).id === cellId) return cellIndex;
  const moved = notebook.getCells().find((c) => cellView(c).id === cellId);
  if (!moved) throw new NbprovError(`cell ${cellIndex} (${cellId}) is no longer in the notebook; try again`);
  return moved.index;
}

export async function applyNotebookEdits(notebook: vscode.NotebookDocument, edits: readonly NotebookEdit[]): Promise<boolean> {
  if (!edits.length) return true;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, notebookEditsFor(notebook, edits));
  return vscode.workspace.applyEdit(edit);
}
