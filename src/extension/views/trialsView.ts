/**
 * The Trials tree (nbprov.trials): notebooks → trials (newest first) → tagged values and files
 * read. Children are computed on expansion and cached; after a store change only the notebooks
 * whose trials changed are refreshed, not the whole tree.
 */
import * as vscode from 'vscode';
import type { WorkspaceStore } from '../services';
import { fileNodes, nodeId, notebookNodes, notebookSignature, trialChildren, trialNodes, type NotebookNode, type TrialNode, type TrialsTreeNode } from './trialsTreeData';

export const TRIAL_CONTEXT = {
  notebook: 'nbprov.notebook',
  trial: 'nbprov.trial',
  value: 'nbprov.value',
  files: 'nbprov.files',
  file: 'nbprov.file',
} as const;

export class TrialsTreeProvider implements vscode.TreeDataProvider<TrialsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TrialsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private ws: WorkspaceStore | null = null;
  private roots: NotebookNode[] | undefined;
  /** Cached children of expanded notebooks, with their signature. */
  private readonly trials = new Map<string, { nodes: TrialNode[]; signature: string }>();

  get workspace(): WorkspaceStore | null {
    return this.ws;
  }

  /** Switches to another workspace's store (or none): a full reload, the only one. */
  setWorkspace(ws: WorkspaceStore | null): void {
    if (ws === this.ws) return;
    this.ws = ws;
    this.roots = undefined;
    this.trials.clear();
    this.changed.fire(undefined);
  }

  /** After the store changed: refresh the root when notebooks or counts changed, else only changed notebooks. */
  storeChanged(): void {
    const ws = this.ws;
    if (!ws) return;
    const fresh = notebookNodes(ws.store);
    const old = this.roots;
    const sameRoots = old && old.length === fresh.length && old.every((n, i) => n.notebookPath === fresh[i].notebookPath && n.trials === fresh[i].trials);
    if (!sameRoots) {
      this.roots = undefined;
      this.trials.clear();
      this.changed.fire(undefined);
      return;
    }
    for (const root of old!) {
      const cached = this.trials.get(root.notebookPath);
      if (!cached) continue;
      const nodes = trialNodes(ws.store, root.notebookPath);
      const signature = notebookSignature(nodes);
      if (signature !== cached.signature) {
        this.trials.set(root.notebookPath, { nodes, signature });
        this.changed.fire(root);
      }
    }
  }

  refresh(): void {
    this.roots = undefined;
    this.trials.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: TrialsTreeNode): vscode.TreeItem {
    const id = nodeId(node);
    switch (node.kind) {
      case 'notebook': {
        const item = new vscode.TreeItem(node.notebookPath, vscode.TreeItemCollapsibleState.Expanded);
        item.id = id;
        item.description = `${node.trials} trial${node.trials === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('notebook');
        item.contextValue = TRIAL_CONTEXT.notebook;
        if (this.ws) item.resourceUri = vscode.Uri.file(`${this.ws.workspace}/${node.notebookPath}`);
        return item;
      }
      case 'trial': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('beaker');
        item.contextValue = TRIAL_CONTEXT.trial;
        return item;
      }
      case 'value': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.role === 'metric' ? 'graph-line' : node.role === 'param' ? 'settings' : node.role === 'model' ? 'circuit-board' : node.role === 'dataset' ? 'database' : 'symbol-variable');
        item.contextValue = TRIAL_CONTEXT.value;
        item.command = { title: 'Show Across Trials', command: 'nbprov.showAcrossTrials', arguments: [{ variable: node.name }] };
        return item;
      }
      case 'files': {
        const item = new vscode.TreeItem('files read', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = id;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon('files');
        item.contextValue = TRIAL_CONTEXT.files;
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.path, vscode.TreeItemCollapsibleState.None);
        item.id = id;
        item.description = node.description;
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = TRIAL_CONTEXT.file;
        return item;
      }
    }
  }

  getChildren(node?: TrialsTreeNode): TrialsTreeNode[] {
    const ws = this.ws;
    if (!ws) return [];
    if (!node) return (this.roots ??= notebookNodes(ws.store));
    if (node.kind === 'notebook') {
      let cached = this.trials.get(node.notebookPath);
      if (!cached) {
        const nodes = trialNodes(ws.store, node.notebookPath);
        cached = { nodes, signature: notebookSignature(nodes) };
        this.trials.set(node.notebookPath, cached);
      }
      return cached.nodes;
    }
    if (node.kind === 'trial') {
      const trial = ws.store.getTrial(node.trialId);
      return trial ? trialChildren(trial) : [];
    }
    if (node.kind === 'files') {
      const trial = ws.store.getTrial(node.trialId);
      return trial ? fileNodes(trial) : [];
    }
    return [];
  }

  getParent(node: TrialsTreeNode): TrialsTreeNode | undefined {
    if (node.kind === 'trial') return this.roots?.find((r) => r.notebookPath === node.notebookPath);
    return undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
