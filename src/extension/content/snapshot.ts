import type { CellAnalyzer } from '../../core/analysis';
import type { NotebookView } from '../../core/notebook/view';
import type { NotebookLineage } from '../../core/notebookLineage';
import type { Store } from '../../core/store';

/** What the content builders read: the provenance of one notebook at one moment (no vscode). */
export interface ProvenanceSnapshot {
  readonly view: NotebookView;
  readonly notebookKey: string;
  readonly lineage: NotebookLineage;
  readonly analyzer: CellAnalyzer;
  readonly store: Store | null;
}
