/**
 * Forward migrations as an ordered list: migration N takes a store from version N-1 to N and is
 * recorded in `PRAGMA user_version`. Adding schema version 2 is one more entry at the end.
 */
import type { Database } from 'sql.js';
import { SCHEMA_V1, SCHEMA_V2_COMPRESSED_FACTS, SCHEMA_V3_IDENTITIES } from './schema';

export interface Migration {
  version: number;
  description: string;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'initial schema', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, description: 'analysis facts stored deflated', up: (db) => db.exec(SCHEMA_V2_COMPRESSED_FACTS) },
  { version: 3, description: 'run-time object identities of executions', up: (db) => db.exec(SCHEMA_V3_IDENTITIES) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function readSchemaVersion(db: Database): number {
  const rows = db.exec('PRAGMA user_version');
  return Number(rows[0]?.values[0]?.[0] ?? 0);
}

/**
 * Applies every migration newer than the database's version, each in its own transaction.
 * Returns the versions applied. The caller refuses databases newer than it knows beforehand.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  let current = readSchemaVersion(db);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    if (migration.version !== current + 1) {
      throw new Error(`migration list has a gap: from schema ${current} to ${migration.version}`);
    }
    db.exec('BEGIN');
    try {
      migration.up(db);
      db.exec(`PRAGMA user_version = ${migration.version}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    current = migration.version;
    applied.push(migration.version);
  }
  return applied;
}
