/**
 * Names a notebook defines, by static analysis of its code cells: what `tag` checks a variable
 * against, and what `run --param` checks a parameter against (papermill's `parameters` cell).
 */
import type { CellAnalyzer } from '../analysis';
import { closestNames } from '../errors';
import { NotebookError } from './errors';
import { parametersCellIndex } from './tags';
import type { NotebookView } from './view';

export interface DefinedNames {
  names: ReadonlySet<string>;
  /**
   * False when a code cell could not be analysed in full (too large, or a language nbprov does not
   * analyse): a name missing from `names` may still be defined there, so nothing is refused.
   */
  complete: boolean;
}

/** Every name bound by any code cell (assignments, imports, defs, loop and `with` targets…). */
export function definedNames(view: NotebookView, analyzer: CellAnalyzer): DefinedNames {
  const names = new Set<string>();
  let complete = true;
  for (const cell of view.cells) {
    if (cell.cellType !== 'code') continue;
    if (!cell.language) {
      if (cell.source.trim()) complete = false;
      continue;
    }
    const facts = analyzer.analyze(cell.source, cell.language);
    if (facts.partial) complete = false;
    for (const name of facts.defines) names.add(name);
  }
  return { names, complete };
}

/** The names checked tagging should hold a variable to, or undefined when the analysis is incomplete. */
export function namesToCheck(view: NotebookView, analyzer: CellAnalyzer): ReadonlySet<string> | undefined {
  const defined = definedNames(view, analyzer);
  return defined.complete ? defined.names : undefined;
}

/** Names the `parameters` cell assigns, in order (empty without such a cell). */
export function parameterNames(view: NotebookView, analyzer: CellAnalyzer): string[] {
  const index = parametersCellIndex(view);
  if (index < 0) return [];
  const cell = view.cells[index];
  return cell.language ? analyzer.analyze(cell.source, cell.language).defines : [];
}

/**
 * Why injecting a value for `name` would not do what its user means, or null when it is fine:
 * - with a `parameters` cell, the name must be one it assigns (else the value changes nothing);
 * - without one, values are injected before the first cell, so a name the notebook assigns itself
 *   would be overwritten; other names (read by the notebook, or new) are accepted.
 */
export function parameterNameProblem(view: NotebookView, analyzer: CellAnalyzer, name: string): NotebookError<'unknown-parameter'> | null {
  const parametersCell = parametersCellIndex(view);
  if (parametersCell >= 0) {
    const parameters = parameterNames(view, analyzer);
    if (parameters.includes(name)) return null;
    const suggestions = closestNames(name, parameters);
    const hint = suggestions.length ? `did you mean ${suggestions.join(', ')}?` : `it assigns ${parameters.join(', ') || 'nothing'}`;
    return new NotebookError(
      'unknown-parameter',
      { path: view.path, name, parametersCell, parameters, suggestions, assignedIn: null },
      `parameter "${name}" is not assigned in the parameters cell (cell ${parametersCell}) of ${view.path}; ${hint}`,
    );
  }
  const read = new Set<string>();
  for (const cell of view.cells) {
    if (cell.cellType !== 'code' || !cell.language) continue;
    const facts = analyzer.analyze(cell.source, cell.language);
    for (const used of facts.uses) read.add(used);
    if (!facts.defines.includes(name)) continue;
    return new NotebookError(
      'unknown-parameter',
      { path: view.path, name, parametersCell: null, parameters: [], suggestions: [], assignedIn: cell.index },
      `parameter "${name}" is assigned in cell ${cell.index} of ${view.path}, which would overwrite the injected value; no cell is tagged "parameters" (tag the cell of default values "parameters")`,
    );
  }
  if (read.has(name) || !definedNames(view, analyzer).complete) return null;
  // Names the notebook reads but never assigns are the ones an injected value can supply.
  const defined = definedNames(view, analyzer).names;
  const parameters = [...read].filter((n) => !defined.has(n));
  const suggestions = closestNames(name, parameters);
  const hint = suggestions.length ? `did you mean ${suggestions.join(', ')}?` : parameters.length ? `names it reads without assigning: ${parameters.join(', ')}` : 'it reads no name it does not assign';
  return new NotebookError(
    'unknown-parameter',
    { path: view.path, name, parametersCell: null, parameters, suggestions, assignedIn: null },
    `parameter "${name}" is never read by ${view.path}, so it would change nothing; ${hint}`,
  );
}
