/** Turns a store file's bytes into an open, current-schema database — or says why it cannot. */
import type { Database, SqlJsStatic } from 'sql.js';
import { migrate, readSchemaVersion, SCHEMA_VERSION } from './migrations';
import { StoreNewerSchemaError } from './errors';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

export type OpenedDatabase = { ok: true; db: Database; migratedFrom: number | null } | { ok: false; reason: string };

function hasSqliteHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let i = 0; i < SQLITE_MAGIC.length; i++) if (bytes[i] !== SQLITE_MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Opens `bytes` (empty = a new store), refuses a newer schema without touching anything, reports
 * corruption as a reason, and migrates an older schema in memory.
 */
export function openDatabaseBytes(SQL: SqlJsStatic, bytes: Uint8Array | null, filePath: string): OpenedDatabase {
  if (bytes === null || bytes.length === 0) {
    const db = new SQL.Database();
    migrate(db);
    return { ok: true, db, migratedFrom: null };
  }
  if (!hasSqliteHeader(bytes)) return { ok: false, reason: 'not an SQLite database' };
  let db: Database | undefined;
  try {
    db = new SQL.Database(bytes);
    const version = readSchemaVersion(db);
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new StoreNewerSchemaError(filePath, version, SCHEMA_VERSION);
    }
    const check = db.exec('PRAGMA quick_check');
    const verdict = String(check[0]?.values[0]?.[0] ?? '');
    if (verdict !== 'ok') {
      db.close();
      return { ok: false, reason: `integrity check failed: ${verdict}` };
    }
    const applied = migrate(db);
    return { ok: true, db, migratedFrom: applied.length > 0 ? version : null };
  } catch (err) {
    if (err instanceof StoreNewerSchemaError) throw err;
    db?.close();
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
