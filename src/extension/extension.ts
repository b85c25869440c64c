/**
 * VS Code entry point. Activation only registers: commands, the hover, CodeLens and cell status
 * bar providers, the status bar item, the notebook controller, the side panel and the webview
 * panels. The engine (WASM parsers,
 * sql.js, the store, the features) is a separate bundle (./engine) loaded on first use, so
 * activating on a notebook costs the editor almost nothing; activate() logs its own duration.
 * Import nothing heavy here: only types from the engine side.
 */
import * as vscode from 'vscode';
import type { SessionRecord, ValuePatch } from '../core/records';
import { COMMANDS } from './commands';
import { registerKernel, type NbprovKernelController } from './kernel';
import { lazyServices } from './lazyServices';
import { registerPanels } from './panels';
import { registerViews } from './views';
import type { Runtime } from './runtime';
import type { NotebookRunner } from './runner';
import type { ExtensionServices, RecordedExecution } from './services';
import { onDidChangeSettings } from './settings';
import { RecordingStatusBar } from './statusBar';

const NOTEBOOK_CELLS: vscode.DocumentSelector = { notebookType: 'jupyter-notebook' };

type Engine = typeof import('./engine');

let engine: Promise<Engine> | undefined;
/** The engine bundle (dist/engine.js), loaded once. */
function loadEngine(): Promise<Engine> {
  engine ??= import('./engine');
  return engine;
}

let loadRuntime: (() => Promise<Runtime>) | undefined;
let loading: Promise<Runtime> | undefined;
let kernel: NbprovKernelController | undefined;

/** The engine, loaded on first use. */
export function runtime(): Promise<Runtime> {
  if (!loadRuntime) throw new Error('nbprov is not activated');
  return loadRuntime();
}

/** The services every feature shares (stores, provenance, recorded executions); loads the engine. */
export async function extensionServices(): Promise<ExtensionServices> {
  return (await runtime()).services;
}

/** For the notebook controller: hand over a finished, recorded execution (values included). */
export async function recordExecution(evt: RecordedExecution): Promise<void> {
  await (await runtime()).recorder.recordExecution(evt);
}

/** For the notebook controller: a kernel session began or its environment became known. */
export async function recordSession(notebook: vscode.NotebookDocument, session: SessionRecord): Promise<void> {
  await (await runtime()).recorder.recordSession(notebook, session);
}

/** For the notebook controller: late hashes of large values of recorded executions. */
export async function recordPatches(notebook: vscode.NotebookDocument, patches: readonly ValuePatch[]): Promise<void> {
  await (await runtime()).recorder.recordPatches(notebook, patches);
}

/** For the notebook controller: how "Run Notebook as Trial…" restarts, runs all and interrupts. */
export async function setNotebookRunner(runner: NotebookRunner | undefined): Promise<void> {
  (await runtime()).setRunner(runner);
}

