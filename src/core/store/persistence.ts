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
}

/** The few file-system calls the store makes; rejections carry Node's `code` (`ENOENT`, `EEXIST`, …). */
export interface StoreFs {
  readFile(filePath: string): Promise<Uint8Array>;
  /** Creates a new file with `data` and fsyncs it before resolving. */
  writeFileSynced(filePath: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  stat(filePath: string): Promise<FileStat>;
  /** Creates the directory and its parents; succeeds when it exists. */
  mkdir(dirPath: string): Promise<void>;
  unlink(filePath: string): Promise<void>;
  /** Creates a file only if none exists (rejects with code `EEXIST` otherwise). */
  createExclusive(filePath: string, data: string): Promise<void>;
  /** Makes a rename durable (fsync of the directory); optional because not every platform allows it. */
  syncDirectory?(dirPath: string): Promise<void>;
  /** Names in a directory; without it, temporary files of interrupted saves are not cleaned up. */
  readdir?(dirPath: string): Promise<string[]>;
}

export const nodeStoreFs: StoreFs = {
  readFile: async (p) => new Uint8Array(await nodeFs.readFile(p)),
  writeFileSynced: async (p, data) => {
    const handle = await nodeFs.open(p, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => nodeFs.rename(from, to),
  stat: async (p) => {
    const s = await nodeFs.stat(p);
    return { size: s.size, mtimeMs: s.mtimeMs, ino: s.ino };
  },
  mkdir: async (p) => {
    await nodeFs.mkdir(p, { recursive: true });
  },
  unlink: (p) => nodeFs.unlink(p),
  createExclusive: (p, data) => nodeFs.writeFile(p, data, { flag: 'wx' }),
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

function tempPrefix(filePath: string): string {
  return `${path.basename(filePath)}.tmp-`;
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
  const prefix = tempPrefix(filePath);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    const full = path.join(dir, name);
    const stat = await statOrNull(fs, full).catch(() => null);
    if (!stat) continue;
    const abandoned = !Number.isInteger(pid) || pid <= 0 || pid === process.pid || !isRunning(pid) || now - stat.mtimeMs > ABANDONED_TEMP_MS;
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

/** Writes `data` to `filePath` so that a crash at any point leaves either the old or the new file. */
export async function writeAtomically(fs: StoreFs, filePath: string, data: Uint8Array): Promise<void> {
  await removeAbandonedTemps(fs, filePath);
  const tempPath = path.join(path.dirname(filePath), `${tempPrefix(filePath)}${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await fs.writeFileSynced(tempPath, data);
    await fs.rename(tempPath, filePath);
  } catch (err) {
    await fs.unlink(tempPath).catch(() => undefined);
    throw err;
  }
  await fs.syncDirectory?.(path.dirname(filePath));
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
  /** A lock older than this was left by a process that died; it is taken over. */
  staleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LockOwner {
  pid: number;
  host: string;
}

/** A lock is abandoned when it is older than `staleMs`, or when its owner on this machine is no longer running. */
async function isAbandoned(fs: StoreFs, lockPath: string, staleMs: number): Promise<boolean> {
  const held = await statOrNull(fs, lockPath);
  if (!held) return true;
  if (Date.now() - held.mtimeMs > staleMs) return true;
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(new TextDecoder().decode(await fs.readFile(lockPath))) as Partial<LockOwner>;
  } catch {
    return false; // being written right now, or not ours to judge: wait for it to age
  }
  if (owner.host !== os.hostname() || typeof owner.pid !== 'number') return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (err) {
    return errorCode(err) === 'ESRCH';
  }
}

/** Runs `work` while holding `<file>.lock`, so two processes never save the same store at once. */
export async function withLock<T>(fs: StoreFs, filePath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${filePath}.lock`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const owner: LockOwner = { pid: process.pid, host: os.hostname() };
  for (;;) {
    try {
      await fs.createExclusive(lockPath, JSON.stringify({ ...owner, at: new Date().toISOString() }));
      break;
    } catch (err) {
      if (errorCode(err) !== 'EEXIST') throw err;
      if (await isAbandoned(fs, lockPath, staleMs)) {
        await fs.unlink(lockPath).catch(() => undefined);
        continue;
      }
      if (Date.now() >= deadline) throw new StoreBusyError(filePath, lockPath);
      await sleep(15 + Math.random() * 20);
    }
  }
  try {
    return await work();
  } finally {
    await fs.unlink(lockPath).catch(() => undefined);
  }
}
