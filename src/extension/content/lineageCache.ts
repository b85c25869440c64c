/**
 * The lineage of a notebook in the editor, rebuilt only when it can have changed. A recorded
 * history depends on the recorded executions and on where their cells sit now, not on what the
 * user is typing, so an edit reuses the graph; a new record rebuilds it from the records held in
 * memory (no store read). Without a recorded session the saved order of the live cells is used
 * (it changes with every edit). Mirrors core's notebookLineage for the recorded case. Pure.
 */
import type { CellAnalyzer, CellFacts, CellLanguage } from '../../core/analysis';
import type { NotebookView } from '../../core/notebook/view';
import { analysedExecution, analysedLineageGraph, notebookLineage, type NotebookLineage } from '../../core/notebookLineage';
import type { ExecutionRecord } from '../../core/records';

/** Facts kept per code string: the same strings come back on every rebuild, and V8 keeps their hashes. */
const MEMO_LIMIT = 5000;

export class NotebookLineageCache {
  private last: { records: readonly ExecutionRecord[]; layout: string; lineage: NotebookLineage } | undefined;
  private readonly memo = new Map<CellLanguage, Map<string, CellFacts>>();
  private memoSize = 0;
  /** The analyser, remembered by code string (the shared analyser keys its cache by a SHA-1 of the code). */
  private readonly analyzer: CellAnalyzer;

  constructor(shared: CellAnalyzer) {
    this.analyzer = {
      key: (code, language) => shared.key(code, language),
      analyze: (code, language) => {
        let byCode = this.memo.get(language);
        if (!byCode) this.memo.set(language, (byCode = new Map()));
        let facts = byCode.get(code);
        if (!facts) {
          if (this.memoSize >= MEMO_LIMIT) {
            this.memo.clear();
            this.memoSize = 0;
            this.memo.set(language, (byCode = new Map()));
          }
          facts = shared.analyze(code, language);
          byCode.set(code, facts);
          this.memoSize++;
        }
        return facts;
      },
    };
  }

  /** `records`: the notebook's recorded executions in execution order (a new array whenever they change). */
  lineage(view: NotebookView, notebookKey: string, records: readonly ExecutionRecord[]): NotebookLineage {
    if (!records.length) return notebookLineage({ notebook: view, notebookKey, store: null, analyzer: this.analyzer });
    const layout = view.cells.map((c) => c.id).join('\n');
    if (this.last && this.last.records === records && this.last.layout === layout) return this.last.lineage;
    const position = new Map(view.cells.map((c) => [c.id, c.index]));
    // Cells without nbformat ids are keyed by position, so a recorded index stays theirs; a vanished id is a deleted cell.
    const executions = records.map((r) => analysedExecution(r, position.get(r.cellId) ?? (r.cellId.startsWith('cell-') ? r.cellIndex : null)));
    const values = new Map(records.map((r) => [r.id, r.values]));
    const lineage: NotebookLineage = {
      graph: analysedLineageGraph(executions, this.analyzer),
      executions,
      source: 'recorded',
      notRun: [],
      valuesOf: (id) => values.get(id) ?? [],
    };
    this.last = { records, layout, lineage };
    return lineage;
  }
}

/** `records` with `record` added (or replacing the record with its id), in execution order. */
export function withRecord(records: readonly ExecutionRecord[], record: ExecutionRecord): ExecutionRecord[] {
  const index = records.findIndex((r) => r.id === record.id);
  if (index >= 0) return records.map((r, i) => (i === index ? record : r));
  const next = [...records, record];
  // Execution order is start time (as the store lists it); a record arriving late is placed by it.
  for (let i = next.length - 1; i > 0 && Date.parse(next[i - 1].startedAt) > Date.parse(next[i].startedAt); i--) [next[i - 1], next[i]] = [next[i], next[i - 1]];
  return next;
}
