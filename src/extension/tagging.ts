/**
 * Tagging from the editor: "nbprov: Tag Variable…" and "Untag Variable" on the word under the
 * cursor of a notebook cell, "nbprov: Tag Cell Stage…" on a cell. Core's tag operations turn the
 * live notebook's view into NotebookEdits (the same ones `nbprov tag` makes), applied as notebook
 * edits: undoable, the notebook becomes dirty, saving writes them where Jupyter and the CLI read.
 */
import * as vscode from 'vscode';
import { namesToCheck } from '../core/notebook/definedNames';
import { KNOWN_ROLES, KNOWN_STAGES, TagError, cellStage, stageCellProblem, tagCellStage as tagCellStageEdits, tagVariable as tagVariableEdits, untagCellStage, untagVariable as untagVariableEdits } from '../core/notebook/tags';
import { NbprovError } from '../core/errors';
import { suggestTags } from '../core/trials/suggest';
import { applyNotebookEdits } from './applyEdits';
import { IDENTIFIER_PATTERN, notebookOfCell } from './hoverProvider';
import { liveNotebookView } from './notebookView';
import type { Runtime } from './runtime';

interface VariableTarget {
  notebook: vscode.NotebookDocument;
  cellIndex: number | null;
  name: string | null;
}

/** Arguments a caller (a test, another command) may pass instead of using the cursor. */
interface VariableArgs {
  notebook?: string;
  variable?: string;
  role?: string;
}

function isVariableArgs(arg: unknown): arg is VariableArgs {
  return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) && ('variable' in arg || 'notebook' in arg);
}

function findNotebook(uri: string | undefined): vscode.NotebookDocument | undefined {
  if (uri) return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri);
  return vscode.window.activeNotebookEditor?.notebook;
}

/** The notebook and word under the cursor of the active cell editor (or what the arguments name). */
function variableTarget(arg: unknown): VariableTarget {
  if (isVariableArgs(arg)) {
    const notebook = findNotebook(arg.notebook);
    if (!notebook) throw new NbprovError('no open notebook to tag in; open the notebook first');
    return { notebook, cellIndex: null, name: arg.variable ?? null };
  }
  const editor = vscode.window.activeTextEditor;
  const located = editor ? notebookOfCell(editor.document) : undefined;
  if (!editor || !located) {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    if (!notebook) throw new NbprovError('open a notebook and put the cursor on a variable in a cell, then run this command again');
    return { notebook, cellIndex: null, name: null };
  }
  const range = editor.document.getWordRangeAtPosition(editor.selection.active, IDENTIFIER_PATTERN);
  return { notebook: located.notebook, cellIndex: located.cell.index, name: range ? editor.document.getText(range) : null };
}

interface RoleItem extends vscode.QuickPickItem {
  role: string | null;
}

export async function tagVariable(runtime: Runtime, arg?: unknown): Promise<void> {
  const target = variableTarget(arg);
  const name = target.name ?? (await vscode.window.showInputBox({ title: 'nbprov: Tag Variable', prompt: 'Variable name to tag', validateInput: (v) => (IDENTIFIER_PATTERN.test(v) ? null : 'a variable name, e.g. auc') }));
  if (!name) return;
  let role = isVariableArgs(arg) ? arg.role : undefined;
  if (!role) {
    const view = liveNotebookView(target.notebook);
    const current = view.variableTags()[name];
    const suggestion = await suggestedRole(runtime, target.notebook, name);
    const roles: string[] = [...KNOWN_ROLES];
    if (suggestion) {
      roles.splice(roles.indexOf(suggestion.role), 1);
      roles.unshift(suggestion.role);
    }
    const items: RoleItem[] = roles.map((r) => ({
      role: r,
      label: r,
      description: [r === suggestion?.role ? 'suggested' : '', r === current ? 'current' : ''].filter(Boolean).join(', ') || undefined,
      detail: r === suggestion?.role ? suggestion.reason : undefined,
    }));
    items.push({ role: null, label: 'Other role…', description: 'free text' });
    const picked = await vscode.window.showQuickPick(items, { title: `nbprov: Tag ${name} as…`, placeHolder: 'role of the variable' });
    if (!picked) return;
    role = picked.role ?? (await vscode.window.showInputBox({ title: `nbprov: Tag ${name}`, prompt: 'Role (free text, one line)', value: current ?? '' }));
    if (!role) return;
  }
  const edits = await checkedTagEdits(runtime, target.notebook, name, role);
  if (!edits) return;
  if (!(await applyNotebookEdits(target.notebook, edits))) throw new NbprovError('the editor refused the edit (is the notebook read-only?)');
  runtime.log.info(`tagged ${name} as ${role} in ${target.notebook.uri.fsPath} (unsaved until the notebook is saved)`);
}

/**
 * The edits of tagging `name` as `role`, checked as `nbprov tag` checks them (a name no cell
 * defines, a role that looks like a typo); when a check fails the user may tag anyway, the
 * editor's `--force`. Undefined when they decline.
 */
