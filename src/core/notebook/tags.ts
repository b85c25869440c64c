/**
 * Tags live in the notebook so they travel with it (DESIGN.md §3):
 * - a cell's stage is the Jupyter cell tag `stage:<name>` in `metadata.tags`;
 * - variable tags are `metadata.nbprov.variables = { "<name>": "<role>" }` at notebook level.
 */
import { NbprovError } from '../errors';
import type { Notebook } from './ipynb';

export const KNOWN_ROLES = ['param', 'metric', 'model', 'dataset', 'target'] as const;
export const KNOWN_STAGES = ['data-reading', 'feature-engineering', 'model-training', 'model-scoring', 'evaluation'] as const;
const STAGE_PREFIX = 'stage:';
const ROLE_ALIASES: Record<string, string> = { parameter: 'param', params: 'param', hyperparameter: 'param', data: 'dataset', label: 'target' };

export class TagError extends NbprovError {}

const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_]*$/u;

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

export function normaliseRole(role: string): string {
  const trimmed = role.trim();
  if (!trimmed || /[\r\n]/.test(trimmed) || trimmed.length > 80) {
    throw new TagError(`invalid role "${role.slice(0, 40)}": use one of ${KNOWN_ROLES.join(', ')} or a short free-text role (one line, at most 80 characters)`);
  }
  const lower = trimmed.toLowerCase();
  return ROLE_ALIASES[lower] ?? trimmed;
}

export function normaliseStage(stage: string): string {
  const trimmed = stage.trim().replace(/\s+/g, '-');
  if (!trimmed || trimmed.length > 80 || trimmed.includes(',')) {
    throw new TagError(`invalid stage "${stage.slice(0, 40)}": use a short name without commas, e.g. ${KNOWN_STAGES.join(', ')}`);
  }
  return trimmed.toLowerCase();
}

interface NbprovMetadata {
  variables?: Record<string, string>;
  [key: string]: unknown;
}

function nbprovMetadata(notebook: Notebook, create: boolean): NbprovMetadata | undefined {
  const meta = notebook.raw.metadata;
  const existing = meta.nbprov;
  if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) return existing as NbprovMetadata;
  if (!create) return undefined;
  const fresh: NbprovMetadata = {};
  meta.nbprov = fresh;
  return fresh;
}

/** Variable → role, as stored in the notebook (invalid entries are ignored, not thrown on). */
export function variableTags(notebook: Notebook): Record<string, string> {
  const vars = nbprovMetadata(notebook, false)?.variables;
  const out: Record<string, string> = {};
  if (typeof vars !== 'object' || vars === null) return out;
  for (const [name, role] of Object.entries(vars)) if (typeof role === 'string' && isIdentifier(name)) out[name] = role;
  return out;
}

export function setVariableTag(notebook: Notebook, variable: string, role: string): void {
  if (!isIdentifier(variable)) throw new TagError(`"${variable.slice(0, 60)}" is not a variable name; tag a name such as auc or n_estimators`);
  const meta = nbprovMetadata(notebook, true)!;
  const vars = typeof meta.variables === 'object' && meta.variables !== null ? meta.variables : {};
  vars[variable] = normaliseRole(role);
  meta.variables = vars;
}

export function removeVariableTag(notebook: Notebook, variable: string): boolean {
  const meta = nbprovMetadata(notebook, false);
  if (!meta?.variables || !(variable in meta.variables)) return false;
  delete meta.variables[variable];
  return true;
}

/** The stage of a cell (`stage:<name>` tag), or null. */
export function cellStage(tags: readonly string[]): string | null {
  const tag = tags.find((t) => t.startsWith(STAGE_PREFIX));
  return tag ? tag.slice(STAGE_PREFIX.length) : null;
}

function cellAt(notebook: Notebook, index: number) {
  if (!Number.isInteger(index) || index < 0 || index >= notebook.cells.length) {
    throw new TagError(`cell ${index} is out of range: the notebook has ${notebook.cells.length} cells (0 to ${notebook.cells.length - 1})`);
  }
  return { cell: notebook.cells[index], raw: notebook.raw.cells[index] };
}

function writeCellTags(notebook: Notebook, index: number, tags: string[]): void {
  const { cell, raw } = cellAt(notebook, index);
  cell.tags = tags;
  raw.metadata = raw.metadata ?? {};
  if (tags.length) raw.metadata.tags = tags;
  else delete raw.metadata.tags;
}

/** Sets the one stage of a cell, replacing an earlier stage tag. */
export function setCellStage(notebook: Notebook, index: number, stage: string): void {
  const { cell } = cellAt(notebook, index);
  const name = normaliseStage(stage);
  writeCellTags(notebook, index, [...cell.tags.filter((t) => !t.startsWith(STAGE_PREFIX)), STAGE_PREFIX + name]);
}

export function removeCellStage(notebook: Notebook, index: number): boolean {
  const { cell } = cellAt(notebook, index);
  const kept = cell.tags.filter((t) => !t.startsWith(STAGE_PREFIX));
  if (kept.length === cell.tags.length) return false;
  writeCellTags(notebook, index, kept);
  return true;
}

/** Index of the cell tagged `parameters` (papermill's convention), or -1. */
export function parametersCellIndex(notebook: Notebook): number {
  return notebook.cells.findIndex((c) => c.cellType === 'code' && c.tags.includes('parameters'));
}
