/**
 * Reading Jupyter notebooks (nbformat 4) into a NotebookView. Changes go through NotebookEdits
 * applied to the file's text (ipynbEdits.ts), so nbprov never loses or reformats what another tool
 * put in a notebook.
 */
import type { CellLanguage } from '../analysis/facts';
import { NotebookFormatError } from './errors';
import { readVariableTags } from './tags';
import type { NotebookCellView, NotebookView } from './view';

export { NotebookFormatError } from './errors';

export type CellType = 'code' | 'markdown' | 'raw';

export interface NotebookCell extends NotebookCellView {
  /** Position among all cells (0-based). */
  index: number;
  /** nbformat 4.5 cell id when present, else `cell-<index>`. */
  id: string;
  cellType: CellType;
  source: string;
  /** Language of a code cell; null for markdown/raw cells and languages nbprov cannot analyse. */
  language: CellLanguage | null;
  executionCount: number | null;
  tags: string[];
}

export interface Notebook extends NotebookView {
  path: string;
  nbformat: number;
  nbformatMinor: number;
  cells: NotebookCell[];
  /** The parsed JSON document (read it; change the notebook through NotebookEdits on `text`). */
  raw: RawNotebook;
  /** The JSON text the notebook was parsed from, which edits are applied to. */
  text: string;
}

export interface RawCell {
  cell_type: string;
  id?: string;
  source: string | string[];
  metadata?: { tags?: unknown; vscode?: { languageId?: string }; [key: string]: unknown };
  execution_count?: number | null;
  outputs?: unknown[];
  [key: string]: unknown;
}

export interface RawNotebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: { [key: string]: unknown };
  cells: RawCell[];
  [key: string]: unknown;
}

const BYTE_ORDER_MARK = '\uFEFF';

/** Parses notebook JSON text (a leading byte-order mark is allowed). Throws NotebookFormatError naming the problem. */
export function parseNotebook(text: string, notebookPath: string): Notebook {
  const invalid = (problem: Parameters<typeof NotebookFormatError.invalid>[1], detail: string) => NotebookFormatError.invalid(notebookPath, problem, detail);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw invalid('binary', `holds a NUL character (at character ${nul}), so it is a binary or damaged file, not a notebook; pass a .ipynb file (nbformat 4 JSON)`);
  let doc: unknown;
  try {
    doc = JSON.parse(text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw invalid('invalid-json', `is not valid JSON (${detail}); pass a .ipynb file saved by Jupyter or VS Code`);
  }
  const raw = validateRawNotebook(doc, notebookPath);
  const defaultLanguage = notebookLanguage(raw);
  const cells = raw.cells.map((cell, index) => toCell(cell, index, defaultLanguage, notebookPath));
  return {
    path: notebookPath,
    nbformat: raw.nbformat,
    nbformatMinor: raw.nbformat_minor,
    cells,
    raw,
    text,
    variableTags: () => readVariableTags(raw.metadata),
  };
}

function validateRawNotebook(doc: unknown, notebookPath: string): RawNotebook {
  const invalid = (problem: Parameters<typeof NotebookFormatError.invalid>[1], detail: string) => NotebookFormatError.invalid(notebookPath, problem, detail);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalid('not-a-notebook', 'is JSON but not a notebook (expected an object with "cells" and "nbformat")');
  }
  const obj = doc as Record<string, unknown>;
  if (obj.nbformat === undefined) throw invalid('no-nbformat', 'has no "nbformat" field; it is not a Jupyter notebook');
  if (typeof obj.nbformat !== 'number') {
    throw invalid('no-nbformat', `has an "nbformat" that is ${kindOf(obj.nbformat)}, not the number 4; set "nbformat": 4 if it is an nbformat 4 notebook`);
  }
  if (obj.nbformat !== 4) {
    throw new NotebookFormatError(
      'notebook-unsupported-nbformat',
      { path: notebookPath, nbformat: obj.nbformat, supported: 4 },
      `${notebookPath}: is nbformat ${obj.nbformat}; nbprov reads nbformat 4 — convert it to nbformat 4 first`,
    );
  }
  if (!Array.isArray(obj.cells)) throw invalid('no-cells', 'has no "cells" list; the file is damaged or not a notebook');
  obj.cells.forEach((cell, i) => {
    if (typeof cell !== 'object' || cell === null || typeof (cell as RawCell).cell_type !== 'string') {
      throw invalid('cell-without-type', `cell ${i} has no "cell_type"; the file is damaged`);
    }
    const source = (cell as RawCell).source;
    if (source !== undefined && typeof source !== 'string' && !(Array.isArray(source) && source.every((s) => typeof s === 'string'))) {
      throw invalid('bad-source', `cell ${i} has a "source" that is neither a string nor a list of strings; the file is damaged`);
    }
    const metadata = (cell as RawCell).metadata;
    if (metadata !== undefined && !isObject(metadata)) {
      throw invalid('bad-metadata', `cell ${i} has a "metadata" that is not an object; the file is damaged`);
    }
    checkStringField(metadata, ['vscode', 'languageId'], `cell ${i}'s metadata`, 'e.g. "python"', invalid);
    const id = (cell as RawCell).id;
    if (id !== undefined && typeof id !== 'string') {
      throw invalid('bad-cell-id', `cell ${i} has an "id" that is ${kindOf(id)}, not a string; give it a string id or remove the "id" field`);
    }
  });
  checkUniqueCellIds(obj.cells as RawCell[], invalid);
  if (obj.metadata !== undefined && !isObject(obj.metadata)) {
    throw invalid('bad-metadata', `its "metadata" is ${kindOf(obj.metadata)}, not an object; the file is damaged`);
  }
  checkStringField(obj.metadata, ['language_info', 'name'], 'the notebook metadata', 'e.g. "python"', invalid);
  checkStringField(obj.metadata, ['kernelspec', 'name'], 'the notebook metadata', 'e.g. "python3"', invalid);
  checkStringField(obj.metadata, ['kernelspec', 'language'], 'the notebook metadata', 'e.g. "python"', invalid);
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  if (typeof obj.nbformat_minor !== 'number') obj.nbformat_minor = 0;
  return obj as unknown as RawNotebook;
}