async function checkedTagEdits(runtime: Runtime, notebook: vscode.NotebookDocument, name: string, role: string) {
  const { view, analyzer } = await runtime.services.provenance.provenance(notebook);
  try {
    return tagVariableEdits(view, name, role, { definedNames: namesToCheck(view, analyzer) });
  } catch (err) {
    if (!(err instanceof TagError) || (err.code !== 'tag-unknown-variable' && err.code !== 'tag-role-typo')) throw err;
    const fix = err.code === 'tag-role-typo' ? `Use ${err.data.suggestion}` : undefined;
    const picked = await vscode.window.showWarningMessage(`nbprov: ${err.message}`, ...(fix ? [fix] : []), 'Tag Anyway');
    if (picked === 'Tag Anyway') return tagVariableEdits(view, name, role, { force: true });
    if (picked && err.code === 'tag-role-typo') return tagVariableEdits(view, name, err.data.suggestion, { definedNames: namesToCheck(view, analyzer) });
    return undefined;
  }
}

async function suggestedRole(runtime: Runtime, notebook: vscode.NotebookDocument, name: string) {
  try {
    const { view, analyzer } = await runtime.services.provenance.provenance(notebook);
    const cells = view.cells.filter((c) => c.cellType === 'code' && c.language).map((c) => ({ index: c.index, tags: [...c.tags], facts: analyzer.analyze(c.source, c.language!) }));
    return suggestTags(cells).find((s) => s.name === name);
  } catch (err) {
    runtime.log.warn(`no role suggestion: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

export async function untagVariable(runtime: Runtime, arg?: unknown): Promise<void> {
  const target = variableTarget(arg);
  const view = liveNotebookView(target.notebook);
  const tagged = view.variableTags();
  let name = target.name && target.name in tagged ? target.name : null;
  if (!name) {
    const names = Object.keys(tagged);
    if (!names.length) {
      void vscode.window.showInformationMessage('nbprov: this notebook has no tagged variables');
      return;
    }
    name = (await vscode.window.showQuickPick(names.map((n) => ({ label: n, description: tagged[n] })), { title: 'nbprov: Untag Variable' }))?.label ?? null;
    if (!name) return;
  }
  if (!(await applyNotebookEdits(target.notebook, untagVariableEdits(view, name)))) throw new NbprovError('the editor refused the edit (is the notebook read-only?)');
  runtime.log.info(`untagged ${name} in ${target.notebook.uri.fsPath}`);
}

interface StageItem extends vscode.QuickPickItem {
  stage: string | null | undefined;
}

/** The cell a cell-toolbar command was invoked on, or the active notebook editor's selected cell. */
function targetCell(arg: unknown): vscode.NotebookCell | undefined {
  if (arg && typeof arg === 'object' && 'notebook' in arg && 'index' in arg && 'document' in arg) return arg as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  if (!editor) return undefined;
  if (arg && typeof arg === 'object' && 'cellIndex' in arg && typeof (arg as { cellIndex: unknown }).cellIndex === 'number') {
    return editor.notebook.cellAt((arg as { cellIndex: number }).cellIndex);
  }
  const index = editor.selections[0]?.start ?? 0;
  return editor.notebook.cellCount ? editor.notebook.cellAt(Math.min(index, editor.notebook.cellCount - 1)) : undefined;
}

export async function tagCellStage(_runtime: Runtime, arg?: unknown): Promise<void> {
  const cell = targetCell(arg);
  if (!cell) throw new NbprovError('open a notebook and select a cell, then run this command again');
  const view = liveNotebookView(cell.notebook);
  const notCode = stageCellProblem(view, cell.index);
  if (notCode) throw notCode;
  const current = cellStage(view.cells[cell.index].tags);
  let stage: string | null | undefined = arg && typeof arg === 'object' && 'stage' in arg ? (arg as { stage: string | null }).stage : undefined;
  if (stage === undefined) {
    const items: StageItem[] = KNOWN_STAGES.map((s) => ({ stage: s, label: s, description: s === current ? 'current' : undefined }));
    items.push({ stage: undefined, label: 'Other stage…', description: 'free text' });
    if (current) items.push({ stage: null, label: 'Remove stage', description: `stage:${current}` });
    const picked = await vscode.window.showQuickPick(items, { title: `nbprov: Stage of cell ${cell.index}`, placeHolder: 'pipeline stage (saved as the Jupyter cell tag stage:<name>)' });
    if (!picked) return;
    stage = picked.stage === undefined ? await vscode.window.showInputBox({ title: 'nbprov: Tag Cell Stage', prompt: 'Stage name (no commas)', value: current ?? '' }) : picked.stage;
    if (stage === undefined || stage === '') return;
  }
  let edits;
  try {
    edits = stage === null ? untagCellStage(view, cell.index) : tagCellStageEdits(view, cell.index, stage);
  } catch (err) {
    if (!(err instanceof TagError) || err.code !== 'tag-stage-typo' || stage === null) throw err;
    const fix = `Use ${err.data.suggestion}`;
    const picked = await vscode.window.showWarningMessage(`nbprov: ${err.message}`, fix, 'Keep As Written');
    if (!picked) return;
    edits = tagCellStageEdits(view, cell.index, picked === fix ? err.data.suggestion : stage, { force: true });
  }
  if (!(await applyNotebookEdits(cell.notebook, edits))) throw new NbprovError('the editor refused the edit (is the notebook read-only?)');
}
