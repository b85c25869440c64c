/**
 * The notebook controller "nbprov: Python" (id nbprov-python, type jupyter-notebook): runs cells
 * in a Jupyter kernel (KernelSession, one per notebook document) and turns each finished run into
 * a RecordedExecution. This file is the VS Code side only: executions, outputs, trust, commands.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../../core/records';
import type { KernelOutput } from '../../kernel/kernelClient';
import { COMMANDS } from '../commands';
import { readSettings } from '../settings';
import { cellIdOf } from './cells';
import { KernelConnector, resolveInterpreter } from './connection';
import { KernelSession, type QueuedCell, type RunSummary } from './kernelSession';
import { messageOutput, toPlainOutput, type PlainOutput } from './outputs';
import { CONTROLLER_ID, CONTROLLER_LABEL, NOTEBOOK_TYPE } from './ids';
import { promptForServerToken, ServerTokens } from './secrets';

export const UNTRUSTED_MESSAGE =
  'nbprov runs no code in an untrusted workspace. Trust this workspace (command "Workspaces: Manage Workspace Trust") to run cells with "nbprov: Python".';

export interface ControllerEvents {
  onRecord(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, record: ExecutionRecord, session: SessionRecord): void;
  onSession(notebook: vscode.NotebookDocument, session: SessionRecord): void;
  /** Late hashes of large values of the notebook's recorded executions (after the records they patch). */
  onPatches(notebook: vscode.NotebookDocument, patches: ValuePatch[]): void;
}

/** A QueuedCell that also remembers which editor cell it is. */
interface EditorQueuedCell extends QueuedCell {
  readonly notebookCell: vscode.NotebookCell;
}

