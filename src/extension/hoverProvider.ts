/** Hover over a variable in a notebook cell: thin glue around content/hover.ts. */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { buildHover } from './content/hover';
import type { Runtime } from './runtime';
import { readSettings } from './settings';

/** A Python or JS identifier (Unicode letters included). */
export const IDENTIFIER_PATTERN = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*/u;

export function notebookOfCell(document: vscode.TextDocument): { notebook: vscode.NotebookDocument; cell: vscode.NotebookCell } | undefined {
  if (document.uri.scheme !== 'vscode-notebook-cell') return undefined;
  // The cell document's URI is the notebook's with the cell in its fragment: compare paths first.
  for (const notebook of vscode.workspace.notebookDocuments) {
    if (notebook.uri.path !== document.uri.path) continue;
    const cell = notebook.getCells().find((c) => c.document === document) ?? notebook.getCells().find((c) => c.document.uri.toString() === document.uri.toString());
    if (cell) return { notebook, cell };
  }
  return undefined;
}

export async function provideHover(runtime: Runtime, document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
  const range = document.getWordRangeAtPosition(position, IDENTIFIER_PATTERN);
  if (!range) return undefined;
  const located = notebookOfCell(document);
  if (!located) return undefined;
  const provenance = await runtime.services.provenance.provenance(located.notebook);
  const markdown = buildHover(
    { ...provenance, store: provenance.workspace?.store ?? null },
    {
      name: document.getText(range),
      cellIndex: located.cell.index,
      notebookUri: located.notebook.uri.toString(),
      previewLength: readSettings(located.notebook.uri).valuePreviewLength,
      noValuesReason: runtime.noValuesReason(located.notebook, located.cell),
    },
  );
  if (!markdown) return undefined;
  const content = new vscode.MarkdownString(markdown);
  content.isTrusted = { enabledCommands: [COMMANDS.showLineage.id, COMMANDS.showAcrossTrials.id] };
  content.supportHtml = false;
  return new vscode.Hover(content, range);
}
