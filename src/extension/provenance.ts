/**
 * ProvenanceAccess: what the engine knows of each open notebook — a view of its live cells, its
 * store key and store, and its lineage (recorded history when the store has one, else the saved
 * execution counts) — built on first use and cached until the notebook is edited, an execution is
 * recorded or the store changes. The recorded executions are held in memory per notebook (new
 * records are appended as they are recorded; the store is read again only when another process
 * changed it), so an edit or a record never waits for the store. Changes are announced lightly
 * debounced, so CodeLens and the cell status bar follow typing without recomputing per keystroke.
 */
import * as vscode from 'vscode';
import type { CellAnalyzer } from '../core/analysis';
import type { ExecutionRecord, ValuePatch } from '../core/records';
import { patchedRecords } from '../core/valuePatches';
import { NotebookLineageCache, withRecord } from './content/lineageCache';
import { liveNotebookView } from './notebookView';
import type { NotebookProvenance, ProvenanceAccess, WorkspaceStore } from './services';
import { onDidChangeSettings } from './settings';
import type { WorkspaceStores } from './stores';

const CHANGE_DEBOUNCE_MS = 120;

interface Entry {
  provenance?: Promise<NotebookProvenance>;
  /** The notebook's recorded executions, in execution order; undefined until read from the store. */
  records?: readonly ExecutionRecord[];
  lineage?: NotebookLineageCache;
}

export class ProvenanceCache implements ProvenanceAccess, vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
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
      // Typing in a cell: the notebook event may not carry text changes in every VS Code version.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme !== 'vscode-notebook-cell' || !e.contentChanges.length) return;
        const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.path === e.document.uri.path && nb.getCells().some((c) => c.document === e.document));
        if (notebook) this.invalidate(notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.entries.delete(nb.uri.toString())),
      stores.onDidChangeStore((store) => this.invalidateWorkspace(store, false)),
      stores.onDidMergeFromDisk((store) => this.invalidateWorkspace(store, true)),
      // Previews and lenses depend on settings (preview length, excluded names).
      onDidChangeSettings(() => {
        for (const notebook of vscode.workspace.notebookDocuments) this.invalidate(notebook);
      }),
    );
  }

  private entry(notebook: vscode.NotebookDocument): Entry {
    const key = notebook.uri.toString();
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = {}));
    return entry;
  }

  provenance(notebook: vscode.NotebookDocument): Promise<NotebookProvenance> {
    const entry = this.entry(notebook);
    if (!entry.provenance) {
      const built = this.build(notebook, entry);
      built.catch(() => {
        if (entry.provenance === built) entry.provenance = undefined;
      });
      entry.provenance = built;
    }
    return entry.provenance;
  }

  /** Drops the notebook's cached provenance (not its records) and announces the change (debounced). */
  invalidate(notebook: vscode.NotebookDocument, immediately = false): void {
    const key = notebook.uri.toString();
    const entry = this.entries.get(key);
    if (entry) entry.provenance = undefined;
    clearTimeout(this.timers.get(key));
    const announce = () => {
      this.timers.delete(key);
      this.emitter.fire(notebook);
    };
    if (immediately) announce();
    else this.timers.set(key, setTimeout(announce, CHANGE_DEBOUNCE_MS));
  }

  /** A record just added to the store: kept in memory too, so the next lineage needs no store read. */
  recorded(notebook: vscode.NotebookDocument, record: ExecutionRecord): void {
    const entry = this.entry(notebook);
    if (entry.records) entry.records = withRecord(entry.records, record);
    this.invalidate(notebook);
  }

  /** Late hashes just merged into the store: the records held in memory get them too. */
  patched(notebook: vscode.NotebookDocument, patches: readonly ValuePatch[]): void {
    const entry = this.entry(notebook);
    if (!entry.records) return;
    const records = patchedRecords(entry.records, patches);
    if (records === entry.records) return;
    entry.records = records;
    this.invalidate(notebook);
  }

  private invalidateWorkspace(store: WorkspaceStore, reloadRecords: boolean): void {
    for (const notebook of vscode.workspace.notebookDocuments) {
      if (this.stores.workspaceFor(notebook.uri) !== store.workspace) continue;
      if (reloadRecords) this.entry(notebook).records = undefined;
      this.invalidate(notebook);
    }
  }

  private async build(notebook: vscode.NotebookDocument, entry: Entry): Promise<NotebookProvenance> {
    const [analyzer, workspace] = await Promise.all([this.analyzer(), this.stores.storeFor(notebook.uri)]);
    const view = liveNotebookView(notebook);
    const notebookKey = workspace ? workspace.notebookKey(notebook.uri) : notebook.uri.path;
    if (!workspace) entry.records = undefined;
    else entry.records ??= workspace.store.listExecutions(notebookKey);
    entry.lineage ??= new NotebookLineageCache(analyzer);
    const lineage = entry.lineage.lineage(view, notebookKey, entry.records ?? []);
    return { view, notebookKey, workspace, lineage, analyzer };
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}
