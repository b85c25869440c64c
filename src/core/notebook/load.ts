import { readFileSync, statSync } from 'node:fs';
import { NbprovError } from '../errors';
import { parseNotebook, type Notebook } from './ipynb';

/** Notebooks above this size are refused rather than risking the editor's or CLI's memory. */
export const MAX_NOTEBOOK_BYTES = 512 * 1024 * 1024;

/** Reads and parses a notebook file; every failure is an NbprovError naming the problem and the fix. */
export function loadNotebook(notebookPath: string): Notebook {
  let size: number;
  try {
    const st = statSync(notebookPath);
    if (st.isDirectory()) throw new NbprovError(`${notebookPath} is a directory; pass a .ipynb file`);
    size = st.size;
  } catch (err) {
    if (err instanceof NbprovError) throw err;
    throw new NbprovError(`${notebookPath}: no such file; check the path (relative paths start from ${process.cwd()})`);
  }
  if (size > MAX_NOTEBOOK_BYTES) {
    throw new NbprovError(`${notebookPath} is ${Math.round(size / 1048576)} MB; nbprov reads notebooks up to ${MAX_NOTEBOOK_BYTES / 1048576} MB — clear large outputs first`);
  }
  let text: string;
  try {
    text = readFileSync(notebookPath, 'utf8');
  } catch (err) {
    throw new NbprovError(`${notebookPath}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check its permissions`);
  }
  return parseNotebook(text, notebookPath);
}
