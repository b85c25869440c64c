import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NbprovError } from '../core/errors';
import type { Notebook } from '../core/notebook/ipynb';
import { applyNotebookEdits } from '../core/notebook/ipynbEdits';
import { loadNotebook } from '../core/notebook/load';
import type { NotebookEdit } from '../core/notebook/view';

/** A notebook named on the command line, keeping the path as the user wrote it for messages. */
export function readNotebookArg(cwd: string, notebookArg: string): { notebook: Notebook; file: string } {
  const file = path.resolve(cwd, notebookArg);
  return { notebook: loadNotebook(file, notebookArg), file };
}

/**
 * Writes a file the user named (--out, --output) whole or not at all: the text goes to a temporary
 * sibling that is fsynced and renamed over the target, so a full disk or a crash never leaves an
 * empty or partial file (an existing file stays as it was). A symlink is followed and an existing
 * file keeps its mode. Failures name the file and the fix.
 */
export function writeUserFile(cwd: string, target: string, text: string): string {
  const file = path.resolve(cwd, target);
  const real = existingRealPath(file);
  const dir = path.dirname(real);
  let mode = 0o666 & ~process.umask();
  try {
    const st = statSync(real);
    if (st.isDirectory()) throw new NbprovError(`cannot write ${target}: it is a directory; pick a file name`);
    if (!st.isFile()) throw new NbprovError(`cannot write ${target}: it is not a regular file; pick another path`);
    mode = st.mode & 0o7777;
  } catch (err) {
    if (err instanceof NbprovError) throw err;
  }
  const temp = path.join(dir, `.${path.basename(real)}.nbprov-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    fchmodSync(fd, mode);
    writeAll(fd, Buffer.from(text, 'utf8'), 0);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, real);
  } catch (err) {
    if (fd !== undefined) closeQuietly(fd);
    unlinkQuietly(temp);
    throw new NbprovError(`cannot write ${target} (${userFileReason(err)}); ${userFileFix(err)}`);
  }
  syncDirectory(dir);
  return file;
}

/**
 * Fails early (before a long run) when `target` could not be written later: its folder is missing
 * or not writable, it is a directory, or the disk has no room for a first block.
 */
export function checkUserFileWritable(cwd: string, target: string): void {
  const file = path.resolve(cwd, target);
  const real = existingRealPath(file);
  try {
    const st = statSync(real);
    if (st.isDirectory()) throw new NbprovError(`cannot write ${target}: it is a directory; pick a file name`);
  } catch (err) {
    if (err instanceof NbprovError) throw err;
  }
  const probe = path.join(path.dirname(real), `.${path.basename(real)}.nbprov-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(probe, 'wx', 0o600);
    try {
      writeAll(fd, Buffer.alloc(PROBE_BYTES), 0);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new NbprovError(`cannot write ${target} (${userFileReason(err)}); ${userFileFix(err)}`);
  } finally {
    unlinkQuietly(probe);
  }
}

/** A write check writes this much, so a disk with no room at all is found before the work starts. */
const PROBE_BYTES = 4096;

/** True when both paths exist and name one file (through a symlink or a hard link). */
export function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/** A notebook edit that failed before anything changed. */
function cannotWrite(shown: string, err: unknown): NbprovError {
  const code = errno(err);
  const fix = code === 'ENOSPC' || code === 'EDQUOT' ? ' — free some space and run the command again' : '';
  return new NbprovError(`cannot write ${shown} (${userFileReason(err)}); it is unchanged${fix}`);
}

function existingRealPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

function userFileReason(err: unknown): string {
  const code = errno(err);
  const words: Record<string, string> = { ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EACCES: 'permission denied', EPERM: 'operation not permitted', EROFS: 'read-only file system', ENOENT: 'no such folder', ENOTDIR: 'a path component is a file' };
  return words[code] ? `${words[code]}, ${code}` : code;
}

function userFileFix(err: unknown): string {
  const code = errno(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space or pick a path on another disk; nothing was written';
  return 'pick a writable path; nothing was written';
}

/**
 * Applies edits to a notebook file read by readNotebookArg: only the edited values change in the
 * text (see applyNotebookEdits), and the file is written by saveFileContents.
 */
export function saveNotebookEdits(file: string, notebook: Notebook, edits: readonly NotebookEdit[]): void {
  if (!edits.length) return;
  const after = applyNotebookEdits(notebook.text, edits, notebook.path);
  saveFileContents(file, Buffer.from(notebook.text, 'utf8'), Buffer.from(after, 'utf8'), notebook.path);
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));

/**
 * Replaces the contents of a file that held `before` with `after`, keeping what makes it the same
 * file to its user: a symlink is followed and stays a link (the real file is written); the mode,
 * owner and hard links are kept. A file with one link is replaced atomically (temporary sibling,
 * fsync, rename), so a crash leaves the old or the new file, never half of one. A file with several
 * links (or whose owner a new file could not keep) is rewritten in place, since a rename would cut
 * it from its other names: a backup copy is written and synced first, only the bytes from the first
 * difference on are rewritten, the result is read back and compared, and on failure the original
 * is written back (or, if even that fails, the message names the backup).
 * A file changed by someone else since it was read is left alone.
 */
export function saveFileContents(file: string, before: Buffer, after: Buffer, shown: string): void {
  let target: string;
  let st: Stats;
  try {
    target = realpathSync(file);
    st = statSync(target);
  } catch (err) {
    throw cannotWrite(shown, err);
  }
  if (!st.isFile()) throw new NbprovError(`cannot write ${shown}: it is not a regular file; it is unchanged`);
  try {
    // A read-only file stays read-only: replacing it through its directory would bypass that.
    accessSync(target, constants.W_OK);
  } catch (err) {
    throw new NbprovError(`cannot write ${shown} (${errno(err)}): it is read-only for you; it is unchanged — make it writable first`);
  }
  let current: Buffer;
  try {
    current = readFileSync(target);
  } catch (err) {
    throw cannotWrite(shown, err);
  }
  if (!current.equals(before)) {
    throw new NbprovError(`${shown} changed on disk while nbprov was editing it; nothing was written — run the command again`);
  }
  if (st.nlink > 1 || !replaceByRename(target, after, st, shown)) rewriteInPlace(target, before, after, shown);
}

/** Atomic replacement; false when it cannot keep the file's identity (then the caller rewrites in place). */
function replaceByRename(target: string, after: Buffer, st: Stats, shown: string): boolean {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.nbprov-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = st.mode & 0o7777;
  let fd: number;
  try {
    fd = openSync(temp, 'wx', mode & 0o700);
  } catch (err) {
    // A directory we cannot create files in may still hold a file we can write.
    if (['EACCES', 'EPERM'].includes(errno(err))) return false;
    throw cannotWrite(shown, err);
  }
  let open = true;
  try {
    try {
      fchownSync(fd, st.uid, st.gid);
    } catch {
      // Not permitted: checked below.
    }
    const made = fstatSync(fd);
    if (made.uid !== st.uid || made.gid !== st.gid) {
      closeSync(fd);
      open = false;
      unlinkSync(temp);
      return false;
    }
    fchmodSync(fd, mode);
    writeAll(fd, after, 0);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(temp, target);
  } catch (err) {
    if (open) closeQuietly(fd);
    unlinkQuietly(temp);
    throw cannotWrite(shown, err);
  }
  syncDirectory(dir);
  return true;
}

function rewriteInPlace(target: string, before: Buffer, after: Buffer, shown: string): void {
  const backup = writeBackup(target, before, shown);
  let fd: number;
  try {
    fd = openSync(target, 'r+');
  } catch (err) {
    unlinkQuietly(backup);
    throw cannotWrite(shown, err);
  }
  const from = firstDifference(before, after);
  try {
    writeAll(fd, after.subarray(from), from);
    ftruncateSync(fd, after.length);
    fsyncSync(fd);
    const written = readFileSync(target);
    if (!written.equals(after)) throw new Error('the file read back differs from what was written');
  } catch (err) {
    try {
      writeAll(fd, before.subarray(from), from);
      ftruncateSync(fd, before.length);
      fsyncSync(fd);
      if (!readFileSync(target).equals(before)) throw new Error('restore differs');
    } catch {
      closeQuietly(fd);
      throw new NbprovError(`writing ${shown} failed (${errno(err)}) and it could not be restored; its previous contents are in ${backup}`);
    }
    closeQuietly(fd);
    unlinkQuietly(backup);
    throw cannotWrite(shown, err);
  }
  closeQuietly(fd);
  unlinkQuietly(backup);
}

/** A synced copy of the original next to it (or in the temporary directory), readable by the user only. */
function writeBackup(target: string, before: Buffer, shown: string): string {
  const name = `.${path.basename(target)}.nbprov-backup-${process.pid}-${randomBytes(4).toString('hex')}`;
  let lastError: unknown;
  for (const dir of [path.dirname(target), os.tmpdir()]) {
    const backup = path.join(dir, name);
    try {
      const fd = openSync(backup, 'wx', 0o600);
      try {
        writeAll(fd, before, 0);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      return backup;
    } catch (err) {
      unlinkQuietly(backup);
      lastError = err;
    }
  }
  throw new NbprovError(`cannot write ${shown}: no room for a backup copy (${errno(lastError)}); it is unchanged`);
}

function writeAll(fd: number, data: Buffer, position: number): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done, position + done);
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a directory be synced; the rename itself has happened.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
