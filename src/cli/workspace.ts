import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { NbprovError } from '../core/errors';
import { STORE_DIR } from '../core/store';

/**
 * The workspace whose store a command uses: --workspace if given; else the nearest folder above
 * the notebook (or the current folder) that already has a `.nbprov/` store; else the current folder.
 */
export function resolveWorkspace(cwd: string, explicit?: string, notebookPath?: string): string {
  if (explicit) {
    const dir = path.resolve(cwd, explicit);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new NbprovError(`--workspace ${explicit}: no such folder; pass the folder that holds (or should hold) .nbprov/`);
    }
    return dir;
  }
  const starts = [notebookPath ? path.dirname(path.resolve(cwd, notebookPath)) : null, cwd].filter((s): s is string => s !== null);
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, STORE_DIR))) return dir;
      if (path.dirname(dir) === dir) break;
    }
  }
  return cwd;
}

/** How a notebook is named inside a store: its path relative to the workspace, with forward slashes. */
export function notebookKey(workspace: string, cwd: string, notebookPath: string): string {
  const absolute = path.resolve(cwd, notebookPath);
  const relative = path.relative(workspace, absolute);
  const key = relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  return key.split(path.sep).join('/');
}
