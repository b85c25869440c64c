/**
 * The Tags tree (nbprov.tags) of the active notebook: tagged variables and cell stages, each
 * revealing its cell, and tag suggestions in a group of their own with an "accept" action.
 */
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import type { ExtensionServices } from '../services';
import { tagsData, type StageItem, type SuggestionItem, type TaggedVariableItem, type TagsData } from './tagsTreeData';

interface GroupItem {
  kind: 'group';
  group: 'variables' | 'stages' | 'suggestions';
}

export type TagsTreeNode = GroupItem | TaggedVariableItem | StageItem | SuggestionItem;

export const REVEAL_CELL_COMMAND = COMMANDS.revealCell.id;
export const ACCEPT_SUGGESTION_COMMAND = COMMANDS.acceptTagSuggestion.id;

const GROUP_LABEL = { variables: 'Tagged variables', stages: 'Cell stages', suggestions: 'Suggestions' } as const;

export class TagsTreeProvider implements vscode.TreeDataProvider<TagsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TagsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private notebook: vscode.NotebookDocument | undefined;
  private data: TagsData | undefined;

  constructor(private readonly services: ExtensionServices) {}

  get currentNotebook(): vscode.NotebookDocument | undefined {
    return this.notebook;
  }

  setNotebook(notebook: vscode.NotebookDocument | undefined): void {
    if (notebook === this.notebook) return;
    this.notebook = notebook;
    this.data = undefined;
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.data = undefined;
    this.changed.fire(undefined);
  }

  private async load(): Promise<TagsData | undefined> {
    if (!this.notebook) return undefined;
    if (!this.data) {
      const p = await this.services.provenance.provenance(this.notebook);
      this.data = tagsData(p.view, p.analyzer, p.lineage.source === 'recorded' ? p.lineage.graph : null);
    }
    return this.data;
  }

  async getChildren(node?: TagsTreeNode): Promise<TagsTreeNode[]> {
    const data = await this.load().catch((err: unknown) => {
      this.services.log.warn(`tags view: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (!data) return [];
    if (!node) {
      const groups: GroupItem[] = [{ kind: 'group', group: 'variables' }, { kind: 'group', group: 'stages' }];
      if (data.suggestions.length) groups.push({ kind: 'group', group: 'suggestions' });
      return groups;
    }
    if (node.kind !== 'group') return [];
    return data[node.group];
  }

  getTreeItem(node: TagsTreeNode): vscode.TreeItem {
    const reveal = (cellIndex: number | null): vscode.Command | undefined =>
      this.notebook && cellIndex !== null ? { title: 'Reveal Cell', command: REVEAL_CELL_COMMAND, arguments: [this.notebook.uri, cellIndex] } : undefined;
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(GROUP_LABEL[node.group], vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group}`;
        item.contextValue = `nbprov.tagGroup.${node.group}`;
        if (this.data && this.data[node.group].length === 0) item.description = node.group === 'variables' ? 'none — tag one from a cell (nbprov: Tag Variable…)' : 'none';
        return item;
      }
      case 'variable': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `var:${node.name}`;
        item.description = `${node.role}${node.cellIndex === null ? ' · not defined by any cell' : ` · cell ${node.cellIndex}`}`;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = 'nbprov.taggedVariable';
        item.command = reveal(node.cellIndex);
        return item;
      }
      case 'stage': {
        const item = new vscode.TreeItem(node.stage, vscode.TreeItemCollapsibleState.None);
        item.id = `stage:${node.cellId}`;
        item.description = `cell ${node.cellIndex}`;
        item.iconPath = new vscode.ThemeIcon('milestone');
        item.contextValue = 'nbprov.cellStage';
        item.command = reveal(node.cellIndex);
        return item;
      }
      case 'suggestion': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `suggest:${node.name}:${node.role}`;
        item.description = `${node.role}? · cell ${node.cellIndex}`;
        item.tooltip = node.reason;
        item.iconPath = new vscode.ThemeIcon('lightbulb');
        item.contextValue = 'nbprov.tagSuggestion';
        item.command = reveal(node.cellIndex);
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
