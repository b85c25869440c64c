/**
 * CodeLens and the cell status bar item, both from content/cellState.ts: computed once per
 * provenance snapshot (it changes on every recorded execution and, debounced, on every edit) and
 * served per cell.
 */
import * as vscode from 'vscode';
import { buildCellStates, type CellState } from './content/cellState';
import type { Runtime } from './runtime';
import type { NotebookProvenance } from './services';
import { readSettings } from './settings';
import { notebookOfCell } from './hoverProvider';

const computed = new WeakMap<NotebookProvenance, CellState[]>();

export async function cellStates(runtime: Runtime, notebook: vscode.NotebookDocument): Promise<CellState[]> {
  const provenance = await runtime.services.provenance.provenance(notebook);
  let states = computed.get(provenance);
  if (!states) {
    states = buildCellStates(
      { ...provenance, store: provenance.workspace?.store ?? null },
      { notebookUri: notebook.uri.toString(), previewLength: readSettings(notebook.uri).valuePreviewLength },
    );
    computed.set(provenance, states);
  }
  return states;
}

export async function provideCodeLenses(runtime: Runtime, document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  const located = notebookOfCell(document);
  if (!located || !readSettings(located.notebook.uri).codeLensEnabled) return [];
  const states = await cellStates(runtime, located.notebook);
  const state = states[located.cell.index];
  if (!state) return [];
  return state.lenses.map((lens) => {
    const line = Math.min(lens.line, Math.max(0, document.lineCount - 1));
    const range = new vscode.Range(line, 0, line, 0);
    return new vscode.CodeLens(range, { title: lens.title, tooltip: lens.tooltip, command: lens.command?.id ?? '', arguments: lens.command?.args.map(withNotebookUri) });
  });
}

/** Link arguments name the notebook by URI string (hover links are JSON); commands run from a lens get a real Uri. */
function withNotebookUri(arg: unknown): unknown {
  if (typeof arg !== 'object' || arg === null || typeof (arg as { notebook?: unknown }).notebook !== 'string') return arg;
  return { ...arg, notebook: vscode.Uri.parse((arg as { notebook: string }).notebook) };
}

export async function provideCellStatusBarItems(runtime: Runtime, cell: vscode.NotebookCell): Promise<vscode.NotebookCellStatusBarItem[]> {
  const states = await cellStates(runtime, cell.notebook);
  const status = states[cell.index]?.status;
  if (!status || status.condition === 'not-run') return [];
  const item = new vscode.NotebookCellStatusBarItem(status.text, vscode.NotebookCellStatusBarAlignment.Left);
  item.tooltip = status.tooltip;
  return [item];
}
