/**
 * The execution history a saved notebook implies when nothing was recorded: the code cells that
 * have an `execution_count`, in count order (the order they last ran). A notebook saved without
 * counts (never run, or cleared) is read in notebook order, as if run top to bottom.
 */
import type { CellLanguage } from '../analysis/facts';
import type { NotebookView } from './view';

export interface SavedExecution {
  id: string;
  cellId: string;
  cellIndex: number;
  code: string;
  language: CellLanguage;
  executionCount: number | null;
  success: boolean;
  sessionId: string;
}

export interface SavedHistory {
  executions: SavedExecution[];
  /** How the order was chosen, for the user. */
  order: 'execution-count' | 'notebook';
  /** Code cells left out because they have no execution count although others do. */
  notRun: number[];
}

export function savedHistory(notebook: NotebookView): SavedHistory {
  const code = notebook.cells.filter((c) => c.cellType === 'code' && c.language !== null);
  const counted = code.filter((c) => c.executionCount !== null);
  const order: SavedHistory['order'] = counted.length ? 'execution-count' : 'notebook';
  const chosen = counted.length ? [...counted].sort((a, b) => a.executionCount! - b.executionCount! || a.index - b.index) : code;
  return {
    order,
    notRun: counted.length ? code.filter((c) => c.executionCount === null).map((c) => c.index) : [],
    executions: chosen.map((cell) => ({
      id: `saved:${cell.id}`,
      cellId: cell.id,
      cellIndex: cell.index,
      code: cell.source,
      language: cell.language!,
      executionCount: cell.executionCount,
      success: true,
      sessionId: 'saved',
    })),
  };
}
