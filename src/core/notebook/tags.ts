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
import { closestNames, editDistance } from '../errors';
import { TagError } from './errors';
import type { NotebookCellView, NotebookEdit, NotebookView } from './view';

export { KNOWN_ROLES, KNOWN_STAGES, STAGE_PREFIX } from '../../shared/tags';
export { TagError } from './errors';
const ROLE_ALIASES: Record<string, string> = {
  parameter: 'param',
  parameters: 'param',
  params: 'param',
  hyperparameter: 'param',
  hyperparameters: 'param',
  metrics: 'metric',
  models: 'model',
  data: 'dataset',
  datasets: 'dataset',
  label: 'target',
  targets: 'target',
};

/**
 * Options of the checked tag operations. `definedNames` are the names the notebook's code cells
 * define (static analysis, see definedNames.ts); a variable outside them is refused unless
 * `force` (names made at run time: `globals()[...]`, `exec`, a star import). `force` also accepts a
 * role or stage that looks like a typo of a known one.
 */
export interface TagCheckOptions {
  definedNames?: ReadonlySet<string>;
  force?: boolean;
}

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

/**
 * The known role `role` is most likely a typo of, or null. Close means one edit for roles of up to
 * four letters and two for longer ones (`metrc`, `modle`, `datset`); a free-text role farther from
 * every known one (`loss`, `feature`, `seed`) is a role of its own and is accepted.
 */
function likelyTypo(text: string, known: readonly string[]): string | null {
  const lower = text.trim().toLowerCase();
  if (known.includes(lower)) return null;
  const allowed = lower.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = editDistance(lower, name, allowed + 1);
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** A role that is not known but close to a known role (`metrc` → metric), as an error; else null. */
export function roleTypoProblem(role: string): TagError<'tag-role-typo'> | null {
  const trimmed = role.trim();
  if (Object.hasOwn(ROLE_ALIASES, trimmed.toLowerCase())) return null;
  const suggestion = likelyTypo(trimmed, KNOWN_ROLES);
  if (!suggestion) return null;
  return new TagError('tag-role-typo', { role, suggestion, knownRoles: [...KNOWN_ROLES] }, `role "${trimmed.slice(0, 40)}" looks like a typo: did you mean ${suggestion}? (known roles: ${KNOWN_ROLES.join(', ')})`);
}

/** A stage that is not known but close to a known stage (`evalution` → evaluation), as an error; else null. */
export function stageTypoProblem(stage: string): TagError<'tag-stage-typo'> | null {
  const suggestion = likelyTypo(stage.trim().replace(/\s+/g, '-'), KNOWN_STAGES);
  if (!suggestion) return null;
  return new TagError('tag-stage-typo', { stage, suggestion, knownStages: [...KNOWN_STAGES] }, `stage "${stage.trim().slice(0, 40)}" looks like a typo: did you mean ${suggestion}? (known stages: ${KNOWN_STAGES.join(', ')})`);
}

/** A variable no code cell defines, as an error naming the defined names closest to it; else null. */
export function undefinedVariableProblem(view: NotebookView, variable: string, definedNames: ReadonlySet<string>): TagError<'tag-unknown-variable'> | null {
  if (definedNames.has(variable)) return null;
  const suggestions = closestNames(variable, definedNames);
  const hint = suggestions.length ? `did you mean ${suggestions.join(', ')}?` : `it defines ${[...definedNames].slice(0, 8).join(', ') || 'no names'}`;
  return new TagError('tag-unknown-variable', { path: view.path, variable, suggestions }, `no cell of ${view.path} defines "${variable.slice(0, 60)}"; ${hint}`);
}

/** A stage asked for a markdown or raw cell, as an error naming the nearest code cells; else null. */
export function stageCellProblem(view: NotebookView, cellIndex: number): TagError<'tag-stage-not-code'> | null {
  const cell = cellAt(view, cellIndex);
  if (cell.cellType === 'code') return null;
  const before = view.cells.slice(0, cellIndex).reverse().find((c) => c.cellType === 'code');
  const after = view.cells.slice(cellIndex + 1).find((c) => c.cellType === 'code');
  const nearestCodeCells = [before, after].flatMap((c) => (c ? [c.index] : []));
  const hint = nearestCodeCells.length ? `the nearest code cells are ${nearestCodeCells.join(' and ')}` : 'the notebook has no code cells';
  return new TagError('tag-stage-not-code', { cell: cellIndex, cellType: cell.cellType, nearestCodeCells }, `cell ${cellIndex} is a ${cell.cellType} cell; stages belong to code cells (${hint})`);
}

function check(problem: TagError | null): void {
  if (problem) throw problem;
}

/** The role as stored: aliases and any capitalisation of a known role become the known role. */
export function normaliseRole(role: string): string {
  check(roleProblem(role));
  const trimmed = role.trim();
  const lower = trimmed.toLowerCase();
  if ((KNOWN_ROLES as readonly string[]).includes(lower)) return lower;
  return ROLE_ALIASES[lower] ?? trimmed;
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

/** Cell id → stage, for the cells that have one. */
export function cellStageMap(view: NotebookView): Map<string, string> {
  const stages = new Map<string, string>();
  for (const cell of view.cells) {
    const stage = cellStage(cell.tags);
    if (stage !== null) stages.set(cell.id, stage);
  }
  return stages;
}

/** Index of the cell tagged `parameters` (papermill's convention), or -1. */
export function parametersCellIndex(view: NotebookView): number {
  return view.cells.findIndex((c) => c.cellType === 'code' && c.tags.includes('parameters'));
}

// ── operations: view in, edits out ──────────────────────────────────────────

/**
 * Tags `variable` with `role` (aliases such as `parameter` become `param`); retagging replaces the
 * role. Unless `options.force`, a name outside `options.definedNames` and a role close to a known
 * one are refused.
 */
export function tagVariable(view: NotebookView, variable: string, role: string, options: TagCheckOptions = {}): NotebookEdit[] {
  check(variableNameProblem(variable));
  const normalised = normaliseRole(role);
  if (!options.force) {
    if (options.definedNames) check(undefinedVariableProblem(view, variable, options.definedNames));
    check(roleTypoProblem(role));
  }
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

/**
 * Sets the one stage of a code cell, replacing an earlier stage tag. A markdown or raw cell is
 * refused; so is a stage close to a known one unless `options.force`.
 */
export function tagCellStage(view: NotebookView, cellIndex: number, stage: string, options: Pick<TagCheckOptions, 'force'> = {}): NotebookEdit[] {
  const cell = cellAt(view, cellIndex);
  check(stageCellProblem(view, cellIndex));
  const name = normaliseStage(stage);
  if (!options.force) check(stageTypoProblem(name));
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
