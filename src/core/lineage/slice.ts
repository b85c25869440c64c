/**
 * Backward slices: which executions (or statements) produced a variable's value.
 *
 * A cell-granularity slice is the closure of the starting executions over their execution-level
 * dependencies: every name an included execution reads from before it comes from an earlier
 * included execution, so replaying the slice alone, in order, in a fresh kernel reproduces the
 * value; and nothing else is in it. Both walks are iterative worklists over precomputed edges, so
 * a slice costs time proportional to its size.
 */
import { CellTooLargeError, closeNames, UnknownVariableError, type PartiallyAnalysedCell } from './errors';
import { functionBody } from './function-bodies';
import { executionNamed, knownVariables, lastIndexBefore, visibleVersion } from './queries';
import { executionRef, type ExecutionNode, type ExecutionRef, type LineageGraph, type OperationNode } from './types';
import type { OperationKind } from '../analysis/facts';

export interface SliceOptions {
  /** Every execution that ever defined or mutated the variable, not only the latest. */
  global?: boolean;
  granularity?: 'cell' | 'operation';
  /** With operation granularity: also list the bodies of called notebook-defined functions. */
  expandFunctions?: boolean;
  /** Execution id: slice the value as it stood right after that execution ran. */
  at?: string;
}

export interface SliceExecution extends ExecutionRef {
  code: string;
  sessionId?: string;
}

export interface SliceOperation {
  executionId: string;
  cellId: string;
  cellIndex: number | null;
  executionCount: number | null;
  line: number;
  endLine: number;
  kind: OperationKind;
  code: string;
  defines: string[];
  mutates: string[];
  /**
   * The names of `defines`/`mutates` the slice needs from this statement: the variable itself at a
   * start, else the names later statements of the slice read from it. `X_train, X_test, y_train,
   * y_test = …` in the lineage of `y_pred` needs only `X_train, y_train, X_test`; `from m import
   * f1_score, roc_auc_score` in the lineage of `f1` needs only `f1_score`. Empty on a statement of
   * a function body (expand-functions).
   */
  needed: string[];
  /** Set on a statement of a called function's body: the function's name. */
  function?: string;
  /** Set on a function-body statement: the statement whose call ran it. */
  calledFrom?: { executionId: string; line: number };
}

export interface Slice {
  variable: string;
  global: boolean;
  granularity: 'cell' | 'operation';
  /** The executions whose versions of the variable the slice explains, in execution order. */
  targets: ExecutionRef[];
  /** The closed slice, in execution order: replaying these reproduces the value. */
  executions: SliceExecution[];
  /** With operation granularity: the contributing statements, in execution order. */
  operations?: SliceOperation[];
}

export function backwardSlice(graph: LineageGraph, variable: string, options: SliceOptions = {}): Slice {
  const global = options.global ?? false;
  const granularity = options.granularity ?? 'cell';
  const starts = startOperations(graph, variable, global, options.at);
  const targetExecutions = sortedUnique(starts.map((op) => graph.operations[op].execution));
  const included = closedSlice(graph, 'execution', targetExecutions);
  const slice: Slice = {
    variable,
    global,
    granularity,
    targets: targetExecutions.map((e) => executionRef(graph.executions[e])),
    executions: included.map((e) => sliceExecution(graph.executions[e])),
  };
  if (granularity === 'operation') {
    const operations = closedSlice(graph, 'operation', starts);
    slice.operations = describeOperations(graph, operations, neededNames(graph, operations, starts, variable), options.expandFunctions ?? false);
  }
  return slice;
}

/** Per included operation, the names it changed that the slice reads from it (see SliceOperation.needed). */
function neededNames(graph: LineageGraph, operations: readonly number[], starts: readonly number[], variable: string): Map<number, Set<string>> {
  const needed = new Map<number, Set<string>>(operations.map((p) => [p, new Set<string>()]));
  for (const start of starts) needed.get(start)?.add(variable);
  for (const position of operations) {
    for (const read of graph.operations[position].reads) {
      if (read.from !== null && !read.deleted) needed.get(read.from)?.add(read.name);
    }
  }
  return needed;
}

/** Operations whose versions of `variable` the slice starts from. */
function startOperations(graph: LineageGraph, variable: string, global: boolean, at: string | undefined): number[] {
  const changes = (graph.versions.get(variable) ?? []).filter((v) => v.kind !== 'delete');
  if (changes.length === 0) {
    const tooLarge = partiallyAnalysedCells(graph.executions);
    if (tooLarge.length > 0) throw new CellTooLargeError(variable, tooLarge);
    throw new UnknownVariableError(variable, closeNames(variable, knownVariables(graph)));
  }
  if (at === undefined) {
    return global ? changes.map((v) => v.operation) : [changes[changes.length - 1].operation];
  }
  const execution = executionNamed(graph, at);
  const limit = execution.firstOperation + execution.operationCount;
  const starts = global
    ? changes.filter((v) => v.operation < limit).map((v) => v.operation)
    : [visibleVersion(graph, variable, execution)?.operation].filter((op): op is number => op !== undefined);
  if (starts.length === 0) {
    const tooLarge = partiallyAnalysedCells(graph.executions.slice(0, execution.position + 1));
    if (tooLarge.length > 0) throw new CellTooLargeError(variable, tooLarge);
    throw new UnknownVariableError(variable, [], at);
  }
  return starts;
}

