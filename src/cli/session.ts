import { existsSync } from 'node:fs';
import { createAnalyzer, type CellAnalyzer } from '../core/analysis';
import { NbprovError } from '../core/errors';
import type { Notebook } from '../core/notebook/ipynb';
import { notebookLineage, type NotebookLineage } from '../core/notebookLineage';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../core/records';
import { openStore, storePath, StoreCorruptWarning, type Store } from '../core/store';
import { BatchedSave } from '../core/store/batchedSave';
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
  const store = await openStore(workspace, { onWarning: create ? (w) => out.note(`warning: ${w.message}`) : undefined });
  const corrupt = store.warnings.find((w): w is StoreCorruptWarning => w instanceof StoreCorruptWarning);
  if (corrupt && !create) {
    // An answer from the empty store that replaced it ("no trials yet") would be false, and a
    // warning on stderr beside an exit code 0 is easy to miss (scripts never see it): fail instead.
    store.close();
    throw new NbprovError(
      `the store at ${corrupt.filePath} is corrupt (${corrupt.reason}) and was moved to ${corrupt.movedTo}; nothing recorded could be read, so there is no answer — restore a backup of the store, or run the command again to work without one`,
    );
  }
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
export async function requireStore(cwd: string, out: Output, explicit?: string, notebookPath?: string): Promise<{ workspace: string; store: Store }> {
  // The same store-location rule as every notebook verb: --workspace, else above the notebook, else above cwd.
  const ws = await openWorkspace(cwd, out, explicit, notebookPath);
  if (!ws.store) {
    throw new NbprovError(`no nbprov store in ${ws.workspace} (looked for .nbprov/ here and above); record one with: nbprov run NOTEBOOK, or pass --workspace DIR`);
  }
  return { workspace: ws.workspace, store: ws.store };
}

export interface RecordingSinkOptions {
  /** Rewrites a record before it is stored. */
  adapt?: (record: ExecutionRecord) => ExecutionRecord;
  /** A background save failed (the records stay pending; the next save retries). */
  onSaveError?: (error: unknown) => void;
  /** How long records are gathered before a save (default 200 ms). */
  delayMs?: number;
}

/**
 * Records reach the store file in batched saves, each within about a second of its cell
 * finishing, so an interrupted or killed run keeps every finished cell. They are handed to the
 * store right before each save, never while one is in flight: `Store.save` marks everything
 * saved when its write ends, which would hide a record added during the write.
 */
export class RecordingSink {
  private readonly saver: BatchedSave;
  private readonly knownSessions = new Set<string>();
  private readonly pendingSessions = new Map<string, SessionRecord>();
  private readonly pendingExecutions: ExecutionRecord[] = [];
  private readonly pendingPatches: ValuePatch[] = [];
  private added = 0;
  private savedCount = 0;

  constructor(
    private readonly store: Store,
    private readonly options: RecordingSinkOptions = {},
  ) {
    this.saver = new BatchedSave(
      async () => {
        const count = this.applyPending();
        await store.save();
        this.savedCount = count;
      },
      { delayMs: options.delayMs, onError: options.onSaveError },
    );
  }

  /** Executions saved so far. */
  get saved(): number {
    return this.savedCount;
  }

  /** Adds one execution, and the sessions seen so far that the store does not have yet. */
  add(record: ExecutionRecord, sessions: readonly SessionRecord[] = []): void {
    for (const session of sessions) {
      if (this.knownSessions.has(session.id)) continue;
      this.knownSessions.add(session.id);
      this.pendingSessions.set(session.id, { ...session });
    }
    this.pendingExecutions.push(this.options.adapt ? this.options.adapt(record) : record);
    this.saver.changed();
  }

  /** Adds or updates sessions (e.g. once their environment is known). */
  addSessions(sessions: readonly SessionRecord[]): void {
    for (const session of sessions) {
      this.knownSessions.add(session.id);
      this.pendingSessions.set(session.id, { ...session });
    }
    this.saver.changed();
  }

  /** Late hashes of deferred values; stored after the executions handed over before them. */
  addPatches(patches: readonly ValuePatch[]): void {
    if (!patches.length) return;
    this.pendingPatches.push(...patches);
    this.saver.changed();
  }

  flush(): Promise<void> {
    return this.saver.flush();
  }

  dispose(): void {
    this.saver.dispose();
  }

  /** Hands pending records to the store; returns how many executions it then holds from this sink. */
  private applyPending(): number {
    for (const session of this.pendingSessions.values()) this.store.addSession(session);
    this.pendingSessions.clear();
    for (const record of this.pendingExecutions.splice(0)) {
      this.store.addExecution(record);
      this.added++;
    }
    if (this.pendingPatches.length) this.store.applyValuePatches(this.pendingPatches.splice(0));
    return this.added;
  }
}
