// A save killed between writing its temp file and renaming it leaves `store.sqlite.tmp-<pid>-<hex>`
// behind; the next save (holding the lock) removes such files when their writer is gone or they
// are old, and never touches a fresh one of a live process or any other file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { nodeStoreFs, openStore, storePath, type StoreFs } from '../../src/core/store';
import { execution, NOTEBOOK, tempWorkspace } from './fixtures';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(result.status, 0);
  return result.pid;
}

describe('temporary files of interrupted saves', () => {
  test('a save that died before its rename leaves a temp file; the next save removes it and keeps the data', async (t) => {
    const ws = tempWorkspace(t);
    const first = await openStore(ws);
    first.addExecution(execution('kept'));
    await first.save();
    first.close();

    // This process "dies" at the rename: the temp file is written and the unlink in the error path fails too.
    const dying: StoreFs = {
      ...nodeStoreFs,
      rename: () => Promise.reject(Object.assign(new Error('killed before rename'), { code: 'EINTR' })),
      unlink: (p) => (p.includes('.tmp-') ? Promise.reject(Object.assign(new Error('killed'), { code: 'EINTR' })) : nodeStoreFs.unlink(p)),
    };
    const crashed = await openStore(ws, { fs: dying });
    crashed.addExecution(execution('lost'));
    await assert.rejects(crashed.save());
    crashed.close();
    const temps = () => readdirSync(path.join(ws, '.nbprov')).filter((f) => f.includes('.tmp-'));
    assert.equal(temps().length, 1, 'the interrupted save left its temp file');

    const next = await openStore(ws);
    assert.deepEqual(next.listExecutions(NOTEBOOK).map((e) => e.id), ['kept']);
    next.addExecution(execution('after'));
    await next.save();
    next.close();
    assert.deepEqual(temps(), []);
    const reopened = await openStore(ws);
    assert.deepEqual(reopened.listExecutions(NOTEBOOK).map((e) => e.id).sort(), ['after', 'kept']);
    reopened.close();
  });

  test('temp files of dead writers and old ones go; a fresh one of a live process and other files stay', async (t) => {
    const ws = tempWorkspace(t);
    const dir = path.join(ws, '.nbprov');
    mkdirSync(dir, { recursive: true });
    const live = spawn('sleep', ['600'], { stdio: 'ignore' });
    t.after(() => live.kill());
    const file = (name: string) => path.join(dir, name);
    const deadWriter = `store.sqlite.tmp-${deadPid()}-0badc0de`;
    const liveFresh = `store.sqlite.tmp-${live.pid}-00c0ffee`;
    const liveOld = `store.sqlite.tmp-${live.pid}-0000dead`;
    const unrelated = ['notes.tmp-1-2', 'store.sqlite.corrupt-2024-01-01', 'other.sqlite.tmp-1-abcd'];
    for (const name of [deadWriter, liveFresh, liveOld, ...unrelated]) writeFileSync(file(name), 'half a database');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file(liveOld), hourAgo, hourAgo);

    const store = await openStore(ws);
    store.addExecution(execution('x'));
    await store.save();
    store.close();

    assert.equal(existsSync(file(deadWriter)), false, 'the dead writer\'s temp file was removed');
    assert.equal(existsSync(file(liveOld)), false, 'the hour-old temp file was removed');
    assert.equal(existsSync(file(liveFresh)), true, 'a live process\'s fresh temp file is kept');
    for (const name of unrelated) assert.equal(existsSync(file(name)), true, `${name} is not the store's temp file`);
    assert.ok(existsSync(storePath(ws)));
  });
});
