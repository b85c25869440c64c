/**
 * Where panels and views find their store and notebooks: the active notebook's workspace, else the
 * first workspace folder; and how a node or a trial leads back to a cell.
 */
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices, WorkspaceStore } from '../services';

/** The notebook the user is working in, if any. */
export function activeNotebook(): vscode.NotebookDocument | undefined {
  return vscode.window.activeNotebookEditor?.notebook;
}

/** A URI inside the workspace the user means: the active notebook's, else the first folder. */
export function currentWorkspaceUri(): vscode.Uri | undefined {
  return activeNotebook()?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
}

export async function currentStore(services: ExtensionServices): Promise<WorkspaceStore | null> {
  const uri = currentWorkspaceUri();
  return uri ? services.stores.storeFor(uri) : null;
}

export function notebookUri(ws: WorkspaceStore, notebookKey: string): vscode.Uri {
  return vscode.Uri.file(path.join(ws.workspace, ...notebookKey.split('/')));
}

/** The nbformat id of a cell as the Jupyter serializer keeps it, if present. */
export function cellIdOf(cell: vscode.NotebookCell): string {
  const metadata = cell.metadata as { id?: unknown; custom?: { id?: unknown } } | undefined;
  const id = metadata?.id ?? metadata?.custom?.id;
  return typeof id === 'string' && id ? id : `cell-${cell.index}`;
}

/**
 * Opens the notebook and selects the cell: by its id when the notebook still has it, else by the
 * recorded position. Returns a message when the cell is gone (a deleted cell, the injected parameters).
 */
export async function revealCell(notebook: vscode.Uri | vscode.NotebookDocument, cellId: string, cellIndex: number | null): Promise<string | undefined> {
  const document = notebook instanceof vscode.Uri ? await vscode.workspace.openNotebookDocument(notebook) : notebook;
  const cells = document.getCells();
  const cell = cells.find((c) => cellIdOf(c) === cellId) ?? (cellIndex !== null && cellIndex < cells.length && cellId.startsWith('cell-') ? cells[cellIndex] : undefined);
  if (!cell) return cellIndex === null ? 'That code is not in the notebook any more (a deleted cell, or parameters injected by a run).' : `Cell ${cellIndex} is not in the notebook any more.`;
  const range = new vscode.NotebookRange(cell.index, cell.index + 1);
  // In the editor already showing it, not a second copy in the panel's group.
  const shown = vscode.window.visibleNotebookEditors.find((e) => e.notebook === document);
  const editor = await vscode.window.showNotebookDocument(document, { viewColumn: shown?.viewColumn, selections: [range], preserveFocus: false });
  editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  return undefined;
}

/** The identifier under the cursor of the active cell editor, with the notebook it belongs to. */
export function variableAtCursor(): { notebook: vscode.NotebookDocument; variable: string | undefined } | undefined {
  const editor = vscode.window.activeTextEditor;
  const notebook = activeNotebook();
  if (!editor || editor.document.uri.scheme !== 'vscode-notebook-cell') return notebook ? { notebook, variable: undefined } : undefined;
  const owner = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === editor.document)) ?? notebook;
  if (!owner) return undefined;
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, /[A-Za-z_$][\w$]*/);
  return { notebook: owner, variable: range ? editor.document.getText(range) : undefined };
}
