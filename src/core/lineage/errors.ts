/** Typed errors of lineage queries: code + data, and a message that names no front end's command. */

import { NbprovError, editDistance } from '../errors';

/** Code → data of the lineage errors (see CoreErrorData). */
export interface LineageErrorData {
  /** `tooLarge`: cells too large to analyse in full, which may define the name (CellTooLargeError). */
  'unknown-variable': { variable: string; suggestions: string[]; atExecution?: string; tooLarge?: PartiallyAnalysedCell[] };
  'unknown-execution': { executionId: string };
  'duplicate-execution': { executionId: string };
}

export class UnknownVariableError extends NbprovError<'unknown-variable', LineageErrorData['unknown-variable']> {
  constructor(
    readonly variable: string,
    /** Known names close to `variable`, closest first. */
    readonly suggestions: string[],
    /** Set when the name exists but not at the execution the query asked about. */
    readonly atExecution?: string,
    tooLarge?: PartiallyAnalysedCell[],
  ) {
    const where = atExecution === undefined ? 'no successful execution defined or changed it' : `it is not defined after execution '${atExecution}'`;
    const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(', ')}?` : '';
    super(`Unknown variable '${variable}': ${where}.${hint}`, {
      code: 'unknown-variable',
      data: { variable, suggestions, ...(atExecution === undefined ? {} : { atExecution }), ...(tooLarge ? { tooLarge } : {}) },
    });
  }
}

/** A cell too large to analyse in full, as lineage errors describe it. */
export interface PartiallyAnalysedCell {
  cellId: string;
  cellIndex: number | null;
  analysedLines: number;
  totalLines: number;
  limit: string;
}

/**
 * The name is unknown to lineage, but cells too large to analyse in full may define it. A kind of
 * UnknownVariableError, so whoever handles an unknown name handles this one too.
 */
export class CellTooLargeError extends UnknownVariableError {
  constructor(
    variable: string,
    readonly cells: PartiallyAnalysedCell[],
  ) {
    super(variable, [], undefined, cells);
    const described = cells.map(describePartialCell);
    const which = cells.length === 1 ? `${described[0]} was too large to analyse` : `these cells were too large to analyse: ${described.join('; ')}`;
    this.message = `'${variable}' is not defined in any analysed code, and ${which}, so it may be defined there. Split large cells into smaller ones to follow their names.`;
  }
}

function describePartialCell(cell: PartiallyAnalysedCell): string {
  const where = cell.cellIndex === null ? `deleted cell ${cell.cellId}` : `cell ${cell.cellIndex}`;
  const part = cell.analysedLines === 0 ? 'none' : `the first ${cell.analysedLines}`;
  return `${where} (analysed ${part} of its ${cell.totalLines} lines; limit ${cell.limit})`;
}

export class UnknownExecutionError extends NbprovError<'unknown-execution', LineageErrorData['unknown-execution']> {
  constructor(readonly executionId: string) {
    super(`Unknown execution '${executionId}': it is not in the execution log. Pass the id of a recorded execution.`, { code: 'unknown-execution', data: { executionId } });
  }
}

/** Up to `limit` candidates within a small edit distance of `name` (or sharing a prefix), closest first. */
export function closeNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const maxDistance = name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3));
  const lowered = name.toLowerCase();
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (candidate === name) continue;
    const distance = editDistance(lowered, candidate.toLowerCase(), maxDistance + 1);
    const sharesPrefix = lowered.length >= 3 && candidate.toLowerCase().startsWith(lowered);
    if (distance <= maxDistance || sharesPrefix) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}
