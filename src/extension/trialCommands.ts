/**
 * Trials from the editor. "nbprov: Save Trial…" snapshots the notebook's latest recorded session,
 * as `nbprov trial save` does. "nbprov: Run Notebook as Trial…" asks for the values of the
 * `parameters` cell (defaults shown), writes them into that cell (an undoable edit), restarts the
 * kernel, runs every cell, and saves a trial of that run — the editor's `nbprov run --param`.
 * Cancelling interrupts the kernel; what ran stays recorded.
 */
import * as vscode from 'vscode';
import { NbprovError, UsageError } from '../core/errors';
import type { JsonValue } from '../core/records';
import type { Store } from '../core/store';
import { describeValue, trialFromSession, trialLabel } from '../core/trials';
import { HASH_FLUSH_SECONDS } from '../core/valuePatches';
import { parameterNameProblem } from '../core/notebook/definedNames';
import { parameterChange, parametersCellIndex, parameterSlots, type ParameterChange } from './content/parameters';
import type { RunOutcome } from './runner';
import type { Runtime } from './runtime';

interface TrialArgs {
  notebook?: string;
  name?: string;
  /** Run as trial: parameter answers by name (skips the input boxes). */
  params?: Record<string, string>;
}

function trialArgs(arg: unknown): TrialArgs {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as TrialArgs) : {};
}

function targetNotebook(args: TrialArgs, arg: unknown): vscode.NotebookDocument {
  const uri = arg instanceof vscode.Uri ? arg.toString() : args.notebook;
  const notebook = uri ? vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri) : vscode.window.activeNotebookEditor?.notebook;
  if (!notebook) throw new NbprovError('open the notebook first (trials are saved from a notebook editor)');
  return notebook;
}

function requireTrust(): void {
  if (!vscode.workspace.isTrusted) throw new NbprovError('this workspace is not trusted; nbprov records and runs nothing in restricted mode (Manage Workspace Trust to allow it)');
}

async function askName(args: TrialArgs): Promise<string | null | undefined> {
  if (args.name !== undefined) return args.name.trim() || null;
  const answer = await vscode.window.showInputBox({ title: 'nbprov: trial name', prompt: 'A name for the trial (empty: unnamed)', placeHolder: 'baseline' });
  return answer === undefined ? undefined : answer.trim() || null;
}

/**
 * Before a trial is built: the hashes of large values the kernel computes in the background
 * (a trial compares values by content hash). Asks without waiting first; only when some are
 * unfinished does it wait, up to HASH_FLUSH_SECONDS, with a cancellable progress notification.
 * Returns how many stay unhashed (0 without a recorded kernel), or undefined when cancelled.
 */
async function waitForHashes(runtime: Runtime, notebook: vscode.NotebookDocument, title: string, running?: { report(message: string): void; token: vscode.CancellationToken }): Promise<number | undefined> {
  const runner = runtime.runner();
  const flush = runner.flushHashes?.bind(runner);
  if (!flush) return 0;
  const wait = async (report: (message: string) => void, token: vscode.CancellationToken): Promise<number | undefined> => {
    report('waiting for the kernel to finish hashing large values…');
    const left = await flush(notebook, HASH_FLUSH_SECONDS, token);
    return token.isCancellationRequested ? undefined : (left ?? 0);
  };
  let pending: number | undefined = 0;
  try {
    if (running) pending = await wait(running.report, running.token);
    else if (await flush(notebook, 0)) {
      pending = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => wait((message) => progress.report({ message }), token));
    }
  } catch (err) {
    // The trial can still be built: values without a hash say so, and are never reported equal.
    runtime.log.warn(`could not wait for the kernel's hashes of large values: ${err instanceof Error ? err.message : String(err)}`);
    pending = running?.token.isCancellationRequested ? undefined : 0;
  }
  if (pending === undefined) return undefined;
  // The hashes arrive as events whose store writes start after this turn: let them start, then finish.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await runtime.recorder.settled();
  return pending;
}

function unhashedNote(pending: number): string {
  if (!pending) return '';
  return `; ${pending} large value${pending === 1 ? ' is' : 's are'} still unhashed (hash pending): never reported equal to another trial's`;
}

