/**
 * The lineage data model: an ordered execution log in, a dependency graph out.
 *
 * The graph has two levels. Operations (a cell's top-level statements, in execution order across
 * the whole log) carry the fine-grained reaching definitions; executions carry the same edges
 * lifted to whole cells, which is what a closed, replayable slice needs. Nodes refer to each other
 * by position (index into `executions` / `operations`), so queries are array look-ups.
 */
import type { CellFacts, FunctionFact, OperationKind, PartialAnalysis, SourceSpan } from '../analysis/facts';
import type { ObjectIdentity } from '../../shared/records';

/** One cell execution as recorded, in log order. */
export interface ExecutionInput {
  id: string;
  cellId: string;
  /** The cell's position in the notebook when it ran; null when unknown (e.g. a deleted cell). */
  cellIndex: number | null;
  /** The exact code that ran (it may differ from the cell's current code). */
  code: string;
  executionCount: number | null;
  success: boolean;
  /** Kernel session; a change of session is a restart. */
  sessionId?: string;
  /** Run-time object identities when the execution ended (recorded sessions): aliasing it proves. */
  identities?: Readonly<Record<string, ObjectIdentity>>;
}

/** Static facts of an execution's code. Callers should cache by code: re-executions repeat code. */
export type FactsOf = (execution: ExecutionInput) => CellFacts;

export interface ExecutionRef {
  id: string;
  cellId: string;
  cellIndex: number | null;
  executionCount: number | null;
}

export interface CellRef {
  cellId: string;
  /** Index from the cell's latest execution. */
  cellIndex: number | null;
}

/**
 * A name read, with the node (operation or execution position) whose version it saw, or whose
 * `del` removed it (`deleted`); null when nothing in the session had bound it.
 *
 * A read of a deleted name needs the `del` only in a slice that also holds an earlier change of the
 * name (a replay would see that value instead), so it is a conditional dependency.
 */
export interface NameRead {
  name: string;
  from: number | null;
  deleted?: true;
  /**
   * The node changed this name only because it may share an object with a name it changed
   * (`b = a; a.append(1)` changes `b`). Its earlier binding is needed only in a slice that also holds
   * a reader of the node's new version of the name: a conditional dependency, like `deleted`.
   */
  alias?: true;
}

export type VersionKind = 'define' | 'mutate' | 'delete';

/** A change to a name made by one operation. Lists of versions are sorted by `operation`. */
export interface NameVersion {
  operation: number;
  execution: number;
  kind: VersionKind;
}

/** A notebook-defined function (or class) that an operation called, directly or transitively. */
export interface CalledFunction {
  name: string;
  fact: FunctionFact;
  /** Position of the operation whose `def`/`class` created it. */
  definedAt: number;
}

export interface OperationNode {
  position: number;
  execution: number;
  kind: OperationKind;
  span: SourceSpan;
  code: string;
  /** Effective changes, including those of called functions; empty for a failed execution. */
  defines: readonly string[];
  mutates: readonly string[];
  deletes: readonly string[];
  /** Every name whose earlier version this operation needs (uses, mutated and deleted names). */
  reads: readonly NameRead[];
  /** Unique operation positions it depends on (not counting conditional reads: deleted names, aliases), ascending. */
  dependencies: readonly number[];
  calledFunctions: readonly CalledFunction[];
}

export interface ExecutionNode extends ExecutionRef {
  position: number;
  input: ExecutionInput;
  success: boolean;
  /** Restart epoch: definitions reach only executions of the same segment. */
  segment: number;
  firstOperation: number;
  operationCount: number;
  /** Names read from before the execution, with the execution that provided them (null = none). */
  reads: readonly NameRead[];
  /** Unique execution positions it depends on (not counting conditional reads: deleted names, aliases), ascending. */
  dependencies: readonly number[];
  /** Executions that read what it defined, mutated or deleted, ascending. */
  dependents: readonly number[];
  /** Names it defined or mutated (none when it failed). */
  changes: readonly string[];
  /** Set when its code was too large to analyse in full: it may change names lineage cannot see. */
  partial?: PartialAnalysis;
}

export interface LineageGraph {
  executions: readonly ExecutionNode[];
  operations: readonly OperationNode[];
  executionById: ReadonlyMap<string, number>;
  /** name → every change to it, sorted by operation position. */
  versions: ReadonlyMap<string, readonly NameVersion[]>;
  /** cellId → positions of its executions, ascending. */
  cellExecutions: ReadonlyMap<string, readonly number[]>;
  /**
   * Optional: the graph as if every run of the cell had run the code the cell holds now (an edit
   * can make an alias or a path the recorded code did not); undefined when the code is unchanged.
   * `dependents` of a cell joins both answers. Set by `notebookLineage` for recorded histories.
   */
  asEdited?: (cellId: string) => LineageGraph | undefined;
}

export function executionRef(node: ExecutionNode): ExecutionRef {
  return { id: node.id, cellId: node.cellId, cellIndex: node.cellIndex, executionCount: node.executionCount };
}
