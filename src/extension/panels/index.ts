/**
 * The three webview panels (Lineage, Trial diff, Across trials) and their commands. One panel per
 * view type: a command reveals the open one with new content instead of stacking panels.
 */
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { NbprovError } from '../../core/errors';
import { knownVariables } from '../../core/lineage';
import { cellStageMap } from '../../core/notebook/tags';
import type { TrialSummary } from '../../core/store';
import { trialLabel } from '../../core/trials';
import type { EmptyState, LineageOptions, WebviewMessage } from '../../shared/protocol';
import { COMMANDS } from '../commands';
import type { ExtensionServices, WorkspaceStore } from '../services';
import { buildAcrossTrialsPayload, noTrialsState, nothingTaggedState } from './acrossTrialsPayload';
import { DEFAULT_LINEAGE_OPTIONS, buildLineagePayload } from './lineagePayload';
import { PanelHost } from './panelHost';
import { buildTrialDiffPayload } from './trialDiffPayload';
import { currentStore, revealCell, variableAtCursor } from './workspace';

export interface Panels {
  showLineage(notebook: vscode.NotebookDocument, variable: string): Promise<void>;
  compareTrials(ws: WorkspaceStore, trialA: string, trialB: string): void;
  /** `null`: nothing is tagged yet; the panel says how to start. */
  showAcrossTrials(ws: WorkspaceStore, variable: string | null): void;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A command argument from a tree item, a CodeLens or another extension: loosely shaped. */
interface LooseArgument {
  variable?: unknown;
  name?: unknown;
  trialId?: unknown;
  trialA?: unknown;
  trialB?: unknown;
  notebook?: unknown;
}

function stringField(arg: unknown, ...keys: (keyof LooseArgument)[]): string | undefined {
  if (typeof arg === 'string') return keys.includes('variable') ? arg : undefined;
  if (typeof arg !== 'object' || arg === null) return undefined;
  for (const k of keys) {
    const v = (arg as LooseArgument)[k];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

class PanelSet implements Panels, vscode.Disposable {
  private lineage?: { host: PanelHost; notebook: vscode.NotebookDocument; variable: string; options: LineageOptions };
  private diff?: { host: PanelHost; ws: WorkspaceStore; a: string; b: string };
  private across?: { host: PanelHost; ws: WorkspaceStore; variable: string | null; against: string | null };
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Panels opened only to show an empty state; closed with the extension. */
  private readonly emptyHosts = new Set<PanelHost>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly services: ExtensionServices,
  ) {
    this.subscriptions.push(
      services.provenance.onDidChangeProvenance((notebook) => {
        if (this.lineage && this.lineage.notebook === notebook) void this.refreshLineage();
      }),
      services.stores.onDidChangeStore((ws) => {
        if (this.diff && this.diff.ws.workspace === ws.workspace) this.refreshDiff();
        if (this.across && this.across.ws.workspace === ws.workspace) this.refreshAcross();
      }),
    );
  }

  // ------------------------------------------------------------------ lineage

  async showLineage(notebook: vscode.NotebookDocument, variable: string): Promise<void> {
    const options = this.lineage?.options ?? DEFAULT_LINEAGE_OPTIONS;
    if (!this.lineage) {
      const host = new PanelHost(this.extensionUri, 'lineage', `Lineage: ${variable}`, (m) => this.onLineageMessage(m), () => (this.lineage = undefined));
      this.lineage = { host, notebook, variable, options };
    } else {
      Object.assign(this.lineage, { notebook, variable });
      this.lineage.host.setTitle(`Lineage: ${variable}`);
      this.lineage.host.reveal();
    }
    await this.refreshLineage();
  }

  private async refreshLineage(): Promise<void> {
    const state = this.lineage;
    if (!state) return;
    try {
      const provenance = await this.services.provenance.provenance(state.notebook);
      state.host.showData({ type: 'lineage', data: buildLineagePayload(provenance.lineage, provenance.notebookKey, state.variable, state.options, cellStageMap(provenance.view)) });
    } catch (err) {
      if (!(err instanceof NbprovError)) this.services.log.error(`lineage of ${state.variable}: ${errorText(err)}`);
      state.host.showEmpty({ title: `No lineage for "${state.variable}"`, message: errorText(err), action: { label: 'Show Lineage of…', command: COMMANDS.showLineage.id } });
    }
  }

  private onLineageMessage(message: WebviewMessage): void {
    const state = this.lineage;
    if (!state) return;
    if (message.type === 'lineageOptions') {
      state.options = { global: Boolean(message.options.global), granularity: message.options.granularity, expandFunctions: Boolean(message.options.expandFunctions) };
      void this.refreshLineage();
    } else if (message.type === 'revealCell') {
      void revealCell(state.notebook, message.cellId, message.cellIndex).then((problem) => problem && vscode.window.showInformationMessage(problem));
    } else if (message.type === 'runCommand') void vscode.commands.executeCommand(message.command);
  }

  // ------------------------------------------------------------------ trial diff

  compareTrials(ws: WorkspaceStore, a: string, b: string): void {
    this.closeEmpty('trialDiff');
    if (!this.diff) {
      const host = new PanelHost(this.extensionUri, 'trialDiff', 'Trial diff', (m) => this.onCommonMessage(m, ws), () => (this.diff = undefined));
      this.diff = { host, ws, a, b };
    } else {
      Object.assign(this.diff, { ws, a, b });
      this.diff.host.reveal();
    }
    this.refreshDiff();
  }

  private refreshDiff(): void {
    const state = this.diff;
    if (!state) return;
    const { store } = state.ws;
    const a = store.getTrial(state.a);
    const b = store.getTrial(state.b);
    if (a && b) {
      state.host.setTitle(`Diff: ${trialLabel(a)} → ${trialLabel(b)}`);
      state.host.showData({ type: 'trialDiff', data: buildTrialDiffPayload(a, b) });
      return;
    }
    const gone = [!a ? state.a : null, !b ? state.b : null].filter((id): id is string => id !== null);
    state.host.showTrialDeleted(gone[0], `Trial${gone.length > 1 ? 's' : ''} ${gone.map((id) => `"${id}"`).join(' and ')} ${gone.length > 1 ? 'were' : 'was'} deleted; this comparison shows what ${gone.length > 1 ? 'they' : 'it'} held before. Compare other trials with "nbprov: Compare Trials…".`);
  }

  // ------------------------------------------------------------------ across trials

  showAcrossTrials(ws: WorkspaceStore, variable: string | null): void {
    this.closeEmpty('acrossTrials');
    if (!this.across) {
      const host = new PanelHost(this.extensionUri, 'acrossTrials', `${variable ?? 'Values'} across trials`, (m) => this.onAcrossMessage(m), () => (this.across = undefined));
      this.across = { host, ws, variable, against: null };
    } else {
      Object.assign(this.across, { ws, variable, against: null });
      this.across.host.setTitle(`${variable ?? 'Values'} across trials`);
      this.across.host.reveal();
    }
    this.refreshAcross();
  }

  private refreshAcross(): void {
    const state = this.across;
    if (!state) return;
    if (state.variable === null) {
      const trials = state.ws.store.listTrials();
      state.host.showEmpty(trials.length ? nothingTaggedState() : noTrialsState());
      return;
    }
    const result = buildAcrossTrialsPayload(state.ws.store, state.variable, state.against);
    if ('payload' in result) state.host.showData({ type: 'acrossTrials', data: result.payload });
    else state.host.showEmpty(result.empty);
  }

  private onAcrossMessage(message: WebviewMessage): void {
    const state = this.across;
    if (!state) return;
    if (message.type === 'scatterAgainst') {
      state.against = message.against;
      this.refreshAcross();
    } else this.onCommonMessage(message, state.ws);
  }

  /** One panel per view type: an empty-state panel gives way to the real one. */
  private closeEmpty(kind: 'trialDiff' | 'acrossTrials'): void {
    for (const host of [...this.emptyHosts]) if (host.kind === kind) host.dispose();
  }

  /** Opens (or reveals) the panel of `kind` with a helpful empty state instead of an answer. */
  showEmpty(kind: 'trialDiff' | 'acrossTrials', state: EmptyState): void {
    const existing = (kind === 'trialDiff' ? this.diff?.host : this.across?.host) ?? [...this.emptyHosts].find((h) => h.kind === kind);
    if (existing) {
      existing.reveal();
      existing.showEmpty(state);
      return;
    }
    const host = new PanelHost(
      this.extensionUri,
      kind,
      kind === 'trialDiff' ? 'Trial diff' : 'Across trials',
      (m) => {
        if (m.type === 'runCommand') void vscode.commands.executeCommand(m.command);
      },
      () => this.emptyHosts.delete(host),
    );
    host.showEmpty(state);
    this.emptyHosts.add(host);
  }

  private onCommonMessage(message: WebviewMessage, ws: WorkspaceStore): void {
    if (message.type === 'openDiff') this.compareTrials(ws, message.trialA, message.trialB);
    else if (message.type === 'exportCsv') void exportCsv(ws, message.fileName, message.csv);
    else if (message.type === 'runCommand') void vscode.commands.executeCommand(message.command);
  }

  dispose(): void {
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.lineage?.host.dispose();
    this.diff?.host.dispose();
    this.across?.host.dispose();
    for (const host of this.emptyHosts) host.dispose();
  }
}

async function exportCsv(ws: WorkspaceStore, fileName: string, csv: string): Promise<void> {
  const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.Uri.file(ws.workspace), fileName.replace(/[\\/]/g, '_')), filters: { CSV: ['csv'] } });
  if (!target) return;
  await writeFile(target.fsPath, csv, 'utf8');
  void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
}