/** Saves a trial of `sessionId` (default: the notebook's latest session) and reports it. */
async function saveSessionTrial(runtime: Runtime, notebook: vscode.NotebookDocument, name: string | null, sessionId?: string, params: Record<string, JsonValue> = {}, pendingHashes = 0) {
  const workspace = await runtime.services.stores.storeFor(notebook.uri);
  if (!workspace) throw new NbprovError('nothing recorded for this notebook yet (no .nbprov/store.sqlite): run its cells first, then save a trial');
  const { view, notebookKey, analyzer } = await runtime.services.provenance.provenance(notebook);
  const session = sessionId ?? liveSession(workspace.store, notebookKey);
  if (!session) throw new NbprovError('nothing recorded for this notebook yet: run its cells first, then save a trial');
  const trial = inEditorWords(() => trialFromSession({ store: workspace.store, notebook: view, notebookKey, analyzer, name, sessionId: session, params }));
  workspace.store.saveTrial(trial);
  await workspace.scheduleSave();
  const values = Object.entries(trial.tagged).map(([n, v]) => `${n} = ${describeValue(v)}`);
  const missing = trial.missing.length ? `; not recorded: ${trial.missing.join(', ')}` : '';
  const renamed = trial.nameTakenBy ? ` (the name "${trial.nameTakenBy.name}" is taken by trial ${trial.nameTakenBy.id}, so this one is "${trial.name}")` : '';
  const unhashed = unhashedNote(pendingHashes);
  runtime.log.info(`saved trial ${trialLabel(trial)} (${trial.id}) of ${notebookKey}: ${values.join(', ')}${missing}${renamed}${unhashed}`);
  void vscode.window.showInformationMessage(`nbprov: saved trial ${trialLabel(trial)}${renamed}: ${values.join(', ') || 'no tagged values'}${missing}${unhashed}`);
  return trial;
}

/** Core's trial errors name CLI fixes; in the editor the fix is a right-click or a run. */
function inEditorWords<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : '';
    if (code === 'no-tagged-variables' || /no tagged variables/.test(message)) {
      throw new NbprovError('this notebook has no tagged variables, so a trial would hold nothing: right-click a variable in a cell → "nbprov: Tag Variable…", then save the trial');
    }
    if (code === 'no-recorded-session' || /no recorded session/.test(message)) {
      throw new NbprovError('nothing recorded for this notebook yet: run its cells with the "nbprov: Python" kernel, then save a trial');
    }
    throw err;
  }
}

/**
 * The session the user is working in: that of the latest execution recorded with values (runs of
 * kernels without the nbprov recorder have none, so a trial of them would hold nothing), else that
 * of the latest execution.
 */
function liveSession(store: Store, notebookKey: string): string | undefined {
  const executions = store.listExecutions(notebookKey);
  const withValues = executions.filter((e) => e.values.length > 0);
  return (withValues.length ? withValues : executions).at(-1)?.sessionId;
}

export async function saveTrial(runtime: Runtime, arg?: unknown): Promise<void> {
  requireTrust();
  const args = trialArgs(arg);
  const notebook = targetNotebook(args, arg);
  const name = await askName(args);
  if (name === undefined) return;
  const pending = await waitForHashes(runtime, notebook, 'nbprov: Save Trial');
  if (pending === undefined) {
    void vscode.window.showInformationMessage('nbprov: no trial saved (cancelled while the kernel was hashing large values)');
    return;
  }
  await saveSessionTrial(runtime, notebook, name, undefined, {}, pending);
}

