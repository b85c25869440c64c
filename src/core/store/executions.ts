/** Sessions, executions with their values and file accesses, notebooks and cells. */
import type { SqlValue } from 'sql.js';
import type { ExecutionRecord, FileAccessRecord, SessionRecord, ValuePatch, ValueSummary } from '../records';
import { patchedSummary } from '../valuePatches';
import type { RepoContext } from './context';
import { StoreInputError } from './errors';
import { decodeJson, encodeJson, encodeOptionalJson } from './json';
import { inTransaction, numberOrNull, queryAll, queryOne, text, textOrNull, type Row } from './sql';

export interface ListExecutionsOptions {
  sessionId?: string;
}

export interface LatestValue {
  executionId: string;
  startedAt: string;
  summary: ValueSummary;
}

export interface NotebookSummary {
  path: string;
  sessions: number;
  executions: number;
  trials: number;
  lastExecutedAt: string | null;
}

function requireId(id: unknown, what: string): void {
  if (typeof id !== 'string' || id.length === 0) throw new StoreInputError(`${what} has no id; every record needs a unique id`);
}

function timeMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new StoreInputError(`${what} has an invalid time ${JSON.stringify(iso)}; use ISO 8601`);
  return ms;
}

function touchNotebook(ctx: RepoContext, notebookPath: string, seenAt: string): void {
  ctx.db.run('INSERT OR IGNORE INTO notebooks (path, first_seen_at) VALUES (?, ?)', [notebookPath, seenAt]);
}

/** Adds a session, or updates it (e.g. once its environment is known). */
export function addSession(ctx: RepoContext, session: SessionRecord): void {
  requireId(session.id, 'session');
  timeMs(session.startedAt, `session ${session.id}`);
  inTransaction(ctx.db, () => {
    touchNotebook(ctx, session.notebookPath, session.startedAt);
    ctx.db.run(
      `INSERT INTO sessions (id, notebook, kernel_name, started_at, environment_json, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET notebook = excluded.notebook, kernel_name = excluded.kernel_name,
         started_at = excluded.started_at, environment_json = excluded.environment_json, updated_at = excluded.updated_at`,
      [session.id, session.notebookPath, session.kernelName, session.startedAt, encodeJson(session.environment), ctx.now()],
    );
  });
  ctx.markDirty();
}

function sessionFromRow(row: Row): SessionRecord {
  return {
    id: text(row.id),
    notebookPath: text(row.notebook),
    kernelName: textOrNull(row.kernel_name),
    startedAt: text(row.started_at),
    environment: row.environment_json === null ? null : decodeJson(text(row.environment_json)),
  };
}

export function getSession(ctx: RepoContext, id: string): SessionRecord | undefined {
  const row = queryOne(ctx.db, 'SELECT * FROM sessions WHERE id = ?', [id]);
  return row ? sessionFromRow(row) : undefined;
}

export function listSessions(ctx: RepoContext, notebookPath?: string): SessionRecord[] {
  const rows =
    notebookPath === undefined
      ? queryAll(ctx.db, 'SELECT * FROM sessions ORDER BY started_at, id')
      : queryAll(ctx.db, 'SELECT * FROM sessions WHERE notebook = ? ORDER BY started_at, id', [notebookPath]);
  return rows.map(sessionFromRow);
}