function trialPickItems(trials: readonly TrialSummary[], exclude?: string): (vscode.QuickPickItem & { id: string })[] {
  return [...trials]
    .reverse()
    .filter((t) => t.id !== exclude)
    .map((t) => ({ id: t.id, label: trialLabel(t), description: `${t.notebookPath} · ${t.createdAt.slice(0, 16).replace('T', ' ')}`, detail: t.note ?? undefined }));
}

const NO_STORE = 'nbprov has recorded nothing in this workspace yet: run a notebook with the "nbprov: Python" kernel (or `nbprov run NB`), then save a trial.';

/** Registers the panels' commands; returns the panels so the side panel can open them. */
export function registerPanels(context: vscode.ExtensionContext, services: ExtensionServices): Panels {
  const panels = new PanelSet(context.extensionUri, services);
  context.subscriptions.push(panels);

  const withStore = async (kind: 'trialDiff' | 'acrossTrials'): Promise<WorkspaceStore | undefined> => {
    const ws = await currentStore(services);
    if (!ws) panels.showEmpty(kind, { title: 'Nothing recorded yet', message: NO_STORE, action: { label: 'Run Notebook as Trial…', command: COMMANDS.runAsTrial.id } });
    return ws ?? undefined;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.showLineage.id, async (arg?: unknown) => {
      const at = variableAtCursor();
      const notebook = arg instanceof Object && (arg as LooseArgument).notebook instanceof vscode.Uri ? await vscode.workspace.openNotebookDocument((arg as { notebook: vscode.Uri }).notebook) : at?.notebook;
      if (!notebook) {
        void vscode.window.showInformationMessage('Open a notebook and put the cursor on a variable to see its lineage.');
        return;
      }
      let variable = stringField(arg, 'variable', 'name') ?? at?.variable;
      if (!variable) {
        const provenance = await services.provenance.provenance(notebook);
        const names = knownVariables(provenance.lineage.graph);
        if (!names.length) {
          void vscode.window.showInformationMessage('No cell of this notebook has run yet, so no variable has a lineage: run the notebook first.');
          return;
        }
        variable = await vscode.window.showQuickPick(names, { placeHolder: 'Variable whose lineage to show' });
        if (!variable) return;
      }
      await panels.showLineage(notebook, variable);
    }),
    vscode.commands.registerCommand(COMMANDS.compareTrials.id, async (arg?: unknown) => {
      const ws = await withStore('trialDiff');
      if (!ws) return;
      const trials = ws.store.listTrials();
      if (trials.length < 2) {
        panels.showEmpty('trialDiff', {
          title: trials.length ? 'Only one trial so far' : 'No trials yet',
          message: trials.length ? `Trial "${trialLabel(trials[0])}" is the only one saved: change something, run again and save another trial to compare them.` : 'No trial is saved in this workspace yet: tag a metric, run the notebook and save a trial, twice.',
          action: { label: 'Save Trial…', command: COMMANDS.saveTrial.id },
        });
        return;
      }
      let a = stringField(arg, 'trialA', 'trialId');
      let b = stringField(arg, 'trialB');
      if (!a) a = (await vscode.window.showQuickPick(trialPickItems(trials), { placeHolder: 'First trial (A)', matchOnDescription: true }))?.id;
      if (!a) return;
      if (!b) b = (await vscode.window.showQuickPick(trialPickItems(trials, a), { placeHolder: 'Compare with (B)', matchOnDescription: true }))?.id;
      if (!b) return;
      panels.compareTrials(ws, a, b);
    }),
    vscode.commands.registerCommand(COMMANDS.showAcrossTrials.id, async (arg?: unknown) => {
      const ws = await withStore('acrossTrials');
      if (!ws) return;
      let variable = stringField(arg, 'variable', 'name');
      if (!variable) {
        const tagged = new Map<string, string>();
        for (const tag of ws.store.listVariableTags()) tagged.set(tag.name, tag.role);
        for (const head of ws.store.listTrialHeads({ roles: [] })) for (const name of head.taggedNames) if (!tagged.has(name)) tagged.set(name, '');
        if (!tagged.size) {
          panels.showAcrossTrials(ws, null);
          return;
        }
        const pick = await vscode.window.showQuickPick(
          [...tagged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, role]) => ({ label: name, description: role })),
          { placeHolder: 'Tagged variable to show across trials' },
        );
        variable = pick?.label;
        if (!variable) return;
      }
      panels.showAcrossTrials(ws, variable);
    }),
  );
  return panels;
}
