/**
 * Which folder's `.nbprov/` store a notebook uses — the same answer the CLI gives when run from the
 * workspace folder: the nearest folder above the notebook that already has `.nbprov/` (up to the
 * workspace folder), else the workspace folder, else the notebook's own folder. Pure.
 */
import path from 'node:path';
import { STORE_DIR } from '../core/store/store';

export function storeWorkspaceFor(notebookFile: string, workspaceFolder: string | undefined, exists: (p: string) => boolean): string {
  const stop = workspaceFolder ? path.resolve(workspaceFolder) : undefined;
  for (let dir = path.dirname(path.resolve(notebookFile)); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, STORE_DIR))) return dir;
    if (dir === stop || path.dirname(dir) === dir) break;
  }
  return stop ?? path.dirname(path.resolve(notebookFile));
}

/** The notebook's key in the store: workspace-relative, '/'-separated (as `nbprov` names it). */
export function notebookKeyIn(workspace: string, notebookFile: string): string {
  const relative = path.relative(workspace, path.resolve(notebookFile));
  const key = relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(notebookFile) : relative;
  return key.split(path.sep).join('/');
}
