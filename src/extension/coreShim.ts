/**
 * Temporary: core's notebookLineage and trialFromSession still take a parsed ipynb `Notebook`
 * (h-contracts is moving them to `NotebookView`). This adapts a view to the fields they read
 * (cells; `raw.metadata.nbprov.variables`) and stays a NotebookView, so callers compile against
 * either signature. Once core takes views: pass the view itself and delete this file.
 */
import type { Notebook, NotebookCell } from '../core/notebook/ipynb';
import type { NotebookView } from '../core/notebook/view';

export function notebookOfView(view: NotebookView): Notebook & NotebookView {
  const cells = view.cells.map((c): NotebookCell => ({ ...c, tags: [...c.tags] }));
  const adapted = {
    path: view.path,
    nbformat: 4,
    nbformatMinor: 5,
    cells,
    raw: { nbformat: 4, nbformat_minor: 5, metadata: { nbprov: { variables: view.variableTags() } }, cells: [] },
    variableTags: () => view.variableTags(),
  };
  // Cast: the fields either core version reads are here, whatever else its Notebook type lists.
  return adapted as unknown as Notebook & NotebookView;
}
