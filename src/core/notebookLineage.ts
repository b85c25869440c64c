/**
 * The lineage of one notebook, from the best history available: the recorded executions in the
 * store (re-executions and deleted cells included) when there are any, else the order implied by
 * the notebook's saved execution counts. Shared by the CLI and the extension.
 */
import type { CellAnalyzer, FactsCache } from './analysis';
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
  /**
   * Put facts computed here into the store (unsaved: they reach disk with its next save). For
   * callers that save the store anyway (the extension, recorders); read-only callers leave it
   * off and only read facts from the store, so a query never changes the store.
   */
  keepFacts?: boolean;
}

/** An execution together with the language its code is analysed in. */
export interface AnalysedExecution extends ExecutionInput {
  language: CellLanguage;
}

export function analysedExecution(record: ExecutionRecord, cellIndex: number | null = record.cellIndex): AnalysedExecution {
  const { id, cellId, code, executionCount, success, sessionId, language, identities } = record;
  return { id, cellId, cellIndex, code, executionCount, success, sessionId, language, ...(identities ? { identities } : {}) };
}

/**
 * The lineage graph of executions, each analysed in its own language through the analyser's memory
 * cache, then `facts` (normally the store: facts put there reach disk only with its next save).
 */
export function analysedLineageGraph(executions: readonly AnalysedExecution[], analyzer: CellAnalyzer, facts?: FactsCache): LineageGraph {
  const languages = new Map(executions.map((e) => [e.id, e.language]));
  return buildLineageGraph(executions, (e) => analyzer.analyze(e.code, languages.get(e.id) ?? 'python', facts));
}

export function notebookLineage({ notebook, notebookKey, store, analyzer, keepFacts = false }: NotebookLineageInput): NotebookLineage {
  const facts = store ? (keepFacts ? store : readOnlyFacts(store)) : undefined;
  const recorded = store ? store.listExecutions(notebookKey) : [];
  if (recorded.length) {
    const indexById = new Map<string, number>();
    for (const cell of notebook.cells) if (!indexById.has(cell.id)) indexById.set(cell.id, cell.index);
    const executions = recorded.map((r) => analysedExecution(r, currentIndex(indexById, r.cellId, r.cellIndex)));
    const values = new Map(recorded.map((r) => [r.id, r.values]));
    const graph = withEdits(analysedLineageGraph(executions, analyzer, facts), executions, notebook, analyzer, facts);
    return { graph, executions, source: 'recorded', notRun: [], valuesOf: (id) => values.get(id) ?? [] };
  }
  const saved = savedHistory(notebook);
  return { graph: analysedLineageGraph(saved.executions, analyzer, facts), executions: saved.executions, source: 'saved', order: saved.order, notRun: saved.notRun, valuesOf: () => [] };
}

/** Lets `dependents` see a cell's edited code: the history again, every run of the cell holding its current code (built on first use). */
function withEdits(graph: LineageGraph, executions: readonly AnalysedExecution[], notebook: NotebookView, analyzer: CellAnalyzer, facts?: FactsCache): LineageGraph {
  const built = new Map<string, LineageGraph | undefined>();
  const asEdited = (cellId: string): LineageGraph | undefined => {
    if (built.has(cellId)) return built.get(cellId);
    const cell = notebook.cells.find((c) => c.id === cellId);
    const positions = graph.cellExecutions.get(cellId) ?? [];
    let edited: LineageGraph | undefined;
    // The edited notebook runs the new code wherever the cell ran: a reader between two runs sees it too.
    if (cell && cell.cellType === 'code' && positions.some((p) => executions[p].code !== cell.source)) {
      edited = analysedLineageGraph(executions.map((e) => (e.cellId === cellId ? { ...e, code: cell.source } : e)), analyzer, facts);
    }
    built.set(cellId, edited);
    return edited;
  };
  return { ...graph, asEdited };
}

function readOnlyFacts(store: Store): FactsCache {
  return { getFacts: (key) => store.getFacts(key), putFacts: () => undefined };
}

/**
 * Where a recorded cell sits in the notebook now (cells move); null when it was deleted.
 * Cells without nbformat ids are keyed by position, so their recorded index is kept.
 */
function currentIndex(indexById: ReadonlyMap<string, number>, cellId: string, recordedIndex: number | null): number | null {
  const index = indexById.get(cellId);
  if (index !== undefined) return index;
  return cellId.startsWith('cell-') ? recordedIndex : null;
}
