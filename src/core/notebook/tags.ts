/**
 * Tags live in the notebook so they travel with it (docs/architecture.md §4):
 * - a cell's stage is the Jupyter cell tag `stage:<name>` in `metadata.tags`;
 * - variable tags are `metadata.nbprov.variables = { "<name>": "<role>" }` at notebook level.
 *
 * Tag operations are pure: they read a NotebookView and return the NotebookEdits that carry the
 * change out; the CLI applies them to the file, the extension to the open document. Bad requests
 * are TagErrors (code + data); the `…Problem` checks return the same error without throwing, for
 * input boxes that validate as the user types.
 */
import { KNOWN_ROLES, KNOWN_STAGES, STAGE_PREFIX } from '../../shared/tags';
import { TagError } from './errors';
import type { NotebookCellView, NotebookEdit, NotebookView } from './view';

export { KNOWN_ROLES, KNOWN_STAGES, STAGE_PREFIX } from '../../shared/tags';
export { TagError } from './errors';
const ROLE_ALIASES: Record<string, string> = { parameter: 'param', params: 'param', hyperparameter: 'param', data: 'dataset', label: 'target' };

const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*$/u;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

// ── validation ──────────────────────────────────────────────────────────────

export function variableNameProblem(variable: string): TagError<'tag-invalid-variable'> | null {
  if (isIdentifier(variable)) return null;
  return new TagError('tag-invalid-variable', { variable }, `"${variable.slice(0, 60)}" is not a variable name; tag a name such as auc or n_estimators`);
}

export function roleProblem(role: string): TagError<'tag-invalid-role'> | null {
  const trimmed = role.trim();
  if (trimmed && !/[\r\n]/.test(trimmed) && trimmed.length <= 80) return null;
  return new TagError(
    'tag-invalid-role',
    { role, knownRoles: [...KNOWN_ROLES] },
    `invalid role "${role.slice(0, 40)}": use one of ${KNOWN_ROLES.join(', ')} or a short free-text role (one line, at most 80 characters)`,
  );
}

export function stageProblem(stage: string): TagError<'tag-invalid-stage'> | null {
  const trimmed = stage.trim();
  if (trimmed && trimmed.length <= 80 && !trimmed.includes(',')) return null;
  return new TagError('tag-invalid-stage', { stage, knownStages: [...KNOWN_STAGES] }, `invalid stage "${stage.slice(0, 40)}": use a short name without commas, e.g. ${KNOWN_STAGES.join(', ')}`);
}

function check(problem: TagError | null): void {
  if (problem) throw problem;
}

export function normaliseRole(role: string): string {
  check(roleProblem(role));
  const trimmed = role.trim();
  return ROLE_ALIASES[trimmed.toLowerCase()] ?? trimmed;
}

export function normaliseStage(stage: string): string {
  check(stageProblem(stage));
  return stage.trim().replace(/\s+/g, '-').toLowerCase();
}

// ── reading ─────────────────────────────────────────────────────────────────

/** Variable → role from a notebook's metadata object (invalid entries are ignored, not thrown on). */
export function readVariableTags(notebookMetadata: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const nbprov = objectField(notebookMetadata, 'nbprov');
  const vars = objectField(nbprov, 'variables');
  if (!vars) return out;
  for (const [name, role] of Object.entries(vars)) if (typeof role === 'string' && isIdentifier(name)) out[name] = role;
  return out;
}

function objectField(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'object' && field !== null && !Array.isArray(field) ? (field as Record<string, unknown>) : undefined;
}

/** Variable → role, as stored in the notebook. */
export function variableTags(view: NotebookView): Record<string, string> {
  return view.variableTags();
}

/** The stage of a cell (`stage:<name>` tag), or null. */
export function cellStage(tags: readonly string[]): string | null {
  const tag = tags.find((t) => t.startsWith(STAGE_PREFIX));
  return tag ? tag.slice(STAGE_PREFIX.length) : null;
}

/** Every cell with a stage, in notebook order. */
export function cellStages(view: NotebookView): { cell: number; stage: string }[] {
  return view.cells.flatMap((c) => {
    const stage = cellStage(c.tags);
    return stage === null ? [] : [{ cell: c.index, stage }];
  });
}

