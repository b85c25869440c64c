import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { NotebookError, NotebookFormatError } from './errors';
import { parseNotebook, type Notebook } from './ipynb';

/** Notebooks above this size are refused rather than risking the editor's or CLI's memory. */
export const MAX_NOTEBOOK_BYTES = 512 * 1024 * 1024;

/** A notebook file's bytes, checked: a regular file (no FIFO or device), within the size limit. */
export function readNotebookBytes(filePath: string, notebookPath = filePath): Buffer {
  let fd: number;
  try {
    // Refuse special files before opening them: opening a FIFO for reading blocks until a writer comes.
    const st = statSync(filePath);
    if (st.isDirectory()) throw new NotebookError('notebook-not-a-file', { path: notebookPath, kind: 'directory' }, `${notebookPath} is a directory; pass a .ipynb file`);
    if (!st.isFile()) throw new NotebookError('notebook-not-a-file', { path: notebookPath, kind: 'special' }, `${notebookPath} is not a regular file (a pipe, socket or device); pass a .ipynb file`);
    fd = openSync(filePath, 'r');
  } catch (err) {
    if (err instanceof NotebookError) throw err;
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    if (reason === 'ENOENT' || reason === 'ENOTDIR') throw new NotebookError('notebook-not-found', { path: notebookPath }, `${notebookPath}: no such file`);
    throw new NotebookError('notebook-unreadable', { path: notebookPath, reason }, `${notebookPath}: cannot be read (${reason})`);
  }
  try {
    // The open file is what is read: check it again (the path may have been swapped since the stat).
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotebookError('notebook-not-a-file', { path: notebookPath, kind: 'special' }, `${notebookPath} is not a regular file; pass a .ipynb file`);
    if (st.size > MAX_NOTEBOOK_BYTES) {
      throw new NotebookError(
        'notebook-too-large',
        { path: notebookPath, bytes: st.size, limitBytes: MAX_NOTEBOOK_BYTES },
        `${notebookPath} is ${Math.round(st.size / 1048576)} MB; nbprov reads notebooks up to ${MAX_NOTEBOOK_BYTES / 1048576} MB — clear large outputs first`,
      );
    }
    return readAll(fd, st.size, notebookPath);
  } catch (err) {
    if (err instanceof NotebookError) throw err;
    const reason = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new NotebookError('notebook-unreadable', { path: notebookPath, reason }, `${notebookPath}: cannot be read (${reason})`);
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end, never past the size limit (a file can grow while it is read). */
function readAll(fd: number, expected: number, notebookPath: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.max(65536, Math.min(expected - total + 1, 16 * 1048576)));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    total += n;
    if (total > MAX_NOTEBOOK_BYTES) {
      throw new NotebookError('notebook-too-large', { path: notebookPath, bytes: total, limitBytes: MAX_NOTEBOOK_BYTES }, `${notebookPath} is larger than ${MAX_NOTEBOOK_BYTES / 1048576} MB; nbprov reads notebooks up to that size — clear large outputs first`);
    }
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/**
 * UTF-8 text of a notebook's bytes, exactly (a byte-order mark is kept in the text, so writing the
 * text back gives the same bytes). Invalid UTF-8 is refused, never replaced.
 */
export function decodeNotebookText(bytes: Uint8Array, notebookPath: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    throw new NotebookFormatError(
      'notebook-invalid-utf8',
      { path: notebookPath, offset },
      `${notebookPath}: is not valid UTF-8 (first bad byte at offset ${offset}); notebooks are UTF-8 JSON — re-save it from Jupyter or fix the encoding`,
    );
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const [length, min] = b < 0x80 ? [1, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80] : b >= 0xe0 && b <= 0xef ? [3, 0x800] : b >= 0xf0 && b <= 0xf4 ? [4, 0x10000] : [0, 0];
    if (length === 0) return i;
    let cp = length === 1 ? b : b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += length;
  }
  return bytes.length;
}

/**
 * Reads and parses a notebook file; every failure is a NotebookError with the problem as data.
 * `shownPath` (default: the path read) names the notebook in messages and in `Notebook.path`.
 */
export function loadNotebook(notebookPath: string, shownPath = notebookPath): Notebook {
  const bytes = readNotebookBytes(notebookPath, shownPath);
  return parseNotebook(decodeNotebookText(bytes, shownPath), shownPath);
}
