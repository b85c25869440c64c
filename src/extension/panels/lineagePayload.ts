/**
 * The Lineage panel's data: a backward slice (src/core/lineage) turned into a DAG of cells or
 * statements with their recorded values, edges labelled by the names that flow. Pure: tested in
 * plain Node.
 */
import { backwardSlice, staleCells, type LineageGraph, type SliceOperation } from '../../core/lineage';
import type { NotebookLineage } from '../../core/notebookLineage';
import { INJECTED_PARAMETERS_CELL_ID, type ValueSummary } from '../../core/records';
import { recordedValues } from '../../core/trials';
import type { LineageEdge, LineageNode, LineageOptions, LineagePayload, LineageValue } from '../../shared/protocol';

export const DEFAULT_LINEAGE_OPTIONS: LineageOptions = { global: false, granularity: 'cell', expandFunctions: false };

function cellName(cellIndex: number | null, cellId: string): string {
  if (cellIndex !== null) return `cell ${cellIndex}`;
  return cellId === INJECTED_PARAMETERS_CELL_ID ? 'injected parameters' : 'deleted cell';
}

function valueOf(v: ValueSummary): LineageValue {
  return { name: v.name, type: v.type, repr: v.repr };
}

function addEdge(edges: Map<string, LineageEdge>, from: string, to: string, name: string): void {
  if (from === to) return;
  const key = `${from}\u0000${to}`;
  const edge = edges.get(key);
  if (!edge) edges.set(key, { from, to, names: [name] });
  else if (!edge.names.includes(name)) edge.names.push(name);
}

function historyWords(lineage: NotebookLineage): string {
  return lineage.source === 'recorded' ? 'recorded session history' : 'saved execution counts (no recorded session)';
}

/**
 * Throws the core's UnknownVariableError (with close names) when the variable is defined nowhere
 * in the history; the panel turns it into an empty state.
 */
export function buildLineagePayload(
  lineage: NotebookLineage,
  notebook: string,
  variable: string,
  options: LineageOptions = DEFAULT_LINEAGE_OPTIONS,
  /** Cell id → stage (`stage:<name>` cell tags of the notebook now). */
  stages: ReadonlyMap<string, string> = new Map(),
): LineagePayload {
  const { graph } = lineage;
  const operationLevel = options.granularity === 'operation';
  const slice = backwardSlice(graph, variable, { global: options.global, granularity: options.granularity, expandFunctions: operationLevel && options.expandFunctions });
  const staleIds = new Set(staleCells(graph).map((c) => c.execution.id));
  const targetIds = new Set(slice.targets.map((t) => t.id));
  const payload = operationLevel
    ? operationGraph(graph, lineage, slice.operations ?? [], variable, staleIds, targetIds, notebook, options, historyWords(lineage))
    : cellGraph(graph, lineage, slice.executions.map((e) => e.id), staleIds, targetIds, notebook, variable, options, historyWords(lineage));
  for (const node of payload.nodes) {
    const stage = stages.get(node.cellId);
    if (stage) node.stage = stage;
  }
  return payload;
}

function cellGraph(
  graph: LineageGraph,
  lineage: NotebookLineage,
  executionIds: string[],
  staleIds: Set<string>,
  targetIds: Set<string>,
  notebook: string,
  variable: string,
  options: LineageOptions,
  history: string,
): LineagePayload {
  const included = new Set(executionIds);
  const nodes: LineageNode[] = [];
  const edges = new Map<string, LineageEdge>();
  for (const id of executionIds) {
    const node = graph.executions[graph.executionById.get(id)!];
    const changed = new Set(node.changes);
    nodes.push({
      id,
      label: `${cellName(node.cellIndex, node.cellId)}${node.executionCount === null ? '' : ` [${node.executionCount}]`}`,
      cellId: node.cellId,
      cellIndex: node.cellIndex,
      executionCount: node.executionCount,
      code: node.input.code,
      values: lineage.valuesOf(id).filter((v) => changed.has(v.name)).map(valueOf),
      stale: staleIds.has(id),
      target: targetIds.has(id),
    });
    for (const read of node.reads) {
      if (read.from === null || read.deleted) continue;
      const from = graph.executions[read.from].id;
      if (included.has(from)) addEdge(edges, from, id, read.name);
    }
  }
  return { notebook, variable, options, history, nodes, edges: [...edges.values()] };
}

function operationGraph(
  graph: LineageGraph,
  lineage: NotebookLineage,
  operations: SliceOperation[],
  variable: string,
  staleIds: Set<string>,
  targetIds: Set<string>,
  notebook: string,
  options: LineageOptions,
  history: string,
): LineagePayload {
  const recorded = recordedValues(
    operations.map((op) => ({ executionId: op.executionId, defines: op.function ? [] : [...op.defines, ...op.mutates], needed: op.needed })),
    (id) => lineage.valuesOf(id),
    variable,
  );
  // Top-level statements map back to graph operations (for the names that flow between them).
  const positionOf = new Map<string, number>();
  for (const op of graph.operations) positionOf.set(`${graph.executions[op.execution].id}\u0000${op.span.startLine}`, op.position);
  const nodeAt = new Map<number, string>();
  const nodes: LineageNode[] = [];
  const edges = new Map<string, LineageEdge>();
  operations.forEach((op, i) => {
    const id = op.function ? `${op.executionId}:${op.line}:${op.function}:${op.calledFrom?.executionId ?? ''}:${op.calledFrom?.line ?? ''}` : `${op.executionId}:${op.line}`;
    const { values } = recorded[i];
    const node: LineageNode = {
      id,
      label: `${cellName(op.cellIndex, op.cellId)}:${op.line}${op.function ? ` in ${op.function}` : ''}`,
      cellId: op.cellId,
      cellIndex: op.cellIndex,
      executionCount: op.executionCount,
      code: op.code,
      values: values.map(valueOf),
      stale: staleIds.has(op.executionId),
      target: !op.function && targetIds.has(op.executionId) && op.defines.includes(variable),
    };
    if (op.function) node.function = op.function;
    nodes.push(node);
    if (!op.function) {
      const position = positionOf.get(`${op.executionId}\u0000${op.line}`);
      if (position !== undefined) nodeAt.set(position, id);
    } else if (op.calledFrom) {
      addEdge(edges, id, `${op.calledFrom.executionId}:${op.calledFrom.line}`, `calls ${op.function}`);
    }
  });
  for (const [position, id] of nodeAt) {
    for (const read of graph.operations[position].reads) {
      if (read.from === null || read.deleted) continue;
      const from = nodeAt.get(read.from);
      if (from) addEdge(edges, from, id, read.name);
    }
  }
  const ids = new Set(nodes.map((n) => n.id));
  return { notebook, variable, options, history, nodes, edges: [...edges.values()].filter((e) => ids.has(e.from) && ids.has(e.to)) };
}
