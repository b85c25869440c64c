import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MIGRATIONS, migrate, openStore, readSchemaVersion, SCHEMA_VERSION, storePath, StoreNewerSchemaError, type Migration } from '../../src/core/store';
import { loadSqlJs } from '../../src/core/store/sqljs';
import { emptyFacts } from '../../src/core/analysis/facts';
import { execution, intValue, NOTEBOOK, tempWorkspace } from './fixtures';

async function writeHandMadeStore(workspace: string, build: (db: import('sql.js').Database) => void): Promise<string> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  build(db);
  const file = storePath(workspace);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, db.export());
  db.close();
  return file;
}

describe('schema migrations', () => {
  test('the current schema version is the last migration', () => {
    assert.equal(SCHEMA_VERSION, MIGRATIONS[MIGRATIONS.length - 1].version);
    assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  });

  test('a hand-made version-0 file (plain SQLite, user_version 0) is migrated to the current schema and keeps its rows', async (t) => {
    const ws = tempWorkspace(t);
    await writeHandMadeStore(ws, (db) => db.exec("CREATE TABLE scratch (note TEXT); INSERT INTO scratch VALUES ('kept')"));
    const store = await openStore(ws);
    assert.equal(store.stats().schemaVersion, SCHEMA_VERSION);
    assert.equal(store.hasUnsavedChanges, true, 'the migration must be written back on save');
    store.addExecution(execution('e1'));
    await store.save();
    store.close();

    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(storePath(ws)));
    assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
    assert.deepEqual(db.exec('SELECT note FROM scratch')[0].values, [['kept']]);
    db.close();
  });

  test('a current file migrates to a hypothetical next version that is one more list entry', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('e1', { values: [intValue('auc', 1)] }));
    await store.save();
    store.close();

    const next = SCHEMA_VERSION + 1;
    const v2: Migration = {
      version: next,
      description: 'executions get a kernel column',
      up: (db) => db.exec("ALTER TABLE executions ADD COLUMN kernel TEXT NOT NULL DEFAULT 'python3'"),
    };
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(storePath(ws)));
    assert.deepEqual(migrate(db, [...MIGRATIONS, v2]), [next]);
    assert.equal(readSchemaVersion(db), next);
    assert.deepEqual(db.exec('SELECT id, kernel FROM executions')[0].values, [['e1', 'python3']]);
    assert.deepEqual(migrate(db, [...MIGRATIONS, v2]), [], 'migrating again is a no-op');
    db.close();
  });

  test('a version-1 file gets the deflated facts table (version 2) and keeps its executions', async (t) => {
    const ws = tempWorkspace(t);
    await writeHandMadeStore(ws, (db) => {
      migrate(db, MIGRATIONS.slice(0, 1));
      db.run("INSERT INTO facts VALUES ('python', '1', 'abc', '{}')");
    });
    const store = await openStore(ws);
    store.addExecution(execution('e1'));
    assert.equal(store.stats().schemaVersion, SCHEMA_VERSION);
    assert.equal(store.stats().facts, 0, 'facts of version 1 are dropped (no nbprov ever wrote any)');
    store.putFacts({ language: 'python', analyzerVersion: '2', code: 'x = 1' }, { ...emptyFacts('python'), defines: ['x'] });
    await store.save();
    store.close();
    const again = await openStore(ws);
    assert.deepEqual(again.getFacts({ language: 'python', analyzerVersion: '2', code: 'x = 1' })?.defines, ['x']);
    assert.deepEqual(again.listExecutions(NOTEBOOK).map((e) => e.id), ['e1']);
    again.close();
  });

  test('a version-2 file gets the identities column (version 3): old executions have none, new ones keep theirs', async (t) => {
    const ws = tempWorkspace(t);
    await writeHandMadeStore(ws, (db) => migrate(db, MIGRATIONS.slice(0, 2)));
    const first = await openStore(ws);
    assert.equal(first.stats().schemaVersion, SCHEMA_VERSION);
    first.addExecution(execution('e1'));
    const identities = { a: { id: '140', members: ['7'] }, b: { id: '140' } };
    first.addExecution({ ...execution('e2'), identities });
    await first.save();
    first.close();
    const again = await openStore(ws);
    const [e1, e2] = again.listExecutions(NOTEBOOK);
    assert.equal(e1.identities, undefined, 'e1 was recorded without identities');
    assert.deepEqual(e2.identities, identities);
    again.close();
  });

  test('a failing migration rolls back and leaves the version where it was', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    migrate(db);
    const broken: Migration = {
      version: SCHEMA_VERSION + 1,
      description: 'half done',
      up: (d) => d.exec('CREATE TABLE half (x); SELECT * FROM no_such_table'),
    };
    assert.throws(() => migrate(db, [...MIGRATIONS, broken]), /no such table/);
    assert.equal(readSchemaVersion(db), SCHEMA_VERSION);
    assert.equal(db.exec("SELECT name FROM sqlite_master WHERE name = 'half'").length, 0);
    db.close();
  });

  test('a gap in the migration list is refused', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    assert.throws(() => migrate(db, [{ version: 2, description: 'skips 1', up: () => undefined }]), /gap: from schema 0 to 2/);
    db.close();
  });

  test('a file written by a newer nbprov is refused with a clear error and left untouched', async (t) => {
    const ws = tempWorkspace(t);
    const file = await writeHandMadeStore(ws, (db) => db.exec('CREATE TABLE future (x); PRAGMA user_version = 99'));
    const before = readFileSync(file);
    await assert.rejects(openStore(ws), (err: unknown) => {
      assert.ok(err instanceof StoreNewerSchemaError);
      assert.equal(err.fileVersion, 99);
      assert.ok(err.message.includes(`was written by a newer nbprov (schema 99; this nbprov knows up to ${SCHEMA_VERSION}); upgrade nbprov`), err.message);
      assert.ok(err.message.includes(file));
      return true;
    });
    assert.deepEqual(readFileSync(file), before);
    assert.deepEqual(readdirSync(path.dirname(file)), ['store.sqlite']);
  });

  test('a newer file that appears before a save stops the save and is not overwritten', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    store.addExecution(execution('mine'));
    await store.save();
    const file = await writeHandMadeStore(ws, (db) => db.exec('CREATE TABLE future (x); PRAGMA user_version = 7'));
    const newer = readFileSync(file);
    store.addExecution(execution('mine-2', { notebookPath: NOTEBOOK }));
    await assert.rejects(store.save(), StoreNewerSchemaError);
    assert.deepEqual(readFileSync(file), newer);
    store.close();
  });
});
