// Store saves keep the file as its user set it up (mode, symlink), and a lock left behind by a save
// that failed (a full disk: an empty lock file, or an older nbprov's half-written one) never blocks
// the next save once space returns.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { nodeStoreFs, openStore, openStoreAt, storePath, StoreUnwritableError, type StoreFs } from '../../src/core/store';
import { execution, NOTEBOOK, tempWorkspace } from './fixtures';

const ids = (store: { listExecutions(nb: string): { id: string }[] }) => store.listExecutions(NOTEBOOK).map((e) => e.id).sort();
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

describe('store files kept as they were', () => {
  test('a save keeps the store file\'s mode (0600 stays 0600)', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('e1'));
    await store.save();
    chmodSync(storePath(ws), 0o600);
    store.addExecution(execution('e2'));
    assert.equal((await store.save()).written, true);
    assert.equal(statSync(storePath(ws)).mode & 0o777, 0o600);
    store.close();
  });

  test('a store reached through a symlink: the real file is written and the link stays', async (t) => {
    const ws = tempWorkspace(t);
    const real = path.join(ws, 'elsewhere', 'real.sqlite');
    const first = await openStoreAt(real);
    first.addExecution(execution('e1'));
    await first.save();
    first.close();
    mkdirSync(path.join(ws, '.nbprov'));
    symlinkSync(real, storePath(ws));
    const store = await openStore(ws);
    store.addExecution(execution('e2'));
    await store.save();
    store.close();
    assert.ok(lstatSync(storePath(ws)).isSymbolicLink(), 'the link is still a link');
    const reopened = await openStoreAt(real);
    assert.deepEqual(ids(reopened), ['e1', 'e2']);
    reopened.close();
    assert.deepEqual(readdirSync(path.dirname(real)).filter((f) => f.includes('.tmp-')), []);
  });
});

describe('locks left by failed saves', () => {
  test('a full disk while the lock is written leaves no lock file; the next save succeeds', async (t) => {
    const ws = tempWorkspace(t);
    // A disk that fills up at the first write of this save: nothing may stay behind.
    const full: StoreFs = { ...nodeStoreFs, createExclusive: () => Promise.reject(enospc()), writeFileSynced: () => Promise.reject(enospc()) };
    const store = await openStore(ws, { fs: full });
    store.addExecution(execution('e1'));
    await assert.rejects(store.save(), (err: unknown) => err instanceof StoreUnwritableError && /no space left/.test(err.message) && /free some space/.test(err.message));
    store.close();
    assert.deepEqual(readdirSync(path.join(ws, '.nbprov')), []);

    // Space is back: the next save (real file system) is not blocked by anything the failure left.
    const again = await openStore(ws, { lockTimeoutMs: 5_000 });
    again.addExecution(execution('e1'));
    assert.equal((await again.save()).written, true);
    assert.deepEqual(readdirSync(path.join(ws, '.nbprov')), ['store.sqlite']);
    again.close();
  });

  test('an empty lock file (a save that ran out of space in an older nbprov) is taken over, not waited on forever', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws, { lockTimeoutMs: 5_000 });
    await store.save();
    const lock = `${storePath(ws)}.lock`;
    writeFileSync(lock, '');
    // Written long enough ago to be no save's lock in the making.
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    store.addExecution(execution('e1'));
    assert.equal((await store.save()).written, true);
    assert.equal(existsSync(lock), false);
    store.close();
  });

  test('a lock of a live process is never taken over, however old (it is still saving)', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws, { lockTimeoutMs: 100 });
    await store.save();
    const lock = `${storePath(ws)}.lock`;
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), token: 'other' }));
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    store.addExecution(execution('e1'));
    await assert.rejects(store.save(), /locked by another nbprov process/);
    assert.equal(readFileSync(lock, 'utf8').includes('other'), true, 'the live owner\'s lock is untouched');
    store.close();
  });

  test('a save whose lock was taken over (it was judged dead) does not delete the new owner\'s lock', async (t) => {
    const ws = tempWorkspace(t);
    const lock = `${storePath(ws)}.lock`;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const newOwner = JSON.stringify({ pid: dead, host: os.hostname(), token: 'new-owner' });
    // While this save works, another process replaces its lock (as a take-over would).
    const hijacked: StoreFs = {
      ...nodeStoreFs,
      writeFileSynced: async (p, data, mode) => {
        renameSync(lock, `${lock}.moved`);
        writeFileSync(lock, newOwner);
        return nodeStoreFs.writeFileSynced(p, data, mode);
      },
    };
    const store = await openStore(ws, { fs: hijacked });
    store.addExecution(execution('e1'));
    await store.save();
    store.close();
    assert.equal(readFileSync(lock, 'utf8'), newOwner);
  });
});
