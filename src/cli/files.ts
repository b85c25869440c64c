import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NbprovError } from '../core/errors';
import type { Notebook } from '../core/notebook/ipynb';
import { loadNotebook } from '../core/notebook/load';

/** A notebook named on the command line, keeping the path as the user wrote it for messages. */
export function readNotebookArg(cwd: string, notebookArg: string): { notebook: Notebook; file: string } {
  const file = path.resolve(cwd, notebookArg);
  const notebook = loadNotebook(file);
  notebook.path = notebookArg;
  return { notebook, file };
}

/** Writes a file the user named (--out, --output); failures name the file and the fix. */
export function writeUserFile(cwd: string, target: string, text: string): string {
  const file = path.resolve(cwd, target);
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new NbprovError(`cannot write ${target} (${(err as NodeJS.ErrnoException).code ?? String(err)}); pick a writable path`);
  }
  return file;
}

/** Replaces a file through a temporary sibling and a rename, so an interrupted write cannot truncate it. */
export function replaceFileAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.nbprov-${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}
