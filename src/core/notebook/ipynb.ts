/**
 * Reading and writing Jupyter notebooks (nbformat 4). Unknown fields are preserved on write so
 * nbprov never loses what another tool put in a notebook.
 */
import type { CellLanguage } from '../analysis/facts';
import { NbprovError } from '../errors';

export class NotebookFormatError extends NbprovError {
  constructor(
    readonly notebookPath: string,
    problem: string,
  ) {
    super(`${notebookPath}: ${problem}`);
  }
}

export type CellType = 'code' | 'markdown' | 'raw';

export interface NotebookCell {
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

export interface Notebook {
  path: string;
  nbformat: number;
  nbformatMinor: number;
  cells: NotebookCell[];
  /** The parsed JSON document, kept whole so writing preserves unknown fields. */
  raw: RawNotebook;
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

/** Parses notebook JSON text. Throws NotebookFormatError naming the problem and the fix. */
export function parseNotebook(text: string, notebookPath: string): Notebook {
  if (text.includes('\u0000')) {
    throw new NotebookFormatError(notebookPath, 'is a binary file, not a notebook; pass a .ipynb file (nbformat 4 JSON)');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new NotebookFormatError(notebookPath, `is not valid JSON (${detail}); pass a .ipynb file saved by Jupyter or VS Code`);
  }
  const raw = validateRawNotebook(doc, notebookPath);
  const defaultLanguage = notebookLanguage(raw);
  const cells = raw.cells.map((cell, index) => toCell(cell, index, defaultLanguage, notebookPath));
  return { path: notebookPath, nbformat: raw.nbformat, nbformatMinor: raw.nbformat_minor, cells, raw };
}

function validateRawNotebook(doc: unknown, notebookPath: string): RawNotebook {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new NotebookFormatError(notebookPath, 'is JSON but not a notebook (expected an object with "cells" and "nbformat")');
  }
  const obj = doc as Record<string, unknown>;
  if (typeof obj.nbformat !== 'number') {
    throw new NotebookFormatError(notebookPath, 'has no "nbformat" field; it is not a Jupyter notebook');
  }
  if (obj.nbformat !== 4) {
    throw new NotebookFormatError(
      notebookPath,
      `is nbformat ${obj.nbformat}; nbprov reads nbformat 4 (convert it with: jupyter nbconvert --to notebook --nbformat 4)`,
    );
  }
  if (!Array.isArray(obj.cells)) {
    throw new NotebookFormatError(notebookPath, 'has no "cells" list; the file is damaged or not a notebook');
  }
  obj.cells.forEach((cell, i) => {
    if (typeof cell !== 'object' || cell === null || typeof (cell as RawCell).cell_type !== 'string') {
      throw new NotebookFormatError(notebookPath, `cell ${i} has no "cell_type"; the file is damaged`);
    }
    const source = (cell as RawCell).source;
    if (source !== undefined && typeof source !== 'string' && !(Array.isArray(source) && source.every((s) => typeof s === 'string'))) {
      throw new NotebookFormatError(notebookPath, `cell ${i} has a "source" that is neither a string nor a list of strings`);
    }
  });
  if (typeof obj.metadata !== 'object' || obj.metadata === null) obj.metadata = {};
  if (typeof obj.nbformat_minor !== 'number') obj.nbformat_minor = 0;
  return obj as unknown as RawNotebook;
}

function notebookLanguage(raw: RawNotebook): CellLanguage | null {
  const meta = raw.metadata as { kernelspec?: { language?: string; name?: string }; language_info?: { name?: string } };
  const name = meta.language_info?.name ?? meta.kernelspec?.language ?? meta.kernelspec?.name ?? 'python';
  return languageFromName(name);
}

export function languageFromName(name: string | undefined): CellLanguage | null {
  const lower = (name ?? '').toLowerCase();
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
    throw new NotebookFormatError(notebookPath, `cell ${index} has an execution_count that is not an integer`);
  }
  const rawTags = cell.metadata?.tags;
  const tags = Array.isArray(rawTags) ? rawTags.filter((t): t is string => typeof t === 'string') : [];
  return {
    index,
    id: typeof cell.id === 'string' && cell.id ? cell.id : `cell-${index}`,
    cellType,
    source,
    language,
    executionCount: typeof count === 'number' ? count : null,
    tags,
  };
}

/** Serialises like Jupyter does (one-space indent, trailing newline) so diffs of saved notebooks stay small. */
export function serializeNotebook(notebook: Notebook): string {
  return JSON.stringify(notebook.raw, null, 1) + '\n';
}

/** Code cells only, in notebook order. */
export function codeCells(notebook: Notebook): NotebookCell[] {
  return notebook.cells.filter((c) => c.cellType === 'code');
}
