/** Small typed helpers over sql.js statements. */
import type { BindParams, Database, SqlValue } from 'sql.js';

export type Row = Record<string, SqlValue>;

export function queryAll(db: Database, sql: string, params: BindParams = []): Row[] {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    const rows: Row[] = [];
    while (stmt.step()) rows.push(stmt.getAsObject());
    return rows;
  } finally {
    stmt.free();
  }
}

export function queryOne(db: Database, sql: string, params: BindParams = []): Row | undefined {
  return queryAll(db, sql, params)[0];
}

export function queryNumber(db: Database, sql: string, params: BindParams = []): number {
  const row = db.exec(sql, params)[0];
  return Number(row?.values[0]?.[0] ?? 0);
}

export function inTransaction<T>(db: Database, work: () => T): T {
  db.exec('BEGIN');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

export function text(value: SqlValue | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

export function textOrNull(value: SqlValue | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

export function numberOrNull(value: SqlValue | undefined): number | null {
  return value === null || value === undefined ? null : Number(value);
}
