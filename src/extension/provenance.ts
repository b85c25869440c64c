/**
 * ProvenanceAccess: what the engine knows of each open notebook — a view of its live cells, its
 * store key and store, and its lineage (recorded history when the store has one, else the saved
 * execution counts) — built on first use and cached until the notebook is edited, an execution is
 * recorded or the store changes. Changes are announced lightly debounced, so CodeLens and the cell
 * status bar follow typing without recomputing on every keystroke.
 */
import * as vscode from 'vscode';
import type { CellAnalyzer } from '../core/analysis';
import { notebookLineage } from '../core/notebookLineage';
import { notebookOfView } from './coreShim';
import { liveNotebookView } from './notebookView';
import type { NotebookProvenance, ProvenanceAccess, WorkspaceStore } from './services';
import type { WorkspaceStores } from './stores';

const CHANGE_DEBOUNCE_MS = 120;

export class ProvenanceCache implements ProvenanceAccess, vscode.Disposable {
  private readonly cache = new Map<string, Promise<NotebookProvenance>>();
  private readonly emitter = new vscode.EventEmitter<vscode.NotebookDocument>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  readonly onDidChangeProvenance = this.emitter.event;

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly analyzer: () => Promise<CellAnalyzer>,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        const edited = e.contentChanges.length > 0 || e.cellChanges.some((c) => c.document || c.metadata || c.executionSummary);
        if (edited || e.metadata) this.invalidate(e.notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.cache.delete(nb.uri.toString())),
      stores.onDidChangeStore((store) => this.invalidateWorkspace(store)),
    );
  }

  provenance(notebook: vscode.NotebookDocument): Promise<NotebookProvenance> {
    const key = notebook.uri.toString();
    let built = this.cache.get(key);
    if (!built) {
      built = this.build(notebook);
      built.catch(() => this.cache.delete(key));
      this.cache.set(key, built);
    }
    return built;
  }

  /** Drops the notebook's cached provenance and announces the change (debounced). */
  invalidate(notebook: vscode.NotebookDocument, immediately = false): void {
    const key = notebook.uri.toString();
    this.cache.delete(key);
    clearTimeout(this.timers.get(key));
    if (immediately) {
      this.timers.delete(key);
      this.emitter.fire(notebook);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.emitter.fire(notebook);
      }, CHANGE_DEBOUNCE_MS),
    );
  }

  private invalidateWorkspace(store: WorkspaceStore): void {
    for (const notebook of vscode.workspace.notebookDocuments) {
      if (this.stores.workspaceFor(notebook.uri) === store.workspace) this.invalidate(notebook);
    }
  }

  private async build(notebook: vscode.NotebookDocument): Promise<NotebookProvenance> {
    const [analyzer, workspace] = await Promise.all([this.analyzer(), this.stores.storeFor(notebook.uri)]);
    const view = liveNotebookView(notebook);
    const notebookKey = workspace ? workspace.notebookKey(notebook.uri) : notebook.uri.path;
    const lineage = notebookLineage({ notebook: notebookOfView(view), notebookKey, store: workspace?.store ?? null, analyzer });
    return { view, notebookKey, workspace, lineage, analyzer };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}
