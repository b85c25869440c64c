/**
 * The kernel side of the editor: the "nbprov: Python" notebook controller and the recording of
 * runs made by other kernels. Other features use only what this file exports.
 *
 * Stable API (for recording, CodeLens, hover, trials — `registerKernel` returns it):
 *
 *   const kernel = registerKernel(context, log, { notebookKey });
 *   kernel.onDidRecordExecution(({ notebook, cell, record, session }) => store it);
 *       Fires once per finished run of any cell, whichever kernel ran it (nbprov's own, the
 *       Microsoft Jupyter extension's, or another — then without values). `record.cellId` is the
 *       cell's nbformat id (`cell.metadata.id`) or `cell-<index>`, as the CLI reads the .ipynb;
 *       `record.notebookPath` is `notebookKey(notebook)`. Failed, interrupted and killed runs
 *       are recorded too (success false).
 *   kernel.onDidUpdateSession(({ notebook, session }) => store.addSession(session));
 *       A kernel session began (first run, restart, new kernel) or its environment became known
 *       (once the queue is idle). Store it again each time: addSession is an upsert.
 *   kernel.onDidPatchValues(({ notebook, patches }) => store.applyValuePatches(patches));
 *       Late hashes of large values (ValueSummary.deferred) of executions recorded earlier, each
 *       after the record it patches; a patch for a record never stored is ignored by the store.
 *   await kernel.flushHashes(notebook, seconds, token?) → number | null
 *       Before a trial is built: waits in the kernel for its background hasher; how many values
 *       are still unhashed (null: no recorded kernel alive).
 *   await kernel.runAll(notebook, token?)         → RunSummary   (every code cell, in order)
 *   await kernel.runCells(notebook, cells, token?) → RunSummary   (these cells, in order)
 *       Through "nbprov: Python" (selected for the notebook first if it is not; throws a
 *       NbprovError when it cannot be). Queued behind runs already waiting; the first failing
 *       cell cancels the rest (RunSummary.failure); cancelling `token` interrupts the kernel.
 *       Records arrive through onDidRecordExecution as usual (and in RunSummary.results[].record);
 *       it resolves after the session's environment was read (RunSummary.session.environment).
 *   await kernel.restart(notebook)   — variables gone, recorder re-installed, new session.
 *   await kernel.interrupt(notebook) — cancels the queue, KeyboardInterrupt in the running cell.
 *   kernel.currentSession(notebook)  — the SessionRecord of the notebook's kernel, or null.
 *   kernel.isNbprovKernel(notebook)  — "nbprov: Python" is the notebook's selected kernel.
 *
 * "Run Notebook as Trial…" = restart(notebook); put the parameter values into the notebook (a
 * NotebookEdit of the `parameters` cell or an inserted cell); runAll(notebook, token); build the
 * trial from RunSummary.session unless RunSummary.failure. The controller satisfies the features'
 * NotebookRunner (restart, runAll(notebook, token), interrupt) as it is.
 */
import * as vscode from 'vscode';
import { NbprovError } from '../../core/errors';
import type { SessionRecord, ValuePatch } from '../../core/records';
import type { RecordedExecution } from '../services';
import { readSettings } from '../settings';
import { NbprovNotebookController } from './controller';
import { CONTROLLER_ID, CONTROLLER_LABEL } from './ids';
import type { RunSummary } from './kernelSession';
import { ForeignRunRecorder } from './msJupyter';

export type { CellRunResult, CellRunStatus, RunSummary } from './kernelSession';
export { CONTROLLER_ID, CONTROLLER_LABEL } from './ids';

export interface SessionUpdate {
  readonly notebook: vscode.NotebookDocument;
  readonly session: SessionRecord;
}

export interface PatchedValues {
  readonly notebook: vscode.NotebookDocument;
  /** By execution id (`${sessionId}-${seq}`); each comes after the record it patches. */
  readonly patches: ValuePatch[];
}

export interface NbprovKernel extends vscode.Disposable {
  readonly controllerId: string;
  readonly onDidRecordExecution: vscode.Event<RecordedExecution>;
  readonly onDidUpdateSession: vscode.Event<SessionUpdate>;
  readonly onDidPatchValues: vscode.Event<PatchedValues>;
  /**
   * Waits up to `seconds` in the notebook's kernel (nbprov's, or the Jupyter extension's when it
   * is recorded) for the hashes of large values; they arrive through onDidPatchValues first.
   * Resolves to how many are still unhashed, or null when no recorded kernel is alive.
   * Cancelling `token` interrupts the wait (nbprov's kernel).
   */
  flushHashes(notebook: vscode.NotebookDocument, seconds: number, token?: vscode.CancellationToken): Promise<number | null>;
  /** Cancelling `token` interrupts the kernel and cancels the cells still queued. */
  runAll(notebook: vscode.NotebookDocument, token?: vscode.CancellationToken): Promise<RunSummary>;
  runCells(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], token?: vscode.CancellationToken): Promise<RunSummary>;
  restart(notebook: vscode.NotebookDocument): Promise<void>;
  interrupt(notebook: vscode.NotebookDocument): Promise<void>;
  currentSession(notebook: vscode.NotebookDocument): SessionRecord | null;
  isNbprovKernel(notebook: vscode.NotebookDocument): boolean;
}

export interface KernelOptions {
  /**
   * The store key of a notebook (WorkspaceStore.notebookKey). Default: its path relative to its
   * workspace folder, '/'-separated (the absolute path outside any folder).
   */
  readonly notebookKey?: (notebook: vscode.NotebookDocument) => string;
}

