/** Point look-ups on a lineage graph: known names, and which version of a name is where. */
import { UnknownExecutionError } from './errors';
import { isFileName } from './files';
import { executionRef, type ExecutionNode, type ExecutionRef, type LineageGraph, type NameVersion } from './types';

/** Names some successful execution defined or changed, sorted (files are not variables). */
export function knownVariables(graph: LineageGraph): string[] {
  const names: string[] = [];
  for (const [name, versions] of graph.versions) {
    if (!isFileName(name) && versions.some((v) => v.kind !== 'delete')) names.push(name);
  }
  return names.sort();
}

/** The latest execution in the whole log that defined or mutated `name`, or null. */
export function lastDefinition(graph: LineageGraph, name: string): ExecutionRef | null {
  const versions = graph.versions.get(name) ?? [];
  for (let i = versions.length - 1; i >= 0; i--) {
    if (versions[i].kind !== 'delete') return executionRef(graph.executions[versions[i].execution]);
  }
  return null;
}

/**
 * The execution whose version of `name` the given execution sees when it starts: the latest
 * earlier change in the same kernel session, unless that change was a `del`.
 */
export function reachingDefinition(graph: LineageGraph, name: string, executionId: string): ExecutionRef | null {
  const execution = executionNamed(graph, executionId);
  const version = visibleVersion(graph, name, execution, execution.firstOperation);
  return version === null ? null : executionRef(graph.executions[version.execution]);
}

/** The version of `name` visible after `execution` ran (before operation `limit`), or null. */
export function visibleVersion(
  graph: LineageGraph,
  name: string,
  execution: ExecutionNode,
  limit = execution.firstOperation + execution.operationCount,
): NameVersion | null {
  const versions = graph.versions.get(name);
  if (!versions) return null;
  const index = lastIndexBefore(versions, limit);
  if (index < 0) return null;
  const version = versions[index];
  if (version.kind === 'delete') return null;
  return graph.executions[version.execution].segment === execution.segment ? version : null;
}

/** Index of the last version whose operation is < `limit`, or -1 (binary search). */
export function lastIndexBefore(versions: readonly NameVersion[], limit: number): number {
  let low = 0;
  let high = versions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (versions[middle].operation < limit) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

export function executionNamed(graph: LineageGraph, executionId: string): ExecutionNode {
  const position = graph.executionById.get(executionId);
  if (position === undefined) throw new UnknownExecutionError(executionId);
  return graph.executions[position];
}

/** The cell's latest execution that succeeded (its current state), or undefined. */
export function latestSuccessfulExecution(graph: LineageGraph, cellId: string): ExecutionNode | undefined {
  const positions = graph.cellExecutions.get(cellId) ?? [];
  for (let i = positions.length - 1; i >= 0; i--) {
    const execution = graph.executions[positions[i]];
    if (execution.success) return execution;
  }
  return undefined;
}

export function latestExecution(graph: LineageGraph, cellId: string): ExecutionNode | undefined {
  const positions = graph.cellExecutions.get(cellId);
  return positions && positions.length > 0 ? graph.executions[positions[positions.length - 1]] : undefined;
}

/** Cells ordered as in the notebook (by their latest index; cells with no index last, by recency). */
export function inNotebookOrder<T extends { cellIndex: number | null; latest: number }>(cells: T[]): T[] {
  return cells.sort((a, b) => {
    if (a.cellIndex !== null && b.cellIndex !== null) return a.cellIndex - b.cellIndex || a.latest - b.latest;
    if (a.cellIndex !== null) return -1;
    if (b.cellIndex !== null) return 1;
    return a.latest - b.latest;
  });
}