export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('nbprov', { log: true });
  const statusBar = new RecordingStatusBar();
  const codeLensChanged = new vscode.EventEmitter<void>();
  const cellStatusChanged = new vscode.EventEmitter<void>();
  context.subscriptions.push(log, statusBar, codeLensChanged, cellStatusChanged);

  loading = undefined;
  // The kernel side ("nbprov: Python", and runs of other kernels observed) registers now: the
  // kernel picker must list it. Its records go to the store through the recorder.
  const nbprovKernel = registerKernel(context, log);
  kernel = nbprovKernel;
  const recordingFailed = (err: unknown) => log.error(`recording: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  context.subscriptions.push(
    nbprovKernel.onDidRecordExecution((evt) => void recordExecution(evt).catch(recordingFailed)),
    nbprovKernel.onDidUpdateSession(({ notebook, session }) => void recordSession(notebook, session).catch(recordingFailed)),
    nbprovKernel.onDidPatchValues(({ notebook, patches }) => void recordPatches(notebook, patches).catch(recordingFailed)),
  );
  // The side panel and the webview panels hold the services now; the engine loads on their first call.
  const services = lazyServices(log, runtime);
  context.subscriptions.push(services);
  loadRuntime = () => {
    const loadStarted = performance.now();
    loading ??= loadEngine().then(({ Runtime }) => {
      const r = new Runtime(log);
      context.subscriptions.push(services.relay(r));
      r.setRunner(nbprovKernel);
      context.subscriptions.push(
        r,
        r.recorder.onDidChangeState((state) => statusBar.update(state)),
        r.services.provenance.onDidChangeProvenance(() => {
          codeLensChanged.fire();
          cellStatusChanged.fire();
        }),
      );
      log.info(`engine loaded in ${(performance.now() - loadStarted).toFixed(0)} ms (first use; the analysers and the store load when first needed)`);
      return r;
    });
    return loading;
  };
  // After loadRuntime is set: the Trials view asks for its store as soon as it registers.
  registerPanels(context, services);
  registerViews(context, services);

  /** Runs a feature with the engine; failures become one-line messages (details in the log). */
  const withRuntime =
    <A extends unknown[], T>(what: string, fallback: T, feature: (r: Runtime, ...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      let r: Runtime | undefined;
      try {
        r = await runtime();
        return await feature(r, ...args);
      } catch (err) {
        if (r) r.messages.failure(what, err);
        else {
          log.error(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          void vscode.window.showErrorMessage(`nbprov: ${what} failed: ${err instanceof Error ? err.message : String(err)} (details: nbprov: Show Log)`);
        }
        return fallback;
      }
    };
  /** Providers must not raise popups: failures are logged, the feature shows nothing. */
  const quietly =
    <A extends unknown[], T>(what: string, fallback: T, feature: (r: Runtime, ...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      try {
        return await feature(await runtime(), ...args);
      } catch (err) {
        log.warn(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        return fallback;
      }
    };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showLog.id, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.tagVariable.id, withRuntime('Tag Variable', undefined, async (r, arg?: unknown) => (await loadEngine()).tagVariable(r, arg))),
    vscode.commands.registerCommand(COMMANDS.untagVariable.id, withRuntime('Untag Variable', undefined, async (r, arg?: unknown) => (await loadEngine()).untagVariable(r, arg))),
    vscode.commands.registerCommand(COMMANDS.tagCellStage.id, withRuntime('Tag Cell Stage', undefined, async (r, arg?: unknown) => (await loadEngine()).tagCellStage(r, arg))),
    vscode.commands.registerCommand(COMMANDS.saveTrial.id, withRuntime('Save Trial', undefined, async (r, arg?: unknown) => (await loadEngine()).saveTrial(r, arg))),
    vscode.commands.registerCommand(COMMANDS.runAsTrial.id, withRuntime('Run Notebook as Trial', undefined, async (r, arg?: unknown) => (await loadEngine()).runAsTrial(r, arg))),

    vscode.languages.registerHoverProvider(NOTEBOOK_CELLS, {
      provideHover: quietly('hover', undefined, async (r, document: vscode.TextDocument, position: vscode.Position) => (await loadEngine()).provideHover(r, document, position)),
    }),
    vscode.languages.registerCodeLensProvider(NOTEBOOK_CELLS, {
      onDidChangeCodeLenses: codeLensChanged.event,
      provideCodeLenses: quietly('CodeLens', [], async (r, document: vscode.TextDocument) => (await loadEngine()).provideCodeLenses(r, document)),
    }),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider('jupyter-notebook', {
      onDidChangeCellStatusBarItems: cellStatusChanged.event,
      provideCellStatusBarItems: quietly('cell status', [], async (r, cell: vscode.NotebookCell) => (await loadEngine()).provideCellStatusBarItems(r, cell)),
    }),

    onDidChangeSettings(() => {
      codeLensChanged.fire();
      cellStatusChanged.fire();
      if (loading) void loading.then((r) => statusBar.update(r.recorder.state()));
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (loading) void loading.then((r) => statusBar.update(r.recorder.state()));
    }),
  );
  if (!vscode.workspace.isTrusted) log.info('workspace not trusted: nbprov records and runs nothing until it is (lineage from static analysis only)');
  log.info(`nbprov ${String(context.extension.packageJSON.version)} activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export async function deactivate(): Promise<void> {
  // Records waiting for their batched save are written before the window goes; then local Jupyter
  // Servers and kernels shut down (the rest goes with context.subscriptions).
  if (loading) await (await loading).flush();
  await kernel?.dispose();
}
