/**
 * The Provenance side panel: the Trials and Tags views and the trial actions of their context
 * menus (rename, note, delete, compare with…, show across trials, export, open the trial's code).
 */
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Trial } from '../../core/records';
import { createAnalyzer } from '../../core/analysis';
import { exportStore, provLineageOf, renameTrialUnique, TrialNameTakenError, trialLabel, type ExportFormat, type StoreExport } from '../../core/trials';
import { COMMANDS } from '../commands';
import type { ExtensionServices, WorkspaceStore } from '../services';
import { activeNotebook, currentWorkspaceUri, revealCell } from '../panels/workspace';
import { ACCEPT_SUGGESTION_COMMAND, REVEAL_CELL_COMMAND, TagsTreeProvider, type TagsTreeNode } from './tagsView';
import type { TrialNode, TrialsTreeNode } from './trialsTreeData';
import { TrialsTreeProvider } from './trialsView';

/** A trial's PROV export as the CLI makes it: its session's executions, with reads and derivations from lineage. */
async function provExport(ws: WorkspaceStore, trial: Trial): Promise<StoreExport> {
  if (!trial.sessionId) return { trials: [trial] };
  const executions = ws.store.listExecutions(trial.notebookPath, { sessionId: trial.sessionId });
  return { trials: [trial], executions, lineage: provLineageOf(executions, await createAnalyzer()) };
}

export const TRIALS_VIEW = 'nbprov.trials';
export const TAGS_VIEW = 'nbprov.tags';

/** Set while the workspace has at least one trial; the welcome content shows when it is false. */
const HAS_TRIALS_CONTEXT = 'nbprov.hasTrials';

const EXPORTS: { command: string; format: ExportFormat; extension: string; label: string }[] = [
  { command: COMMANDS.exportTrialJson.id, format: 'json', extension: 'json', label: 'JSON' },
  { command: COMMANDS.exportTrialCsv.id, format: 'csv', extension: 'csv', label: 'CSV' },
  { command: COMMANDS.exportTrialProv.id, format: 'prov-json', extension: 'prov.json', label: 'PROV-JSON' },
];

function isTrialNode(value: unknown): value is TrialNode {
  return typeof value === 'object' && value !== null && (value as TrialNode).kind === 'trial' && typeof (value as TrialNode).trialId === 'string';
}