/** Successful executions whose code was too large to analyse in full, latest per cell, in log order. */
function partiallyAnalysedCells(executions: readonly ExecutionNode[]): PartiallyAnalysedCell[] {
  const byCell = new Map<string, PartiallyAnalysedCell>();
  for (const e of executions) {
    if (!e.partial || !e.success) continue;
    byCell.delete(e.cellId);
    byCell.set(e.cellId, { cellId: e.cellId, cellIndex: e.cellIndex, ...e.partial });
  }
  return [...byCell.values()];
}

/** Every node reachable from `seeds` through `next`, ascending (iterative: no recursion limit). */
export function closure(seeds: readonly number[], next: (node: number) => readonly number[]): number[] {
  const seen = new Set<number>(seeds);
  const work = [...seeds];
  while (work.length > 0) {
    for (const dependency of next(work.pop()!)) {
      if (!seen.has(dependency)) {
        seen.add(dependency);
        work.push(dependency);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

type Level = 'execution' | 'operation';

/**
 * The closed set of nodes (executions or operations) needed to replay `seeds`, ascending: the
 * dependency closure, plus, for an included node that saw a name deleted, the `del` it saw —
 * only when a replay would otherwise see a value (the latest included change or `del` of the
 * name before the reader is a change). Repeated until nothing more is needed.
 */
export function closedSlice(graph: LineageGraph, level: Level, seeds: readonly number[]): number[] {
  const nodes = level === 'execution' ? graph.executions : graph.operations;
  const included = new Set<number>();
  const readersOfDeleted: number[] = [];
  const work: number[] = [];
  const include = (position: number) => {
    if (!included.has(position)) {
      included.add(position);
      work.push(position);
    }
  };
  const drain = () => {
    while (work.length > 0) {
      const node = nodes[work.pop()!];
      node.dependencies.forEach(include);
      if (node.reads.some((r) => r.deleted)) readersOfDeleted.push(node.position);
    }
  };
  seeds.forEach(include);
  drain();
  let grew = true;
  while (grew) {
    grew = false;
    for (const reader of [...readersOfDeleted]) {
      for (const read of nodes[reader].reads) {
        if (!read.deleted || read.from === null || included.has(read.from)) continue;
        if (replaySeesValue(graph, level, read.name, reader, included)) {
          include(read.from);
          drain();
          grew = true;
        }
      }
    }
  }
  return [...included].sort((a, b) => a - b);
}

/** Whether the latest included change or `del` of `name` before `reader` (same session) is a change. */
function replaySeesValue(graph: LineageGraph, level: Level, name: string, reader: number, included: ReadonlySet<number>): boolean {
  const versions = graph.versions.get(name) ?? [];
  const readerExecution = graph.executions[level === 'execution' ? reader : graph.operations[reader].execution];
  const limit = level === 'execution' ? readerExecution.firstOperation : reader;
  // Walking back, the first version met of a node is that node's last effect on the name.
  for (let i = lastIndexBefore(versions, limit); i >= 0; i--) {
    const version = versions[i];
    if (graph.executions[version.execution].segment !== readerExecution.segment) return false;
    if (included.has(level === 'execution' ? version.execution : version.operation)) return version.kind !== 'delete';
  }
  return false;
}

function describeOperations(graph: LineageGraph, positions: readonly number[], needed: Map<number, Set<string>>, expand: boolean): SliceOperation[] {
  const result: SliceOperation[] = [];
  for (const position of positions) {
    const op = graph.operations[position];
    const execution = graph.executions[op.execution];
    if (expand) result.push(...expandedCalls(graph, op, execution));
    result.push({
      executionId: execution.id,
      cellId: execution.cellId,
      cellIndex: execution.cellIndex,
      executionCount: execution.executionCount,
      line: op.span.startLine,
      endLine: op.span.endLine,
      kind: op.kind,
      code: op.code,
      defines: [...op.defines],
      mutates: [...op.mutates],
      needed: [...op.defines, ...op.mutates].filter((name, i, all) => needed.get(position)?.has(name) && all.indexOf(name) === i),
    });
  }
  return result;
}

/** Body statements of the notebook-defined functions an operation called, placed before it. */
function expandedCalls(graph: LineageGraph, op: OperationNode, caller: ExecutionNode): SliceOperation[] {
  const expanded: SliceOperation[] = [];
  for (const called of op.calledFunctions) {
    const definer = graph.executions[graph.operations[called.definedAt].execution];
    for (const statement of functionBody(called.fact, definer.input.code)) {
      expanded.push({
        ...locatedIn(definer),
        ...statement,
        needed: [],
        function: called.name,
        calledFrom: { executionId: caller.id, line: op.span.startLine },
      });
    }
  }
  return expanded;
}

function locatedIn(execution: ExecutionNode) {
  return {
    executionId: execution.id,
    cellId: execution.cellId,
    cellIndex: execution.cellIndex,
    executionCount: execution.executionCount,
  };
}

function sliceExecution(execution: ExecutionNode): SliceExecution {
  const result: SliceExecution = {
    id: execution.id,
    cellId: execution.cellId,
    cellIndex: execution.cellIndex,
    executionCount: execution.executionCount,
    code: execution.input.code,
  };
  if (execution.input.sessionId !== undefined) result.sessionId = execution.input.sessionId;
  return result;
}

function sortedUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}