export class NbprovKernelController implements NbprovKernel {
  readonly controllerId = CONTROLLER_ID;
  private readonly recorded = new vscode.EventEmitter<RecordedExecution>();
  private readonly sessions = new vscode.EventEmitter<SessionUpdate>();
  private readonly patched = new vscode.EventEmitter<PatchedValues>();
  readonly onDidRecordExecution = this.recorded.event;
  readonly onDidUpdateSession = this.sessions.event;
  readonly onDidPatchValues = this.patched.event;
  private readonly controller: NbprovNotebookController;
  private readonly foreign: ForeignRunRecorder;
  private readonly extensionId: string;

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    options: KernelOptions = {},
  ) {
    this.extensionId = context.extension.id;
    const notebookKey = options.notebookKey ?? defaultNotebookKey;
    const events = {
      onRecord: (notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, record: RecordedExecution['record'], session: SessionRecord) => {
        log.info(`recorded cell ${record.cellIndex ?? '?'} (${record.cellId}) [${record.executionCount ?? ' '}] of ${record.notebookPath}: ${record.success ? 'ok' : 'failed'}, ${record.values.length} value(s)`);
        this.recorded.fire({ notebook, cell, record, session });
      },
      onSession: (notebook: vscode.NotebookDocument, session: SessionRecord) => this.sessions.fire({ notebook, session }),
      onPatches: (notebook: vscode.NotebookDocument, patches: ValuePatch[]) => this.patched.fire({ notebook, patches }),
    };
    this.controller = new NbprovNotebookController(context, log, notebookKey, events);
    this.foreign = new ForeignRunRecorder(log, {
      isNbprovKernel: (notebook) => this.controller.isSelectedFor(notebook),
      notebookKey,
      recording: (notebook) => {
        const settings = readSettings(notebook.uri);
        return { enabled: settings.recordingEnabled, excludedNames: settings.excludedNames };
      },
      ...events,
    });
  }

  isNbprovKernel(notebook: vscode.NotebookDocument): boolean {
    return this.controller.isSelectedFor(notebook);
  }

  currentSession(notebook: vscode.NotebookDocument): SessionRecord | null {
    return this.controller.session(notebook)?.currentSession ?? null;
  }

  runAll(notebook: vscode.NotebookDocument, token?: vscode.CancellationToken): Promise<RunSummary> {
    return this.runCells(notebook, notebook.getCells(), token);
  }

  async runCells(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[], token?: vscode.CancellationToken): Promise<RunSummary> {
    await this.select(notebook);
    const subscription = token?.onCancellationRequested(() => void this.interrupt(notebook));
    try {
      if (token?.isCancellationRequested) throw new vscode.CancellationError();
      const summary = await this.controller.execute(notebook, cells);
      // The session's environment is read once the queue is idle; a trial built from it wants it.
      await this.controller.session(notebook)?.whenIdle();
      return { ...summary, session: this.currentSession(notebook) ?? summary.session };
    } finally {
      subscription?.dispose();
    }
  }

  async flushHashes(notebook: vscode.NotebookDocument, seconds: number, token?: vscode.CancellationToken): Promise<number | null> {
    const session = this.controller.isSelectedFor(notebook) ? this.controller.session(notebook) : undefined;
    if (!session) return this.foreign.flushHashes(notebook, seconds);
    const subscription = token?.onCancellationRequested(() => void session.interrupt());
    try {
      return await session.flushHashes(seconds);
    } finally {
      subscription?.dispose();
    }
  }

  restart(notebook: vscode.NotebookDocument): Promise<void> {
    return this.controller.restart(notebook);
  }

  interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    return this.controller.interrupt(notebook);
  }

  /** Makes "nbprov: Python" the notebook's kernel (it must be, to create executions). */
  private async select(notebook: vscode.NotebookDocument): Promise<void> {
    if (this.controller.isSelectedFor(notebook)) return;
    const editor = vscode.window.visibleNotebookEditors.find((e) => e.notebook === notebook);
    if (!editor) throw new NbprovError(`Open the notebook and select the kernel "${CONTROLLER_LABEL}" to run it.`);
    this.log.info(`selecting the kernel "${CONTROLLER_LABEL}" for ${defaultNotebookKey(notebook)}`);
    const selected = this.controller.whenSelected(notebook, 10_000);
    await vscode.commands.executeCommand('notebook.selectKernel', { notebookEditor: editor, id: CONTROLLER_ID, extension: this.extensionId });
    if (!(await selected)) {
      throw new NbprovError(`Select the kernel "${CONTROLLER_LABEL}" for this notebook (kernel picker at the top right), then try again.`);
    }
  }

  private disposed = false;

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.foreign.dispose();
    await this.controller.dispose();
    this.recorded.dispose();
    this.sessions.dispose();
    this.patched.dispose();
  }
}

/** The notebook's path relative to its workspace folder ('/'-separated), as the CLI names it in the store. */
export function defaultNotebookKey(notebook: vscode.NotebookDocument): string {
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri);
  if (!folder) return notebook.uri.scheme === 'file' ? notebook.uri.fsPath.split('\\').join('/') : notebook.uri.toString();
  return vscode.workspace.asRelativePath(notebook.uri, false);
}

/**
 * Creates the controller and the foreign-run recorder; disposed with the extension (local Jupyter
 * Servers and kernels are shut down then).
 */
export function registerKernel(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, options: KernelOptions = {}): NbprovKernelController {
  const kernel = new NbprovKernelController(context, log, options);
  context.subscriptions.push({ dispose: () => void kernel.dispose() });
  return kernel;
}
