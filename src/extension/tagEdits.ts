/**
 * Tag operations over a NotebookView, as NotebookEdits (pure). Temporary local versions: core's tag
 * operations over NotebookView (h-contracts) replace them once merged.
 */
import { NbprovError } from '../core/errors';
import { isIdentifier, normaliseRole, normaliseStage } from '../core/notebook/tags';
import type { NotebookEdit, NotebookView } from '../core/notebook/view';

const STAGE_PREFIX = 'stage:';

export function tagVariableEdit(view: NotebookView, variable: string, role: string): NotebookEdit {
  if (!isIdentifier(variable)) throw new NbprovError(`"${variable.slice(0, 60)}" is not a variable name; put the cursor on a name such as auc or n_estimators`);
  return { kind: 'variableTags', variables: { ...view.variableTags(), [variable]: normaliseRole(role) } };
}

/** Null when the variable is not tagged. */
export function untagVariableEdit(view: NotebookView, variable: string): NotebookEdit | null {
  const variables = view.variableTags();
  if (!(variable in variables)) return null;
  delete variables[variable];
  return { kind: 'variableTags', variables };
}

function cellOf(view: NotebookView, cellIndex: number) {
  const cell = view.cells[cellIndex];
  if (!cell) throw new NbprovError(`cell ${cellIndex} is out of range: the notebook has ${view.cells.length} cells`);
  return cell;
}

/** Sets the one stage of a cell (`stage:<name>`), replacing an earlier one; null stage removes it. */
export function cellStageEdit(view: NotebookView, cellIndex: number, stage: string | null): NotebookEdit {
  const cell = cellOf(view, cellIndex);
  const kept = cell.tags.filter((t) => !t.startsWith(STAGE_PREFIX));
  return { kind: 'cellTags', cellIndex, cellId: cell.id, tags: stage === null ? kept : [...kept, STAGE_PREFIX + normaliseStage(stage)] };
}