export function registerViews(context: vscode.ExtensionContext, services: ExtensionServices): void {
  const trials = new TrialsTreeProvider();
  const tags = new TagsTreeProvider(services);
  const trialsView = vscode.window.createTreeView<TrialsTreeNode>(TRIALS_VIEW, { treeDataProvider: trials, showCollapseAll: true });
  const tagsView = vscode.window.createTreeView<TagsTreeNode>(TAGS_VIEW, { treeDataProvider: tags });
  context.subscriptions.push(trials, tags, trialsView, tagsView);

  const updateContext = () => {
    const ws = trials.workspace;
    const has = ws ? ws.store.listNotebooks().some((n) => n.trials > 0) : false;
    void vscode.commands.executeCommand('setContext', HAS_TRIALS_CONTEXT, has);
  };

  const loadWorkspace = async () => {
    const uri = currentWorkspaceUri();
    const ws = uri ? await services.stores.storeFor(uri).catch(() => null) : null;
    trials.setWorkspace(ws);
    updateContext();
  };
  // The store (and so the engine) loads when the Trials view is first shown, not at activation.
  if (trialsView.visible) void loadWorkspace();
  context.subscriptions.push(
    trialsView.onDidChangeVisibility((e) => {
      if (e.visible && !trials.workspace) void loadWorkspace();
    }),
  );

  context.subscriptions.push(
    services.stores.onDidChangeStore((ws) => {
      if (!trials.workspace) void loadWorkspace();
      else if (ws.workspace === trials.workspace.workspace) {
        trials.storeChanged();
        updateContext();
      }
    }),
    vscode.window.onDidChangeActiveNotebookEditor(() => {
      tags.setNotebook(activeNotebook());
      void loadWorkspace();
    }),
    services.provenance.onDidChangeProvenance((notebook) => {
      if (notebook === tags.currentNotebook) tags.refresh();
    }),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook === tags.currentNotebook && (e.metadata || e.cellChanges.some((c) => c.metadata))) tags.refresh();
    }),
  );
  tags.setNotebook(activeNotebook());

  /** The trial a context action applies to: the clicked node, else the selection. */
  const targetTrial = (arg: unknown): { ws: WorkspaceStore; node: TrialNode } | undefined => {
    const ws = trials.workspace;
    const node = isTrialNode(arg) ? arg : trialsView.selection.find(isTrialNode);
    if (!ws || !node) {
      void vscode.window.showInformationMessage('Select a trial in the Provenance view first.');
      return undefined;
    }
    return { ws, node };
  };

  const fullTrial = (ws: WorkspaceStore, id: string): Trial | undefined => {
    const trial = ws.store.getTrial(id);
    if (!trial) void vscode.window.showWarningMessage(`Trial ${id} no longer exists (deleted elsewhere?).`);
    return trial;
  };

  const saved = async (ws: WorkspaceStore) => {
    await ws.scheduleSave();
    trials.storeChanged();
    updateContext();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.refreshTrials.id, async () => {
      await trials.workspace?.store.refresh();
      trials.refresh();
      updateContext();
    }),
    vscode.commands.registerCommand(COMMANDS.renameTrial.id, async (arg?: unknown) => {
      const t = targetTrial(arg);
      if (!t) return;
      const name = await vscode.window.showInputBox({ prompt: 'New trial name (empty: no name, the id is shown)', value: t.node.label, validateInput: (v) => (v.length > 200 ? 'At most 200 characters.' : undefined) });
      if (name === undefined) return;
      // The same rule as `nbprov trial rename`: a name another trial has is refused, naming that trial.
      try {
        if (!renameTrialUnique(t.ws.store, t.node.trialId, name.trim() || null)) return void vscode.window.showWarningMessage(`Trial ${t.node.trialId} no longer exists.`);
      } catch (err) {
        if (err instanceof TrialNameTakenError) return void vscode.window.showErrorMessage(`nbprov: ${err.message}`);
        throw err;
      }
      await saved(t.ws);
    }),
    vscode.commands.registerCommand(COMMANDS.noteTrial.id, async (arg?: unknown) => {
      const t = targetTrial(arg);
      if (!t) return;
      const current = t.ws.store.getTrial(t.node.trialId)?.note ?? '';
      const note = await vscode.window.showInputBox({ prompt: `Note for trial "${t.node.label}" (empty removes it)`, value: current });
      if (note === undefined) return;
      if (!t.ws.store.setTrialNote(t.node.trialId, note.trim() || null)) return void vscode.window.showWarningMessage(`Trial ${t.node.trialId} no longer exists.`);
      await saved(t.ws);
    }),
    vscode.commands.registerCommand(COMMANDS.deleteTrial.id, async (arg?: unknown) => {
      const t = targetTrial(arg);
      if (!t) return;
      const answer = await vscode.window.showWarningMessage(`Delete trial "${t.node.label}"? Its recorded values and lineage are removed from the store (the CLI will not see it either).`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return;
      t.ws.store.deleteTrial(t.node.trialId);
      await saved(t.ws);
    }),
    vscode.commands.registerCommand(COMMANDS.compareTrialWith.id, async (arg?: unknown) => {
      const t = targetTrial(arg);
      if (!t) return;
      const others = t.ws.store
        .listTrials()
        .filter((x) => x.id !== t.node.trialId)
        .reverse();
      if (!others.length) return void vscode.window.showInformationMessage('This is the only trial: save another to compare with.');
      const pick = await vscode.window.showQuickPick(
        others.map((x) => ({ id: x.id, label: trialLabel(x), description: `${x.notebookPath} · ${x.createdAt.slice(0, 16).replace('T', ' ')}` })),
        { placeHolder: `Compare "${t.node.label}" with…`, matchOnDescription: true },
      );
      if (pick) await vscode.commands.executeCommand(COMMANDS.compareTrials.id, { trialA: t.node.trialId, trialB: pick.id });
    }),
    vscode.commands.registerCommand(COMMANDS.showTrialAcrossTrials.id, async (arg?: unknown) => {
      const variable = typeof arg === 'object' && arg !== null && (arg as { kind?: string }).kind === 'value' ? (arg as { name: string }).name : isTrialNode(arg) ? arg.keyMetric : undefined;
      await vscode.commands.executeCommand(COMMANDS.showAcrossTrials.id, variable ? { variable } : undefined);
    }),
    ...EXPORTS.map((e) =>
      vscode.commands.registerCommand(e.command, async (arg?: unknown) => {
        const t = targetTrial(arg);
        if (!t) return;
        const trial = fullTrial(t.ws, t.node.trialId);
        if (!trial) return;
        const safe = (trial.name ?? trial.id).replace(/[^\w.-]+/g, '_').slice(0, 80) || 'trial';
        const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(vscode.Uri.file(t.ws.workspace), `${safe}.${e.extension}`), filters: { [e.label]: [e.extension.split('.').pop()!] } });
        if (!target) return;
        await writeFile(target.fsPath, exportStore(e.format === 'prov-json' ? await provExport(t.ws, trial) : { trials: [trial] }, e.format), 'utf8');
        void vscode.window.showInformationMessage(`Exported trial "${trialLabel(trial)}" as ${e.label} to ${vscode.workspace.asRelativePath(target)}.`);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.openTrialCode.id, async (arg?: unknown) => {
      const t = targetTrial(arg);
      if (!t) return;
      const trial = fullTrial(t.ws, t.node.trialId);
      if (!trial) return;
      const intro = new vscode.NotebookCellData(
        vscode.NotebookCellKind.Markup,
        `The code of trial **${trialLabel(trial).replace(/[\\`*_[\]<>]/g, '\\$&')}** (${trial.createdAt}) from \`${trial.notebookPath.replace(/`/g, "'")}\`: every execution its tagged values depend on, in the order they ran.`,
        'markdown',
      );
      const cells = trial.executions.map((e) => {
        const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, e.code, 'python');
        cell.metadata = { nbprov: { cellId: e.cellId, cellIndex: e.cellIndex, executionCount: e.executionCount } };
        return cell;
      });
      const document = await vscode.workspace.openNotebookDocument('jupyter-notebook', new vscode.NotebookData([intro, ...cells]));
      await vscode.window.showNotebookDocument(document);
    }),
    vscode.commands.registerCommand(REVEAL_CELL_COMMAND, async (notebook?: unknown, cellIndex?: unknown) => {
      if (!(notebook instanceof vscode.Uri) || typeof cellIndex !== 'number') return;
      const problem = await revealCell(notebook, `cell-${cellIndex}`, cellIndex);
      if (problem) void vscode.window.showInformationMessage(problem);
    }),
    vscode.commands.registerCommand(ACCEPT_SUGGESTION_COMMAND, async (node?: unknown) => {
      const notebook = tags.currentNotebook;
      if (!notebook || typeof node !== 'object' || node === null || (node as { kind?: string }).kind !== 'suggestion') return;
      const s = node as { name: string; role: string };
      // Tagging edits the notebook's metadata; the tagging feature owns that edit (undoable, dirty state).
      await vscode.commands.executeCommand(COMMANDS.tagVariable.id, { notebook: notebook.uri, variable: s.name, role: s.role });
      tags.refresh();
    }),
  );
}
