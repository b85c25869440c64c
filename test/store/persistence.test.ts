import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { existsSync, mkdirSync, readdirSync, readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import {
  nodeStoreFs,
  openStore,
  openStoreAt,
  storePath,
  StoreBusyError,
  StoreCorruptWarning,
  StoreUnwritableError,
  type StoreFs,
  type StoreWarning,
} from '../../src/core/store';
import { execution, intValue, metric, NOTEBOOK, session, tempWorkspace, trial } from './fixtures';

const ids = (store: { listExecutions(nb: string): { id: string }[] }) => store.listExecutions(NOTEBOOK).map((e) => e.id).sort();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function corruptFiles(ws: string): string[] {
  return readdirSync(path.join(ws, '.nbprov')).filter((f) => f.startsWith('store.sqlite.corrupt-'));
}

class SimulatedCrash extends Error {}

/** A file system that "dies" at a chosen call: the call does partial work, it and everything after it throw. */
function crashingFs(crashAt: 'writeFileSynced' | 'rename'): StoreFs & { crashed: boolean } {
  const state = { crashed: false };
  const guard = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    if (state.crashed) throw new SimulatedCrash('process is dead');
    return fn(...args);
  };
  return {
    get crashed() {
      return state.crashed;
    },
    readFile: guard(nodeStoreFs.readFile),
    stat: guard(nodeStoreFs.stat),
    mkdir: guard(nodeStoreFs.mkdir),
    unlink: guard(nodeStoreFs.unlink),
    createExclusive: guard(nodeStoreFs.createExclusive),
    writeFileSynced: guard(async (p: string, data: Uint8Array) => {
      if (crashAt === 'writeFileSynced') {
        writeFileSync(p, data.subarray(0, Math.floor(data.length / 2)));
        state.crashed = true;
        throw new SimulatedCrash('killed while writing');
      }
      return nodeStoreFs.writeFileSynced(p, data);
    }),
    rename: guard(async (from: string, to: string) => {
      if (crashAt === 'rename') {
        state.crashed = true;
        throw new SimulatedCrash('killed before rename');
      }
      return nodeStoreFs.rename(from, to);
    }),
  };
}

