/**
 * Forward dependents: what read, directly or transitively, what a cell or an execution produced —
 * what becomes stale when that cell changes or runs again.
 */
import { UnknownExecutionError } from './errors';
import { inNotebookOrder, latestSuccessfulExecution } from './queries';
import { closure } from './slice';
import { executionRef, type CellRef, type ExecutionRef, type LineageGraph } from './types';

export type DependentsTarget = { cellId: string } | { executionId: string } | { cellIndex: number };

export interface Dependents {
  /** Every later execution that read the target's values, transitively, in execution order. */
  executions: ExecutionRef[];
  /** Cells whose current state (latest successful run) derives from the target, in notebook order; never the target's own cell. */
  cells: CellRef[];
}

/**
 * Dependents of an execution, or of a cell (all of its executions: a cell's current state may
 * still derive from an older run of it). A string is an execution id when the log has one, else a
 * cell id. A cell with no recorded execution has no dependents; an unknown execution id throws.
 */
export function dependents(graph: LineageGraph, target: string | DependentsTarget): Dependents {
  const resolved = typeof target === 'string' ? resolveString(graph, target) : target;
  let seeds: readonly number[];
  let ownCell: string | undefined;
  if ('executionId' in resolved) {
    const position = graph.executionById.get(resolved.executionId);
    if (position === undefined) throw new UnknownExecutionError(resolved.executionId);
    seeds = [position];
    ownCell = graph.executions[position].cellId;
  } else {
    ownCell = 'cellId' in resolved ? resolved.cellId : cellAtIndex(graph, resolved.cellIndex);
    seeds = ownCell === undefined ? [] : (graph.cellExecutions.get(ownCell) ?? []);
  }
  const reached = new Set(closure(seeds, (e) => graph.executions[e].dependents));
  // An edited cell will run its new code: what that code's run would reach counts too (same executions, same positions).
  const edited = 'executionId' in resolved || ownCell === undefined ? undefined : graph.asEdited?.(ownCell);
  if (edited) for (const e of closure(seeds, (p) => edited.executions[p].dependents)) reached.add(e);
  for (const seed of seeds) reached.delete(seed);
  const executions = [...reached].sort((a, b) => a - b).map((e) => executionRef(graph.executions[e]));
  return { executions, cells: cellsWhoseStateIsIn(graph, reached, ownCell) };
}

/** Cell indices made stale if cell `cellIndex` changes, in notebook order (for `nbprov dependents`). */
export function dependentCellIndices(graph: LineageGraph, cellIndex: number): number[] {
  return dependents(graph, { cellIndex })
    .cells.map((c) => c.cellIndex)
    .filter((i): i is number => i !== null);
}

function resolveString(graph: LineageGraph, id: string): DependentsTarget {
  return graph.executionById.has(id) ? { executionId: id } : { cellId: id };
}

/** The cell whose latest execution ran at notebook index `cellIndex`. */
function cellAtIndex(graph: LineageGraph, cellIndex: number): string | undefined {
  let found: { cellId: string; latest: number } | undefined;
  for (const [cellId, positions] of graph.cellExecutions) {
    const latest = positions[positions.length - 1];
    if (graph.executions[latest].cellIndex === cellIndex && (!found || latest > found.latest)) {
      found = { cellId, latest };
    }
  }
  return found?.cellId;
}

function cellsWhoseStateIsIn(graph: LineageGraph, reached: ReadonlySet<number>, ownCell: string | undefined): CellRef[] {
  const cells: { cellId: string; cellIndex: number | null; latest: number }[] = [];
  for (const cellId of graph.cellExecutions.keys()) {
    if (cellId === ownCell) continue;
    const current = latestSuccessfulExecution(graph, cellId);
    if (current && reached.has(current.position)) {
      const positions = graph.cellExecutions.get(cellId)!;
      const latest = graph.executions[positions[positions.length - 1]];
      cells.push({ cellId, cellIndex: latest.cellIndex, latest: latest.position });
    }
  }
  return inNotebookOrder(cells).map(({ cellId, cellIndex }) => ({ cellId, cellIndex }));
}
