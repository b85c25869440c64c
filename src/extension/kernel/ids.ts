/**
 * The controller's contract ids (DESIGN.md §4). VS Code names a controller `<publisher>.<name>/<id>`
 * in the `notebookKernel` context key, which the restart button's `when` clause in package.json
 * compares against (a test checks the two agree).
 */
export const CONTROLLER_ID = 'nbprov-python';
export const CONTROLLER_LABEL = 'nbprov: Python';
export const NOTEBOOK_TYPE = 'jupyter-notebook';

/** The value of the `notebookKernel` context key while "nbprov: Python" is the notebook's kernel. */
export function notebookKernelContextValue(extensionId: string): string {
  return `${extensionId}/${CONTROLLER_ID}`;
}
