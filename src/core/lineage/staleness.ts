/**
 * Stale cells: a cell is stale when a name its latest run read from before it has been defined,
 * mutated or deleted by another execution since, so running it again could give another result.
 */
import { inNotebookOrder, lastIndexBefore, latestExecution } from './queries';
import { executionRef, type ExecutionRef, type LineageGraph, type VersionKind } from './types';

export interface StaleReason {
  name: string;
  /** The latest execution that changed `name` after the cell ran. */
  changedBy: ExecutionRef;
  change: VersionKind;
}

export interface StaleCell {
  cellId: string;
  cellIndex: number | null;
  /** The cell's latest execution, the one whose inputs changed. */
  execution: ExecutionRef;
  reasons: StaleReason[];
}

/** Stale cells in notebook order, each with one reason per changed input. */
export function staleCells(graph: LineageGraph): StaleCell[] {
  const stale: (StaleCell & { latest: number })[] = [];
  for (const cellId of graph.cellExecutions.keys()) {
    const execution = latestExecution(graph, cellId)!;
    const end = execution.firstOperation + execution.operationCount;
    const reasons: StaleReason[] = [];
    // An alias read is not an input: running the cell again would not see the alias's binding.
    for (const name of new Set(execution.reads.filter((r) => !r.alias).map((r) => r.name))) {
      const versions = graph.versions.get(name) ?? [];
      const lastBefore = lastIndexBefore(versions, end);
      if (lastBefore === versions.length - 1) continue;
      const latest = versions[versions.length - 1];
      reasons.push({ name, changedBy: executionRef(graph.executions[latest.execution]), change: latest.kind });
    }
    if (reasons.length > 0) {
      stale.push({ cellId, cellIndex: execution.cellIndex, execution: executionRef(execution), reasons, latest: execution.position });
    }
  }
  return inNotebookOrder(stale).map(({ latest: _latest, ...cell }) => cell);
}