/** Adds one execution with its values and file accesses in one transaction (replacing a record with the same id). */
export function addExecution(ctx: RepoContext, exec: ExecutionRecord): void {
  requireId(exec.id, 'execution');
  const startedMs = timeMs(exec.startedAt, `execution ${exec.id}`);
  const { db } = ctx;
  inTransaction(db, () => {
    touchNotebook(ctx, exec.notebookPath, exec.startedAt);
    const existing = queryOne(db, 'SELECT seq FROM executions WHERE id = ?', [exec.id]);
    const seq = existing ? Number(existing.seq) : ctx.nextExecutionSeq();
    db.run('DELETE FROM execution_values WHERE execution_id = ?', [exec.id]);
    db.run('DELETE FROM file_accesses WHERE execution_id = ?', [exec.id]);
    db.run(
      `INSERT OR REPLACE INTO executions (id, session_id, notebook, cell_id, cell_index, language, code, execution_count,
         success, error_type, error_message, started_at, started_ms, duration_ms, seq, identities_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        exec.id, exec.sessionId, exec.notebookPath, exec.cellId, exec.cellIndex, exec.language, exec.code, exec.executionCount,
        exec.success ? 1 : 0, exec.error?.type ?? null, exec.error?.message ?? null, exec.startedAt, startedMs, exec.durationMs, seq,
        exec.identities ? encodeJson(exec.identities) : null,
      ],
    );
    db.run(
      `INSERT INTO cells (notebook, cell_id, cell_index, language, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (notebook, cell_id) DO UPDATE SET cell_index = excluded.cell_index, language = excluded.language,
         updated_at = excluded.updated_at WHERE excluded.updated_at >= cells.updated_at`,
      [exec.notebookPath, exec.cellId, exec.cellIndex, exec.language, new Date(startedMs).toISOString()],
    );
    insertValues(ctx, exec.id, exec.values ?? []);
    insertFiles(ctx, exec.id, exec.files ?? []);
  });
  ctx.markDirty();
}

function insertValues(ctx: RepoContext, executionId: string, values: ValueSummary[]): void {
  if (values.length === 0) return;
  const stmt = ctx.db.prepare(
    `INSERT INTO execution_values (execution_id, position, name, type, repr, value_json, hash, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  try {
    values.forEach((v, position) => {
      stmt.run([executionId, position, v.name, v.type, v.repr, encodeOptionalJson(v.value), v.hash ?? null, encodeJson(v)]);
    });
  } finally {
    stmt.free();
  }
}

/**
 * Merges late hashes of deferred values into the stored summaries (see core/valuePatches.ts).
 * Patches for executions or names the store does not have are ignored; applying one twice
 * changes nothing. Returns the ids of the executions whose values changed.
 */
export function applyValuePatches(ctx: RepoContext, patches: readonly ValuePatch[]): string[] {
  const { db } = ctx;
  const changed = new Set<string>();
  inTransaction(db, () => {
    for (const patch of patches) {
      const rows = queryAll(db, 'SELECT position, summary_json FROM execution_values WHERE execution_id = ? AND name = ?', [patch.executionId, patch.name]);
      for (const row of rows) {
        const patched = patchedSummary(decodeJson<ValueSummary>(text(row.summary_json)), patch);
        if (!patched) continue;
        db.run('UPDATE execution_values SET hash = ?, summary_json = ? WHERE execution_id = ? AND position = ?', [
          patched.hash ?? null,
          encodeJson(patched),
          patch.executionId,
          Number(row.position),
        ]);
        changed.add(patch.executionId);
      }
    }
  });
  if (changed.size) ctx.markDirty();
  return [...changed];
}

function insertFiles(ctx: RepoContext, executionId: string, files: FileAccessRecord[]): void {
  if (files.length === 0) return;
  const stmt = ctx.db.prepare(
    `INSERT INTO file_accesses (execution_id, position, path, mode, kind, hash_before, hash_after, size, access_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  try {
    files.forEach((f, position) => {
      stmt.run([executionId, position, f.path, f.mode, f.kind, f.hashBefore ?? null, f.hashAfter ?? null, f.size ?? null, encodeJson(f)]);
    });
  } finally {
    stmt.free();
  }
}

/** JSON column → per-execution lists, one query per table for the whole result set. */
function groupByExecution<T>(rows: Row[], column: string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const id = text(row.execution_id);
    let list = grouped.get(id);
    if (!list) grouped.set(id, (list = []));
    list.push(decodeJson<T>(text(row[column])));
  }
  return grouped;
}

function executionFromRow(row: Row, values: ValueSummary[], files: FileAccessRecord[]): ExecutionRecord {
  const record: ExecutionRecord = {
    id: text(row.id),
    sessionId: text(row.session_id),
    notebookPath: text(row.notebook),
    cellId: text(row.cell_id),
    cellIndex: numberOrNull(row.cell_index),
    language: text(row.language) as ExecutionRecord['language'],
    code: text(row.code),
    executionCount: numberOrNull(row.execution_count),
    success: Number(row.success) === 1,
    startedAt: text(row.started_at),
    durationMs: Number(row.duration_ms),
    values,
    files,
  };
  if (row.error_type !== null) record.error = { type: text(row.error_type), message: text(row.error_message) };
  if (row.identities_json !== null && row.identities_json !== undefined) record.identities = decodeJson(text(row.identities_json));
  return record;
}

function loadExecutions(ctx: RepoContext, where: string, params: SqlValue[]): ExecutionRecord[] {
  const { db } = ctx;
  const rows = queryAll(db, `SELECT * FROM executions WHERE ${where} ORDER BY started_ms, seq, id`, params);
  if (rows.length === 0) return [];
  const scope = `execution_id IN (SELECT id FROM executions WHERE ${where})`;
  const values = groupByExecution<ValueSummary>(
    queryAll(db, `SELECT execution_id, summary_json FROM execution_values WHERE ${scope} ORDER BY execution_id, position`, params),
    'summary_json',
  );
  const files = groupByExecution<FileAccessRecord>(
    queryAll(db, `SELECT execution_id, access_json FROM file_accesses WHERE ${scope} ORDER BY execution_id, position`, params),
    'access_json',
  );
  return rows.map((row) => executionFromRow(row, values.get(text(row.id)) ?? [], files.get(text(row.id)) ?? []));
}

/** A notebook's executions in execution order: start time, then insertion order. */
export function listExecutions(ctx: RepoContext, notebookPath: string, options: ListExecutionsOptions = {}): ExecutionRecord[] {
  if (options.sessionId !== undefined) return loadExecutions(ctx, 'notebook = ? AND session_id = ?', [notebookPath, options.sessionId]);
  return loadExecutions(ctx, 'notebook = ?', [notebookPath]);
}

export function getExecution(ctx: RepoContext, id: string): ExecutionRecord | undefined {
  return loadExecutions(ctx, 'id = ?', [id])[0];
}

export function valuesOf(ctx: RepoContext, executionId: string): ValueSummary[] {
  return queryAll(ctx.db, 'SELECT summary_json FROM execution_values WHERE execution_id = ? ORDER BY position', [executionId]).map((row) =>
    decodeJson<ValueSummary>(text(row.summary_json)),
  );
}

/** The most recent recorded summary of `name` in a notebook, in execution order. */
export function latestValue(ctx: RepoContext, notebookPath: string, name: string): LatestValue | undefined {
  const row = queryOne(
    ctx.db,
    `SELECT v.summary_json, e.id, e.started_at FROM execution_values v JOIN executions e ON e.id = v.execution_id
     WHERE e.notebook = ? AND v.name = ? ORDER BY e.started_ms DESC, e.seq DESC, e.id DESC, v.position DESC LIMIT 1`,
    [notebookPath, name],
  );
  if (!row) return undefined;
  return { executionId: text(row.id), startedAt: text(row.started_at), summary: decodeJson<ValueSummary>(text(row.summary_json)) };
}

export function listNotebooks(ctx: RepoContext): NotebookSummary[] {
  return queryAll(
    ctx.db,
    `SELECT n.path,
       (SELECT COUNT(*) FROM sessions s WHERE s.notebook = n.path) AS sessions,
       (SELECT COUNT(*) FROM executions e WHERE e.notebook = n.path) AS executions,
       (SELECT COUNT(*) FROM trials t WHERE t.notebook = n.path) AS trials,
       (SELECT e.started_at FROM executions e WHERE e.notebook = n.path ORDER BY e.started_ms DESC LIMIT 1) AS last_executed_at
     FROM notebooks n ORDER BY n.path`,
  ).map((row) => ({
    path: text(row.path),
    sessions: Number(row.sessions),
    executions: Number(row.executions),
    trials: Number(row.trials),
    lastExecutedAt: textOrNull(row.last_executed_at),
  }));
}
