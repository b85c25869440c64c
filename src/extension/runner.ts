/**
 * Running a whole notebook for "Run Notebook as Trial…": restart, run all, interrupt. The nbprov
 * controller (src/extension/kernel) provides a NotebookRunner; without one, VS Code's
 * own notebook commands drive whichever kernel is selected, and the end of the run is read from
 * the cells' execution summaries.
 */
import * as vscode from 'vscode';
import { COMMANDS } from './commands';

export interface RunOutcome {
  /** A cell failed and the run stopped there. */
  failure?: { message?: string; cellIndex?: number } | null;
  session?: { id: string } | null;
}

export interface NotebookRunner {
  restart(notebook: vscode.NotebookDocument): Promise<void>;
  /**
   * Runs every code cell top to bottom and resolves when the run has finished (or stopped at a
   * failure); a runner that knows says whether a cell failed and which kernel session ran them.
   */
  runAll(notebook: vscode.NotebookDocument, token: vscode.CancellationToken): Promise<RunOutcome | void>;
  interrupt(notebook: vscode.NotebookDocument): Promise<void>;
  /**
   * Waits up to `seconds` in the notebook's recorded kernel for the hashes of large values
   * (see NbprovKernel.flushHashes): how many are still unhashed, null without a recorded kernel.
   * Runners that cannot reach the kernel's recorder leave it out.
   */
  flushHashes?(notebook: vscode.NotebookDocument, seconds: number, token?: vscode.CancellationToken): Promise<number | null>;
}

/** After a failure, how long without any cell finishing counts as "the run stopped". */
const SETTLE_AFTER_FAILURE_MS = 3000;

export const commandRunner: NotebookRunner = {
  async restart(notebook) {
    const commands = await vscode.commands.getCommands(true);
    if (commands.includes(COMMANDS.restartKernel.id)) await vscode.commands.executeCommand(COMMANDS.restartKernel.id, notebook.uri);
  },
  async runAll(notebook, token) {
    const started = Date.now();
    const finished = waitForRun(notebook, started, token);
    await vscode.commands.executeCommand('notebook.execute', notebook.uri);
    await finished;
  },
  async interrupt(notebook) {
    await vscode.commands.executeCommand('notebook.cancelExecution', notebook.uri);
  },
};

/** Resolves when every code cell has finished a run that ended after `since`, or the run stopped at a failure. */
function waitForRun(notebook: vscode.NotebookDocument, since: number, token: vscode.CancellationToken): Promise<void> {
  return new Promise<void>((resolve) => {
    let settle: ReturnType<typeof setTimeout> | undefined;
    const disposables: vscode.Disposable[] = [];
    const done = () => {
      clearTimeout(settle);
      for (const d of disposables) d.dispose();
      resolve();
    };
    const check = () => {
      const code = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
      const ran = code.filter((c) => (c.executionSummary?.timing?.endTime ?? 0) >= since && c.executionSummary?.success !== undefined);
      if (ran.length === code.length) return done();
      if (ran.some((c) => c.executionSummary?.success === false)) {
        clearTimeout(settle);
        settle = setTimeout(done, SETTLE_AFTER_FAILURE_MS);
      }
    };
    disposables.push(
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook === notebook && e.cellChanges.some((c) => c.executionSummary)) check();
      }),
      token.onCancellationRequested(done),
    );
    check();
  });
}
