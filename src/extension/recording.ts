/**
 * Recording: every finished cell execution in this window goes to the workspace store, so
 * `nbprov lineage NB VAR` in a terminal sees the editor's session (re-executions, edits and
 * out-of-order runs included).
 *
 * Two sources: a controller with the kernel recorder (nbprov: Python) hands over full records
 * (`recordExecution`, values included); for any other controller, the finished execution is
 * observed through `workspace.onDidChangeNotebookDocument` (`executionSummary`: code, order,
 * success, timing — no values). An observed execution waits briefly for the controller's record of
 * the same run (cell and execution order); when one arrives, the observation is dropped, or
 * replaced in place if it was already written.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { languageFromName } from '../core/notebook/ipynb';
import { OBSERVED_SESSION_PREFIX, observedRecord, withoutExcluded } from './content/records';
import type { ExecutionRecord, SessionRecord } from '../core/records';
import { describe, type Messages } from './messages';
import { cellView } from './notebookView';
import type { ProvenanceCache } from './provenance';
import type { RecordedExecution } from './services';
import { readSettings } from './settings';
import type { WorkspaceStores } from './stores';

/** How long an observed execution waits for the controller's own record of it. */
const OBSERVATION_GRACE_MS = 1500;
/** How long a run is remembered, so repeated or late reports of it are recognised. */
const OBSERVATION_MEMORY_MS = 60_000;

export interface RecordingState {
  readonly enabled: boolean;
  readonly trusted: boolean;
  /** Executions recorded in this window. */
  readonly count: number;
  /** A store could not be written: records are held in memory. */
  readonly unsaved: boolean;
}

interface Observed {
  timer?: ReturnType<typeof setTimeout>;
  /** Set once written: the id a later controller record replaces. */
  writtenId?: string;
  /** The controller's record arrived before the summary: the observation is not written. */
  superseded?: boolean;
  /** Releases `settled()` when the observation is dropped before its timer fires. */
  cancel?: () => void;
}