type Invalid = (problem: Parameters<typeof NotebookFormatError.invalid>[1], detail: string) => NotebookFormatError;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** `metadata.a.b`, when present, is an object holding a string (nbprov reads it as a language name). */
function checkStringField(metadata: unknown, [outer, inner]: [string, string], where: string, example: string, invalid: Invalid): void {
  if (!isObject(metadata) || metadata[outer] === undefined) return;
  const container = metadata[outer];
  if (!isObject(container)) {
    throw invalid('bad-metadata', `${where} has "${outer}" that is ${kindOf(container)}, not an object; fix or remove it`);
  }
  const value = container[inner];
  if (value !== undefined && typeof value !== 'string') {
    throw invalid('bad-metadata', `${where} has "${outer}.${inner}" that is ${kindOf(value)}, not a string; set it to a language name (${example}) or remove it`);
  }
}

/** Cell ids (nbformat 4.5) name cells in the store: two cells with one id would be mixed up. */
function checkUniqueCellIds(cells: readonly RawCell[], invalid: Invalid): void {
  const seen = new Map<string, number>();
  cells.forEach((cell, i) => {
    const id = effectiveCellId(cell, i);
    const first = seen.get(id);
    if (first !== undefined) {
      throw invalid('duplicate-cell-id', `cells ${first} and ${i} have the same id "${id}"; cell ids must be unique — give one of them a new "id", or delete both "id" fields`);
    }
    seen.set(id, i);
  });
}

function effectiveCellId(cell: RawCell, index: number): string {
  return typeof cell.id === 'string' && cell.id ? cell.id : `cell-${index}`;
}

function notebookLanguage(raw: RawNotebook): CellLanguage | null {
  const meta = raw.metadata as { kernelspec?: { language?: unknown; name?: unknown }; language_info?: { name?: unknown } };
  const name = [meta.language_info?.name, meta.kernelspec?.language, meta.kernelspec?.name].find((n) => typeof n === 'string') ?? 'python';
  return languageFromName(name);
}

/** nbprov's analysis language for a kernel or editor language name (anything but a string is unknown). */
export function languageFromName(name: unknown): CellLanguage | null {
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  if (lower.startsWith('python') || lower === 'ipython' || lower.startsWith('ipython')) return 'python';
  if (lower === 'typescript' || lower === 'ts' || lower === 'tslab') return 'typescript';
  if (lower === 'javascript' || lower === 'js' || lower === 'node' || lower === 'nodejs') return 'javascript';
  return null;
}

function toCell(cell: RawCell, index: number, defaultLanguage: CellLanguage | null, notebookPath: string): NotebookCell {
  const cellType: CellType = cell.cell_type === 'code' || cell.cell_type === 'markdown' ? cell.cell_type : 'raw';
  const source = Array.isArray(cell.source) ? cell.source.join('') : (cell.source ?? '');
  const vscodeLanguage = cell.metadata?.vscode?.languageId;
  const language = cellType === 'code' ? (vscodeLanguage ? languageFromName(vscodeLanguage) : defaultLanguage) : null;
  const count = cell.execution_count;
  if (count !== undefined && count !== null && (typeof count !== 'number' || !Number.isInteger(count))) {
    throw NotebookFormatError.invalid(notebookPath, 'bad-execution-count', `cell ${index} has an execution_count that is not an integer`);
  }
  const rawTags = cell.metadata?.tags;
  const tags = Array.isArray(rawTags) ? rawTags.filter((t): t is string => typeof t === 'string') : [];
  return {
    index,
    id: effectiveCellId(cell, index),
    cellType,
    source,
    language,
    executionCount: typeof count === 'number' ? count : null,
    tags,
  };
}

/**
 * Serialises a whole document like Jupyter does (one-space indent, trailing newline): for new
 * notebooks only (an executed copy); changes to an existing notebook go through NotebookEdits.
 */
export function serializeNotebook(notebook: Notebook): string {
  return JSON.stringify(notebook.raw, null, 1) + '\n';
}

/** Code cells only, in notebook order. */
export function codeCells(notebook: Notebook): NotebookCell[] {
  return notebook.cells.filter((c) => c.cellType === 'code');
}