export class NbprovNotebookController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, KernelSession>();
  private readonly selected = new Set<string>();
  private readonly connector: KernelConnector;
  private readonly tokens: ServerTokens;
  private readonly disposables: vscode.Disposable[] = [];
  private untrustedNotified = false;
  private lastConnectError = '';

  constructor(
    context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly notebookKey: (notebook: vscode.NotebookDocument) => string,
    private readonly events: ControllerEvents,
  ) {
    this.connector = new KernelConnector(log);
    this.tokens = new ServerTokens(context.secrets);
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, CONTROLLER_LABEL);
    this.controller.supportedLanguages = ['python'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Jupyter kernel recorded by nbprov';
    this.controller.executeHandler = (cells, notebook) => this.execute(notebook, cells).then(() => undefined);
    this.controller.interruptHandler = (notebook) => this.interrupt(notebook);
    this.disposables.push(
      this.controller,
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        if (selected) this.selected.add(notebook.uri.toString());
        else this.selected.delete(notebook.uri.toString());
      }),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => void this.closeSession(notebook)),
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.suggestFor(notebook)),
      vscode.commands.registerCommand(COMMANDS.restartKernel.id, (arg?: unknown) => this.restartCommand(arg)),
      vscode.commands.registerCommand(COMMANDS.interruptKernel.id, (arg?: unknown) => this.interruptCommand(arg)),
      vscode.commands.registerCommand(COMMANDS.setServerToken.id, () => promptForServerToken(this.tokens, log)),
    );
    for (const notebook of vscode.workspace.notebookDocuments) this.suggestFor(notebook);
  }

  /** True when "nbprov: Python" is the selected kernel of `notebook`. */
  isSelectedFor(notebook: vscode.NotebookDocument): boolean {
    return this.selected.has(notebook.uri.toString());
  }

  /** Resolves true once "nbprov: Python" is selected for `notebook`, false if that does not happen within `boundMs`. */
  whenSelected(notebook: vscode.NotebookDocument, boundMs: number): Promise<boolean> {
    if (this.isSelectedFor(notebook)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      };
      const subscription = this.controller.onDidChangeSelectedNotebooks((e) => {
        if (e.selected && e.notebook.uri.toString() === notebook.uri.toString()) done(true);
      });
      const timer = setTimeout(() => done(this.isSelectedFor(notebook)), boundMs);
    });
  }

  session(notebook: vscode.NotebookDocument): KernelSession | undefined {
    return this.sessions.get(notebook.uri.toString());
  }

  /** Queues `cells` (in the order given) and resolves when each finished or was cancelled. */
  async execute(notebook: vscode.NotebookDocument, cells: readonly vscode.NotebookCell[]): Promise<RunSummary> {
    const code = cells.filter((c) => c.kind === vscode.NotebookCellKind.Code);
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted(code);
    const queued: EditorQueuedCell[] = [];
    for (const cell of code) {
      try {
        queued.push(this.queuedCell(cell));
      } catch (error) {
        // Already running or waiting (VS Code allows one execution per cell), or deleted.
        this.log.info(`cell ${cell.index} not queued again: ${message(error)}`);
      }
    }
    return this.sessionFor(notebook).enqueue(queued);
  }

  async interrupt(notebook: vscode.NotebookDocument): Promise<void> {
    try {
      await this.session(notebook)?.interrupt();
    } catch (error) {
      this.log.warn(`interrupt failed: ${message(error)}`);
      void vscode.window.showWarningMessage(`nbprov: could not interrupt the kernel: ${message(error)}`);
    }
  }

  async restart(notebook: vscode.NotebookDocument): Promise<void> {
    const session = this.session(notebook);
    if (!session?.hasKernel) {
      this.log.info(`restart: ${path.basename(notebook.uri.path)} has no running kernel; the next run starts one`);
      return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'nbprov: restarting the kernel…' }, () => session.restart());
  }

  private queuedCell(cell: vscode.NotebookCell): EditorQueuedCell {
    const execution = this.controller.createNotebookCellExecution(cell);
    let stream: { name: 'stdout' | 'stderr'; output: vscode.NotebookCellOutput } | null = null;
    let started = false;
    const append = (plain: PlainOutput): void => {
      if (plain.stream && stream?.name === plain.stream) {
        void execution.appendOutputItems(plain.items.map(toItem), stream.output);
        return;
      }
      const output = new vscode.NotebookCellOutput(plain.items.map(toItem), plain.metadata);
      stream = plain.stream ? { name: plain.stream, output } : null;
      void execution.appendOutput(output);
    };
    return {
      notebookCell: cell,
      get cellId() {
        return cellIdOf(cell.metadata, cell.index);
      },
      get cellIndex() {
        return cell.index;
      },
      get code() {
        return cell.document.getText();
      },
      get languageId() {
        return cell.document.languageId;
      },
      started(startTime: number) {
        started = true;
        execution.start(startTime);
        void execution.clearOutput();
      },
      executionOrder(order: number | null) {
        execution.executionOrder = order ?? undefined;
      },
      output(output: KernelOutput) {
        if (started) append(toPlainOutput(output));
      },
      message(text: string) {
        if (started) append(messageOutput(text));
      },
      finished(success: boolean | undefined, endTime?: number) {
        execution.end(success, endTime);
      },
    };
  }

  private refuseUntrusted(cells: readonly vscode.NotebookCell[]): RunSummary {
    const results = cells.map((cell) => {
      try {
        const execution = this.controller.createNotebookCellExecution(cell);
        execution.start(Date.now());
        const refusal = messageOutput(UNTRUSTED_MESSAGE);
        void execution.replaceOutput(new vscode.NotebookCellOutput(refusal.items.map(toItem), refusal.metadata));
        execution.end(false, Date.now());
      } catch (error) {
        this.log.info(`cell ${cell.index}: ${message(error)}`);
      }
      return { cellId: cellIdOf(cell.metadata, cell.index), cellIndex: cell.index, status: 'refused' as const, executionCount: null, message: UNTRUSTED_MESSAGE };
    });
    this.log.warn('refused to run cells: the workspace is not trusted');
    if (!this.untrustedNotified) {
      this.untrustedNotified = true;
      const manage = 'Manage Workspace Trust';
      void vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, manage).then((choice) => {
        if (choice === manage) void vscode.commands.executeCommand('workbench.trust.manage');
      });
    }
    return { results, failure: results[0] ?? null, session: null };
  }

  private sessionFor(notebook: vscode.NotebookDocument): KernelSession {
    const key = notebook.uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = new KernelSession({
        notebookPath: () => this.notebookKey(notebook),
        connect: () => this.connect(notebook),
        recording: () => {
          const settings = readSettings(notebook.uri);
          return { enabled: settings.recordingEnabled, excludedNames: settings.excludedNames };
        },
        log: this.log,
        onRecord: (record, sessionRecord, cell) => this.events.onRecord(notebook, (cell as EditorQueuedCell).notebookCell, record, sessionRecord),
        onSession: (sessionRecord) => this.events.onSession(notebook, sessionRecord),
        onPatches: (patches) => this.events.onPatches(notebook, patches),
        onConnectError: (error) => this.notifyConnectError(error),
      });
      this.sessions.set(key, session);
    }
    return session;
  }

  private connect(notebook: vscode.NotebookDocument) {
    const settings = readSettings(notebook.uri);
    this.lastConnectError = '';
    const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
    return this.connector.connect({
      pythonInterpreter: resolveInterpreter(settings.pythonInterpreter, folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined, homedir()),
      serverUrl: settings.jupyterServerUrl,
      token: () => Promise.resolve(this.tokens.get(settings.jupyterServerUrl)),
      rootDir: notebookFolder(notebook),
    });
  }

  /** One notification per distinct problem (a Run All of 30 cells must not show 30). */
  private notifyConnectError(error: Error): void {
    if (error.message === this.lastConnectError) return;
    this.lastConnectError = error.message;
    const actions = /nbprov\.setServerToken/.test(error.message) ? ['Set Token'] : /nbprov\.python\.interpreter/.test(error.message) ? ['Open Settings'] : [];
    void vscode.window.showErrorMessage(`nbprov: ${error.message}`, ...actions).then((choice) => {
      if (choice === 'Set Token') void vscode.commands.executeCommand(COMMANDS.setServerToken.id);
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'nbprov.python.interpreter');
    });
  }

  private async closeSession(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    this.selected.delete(key);
    await session?.dispose();
  }

  /** Without the Microsoft Jupyter extension, nbprov's is the kernel to suggest for Python notebooks. */
  private suggestFor(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE || vscode.extensions.getExtension('ms-toolsai.jupyter')) return;
    if (notebookLanguage(notebook) === 'python') this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }

  private notebookFromArg(arg: unknown): vscode.NotebookDocument | undefined {
    const candidate = arg as { notebookEditor?: { notebookUri?: vscode.Uri }; notebookUri?: vscode.Uri } | vscode.Uri | undefined;
    const uri = candidate instanceof vscode.Uri ? candidate : (candidate?.notebookEditor?.notebookUri ?? candidate?.notebookUri);
    if (uri) return vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === uri.toString());
    return vscode.window.activeNotebookEditor?.notebook;
  }

  private async restartCommand(arg: unknown): Promise<void> {
    const notebook = this.notebookFromArg(arg);
    if (!notebook) {
      void vscode.window.showInformationMessage('nbprov: open a notebook to restart its kernel.');
      return;
    }
    try {
      await this.restart(notebook);
    } catch (error) {
      this.log.error(`restart failed: ${message(error)}`);
      void vscode.window.showErrorMessage(`nbprov: could not restart the kernel: ${message(error)}`);
    }
  }

  private async interruptCommand(arg: unknown): Promise<void> {
    const notebook = this.notebookFromArg(arg);
    if (notebook) await this.interrupt(notebook);
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables.splice(0)) d.dispose();
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map((s) => s.dispose()));
    await this.connector.dispose();
  }
}

function toItem(item: { mime: string; data: Uint8Array }): vscode.NotebookCellOutputItem {
  return new vscode.NotebookCellOutputItem(item.data, item.mime);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A local kernel starts in the notebook's folder, as in Jupyter; untitled notebooks use the workspace. */
export function notebookFolder(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return path.dirname(notebook.uri.fsPath);
  const folder = vscode.workspace.getWorkspaceFolder(notebook.uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : homedir();
}

/** The notebook's language from its Jupyter metadata (the built-in serializer keeps it under `metadata`). */
export function notebookLanguage(notebook: vscode.NotebookDocument): string | undefined {
  const raw = notebook.metadata as { metadata?: JupyterMetadata; custom?: { metadata?: JupyterMetadata } } & JupyterMetadata;
  const meta = raw.metadata ?? raw.custom?.metadata ?? raw;
  const language = meta?.language_info?.name ?? meta?.kernelspec?.language;
  return typeof language === 'string' ? language.toLowerCase() : undefined;
}

interface JupyterMetadata {
  language_info?: { name?: string };
  kernelspec?: { language?: string };
}