export class Recorder implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RecordedExecution>();
  private readonly stateEmitter = new vscode.EventEmitter<RecordingState>();
  readonly onDidRecordExecution = this.emitter.event;
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.stateEmitter];
  private readonly observed = new Map<string, Observed>();
  private readonly sessionsWritten = new Map<string, string>();
  /** Per notebook: the observed session and the last execution order seen in it (a lower one means a restart). */
  private readonly observedSessions = new Map<string, { id: string; lastOrder: number }>();
  private count = 0;
  private unsaved = false;
  /** Observations waiting for their grace period and writes under way. */
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly stores: WorkspaceStores,
    private readonly provenance: ProvenanceCache,
    private readonly messages: Messages,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.stateEmitter.fire(this.state())));
  }

  /**
   * Every notebook change, forwarded by extension.ts from activation on (so the change that made
   * this module load is not missed): finished executions are recorded.
   */
  observeChange(e: vscode.NotebookDocumentChangeEvent): void {
    if (!this.observing) return;
    for (const change of e.cellChanges) if (change.executionSummary) this.observe(e.notebook, change.cell);
  }

  private observing = true;

  /**
   * Off when the notebook controller module reports every kernel's runs itself (it observes other
   * kernels' executions too), so each run is recorded once.
   */
  setObserveSummaries(enabled: boolean): void {
    this.observing = enabled;
  }

  /** A kernel session began or its environment became known: stored (an upsert) with the notebook's store key. */
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

  /** A controller's full record of a finished execution (values included). */
  async recordExecution(evt: RecordedExecution): Promise<void> {
    const view = cellView(evt.cell);
    const key = observationKey(evt.notebook, view.id, evt.record.executionCount ?? undefined);
    const observation = this.observed.get(key);
    // The summary came first: cancel the pending observation, or overwrite the one written.
    clearTimeout(observation?.timer);
    observation?.cancel?.();
    const replaces = observation?.superseded ? undefined : observation?.writtenId;
    // Kept a while: VS Code may report the same finished run's summary more than once.
    this.remember(key, { superseded: true });
    await this.track(this.write(evt.notebook, (notebookKey) => ({
      session: { ...evt.session, notebookPath: notebookKey },
      record: { ...evt.record, id: replaces ?? evt.record.id, notebookPath: notebookKey, cellId: view.id, cellIndex: view.index },
      cell: evt.cell,
    })));
  }

  /** Resolves once every execution seen so far is in the store (observations included). */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    return work.finally(() => this.pending.delete(work));
  }

  /** Keeps what is known of a run for a minute: long enough for late or repeated reports of it. */
  private remember(key: string, observation: Observed): void {
    this.observed.set(key, observation);
    setTimeout(() => {
      if (this.observed.get(key) === observation) this.observed.delete(key);
    }, OBSERVATION_MEMORY_MS);
  }

  private observe(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): void {
    const summary = cell.executionSummary;
    if (!summary || summary.success === undefined) return; // still running, or cleared
    const view = cellView(cell);
    const key = observationKey(notebook, view.id, summary.executionOrder);
    if (this.observed.has(key)) return; // the controller's record came first, or this run was seen already
    const code = cell.document.getText();
    const observation: Observed = {};
    this.remember(key, observation);
    let finish!: () => void;
    void this.track(new Promise<void>((resolve) => (finish = resolve)));
    observation.timer = setTimeout(() => void this.writeObservation(notebook, cell, key, observation, code, summary).finally(finish), OBSERVATION_GRACE_MS);
    // A controller record that cancels the timer must also release settled().
    observation.cancel = finish;
  }

  private async writeObservation(
    notebook: vscode.NotebookDocument,
    cell: vscode.NotebookCell,
    key: string,
    observation: Observed,
    code: string,
    summary: vscode.NotebookCellExecutionSummary,
  ): Promise<void> {
    const view = cellView(cell);
    if (this.observed.get(key) !== observation) return;
    const language = languageFromName(cell.document.languageId);
    if (!language) {
      this.log.info(`not recording cell ${view.index}: nbprov analyses Python, JavaScript and TypeScript, not ${cell.document.languageId}`);
      return;
    }
    const session = this.observedSession(notebook, summary.executionOrder);
    const id = randomUUID();
    observation.writtenId = id;
    await this.write(notebook, (notebookKey) => ({
      session: { ...session, notebookPath: notebookKey },
      record: observedRecord({
        id,
        sessionId: session.id,
        notebookKey,
        cellId: view.id,
        cellIndex: view.index,
        language,
        code,
        executionOrder: summary.executionOrder,
        success: summary.success === true,
        timing: summary.timing,
        now: Date.now(),
      }),
      cell,
    }));
  }

  private observedSession(notebook: vscode.NotebookDocument, order: number | undefined): SessionRecord {
    const key = notebook.uri.toString();
    let current = this.observedSessions.get(key);
    if (!current || (order !== undefined && order <= current.lastOrder)) {
      current = { id: `${OBSERVED_SESSION_PREFIX}${randomUUID()}`, lastOrder: 0 };
      this.observedSessions.set(key, current);
    }
    if (order !== undefined) current.lastOrder = order;
    return { id: current.id, notebookPath: '', kernelName: null, startedAt: new Date().toISOString(), environment: null };
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
      const settings = readSettings(notebook.uri);
      const kept = withoutExcluded(record, settings.excludedNames);
      const seen = this.sessionsWritten.get(session.id);
      const sessionFingerprint = JSON.stringify(session.environment);
      // The first record of a session names its start; later ones only update its environment.
      if (seen === undefined) store.store.addSession(session);
      else if (seen !== sessionFingerprint) store.store.addSession({ ...session, startedAt: store.store.getSession(session.id)?.startedAt ?? session.startedAt });
      this.sessionsWritten.set(session.id, sessionFingerprint);
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
    for (const o of this.observed.values()) clearTimeout(o.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function observationKey(notebook: vscode.NotebookDocument, cellId: string, order: number | undefined): string {
  return `${notebook.uri.toString()}#${cellId}#${order ?? '?'}`;
}