/** Asks for each parameter's value (the cell's current literal as default); undefined when cancelled. */
async function askParameters(runtime: Runtime, notebook: vscode.NotebookDocument, args: TrialArgs): Promise<{ cellIndex: number; changes: ParameterChange[] } | undefined> {
  const { view, analyzer } = await runtime.services.provenance.provenance(notebook);
  const cellIndex = parametersCellIndex(view);
  // Names given by a caller are checked as `nbprov run --param` checks them: a typo is an error naming the closest names.
  for (const name of Object.keys(args.params ?? {})) {
    const problem = cellIndex < 0 ? new NbprovError(`parameter "${name}": no cell of this notebook is tagged "parameters", so there is nothing to set`) : parameterNameProblem(view, analyzer, name);
    if (problem) throw problem;
  }
  if (cellIndex < 0) {
    runtime.log.info('no cell is tagged "parameters": running with the notebook as it is');
    return { cellIndex, changes: [] };
  }
  const cell = view.cells[cellIndex];
  const slots = parameterSlots(analyzer.analyze(cell.source, cell.language ?? 'python'));
  const notLiteral = Object.keys(args.params ?? {}).find((name) => !slots.some((s) => s.name === name));
  if (notLiteral) throw new NbprovError(`parameter "${notLiteral}" is assigned in the parameters cell by an expression, not a literal, so it cannot be set here; edit the cell instead`);
  const changes: ParameterChange[] = [];
  for (const slot of slots) {
    let answer = args.params?.[slot.name];
    if (answer === undefined && !args.params) {
      answer = await vscode.window.showInputBox({
        title: `nbprov: Run Notebook as Trial — parameter ${changes.length + 1} of ${slots.length}`,
        prompt: `${slot.name} (a Python literal: 200, 0.5, "text", [1, 2], True, None)`,
        value: slot.current,
        validateInput: (text) => {
          try {
            parameterChange(slot, text);
            return null;
          } catch (err) {
            return err instanceof UsageError ? err.message : String(err);
          }
        },
      });
      if (answer === undefined) return undefined;
    }
    if (answer !== undefined && answer.trim() !== slot.current) changes.push(parameterChange(slot, answer));
  }
  return { cellIndex, changes };
}

async function writeParameters(notebook: vscode.NotebookDocument, cellIndex: number, changes: ParameterChange[]): Promise<void> {
  if (!changes.length) return;
  const document = notebook.cellAt(cellIndex).document;
  const edit = new vscode.WorkspaceEdit();
  for (const { slot, statement } of changes) {
    edit.replace(document.uri, new vscode.Range(slot.span.startLine, slot.span.startColumn, slot.span.endLine, slot.span.endColumn), statement);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new NbprovError('the editor refused to change the parameters cell (is the notebook read-only?)');
}

export async function runAsTrial(runtime: Runtime, arg?: unknown): Promise<void> {
  requireTrust();
  const args = trialArgs(arg);
  const notebook = targetNotebook(args, arg);
  const refusal = runtime.recorder.refusal(notebook);
  if (refusal) throw new NbprovError(`cannot record a trial: ${refusal}`);
  const parameters = await askParameters(runtime, notebook, args);
  if (!parameters) return;
  const name = await askName(args);
  if (name === undefined) return;
  const params: Record<string, JsonValue> = Object.fromEntries(parameters.changes.map((c) => [c.slot.name, c.value]));
  await writeParameters(notebook, parameters.cellIndex, parameters.changes);

  const runner = runtime.runner();
  const sessions: string[] = [];
  const listener = runtime.recorder.onDidRecordExecution((e) => {
    if (e.notebook === notebook) sessions.push(e.record.sessionId);
  });
  const run: { outcome?: RunOutcome | void; pendingHashes?: number } = {};
  try {
    const cancelled = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'nbprov: Run Notebook as Trial', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => void runner.interrupt(notebook));
        progress.report({ message: 'restarting the kernel…' });
        await runner.restart(notebook);
        if (token.isCancellationRequested) return true;
        progress.report({ message: `running ${notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).length} cells…` });
        run.outcome = await runner.runAll(notebook, token);
        if (token.isCancellationRequested) return true;
        if (!run.outcome?.failure) {
          run.pendingHashes = await waitForHashes(runtime, notebook, '', { report: (message) => progress.report({ message }), token });
          if (run.pendingHashes === undefined || token.isCancellationRequested) return true;
        }
        progress.report({ message: 'saving the trial…' });
        await runtime.recorder.settled();
        return false;
      },
    );
    if (cancelled) {
      void vscode.window.showInformationMessage('nbprov: run cancelled; the kernel was interrupted and what ran is recorded (no trial saved)');
      return;
    }
  } finally {
    listener.dispose();
  }
  const outcome = run.outcome;
  if (outcome?.failure) {
    const where = outcome.failure.cellIndex === undefined ? 'a cell' : `cell ${outcome.failure.cellIndex}`;
    throw new NbprovError(`the run stopped at ${where}${outcome.failure.message ? ` (${outcome.failure.message})` : ''}; what ran is recorded, no trial saved — fix it and run as trial again`);
  }
  const sessionId = outcome?.session?.id ?? sessions[sessions.length - 1];
  if (!sessionId) throw new NbprovError('the run recorded nothing (is a kernel selected for this notebook?); select "nbprov: Python" and try again');
  await saveSessionTrial(runtime, notebook, name, sessionId, params, run.pendingHashes ?? 0);
}
