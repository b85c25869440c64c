import { existsSync } from 'node:fs';
import { createAnalyzer, type CellAnalyzer } from '../core/analysis';
import { NbprovError } from '../core/errors';
import type { Notebook } from '../core/notebook/ipynb';
import { notebookLineage, type NotebookLineage } from '../core/notebookLineage';
import { openStore, storePath, type Store } from '../core/store';
import { readNotebookArg } from './files';
import type { Output } from './output';
import { notebookKey, resolveWorkspace } from './workspace';

export interface WorkspaceContext {
  workspace: string;
  /** Null when the workspace has no store yet (read-only commands never create one). */
  store: Store | null;
}

export async function openWorkspace(cwd: string, out: Output, explicit?: string, notebookPath?: string, create = false): Promise<WorkspaceContext> {
  const workspace = resolveWorkspace(cwd, explicit, notebookPath);
  if (!create && !existsSync(storePath(workspace))) return { workspace, store: null };
  const store = await openStore(workspace, { onWarning: (w) => out.note(`warning: ${w.message}`) });
  return { workspace, store };
}

export interface NotebookContext extends WorkspaceContext {
  notebook: Notebook;
  notebookKey: string;
  analyzer: CellAnalyzer;
}

export async function openNotebook(cwd: string, out: Output, notebookPath: string, explicitWorkspace?: string): Promise<NotebookContext> {
  const { notebook } = readNotebookArg(cwd, notebookPath);
  const ws = await openWorkspace(cwd, out, explicitWorkspace, notebookPath);
  const analyzer = await createAnalyzer();
  return { ...ws, notebook, notebookKey: notebookKey(ws.workspace, cwd, notebookPath), analyzer };
}

export function lineageOf(ctx: NotebookContext): NotebookLineage {
  return notebookLineage({ notebook: ctx.notebook, notebookKey: ctx.notebookKey, store: ctx.store, analyzer: ctx.analyzer });
}

/** Tells the user which history a lineage answer is based on. */
export function describeHistory(lineage: NotebookLineage): string {
  if (lineage.source === 'recorded') return `recorded history, ${lineage.executions.length} executions`;
  const order = lineage.order === 'notebook' ? 'notebook order (no saved execution counts)' : 'saved execution counts';
  const skipped = lineage.notRun.length ? `; cells not run: ${lineage.notRun.join(', ')}` : '';
  return `no recorded session: ${order}${skipped}`;
}

/** For commands that only read trials: a workspace without a store is an error with the fix. */
export async function requireStore(cwd: string, out: Output, explicit?: string): Promise<{ workspace: string; store: Store }> {
  const ws = await openWorkspace(cwd, out, explicit);
  if (!ws.store) {
    throw new NbprovError(`no nbprov store in ${ws.workspace} (looked for .nbprov/ here and above); record one with: nbprov run NOTEBOOK, or pass --workspace DIR`);
  }
  return { workspace: ws.workspace, store: ws.store };
}
