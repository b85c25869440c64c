/** Lineage: execution log → dependency graph → backward slices, dependents, staleness. */
export type {
  CalledFunction,
  CellRef,
  ExecutionInput,
  ExecutionNode,
  ExecutionRef,
  FactsOf,
  LineageGraph,
  NameRead,
  NameVersion,
  OperationNode,
  VersionKind,
} from './types';
export { buildLineageGraph, DuplicateExecutionError } from './graph';
export { restartSegments } from './history';
export { changedLines, historyMarks, type HistoryFacts, type HistoryMark, type LineChange } from './historyMarks';
export { backwardSlice, type Slice, type SliceExecution, type SliceOperation, type SliceOptions } from './slice';
export { dependents, dependentCellIndices, type Dependents, type DependentsTarget } from './dependents';
export { staleCells, type StaleCell, type StaleReason } from './staleness';
export { knownVariables, lastDefinition, reachingDefinition } from './queries';
export { CellTooLargeError, UnknownExecutionError, UnknownVariableError, closeNames, type PartiallyAnalysedCell } from './errors';
