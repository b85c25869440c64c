/**
 * StoreAccess: the workspace store `.nbprov/store.sqlite` (the file the CLI reads), opened on first
 * use, saved in batches (on disk within a second of a record), and reloaded when another process —
 * `nbprov` in a terminal — changes it. A store written by a newer nbprov is refused once with a
 * message (features keep working from static analysis); a store that cannot be written keeps its
 * records in memory and says so (nothing is lost; the next save retries).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { openStore, storePath, StoreNewerSchemaError, StoreUnwritableError, type Store } from '../core/store';
import { describe, type Messages } from './messages';
import { SaveBatcher } from './saveBatcher';
import type { StoreAccess, WorkspaceStore } from './services';
import { notebookKeyIn, storeWorkspaceFor } from './workspaceDir';

/** Longest a record waits in memory before it is written. */
const SAVE_DELAY_MS = 250;

class OpenedStore implements WorkspaceStore {
  private readonly saver = new SaveBatcher(() => this.saveNow(), SAVE_DELAY_MS);
  /** False after a save failed because the store cannot be written. */
  writable = true;

  constructor(
    readonly workspace: string,
    readonly store: Store,
    private readonly onSaved: (saved: OpenedStore, merged: boolean) => void,
    private readonly onUnwritable: (saved: OpenedStore, err: StoreUnwritableError) => void,
  ) {}

  notebookKey(notebookUri: vscode.Uri): string {
    return notebookKeyIn(this.workspace, notebookUri.fsPath);
  }

  scheduleSave(): Promise<void> {
    return this.saver.schedule();
  }

  private async saveNow(): Promise<void> {
    try {
      const result = await this.store.save();
      this.writable = true;
      if (result.written || result.merged) this.onSaved(this, result.merged);
    } catch (err) {
      if (err instanceof StoreUnwritableError) {
        this.writable = false;
        this.onUnwritable(this, err);
      }
      throw err;
    }
  }
}

export class WorkspaceStores implements StoreAccess, vscode.Disposable {
  private readonly opened = new Map<string, Promise<OpenedStore | null>>();
  /** Workspaces whose store was refused, with the reason (newer schema, unreadable). */
  private readonly refused = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<WorkspaceStore>();
  private readonly mergedEmitter = new vscode.EventEmitter<WorkspaceStore>();
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.mergedEmitter];
  readonly onDidChangeStore = this.emitter.event;
  /** Fires when another process's changes were merged in (records may have changed under us). */
  readonly onDidMergeFromDisk = this.mergedEmitter.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly messages: Messages,
  ) {
    // One watcher for every workspace folder: the CLI may create, rewrite or replace the file.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.nbprov/store.sqlite');
    const changed = (uri: vscode.Uri) => void this.fileChanged(uri.fsPath);
    this.disposables.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed));
  }

  /** The folder whose store a notebook uses, or null for notebooks not on disk (untitled). */
  workspaceFor(uri: vscode.Uri): string | null {
    if (uri.scheme !== 'file') return null;
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri;
    return storeWorkspaceFor(uri.fsPath, folder?.scheme === 'file' ? folder.fsPath : undefined, existsSync);
  }

  /** Why the notebook's store is not used, or null. */
  refusal(uri: vscode.Uri): string | null {
    const workspace = this.workspaceFor(uri);
    return workspace ? (this.refused.get(workspace) ?? null) : null;
  }

  async storeFor(uri: vscode.Uri, options: { create?: boolean } = {}): Promise<WorkspaceStore | null> {
    return this.openedFor(uri, options);
  }

  /** Like storeFor, with the batching store's writable state. */
  async openedFor(uri: vscode.Uri, options: { create?: boolean } = {}): Promise<OpenedStore | null> {
    const workspace = this.workspaceFor(uri);
    return workspace ? this.openedIn(workspace, options.create ?? false) : null;
  }

  private async openedIn(workspace: string, create: boolean): Promise<OpenedStore | null> {
    const existing = this.opened.get(workspace);
    if (existing) {
      const store = await existing;
      if (store || !create || this.refused.has(workspace)) return store;
      this.opened.delete(workspace);
    }
    if (!create && !existsSync(storePath(workspace))) return null;
    const opening = this.open(workspace);
    this.opened.set(workspace, opening);
    return opening;
  }

  private async open(workspace: string): Promise<OpenedStore | null> {
    const started = performance.now();
    try {
      const store = await openStore(workspace, { onWarning: (w) => this.messages.once(`corrupt:${workspace}`, w.message) });
      this.log.info(`store ${storePath(workspace)} opened in ${(performance.now() - started).toFixed(0)} ms`);
      this.messages.forget(`newer:${workspace}`);
      this.refused.delete(workspace);
      return new OpenedStore(
        workspace,
        store,
        (saved, merged) => {
          if (merged) this.mergedEmitter.fire(saved);
          this.emitter.fire(saved);
        },
        (_store, err) =>
          this.messages.once(`unwritable:${workspace}`, `${err.message}. Recorded executions are kept in memory and saved as soon as the folder is writable.`),
      );
    } catch (err) {
      this.refused.set(workspace, err instanceof StoreNewerSchemaError ? 'the store was written by a newer nbprov (upgrade nbprov)' : `the store cannot be opened (${describe(err)})`);
      if (err instanceof StoreNewerSchemaError) {
        this.messages.once(`newer:${workspace}`, `${err.message}. Until then, lineage, hover and CodeLens use static analysis only and nothing is recorded.`);
        return null;
      }
      this.messages.once(`open:${workspace}`, `cannot open the store in ${workspace}: ${describe(err)}. Working from static analysis only.`);
      this.log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      return null;
    }
  }

  private async fileChanged(file: string): Promise<void> {
    const workspace = path.dirname(path.dirname(file));
    const existing = this.opened.get(workspace);
    const store = existing ? await existing : null;
    if (!store) {
      // It appeared (or was replaced by a readable one): open it on next use and tell the features.
      this.opened.delete(workspace);
      this.refused.delete(workspace);
      const reopened = await this.openedIn(workspace, false);
      if (reopened) {
        this.mergedEmitter.fire(reopened);
        this.emitter.fire(reopened);
      }
      return;
    }
    try {
      if (await store.store.refresh()) {
        this.log.info(`store ${file} changed on disk; merged`);
        this.mergedEmitter.fire(store);
        this.emitter.fire(store);
      }
    } catch (err) {
      this.log.warn(`store ${file} changed on disk but could not be merged: ${describe(err)}`);
    }
  }

  /** Saves every store with unsaved records now (on deactivation). */
  async flush(): Promise<void> {
    for (const opening of this.opened.values()) {
      const store = await opening.catch(() => null);
      if (store?.store.hasUnsavedChanges) await store.store.save().catch((err: unknown) => this.log.error(`final save failed: ${describe(err)}`));
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
