/**
 * File I/O of the store through an injected file system: atomic replacement (temp file in the
 * same directory, fsync, rename), a lock file so two processes do not save at the same moment,
 * change detection (stat fingerprint, then content hash) and moving corrupt files aside.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorCode, StoreBusyError } from './errors';

export interface FileStat {
  size: number;
  mtimeMs: number;
  ino: number;
  /** Permission bits (`0o600`…); a rewrite of the file keeps them. */
  mode?: number;
  /** False for a directory, FIFO or device: the store never reads one (it could block or never end). */
  isFile?: boolean;
}

/** The few file-system calls the store makes; rejections carry Node's `code` (`ENOENT`, `EEXIST`, …). */
export interface StoreFs {
  readFile(filePath: string): Promise<Uint8Array>;
  /** Creates a new file with `data` (and permission bits `mode`, when given) and fsyncs it before resolving. */
  writeFileSynced(filePath: string, data: Uint8Array, mode?: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  stat(filePath: string): Promise<FileStat>;
  /** Creates the directory and its parents; succeeds when it exists. */
  mkdir(dirPath: string): Promise<void>;
  unlink(filePath: string): Promise<void>;
  /**
   * Creates a file holding `data` only if none exists (rejects with code `EEXIST` otherwise). The
   * file appears with all its contents or not at all: a failed write (disk full) leaves nothing.
   */
  createExclusive(filePath: string, data: string): Promise<void>;
  /** The real path (symlinks followed); without it the path is written as given. */
  realpath?(filePath: string): Promise<string>;
  /** Makes a rename durable (fsync of the directory); optional because not every platform allows it. */
  syncDirectory?(dirPath: string): Promise<void>;
  /** Names in a directory; without it, temporary files of interrupted saves are not cleaned up. */
  readdir?(dirPath: string): Promise<string[]>;
}

export const nodeStoreFs: StoreFs = {
  readFile: async (p) => new Uint8Array(await nodeFs.readFile(p)),
  writeFileSynced: async (p, data, mode) => {
    // A new store gets the usual mode (0666 less the umask); a rewrite keeps the old file's, set
    // explicitly since open's mode is narrowed by the umask.
    const handle = await nodeFs.open(p, 'wx', mode === undefined ? 0o666 : 0o600);
    try {
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => nodeFs.rename(from, to),
  stat: async (p) => {
    const s = await nodeFs.stat(p);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino, mode: s.mode & 0o7777, isFile: s.isFile() };
  },
  mkdir: async (p) => {
    await nodeFs.mkdir(p, { recursive: true });
  },
  unlink: (p) => nodeFs.unlink(p),
  createExclusive: async (p, data) => {
    // Written to a temporary name first, then linked into place (link fails if the name exists),
    // so nobody ever sees an empty or half-written lock, even when the disk is full.
    const temp = `${p}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await nodeFs.writeFile(temp, data, { flag: 'wx' });
      try {
        await nodeFs.link(temp, p);
      } catch (err) {
        if (!LINK_UNSUPPORTED.has(errorCode(err) ?? '')) throw err;
        await createExclusiveDirectly(p, data);
      }
    } finally {
      await nodeFs.unlink(temp).catch(() => undefined);
    }
  },
  realpath: (p) => nodeFs.realpath(p),
  readdir: (p) => nodeFs.readdir(p),
  syncDirectory: async (p) => {
    let handle: nodeFs.FileHandle | undefined;
    try {
      handle = await nodeFs.open(p, 'r');
      await handle.sync();
    } catch {
      // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic.
    } finally {
      await handle?.close();
    }
  },
};

/** Errors of file systems without hard links (some network and FAT file systems). */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Where links are not supported: create, write, and remove the file again if the write fails. */
async function createExclusiveDirectly(p: string, data: string): Promise<void> {
  const handle = await nodeFs.open(p, 'wx');
  try {
    await handle.writeFile(data);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await nodeFs.unlink(p).catch(() => undefined);
    throw err;
  }
  await handle.close();
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What we last saw of the file: a cheap stat check first, the content hash when the stat differs. */
export interface Fingerprint {
  stat: FileStat;
  hash: string;
}

export function sameStat(a: FileStat, b: FileStat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export async function statOrNull(fs: StoreFs, filePath: string): Promise<FileStat | null> {
  try {
    return await fs.stat(filePath);
  } catch (err) {
    // ENOTDIR: a file sits where a parent directory should be, so this file cannot exist either.
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

const TEMP_MARK = '.tmp-';

function tempPrefix(filePath: string): string {
  return `${path.basename(filePath)}${TEMP_MARK}`;
}

/** A temp file older than this is abandoned even when a process with its pid runs (pids are reused). */
const ABANDONED_TEMP_MS = 10 * 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) !== 'ESRCH';
  }
}

/**
 * Removes temp files that saves killed between write and rename left behind: those whose writer
 * (pid in the name) is gone, or that are old. Call it while holding the lock, so no save of
 * this store is running in a live process.
 */
export async function removeAbandonedTemps(fs: StoreFs, filePath: string, now = Date.now()): Promise<string[]> {
  if (!fs.readdir) return [];
  const dir = path.dirname(filePath);
  // The store's temp files and those of its lock file (see nodeStoreFs.createExclusive).
  const prefixes = [tempPrefix(filePath), `${path.basename(filePath)}.lock${TEMP_MARK}`];
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const prefix = prefixes.find((p) => name.startsWith(p));
    if (prefix === undefined) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    const full = path.join(dir, name);
    const stat = await statOrNull(fs, full).catch(() => null);
    if (!stat) continue;
    // Our own store temps are leftovers (we hold the lock); our own lock temps may be in use by another store object.
    const ours = pid === process.pid && prefix === prefixes[0];
    const abandoned = !Number.isInteger(pid) || pid <= 0 || ours || (pid !== process.pid && !isRunning(pid)) || now - stat.mtimeMs > ABANDONED_TEMP_MS;
    if (!abandoned) continue;
    try {
      await fs.unlink(full);
      removed.push(full);
    } catch {
      // Gone already, or not ours to remove: the next save tries again.
    }
  }
  return removed;
}

/**
 * Writes `data` to `filePath` so that a crash at any point leaves either the old or the new file.
 * A symlink is followed (the file it points to is replaced, the link stays) and the file's
 * permission bits are kept.
 */
export async function writeAtomically(fs: StoreFs, filePath: string, data: Uint8Array): Promise<void> {
  const target = await realTarget(fs, filePath);
  await removeAbandonedTemps(fs, target);
  const mode = (await statOrNull(fs, target))?.mode;
  const tempPath = path.join(path.dirname(target), `${tempPrefix(target)}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFileSynced(tempPath, data, mode);
    await fs.rename(tempPath, target);
  } catch (err) {
    await fs.unlink(tempPath).catch(() => undefined);
    throw err;
  }
  await fs.syncDirectory?.(path.dirname(target));
}

async function realTarget(fs: StoreFs, filePath: string): Promise<string> {
  if (!fs.realpath) return filePath;
  try {
    return await fs.realpath(filePath);
  } catch (err) {
    // Not there yet (first save), or a dangling link: write the path as given.
    if (errorCode(err) === 'ENOENT') return filePath;
    throw err;
  }
}

/** Moves a file aside to `<file>.corrupt-<timestamp>` (never deletes it) and returns the new path. */
export async function moveAside(fs: StoreFs, filePath: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${filePath}.corrupt-${stamp}`;
  for (let n = 1; (await statOrNull(fs, target)) !== null; n++) target = `${filePath}.corrupt-${stamp}-${n}`;
  await fs.rename(filePath, target);
  return target;
}

export interface LockOptions {
  /** How long to wait for another process's lock. */
  timeoutMs?: number;
  /** A lock of another machine's process older than this was left by a process that died; it is taken over. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LockOwner {
  pid: number;
  host: string;
  /** Tells this lock from a later one of the same process (released only if it is still ours). */
  token: string;
}

/** A lock whose contents cannot be read (damaged, or written by an older nbprov) is taken over after this. */
const UNREADABLE_LOCK_MS = 2_000;
/** A lock of a running process on this machine older than this is taken over all the same (its pid was reused). */
const REUSED_PID_LOCK_MS = 10 * 60_000;

async function readOwner(fs: StoreFs, lockPath: string): Promise<Partial<LockOwner> | null> {
  try {
    const owner = JSON.parse(new TextDecoder().decode(await fs.readFile(lockPath))) as unknown;
    return typeof owner === 'object' && owner !== null ? (owner as Partial<LockOwner>) : null;
  } catch {
    return null;
  }
}

/**
 * The lock's stat when it is abandoned: its owner on this machine no longer runs, or (owner on
 * another machine) it is older than `staleMs`, or its contents are unreadable for a while. Null
 * when it is held (or gone).
 */
async function abandonedLock(fs: StoreFs, lockPath: string, staleMs: number): Promise<FileStat | null> {
  const held = await statOrNull(fs, lockPath);
  if (!held) return null;
  const age = Date.now() - held.mtimeMs;
  const owner = await readOwner(fs, lockPath);
  if (!owner || typeof owner.pid !== 'number') return age > (owner ? staleMs : UNREADABLE_LOCK_MS) ? held : null;
  if (owner.host !== os.hostname()) return age > staleMs ? held : null;
  return !isRunning(owner.pid) || age > REUSED_PID_LOCK_MS ? held : null;
}

/**
 * Removes an abandoned lock — only the one judged abandoned: it is first renamed to a private
 * name, and if that turns out to be a newer lock (another process took over and locked in
 * between), it is put back.
 */
async function takeOver(fs: StoreFs, lockPath: string, judged: FileStat): Promise<void> {
  const aside = `${lockPath}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, aside);
  } catch {
    return; // gone already: someone else took it over
  }
  const moved = await statOrNull(fs, aside).catch(() => null);
  if (moved && moved.ino !== judged.ino) {
    const data = await fs.readFile(aside).catch(() => null);
    if (data) await fs.createExclusive(lockPath, new TextDecoder().decode(data)).catch(() => undefined);
  }
  await fs.unlink(aside).catch(() => undefined);
}

/** Runs `work` while holding `<file>.lock`, so two processes never save the same store at once. */
export async function withLock<T>(fs: StoreFs, filePath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${filePath}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') };
  for (;;) {
    try {
      await fs.createExclusive(lockPath, JSON.stringify({ ...owner, at: new Date().toISOString() }));
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      const abandoned = await abandonedLock(fs, lockPath, staleMs);
      if (abandoned) {
        await takeOver(fs, lockPath, abandoned);
        continue;
      }
      if (Date.now() >= deadline) throw new StoreBusyError(filePath, lockPath);
      await sleep(15 + Math.random() * 20);
    }
  }
  try {
    return await work();
  } finally {
    // Only our own lock: after a take-over (we were judged dead), the lock is someone else's.
    if ((await readOwner(fs, lockPath))?.token === owner.token) await fs.unlink(lockPath).catch(() => undefined);
  }
}
