/**
 * The lineage of one notebook, from the best history available: the recorded executions in the
 * store (re-executions and deleted cells included) when there are any, else the order implied by
 * the notebook's saved execution counts. Shared by the CLI and the extension.
 */
import type { CellAnalyzer } from './analysis';
import type { CellLanguage } from './analysis/facts';
import { buildLineageGraph, type ExecutionInput, type LineageGraph } from './lineage';
import { savedHistory } from './notebook/savedHistory';
import type { NotebookView } from './notebook/view';
import type { ExecutionRecord, ValueSummary } from './records';
import type { Store } from './store';

export interface NotebookLineage {
  graph: LineageGraph;
  executions: ExecutionInput[];
  source: 'recorded' | 'saved';
  /** Saved order only: how it was chosen, and code cells without a count (left out). */
  order?: 'execution-count' | 'notebook';
  notRun: number[];
  /** Recorded value summaries of an execution (empty for saved histories). */
  valuesOf(executionId: string): ValueSummary[];
}

export interface NotebookLineageInput {
  /** The notebook as it is now (a file, or an open editor document with unsaved edits). */
  notebook: NotebookView;
  /** The notebook's key in the store (workspace-relative path). */
  notebookKey: string;
  store?: Store | null;
  analyzer: CellAnalyzer;
}

/** An execution together with the language its code is analysed in. */
export interface AnalysedExecution extends ExecutionInput {
  language: CellLanguage;
}

export function analysedExecution(record: ExecutionRecord, cellIndex: number | null = record.cellIndex): AnalysedExecution {
  const { id, cellId, code, executionCount, success, sessionId, language } = record;
  return { id, cellId, cellIndex, code, executionCount, success, sessionId, language };
}

/** The lineage graph of executions, each analysed (through the analyser's cache) in its own language. */
export function analysedLineageGraph(executions: readonly AnalysedExecution[], analyzer: CellAnalyzer): LineageGraph {
  const languages = new Map(executions.map((e) => [e.id, e.language]));
  return buildLineageGraph(executions, (e) => analyzer.analyze(e.code, languages.get(e.id) ?? 'python'));
}

export function notebookLineage({ notebook, notebookKey, store, analyzer }: NotebookLineageInput): NotebookLineage {
  const recorded = store ? store.listExecutions(notebookKey) : [];
  if (recorded.length) {
    const executions = recorded.map((r) => analysedExecution(r, currentIndex(notebook, r.cellId, r.cellIndex)));
    const values = new Map(recorded.map((r) => [r.id, r.values]));
    return { graph: analysedLineageGraph(executions, analyzer), executions, source: 'recorded', notRun: [], valuesOf: (id) => values.get(id) ?? [] };
  }
  const saved = savedHistory(notebook);
  return { graph: analysedLineageGraph(saved.executions, analyzer), executions: saved.executions, source: 'saved', order: saved.order, notRun: saved.notRun, valuesOf: () => [] };
}

/**
 * Where a recorded cell sits in the notebook now (cells move); null when it was deleted.
 * Cells without nbformat ids are keyed by position, so their recorded index is kept.
 */
function currentIndex(notebook: NotebookView, cellId: string, recordedIndex: number | null): number | null {
  const cell = notebook.cells.find((c) => c.id === cellId);
  if (cell) return cell.index;
  return cellId.startsWith('cell-') ? recordedIndex : null;
}
