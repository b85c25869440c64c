/**
 * Recording runs made by other kernels than "nbprov: Python". Every finished execution is seen in
 * `workspace.onDidChangeNotebookDocument` (a cell's executionSummary gets an end time). When the
 * Microsoft Jupyter extension is present (looked up at run time, never required) the recorder is
 * installed into its kernel and its records are attributed to the observed runs by execution
 * order and code (attribution.ts, pure); runs no record covers — the first run before the
 * recorder was in, other controllers, non-Python kernels — are kept without values.
 */
import type { Jupyter, Kernel as JupyterKernel } from '@vscode/jupyter-extension';
import * as vscode from 'vscode';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../../core/records';
import { RecorderSession } from '../../kernel/recorderSession';
import { VsCodeJupyterClient } from '../../kernel/vscodeJupyterClient';
import { cellIdOf } from './cells';
import { ForeignRunAttributor, type ReportedRun } from './foreignRuns';

export const MS_JUPYTER_ID = 'ms-toolsai.jupyter';
/** Runs remembered to ignore a repeated report of the same run (the oldest are forgotten). */
const MAX_SEEN_RUNS = 2000;

export interface ForeignRunDeps {
  /** Notebooks run by "nbprov: Python" are recorded by its controller, not here. */
  isNbprovKernel(notebook: vscode.NotebookDocument): boolean;
  notebookKey(notebook: vscode.NotebookDocument): string;
  recording(notebook: vscode.NotebookDocument): { readonly enabled: boolean; readonly excludedNames: readonly string[] };
  onRecord(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, record: ExecutionRecord, session: SessionRecord): void;
  onSession(notebook: vscode.NotebookDocument, session: SessionRecord): void;
  /** Late hashes of large values, after the records they patch. */
  onPatches(notebook: vscode.NotebookDocument, patches: ValuePatch[]): void;
}

interface NotebookState {
  reported: ReportedRun<vscode.NotebookCell>[];
  seen: Set<string>;
  kernel: JupyterKernel | null;
  recorder: RecorderSession | null;
  attributor: ForeignRunAttributor<vscode.NotebookCell>;
  announced: Set<string>;
  work: Promise<void>;
}

export class ForeignRunRecorder implements vscode.Disposable {
  private readonly states = new Map<string, NotebookState>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly deps: ForeignRunDeps,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeNotebookDocument((e) => this.observe(e)),
      vscode.workspace.onDidCloseNotebookDocument((n) => this.states.delete(n.uri.toString())),
    );
  }

  private observe(event: vscode.NotebookDocumentChangeEvent): void {
    const notebook = event.notebook;
    if (this.deps.isNbprovKernel(notebook) || !this.deps.recording(notebook).enabled) return;
    const finished = event.cellChanges.filter((c) => c.executionSummary?.timing?.endTime !== undefined && c.cell.kind === vscode.NotebookCellKind.Code);
    if (!finished.length) return;
    const state = this.stateOf(notebook);
    for (const change of finished) {
      const summary = change.executionSummary!;
      const key = `${change.cell.document.uri.toString()}|${summary.executionOrder ?? ''}|${summary.timing!.endTime}`;
      if (state.seen.has(key)) continue;
      state.seen.add(key);
      if (state.seen.size > MAX_SEEN_RUNS) state.seen.delete(state.seen.values().next().value!);
      state.reported.push({
        cell: change.cell,
        cellId: cellIdOf(change.cell.metadata, change.cell.index),
        cellIndex: change.cell.index,
        code: change.cell.document.getText(),
        executionOrder: summary.executionOrder ?? null,
        success: summary.success !== false,
        startTime: summary.timing!.startTime,
        endTime: summary.timing!.endTime,
      });
    }
    state.work = state.work.then(() => this.flush(notebook, state)).catch((error) => this.log.warn(`recording a run failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  private stateOf(notebook: vscode.NotebookDocument): NotebookState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      const attributor = new ForeignRunAttributor<vscode.NotebookCell>(
        () => this.deps.notebookKey(notebook),
        (message) => this.log.warn(message),
      );
      state = { reported: [], seen: new Set(), kernel: null, recorder: null, attributor, announced: new Set(), work: Promise.resolve() };
      this.states.set(key, state);
    }
    return state;
  }

  private async flush(notebook: vscode.NotebookDocument, state: NotebookState): Promise<void> {
    const runs = state.reported.splice(0);
    if (!runs.length) return;
    const recorder = vscode.workspace.isTrusted ? await this.recorderFor(notebook, state) : null;
    const attributed = await state.attributor.attribute(runs, recorder, this.deps.recording(notebook).excludedNames);
    for (const { cell, record, session } of attributed) {
      if (!state.announced.has(session.id)) {
        state.announced.add(session.id);
        this.deps.onSession(notebook, session);
      }
      this.deps.onRecord(notebook, cell, record, session);
    }
    this.handOverPatches(notebook, state);
  }

  private handOverPatches(notebook: vscode.NotebookDocument, state: NotebookState): void {
    const patches = state.attributor.takePatches();
    if (patches.length) this.deps.onPatches(notebook, patches);
  }

  /**
   * Waits up to `seconds` in the Jupyter extension's kernel of this notebook for the recorder's
   * background hasher (queued behind the recording work). Null when nothing is recorded there.
   */
  flushHashes(notebook: vscode.NotebookDocument, seconds: number): Promise<number | null> {
    const state = this.states.get(notebook.uri.toString());
    if (!state) return Promise.resolve(null);
    // Without waiting: what the last collect said (the count only falls between collects).
    if (seconds <= 0) return Promise.resolve(state.recorder ? state.recorder.pendingHashes : null);
    const flushed = state.work.then(async () => {
      const recorder = state.recorder;
      if (!recorder || !vscode.workspace.isTrusted || !this.deps.recording(notebook).enabled) return null;
      const pending = await state.attributor.flushHashes(recorder, seconds);
      this.handOverPatches(notebook, state);
      return pending;
    });
    state.work = flushed.then(
      () => undefined,
      (error: unknown) => this.log.warn(`waiting for the kernel's hashes failed: ${error instanceof Error ? error.message : String(error)}`),
    );
    return flushed;
  }

  /** The recorder in the Microsoft Jupyter extension's kernel of this notebook, or null (absent, no kernel, not Python). */
  private async recorderFor(notebook: vscode.NotebookDocument, state: NotebookState): Promise<RecorderSession | null> {
    const extension = vscode.extensions.getExtension<Jupyter>(MS_JUPYTER_ID);
    if (!extension) return null;
    try {
      const api = extension.isActive ? extension.exports : await extension.activate();
      const kernel = (await api.kernels.getKernel(notebook.uri)) ?? null;
      if (!kernel || kernel.language !== 'python') return null;
      if (kernel !== state.kernel) {
        const client = await VsCodeJupyterClient.forNotebook(api, notebook.uri, { createCancellationTokenSource: () => new vscode.CancellationTokenSource() });
        state.kernel = kernel;
        state.recorder = new RecorderSession(client, this.deps.notebookKey(notebook), { kernelName: null });
        state.attributor.reset();
        this.log.info(`recording the Jupyter extension's kernel of ${this.deps.notebookKey(notebook)}`);
      }
      return state.recorder;
    } catch (error) {
      this.log.warn(`the Jupyter extension's kernel cannot be recorded: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.states.clear();
  }
}