describe('store persistence', () => {
  test('the database file and its directory are created on first save, not on open', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    assert.equal(existsSync(path.join(ws, '.nbprov')), false);
    const result = await store.save();
    assert.equal(result.written, true);
    assert.ok(existsSync(storePath(ws)));
    assert.equal(readFileSync(storePath(ws)).subarray(0, 15).toString(), 'SQLite format 3');
    assert.deepEqual((await store.save()).written, false, 'nothing changed: no rewrite');
    store.close();
  });

  test('two stores on the same file, each saving different executions: both sets survive', async (t) => {
    const ws = tempWorkspace(t);
    const a = await openStore(ws);
    const b = await openStore(ws);
    a.addExecution(execution('a1', { values: [intValue('x', 1)] }));
    a.addExecution(execution('a2'));
    b.addExecution(execution('b1', { values: [intValue('y', 2)], files: [{ path: 'in.csv', mode: 'r', kind: 'read', hashAfter: 'h' }] }));
    assert.deepEqual(await a.save(), { written: true, merged: false, bytes: readFileSync(storePath(ws)).length });
    const second = await b.save();
    assert.equal(second.merged, true);
    a.close();
    b.close();

    const reopened = await openStore(ws);
    assert.deepEqual(ids(reopened), ['a1', 'a2', 'b1']);
    assert.deepEqual(reopened.valuesOf('a1'), [intValue('x', 1)]);
    assert.deepEqual(reopened.getExecution('b1')?.files, [{ path: 'in.csv', mode: 'r', kind: 'read', hashAfter: 'h' }]);
    reopened.close();
  });

  test('concurrent saves (interleaved, not sequential) lose nothing', async (t) => {
    const ws = tempWorkspace(t);
    const stores = await Promise.all([openStore(ws), openStore(ws), openStore(ws)]);
    stores.forEach((s, i) => {
      for (let n = 0; n < 20; n++) s.addExecution(execution(`w${i}-${n}`));
    });
    await Promise.all(stores.map((s) => s.save()));
    stores.forEach((s) => s.close());
    const reopened = await openStore(ws);
    assert.equal(reopened.stats().executions, 60);
    reopened.close();
  });

  test('execution order survives a merge: insertion order of ties is kept within each writer', async (t) => {
    const ws = tempWorkspace(t);
    const a = await openStore(ws);
    const b = await openStore(ws);
    const at = '2024-05-01T10:00:00.000Z';
    a.addExecution(execution('a-first', { startedAt: at }));
    a.addExecution(execution('a-second', { startedAt: at }));
    b.addExecution(execution('b-early', { startedAt: '2024-05-01T09:00:00.000Z' }));
    await a.save();
    await b.save();
    b.addExecution(execution('b-after-merge', { startedAt: at }));
    const order = b.listExecutions(NOTEBOOK).map((e) => e.id);
    assert.deepEqual(order, ['b-early', 'a-first', 'a-second', 'b-after-merge']);
    a.close();
    b.close();
  });

  test('refresh() brings in another process\'s saves without writing', async (t) => {
    const ws = tempWorkspace(t);
    const a = await openStore(ws);
    await a.save();
    const b = await openStore(ws);
    b.addExecution(execution('from-b'));
    await b.save();
    const before = readFileSync(storePath(ws));
    assert.equal(await a.refresh(), true);
    assert.deepEqual(ids(a), ['from-b']);
    assert.equal(await a.refresh(), false);
    assert.deepEqual(readFileSync(storePath(ws)), before);
    a.close();
    b.close();
  });

  test('trial renames merge last-writer-wins by update time, not by save order', async (t) => {
    const ws = tempWorkspace(t);
    const seed = await openStore(ws);
    seed.saveTrial(trial('t1', '2024-05-01T12:00:00.000Z', { auc: metric(0.9) }));
    await seed.save();
    seed.close();
    const a = await openStore(ws);
    const b = await openStore(ws);
    b.renameTrial('t1', 'renamed earlier');
    await sleep(5);
    a.renameTrial('t1', 'renamed later');
    await a.save();
    await b.save(); // saves last, but its rename is older
    assert.equal(b.getTrial('t1')?.name, 'renamed later');
    a.close();
    b.close();
    const reopened = await openStore(ws);
    assert.equal(reopened.getTrial('t1')?.name, 'renamed later');
    assert.equal(reopened.listTrials()[0].name, 'renamed later');
    reopened.close();
  });

  test('a trial deleted in one process stays deleted after another process saves', async (t) => {
    const ws = tempWorkspace(t);
    const seed = await openStore(ws);
    seed.saveTrial(trial('t1', '2024-05-01T12:00:00.000Z', { auc: metric(0.9) }));
    seed.saveTrial(trial('t2', '2024-05-02T12:00:00.000Z', { auc: metric(0.8) }));
    await seed.save();
    seed.close();
    const a = await openStore(ws);
    const b = await openStore(ws);
    assert.equal(a.deleteTrial('t1'), true);
    assert.equal(a.deleteTrial('t1'), false);
    await a.save();
    b.setTrialNote('t2', 'still here');
    b.addExecution(execution('b1'));
    await b.save();
    assert.deepEqual(b.listTrials().map((x) => x.id), ['t2']);
    assert.deepEqual(b.trialValueSeries('auc').map((r) => r.trialId), ['t2']);
    a.close();
    b.close();
    const reopened = await openStore(ws);
    assert.equal(reopened.getTrial('t1'), undefined);
    assert.equal(reopened.getTrial('t2')?.note, 'still here');
    reopened.close();
  });

  test('a session updated later in another process (environment learned) wins the merge', async (t) => {
    const ws = tempWorkspace(t);
    const a = await openStore(ws);
    a.addSession(session('s1', { environment: null }));
    await a.save();
    const b = await openStore(ws);
    await sleep(5);
    b.addSession(session('s1'));
    await b.save();
    a.addExecution(execution('a1', { sessionId: 's1' }));
    await a.save();
    assert.deepEqual(a.getSession('s1'), session('s1'));
    a.close();
    b.close();
  });

  test('a notebook\'s tag set merges as a whole: the newer set wins', async (t) => {
    const ws = tempWorkspace(t);
    const a = await openStore(ws);
    const b = await openStore(ws);
    a.setTags(NOTEBOOK, { variables: { old: 'param' }, stages: {} });
    await sleep(5);
    b.setTags(NOTEBOOK, { variables: { auc: 'metric' }, stages: { c1: 'train' } });
    b.setTags('b-only.ipynb', { variables: { lr: 'param' }, stages: {} });
    await b.save();
    await a.save();
    assert.deepEqual(a.getTags(NOTEBOOK), { variables: { auc: 'metric' }, stages: { c1: 'train' } });
    assert.deepEqual(a.getTags('b-only.ipynb').variables, { lr: 'param' });
    a.close();
    b.close();
  });

  test('garbage in place of the store is moved aside with a warning, never deleted', async (t) => {
    const ws = tempWorkspace(t);
    mkdirSync(path.join(ws, '.nbprov'));
    const garbage = Buffer.from('this is not a database\u0000\u0001\u0002'.repeat(50));
    writeFileSync(storePath(ws), garbage);
    const seen: StoreWarning[] = [];
    const store = await openStore(ws, { onWarning: (w) => seen.push(w) });
    assert.equal(store.warnings.length, 1);
    const warning = store.warnings[0];
    assert.ok(warning instanceof StoreCorruptWarning);
    assert.deepEqual(seen, [warning]);
    assert.match(warning.message, /^the store at .*store\.sqlite was corrupt \(not an SQLite database\); moved to .*store\.sqlite\.corrupt-\d{4}-.*; starting a new store$/);
    assert.deepEqual(readFileSync(warning.movedTo), garbage);
    assert.equal(corruptFiles(ws).length, 1);
    assert.equal(existsSync(storePath(ws)), false);
    store.addExecution(execution('fresh'));
    await store.save();
    store.close();
    const reopened = await openStore(ws);
    assert.deepEqual(ids(reopened), ['fresh']);
    assert.deepEqual(reopened.warnings, []);
    reopened.close();
  });

  test('a truncated store is detected as corrupt and moved aside', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    for (let i = 0; i < 300; i++) store.addExecution(execution(`e${i}`, { code: `x = ${'1 + '.repeat(100)}${i}` }));
    await store.save();
    store.close();
    const size = readFileSync(storePath(ws)).length;
    truncateSync(storePath(ws), Math.floor(size / 3));
    const again = await openStore(ws);
    assert.equal(again.warnings.length, 1);
    assert.match(again.warnings[0].message, /was corrupt \(.+\); moved to /);
    assert.equal(again.stats().executions, 0);
    assert.equal(corruptFiles(ws).length, 1);
    again.close();
  });

  test('an SQLite header followed by garbage is corrupt too', async (t) => {
    const ws = tempWorkspace(t);
    mkdirSync(path.join(ws, '.nbprov'));
    const bytes = Buffer.alloc(8192, 0xab);
    bytes.write('SQLite format 3\u0000', 0, 'latin1');
    writeFileSync(storePath(ws), bytes);
    const store = await openStore(ws);
    assert.equal(store.warnings.length, 1);
    assert.deepEqual(readFileSync((store.warnings[0] as StoreCorruptWarning).movedTo), bytes);
    store.close();
  });

  test('a store corrupted by someone else before a save is moved aside and ours is written', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('mine'));
    await store.save();
    writeFileSync(storePath(ws), 'garbage written by another tool');
    store.addExecution(execution('mine-2'));
    const result = await store.save();
    assert.equal(result.written, true);
    assert.equal(store.warnings.length, 1);
    assert.equal(corruptFiles(ws).length, 1);
    store.close();
    const reopened = await openStore(ws);
    assert.deepEqual(ids(reopened), ['mine', 'mine-2']);
    reopened.close();
  });

  test('an empty (zero-byte) file is an empty store, not corruption', async (t) => {
    const ws = tempWorkspace(t);
    mkdirSync(path.join(ws, '.nbprov'));
    writeFileSync(storePath(ws), '');
    const store = await openStore(ws);
    assert.deepEqual(store.warnings, []);
    store.addExecution(execution('e1'));
    await store.save();
    store.close();
    const reopened = await openStore(ws);
    assert.deepEqual(ids(reopened), ['e1']);
    reopened.close();
  });

  for (const crashAt of ['writeFileSynced', 'rename'] as const) {
    test(`a crash during ${crashAt} leaves the old file intact and a temp file behind`, async (t) => {
      const ws = tempWorkspace(t);
      const store = await openStore(ws);
      store.addExecution(execution('committed'));
      await store.save();
      store.close();
      const before = readFileSync(storePath(ws));

      const fs = crashingFs(crashAt);
      const doomed = await openStore(ws, { fs });
      doomed.addExecution(execution('lost-in-crash'));
      await assert.rejects(doomed.save(), SimulatedCrash);
      assert.equal(fs.crashed, true);
      assert.deepEqual(readFileSync(storePath(ws)), before);
      const leftovers = readdirSync(path.join(ws, '.nbprov'));
      assert.ok(leftovers.some((f) => f.startsWith('store.sqlite.tmp-')), `temp file left behind: ${leftovers.join(', ')}`);
      doomed.close();

      const survivor = await openStore(ws, { lockTimeoutMs: 200 });
      assert.deepEqual(ids(survivor), ['committed']);
      assert.deepEqual(survivor.warnings, []);
      survivor.close();
    });
  }

  test('a failed rename (not a crash) cleans up its temp file and reports an unwritable store', async (t) => {
    const ws = tempWorkspace(t);
    const failingRename: StoreFs = {
      ...nodeStoreFs,
      rename: async () => {
        throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
      },
    };
    const store = await openStore(ws, { fs: failingRename });
    store.addExecution(execution('e1'));
    await assert.rejects(store.save(), (err: unknown) => {
      assert.ok(err instanceof StoreUnwritableError);
      assert.match(err.message, /^cannot write the store at .*store\.sqlite: read-only file system \(EROFS\)/);
      return true;
    });
    assert.deepEqual(readdirSync(path.join(ws, '.nbprov')), []);
    assert.equal(store.hasUnsavedChanges, true);
    store.close();
  });

  test('an unwritable directory gives a clear error', async (t) => {
    const ws = tempWorkspace(t);
    const denied: StoreFs = {
      ...nodeStoreFs,
      mkdir: async () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    };
    const store = await openStore(ws, { fs: denied });
    await assert.rejects(store.save(), /cannot write the store at .*: permission denied \(EACCES\); check that the directory exists and is writable/);
    store.close();
  });

  test('a file where the .nbprov directory should be gives a clear error (real file system)', async (t) => {
    const ws = tempWorkspace(t);
    writeFileSync(path.join(ws, '.nbprov'), 'not a directory');
    const store = await openStore(ws);
    await assert.rejects(store.save(), (err: unknown) => err instanceof StoreUnwritableError && /a file is in the way|not a directory/.test(err.message));
    store.close();
  });

  test('openStoreAt uses the given file', async (t) => {
    const ws = tempWorkspace(t);
    const file = path.join(ws, 'nested', 'custom.sqlite');
    const store = await openStoreAt(file);
    store.addExecution(execution('e1'));
    await store.save();
    store.close();
    assert.ok(existsSync(file));
    const again = await openStoreAt(file);
    assert.deepEqual(ids(again), ['e1']);
    again.close();
  });

  test('a save waits for a live lock and gives up with a clear error; a stale lock is taken over', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws, { lockTimeoutMs: 150 });
    await store.save();
    const lock = `${storePath(ws)}.lock`;
    writeFileSync(lock, '{"pid": 1}');
    store.addExecution(execution('e1'));
    await assert.rejects(store.save(), (err: unknown) => err instanceof StoreBusyError && err.message.includes(lock));
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    assert.equal((await store.save()).written, true);
    assert.equal(existsSync(lock), false);
    store.close();
  });

  test('a lock left by a process that no longer runs on this machine is taken over at once', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws, { lockTimeoutMs: 150 });
    await store.save();
    const dead = spawnSync(process.execPath, ['-e', '0']);
    writeFileSync(`${storePath(ws)}.lock`, JSON.stringify({ pid: dead.pid, host: os.hostname() }));
    store.addExecution(execution('e1'));
    assert.equal((await store.save()).written, true);
    store.close();
  });
});