/** Index of the cell tagged `parameters` (papermill's convention), or -1. */
export function parametersCellIndex(view: NotebookView): number {
  return view.cells.findIndex((c) => c.cellType === 'code' && c.tags.includes('parameters'));
}

// ── operations: view in, edits out ──────────────────────────────────────────

/** Tags `variable` with `role` (aliases such as `parameter` become `param`); retagging replaces the role. */
export function tagVariable(view: NotebookView, variable: string, role: string): NotebookEdit[] {
  check(variableNameProblem(variable));
  const normalised = normaliseRole(role);
  const current = view.variableTags();
  if (current[variable] === normalised) return [];
  return [{ kind: 'variableTags', variables: { ...current, [variable]: normalised } }];
}

/** Removes a variable's tag; a variable that is not tagged is an error naming the tagged ones. */
export function untagVariable(view: NotebookView, variable: string): NotebookEdit[] {
  const current = view.variableTags();
  if (!Object.hasOwn(current, variable)) {
    const tagged = Object.keys(current);
    throw new TagError('tag-variable-not-tagged', { path: view.path, variable, tagged }, `"${variable.slice(0, 60)}" is not tagged in ${view.path}; tagged: ${tagged.join(', ') || 'none'}`);
  }
  const { [variable]: _removed, ...rest } = current;
  return [{ kind: 'variableTags', variables: rest }];
}

/** Tags every suggestion (a suggestion for an already tagged variable replaces its role). */
export function acceptSuggestions(view: NotebookView, suggestions: readonly { name: string; role: string }[]): NotebookEdit[] {
  if (!suggestions.length) return [];
  const variables = { ...view.variableTags() };
  for (const s of suggestions) {
    check(variableNameProblem(s.name));
    variables[s.name] = normaliseRole(s.role);
  }
  return [{ kind: 'variableTags', variables }];
}

export function cellAt(view: NotebookView, index: number): NotebookCellView {
  if (!Number.isInteger(index) || index < 0 || index >= view.cells.length) {
    const count = view.cells.length;
    const range = count === 0 ? 'the notebook has no cells' : `the notebook has ${count} cell${count === 1 ? '' : 's'} (0 to ${count - 1})`;
    throw new TagError('tag-cell-out-of-range', { cell: index, cellCount: count }, `cell ${index} is out of range: ${range}`);
  }
  return view.cells[index];
}

function cellTagsEdit(cell: NotebookCellView, tags: string[]): NotebookEdit[] {
  const same = tags.length === cell.tags.length && tags.every((t, i) => t === cell.tags[i]);
  return same ? [] : [{ kind: 'cellTags', cellIndex: cell.index, cellId: cell.id, tags }];
}

/** Sets the one stage of a cell, replacing an earlier stage tag. */
export function tagCellStage(view: NotebookView, cellIndex: number, stage: string): NotebookEdit[] {
  const cell = cellAt(view, cellIndex);
  const name = normaliseStage(stage);
  return cellTagsEdit(cell, [...cell.tags.filter((t) => !t.startsWith(STAGE_PREFIX)), STAGE_PREFIX + name]);
}

/** Removes a cell's stage tag (no edits when it has none). */
export function untagCellStage(view: NotebookView, cellIndex: number): NotebookEdit[] {
  const cell = cellAt(view, cellIndex);
  return cellTagsEdit(cell, cell.tags.filter((t) => !t.startsWith(STAGE_PREFIX)));
}

/**
 * The view as it will be once `edits` are applied (nothing is written), so operations can be
 * chained and a front end can show the result before or without saving.
 */
export function withEdits(view: NotebookView, edits: readonly NotebookEdit[]): NotebookView {
  if (!edits.length) return view;
  let variables: Record<string, string> | undefined;
  const cellTags = new Map<number, string[]>();
  for (const edit of edits) {
    if (edit.kind === 'variableTags') variables = { ...edit.variables };
    else {
      cellAt(view, edit.cellIndex);
      cellTags.set(edit.cellIndex, [...edit.tags]);
    }
  }
  const cells = view.cells.map((c) => (cellTags.has(c.index) ? { ...c, tags: cellTags.get(c.index)! } : c));
  return {
    path: view.path,
    cells,
    variableTags: variables ? () => ({ ...variables }) : () => view.variableTags(),
  };
}
