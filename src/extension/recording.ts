/**
 * Recording: every finished cell execution in this window goes to the workspace store, so
 * `nbprov lineage NB VAR` in a terminal sees the editor's session (re-executions, edits and
 * out-of-order runs included). The kernel module (src/extension/kernel) reports every run of any
 * kernel — its own "nbprov: Python" with values, other controllers' runs from their execution
 * summaries — and the kernel sessions; this writes them under the notebook's store key, drops the
 * values of excluded names, keeps the provenance cache in step and saves in batches.
 */
import * as vscode from 'vscode';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../core/records';
import { withoutExcluded } from './content/records';
import { describe, type Messages } from './messages';
import { cellView } from './notebookView';
import type { ProvenanceCache } from './provenance';
import type { RecordedExecution } from './services';
import { readSettings } from './settings';
import type { WorkspaceStores } from './stores';

export interface RecordingState {
  readonly enabled: boolean;
  readonly trusted: boolean;
  /** Executions recorded in this window. */
  readonly count: number;
  /** A store could not be written: records are held in memory. */
  readonly unsaved: boolean;
}

export class Recorder implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RecordedExecution>();
  private readonly stateEmitter = new vscode.EventEmitter<RecordingState>();
  readonly onDidRecordExecution = this.emitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.stateEmitter];
  /** Session id → its environment as last stored (a changed environment is stored again). */
  private readonly sessionsWritten = new Map<string, string>();
  private count = 0;
  private unsaved = false;
  /** Writes under way. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly provenance: ProvenanceCache,
    private readonly messages: Messages,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.stateEmitter.fire(this.state())));
  }

  state(scope?: vscode.ConfigurationScope): RecordingState {
    return { enabled: readSettings(scope).recordingEnabled, trusted: vscode.workspace.isTrusted, count: this.count, unsaved: this.unsaved };
  }

  /** Why nothing is recorded for this notebook right now, or null when recording is on. */
  refusal(notebook: vscode.NotebookDocument): string | null {
    if (!vscode.workspace.isTrusted) return 'the workspace is not trusted (nbprov records and runs nothing in restricted mode)';
    if (!readSettings(notebook.uri).recordingEnabled) return 'recording is turned off (setting nbprov.recording.enabled)';
    if (notebook.uri.scheme !== 'file') return 'the notebook is not saved in a folder yet (save it to record its runs)';
    return null;
  }

  /** A finished run of a cell, from whichever kernel ran it. */
  async recordExecution(evt: RecordedExecution): Promise<void> {
    const view = cellView(evt.cell);
    await this.track(
      this.write(evt.notebook, (notebookKey) => ({
        session: { ...evt.session, notebookPath: notebookKey },
        record: { ...evt.record, notebookPath: notebookKey, cellId: view.id, cellIndex: view.index },
        cell: evt.cell,
      })),
    );
  }

  /** A kernel session began or its environment became known: stored (an upsert) under the notebook's store key. */
  async recordSession(notebook: vscode.NotebookDocument, session: SessionRecord): Promise<void> {
    if (this.refusal(notebook)) return;
    await this.track(
      (async () => {
        try {
          const store = await this.stores.openedFor(notebook.uri, { create: true });
          if (!store) return;
          store.store.addSession({ ...session, notebookPath: store.notebookKey(notebook.uri) });
          this.sessionsWritten.set(session.id, JSON.stringify(session.environment));
          await store.scheduleSave();
        } catch (err) {
          this.log.warn(`session ${session.id} not saved yet: ${describe(err)}`);
        }
      })(),
    );
  }

  /**
   * Late hashes of large values (`ValueSummary.deferred`): merged into the store once the writes
   * handed over before them (the records they patch) are done, kept in step in the provenance
   * cache, and saved with the next batch. Patches for records never stored are ignored.
   */
  async recordPatches(notebook: vscode.NotebookDocument, patches: readonly ValuePatch[]): Promise<void> {
    if (!patches.length || this.refusal(notebook)) return;
    const earlier = [...this.pending];
    await this.track(
      (async () => {
        await Promise.allSettled(earlier);
        try {
          const store = await this.stores.openedFor(notebook.uri, { create: false });
          if (!store) return;
          const changed = store.store.applyValuePatches(patches);
          if (!changed.executions.length && !changed.trials.length) return;
          if (changed.executions.length) this.provenance.patched(notebook, patches);
          store.scheduleSave().then(
            () => this.setUnsaved(false),
            (err: unknown) => {
              this.setUnsaved(true);
              this.log.warn(`late hashes not saved yet: ${describe(err)}`);
            },
          );
        } catch (err) {
          this.log.warn(`late hashes of ${patches.length} value(s) not stored: ${describe(err)}`);
        }
      })(),
    );
  }

  /** Resolves once every execution handed over so far is in the store. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    return work.finally(() => this.pending.delete(work));
  }

  private async write(
    notebook: vscode.NotebookDocument,
    make: (notebookKey: string) => { session: SessionRecord; record: ExecutionRecord; cell: vscode.NotebookCell },
  ): Promise<void> {
    const refusal = this.refusal(notebook);
    if (refusal) {
      this.log.info(`not recorded: ${refusal}`);
      return;
    }
    try {
      const store = await this.stores.openedFor(notebook.uri, { create: true });
      if (!store) return; // the store refused (newer version, unreadable): already said once
      const { session, record, cell } = make(store.notebookKey(notebook.uri));
      const kept = withoutExcluded(record, readSettings(notebook.uri).excludedNames);
      const seen = this.sessionsWritten.get(session.id);
      const environment = JSON.stringify(session.environment);
      // The first record of a session names its start; later ones only update its environment.
      if (seen === undefined) store.store.addSession(session);
      else if (seen !== environment) store.store.addSession({ ...session, startedAt: store.store.getSession(session.id)?.startedAt ?? session.startedAt });
      this.sessionsWritten.set(session.id, environment);
      store.store.addExecution(kept);
      this.count++;
      this.provenance.recorded(notebook, kept);
      this.emitter.fire({ notebook, cell, record: kept, session });
      this.stateEmitter.fire(this.state(notebook.uri));
      store.scheduleSave().then(
        () => this.setUnsaved(false),
        (err: unknown) => {
          this.setUnsaved(true);
          this.log.warn(`records not saved yet: ${describe(err)}`);
        },
      );
    } catch (err) {
      this.messages.failure('recording an execution', err);
    }
  }

  private setUnsaved(unsaved: boolean): void {
    if (this.unsaved === unsaved) return;
    this.unsaved = unsaved;
    this.stateEmitter.fire(this.state());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
