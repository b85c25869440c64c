/**
 * Trials: the whole Trial as a JSON document, plus one row per tagged value (with the trial's
 * creation time copied in) so the series of a variable across thousands of trials is one index scan.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { SqlValue } from 'sql.js';
import type { JsonValue, Trial, TrialOperation, TrialValue, ValuePatch } from '../records';
import { patchedSummary, patchedValues } from '../valuePatches';
import type { RepoContext } from './context';
import { StoreInputError } from './errors';
import { decodeJson, encodeJson, encodeOptionalJson, restoreNonFinite } from './json';
import { setEntry } from './records-util';
import { inTransaction, queryAll, queryOne, text, textOrNull } from './sql';

export type TrialSummary = Pick<Trial, 'id' | 'name' | 'note' | 'notebookPath' | 'createdAt' | 'sessionId' | 'tagged'>;

/** One trial's value of a variable, for tables and plots across trials. */
export interface TrialSeriesRow {
  trialId: string;
  trialName: string | null;
  notebookPath: string;
  createdAt: string;
  role: string;
  type: string;
  repr: string;
  value?: JsonValue;
  /** The value when it is a finite number, else null (NaN, ±Infinity, strings, complex values). */
  numeric: number | null;
  hash?: string;
  /** A large value without its content hash (`ValueSummary.deferred`). */
  deferred?: 'pending' | 'abandoned';
}

export interface TrialSeriesOptions {
  notebookPath?: string;
}

function numericOf(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Trial documents repeat a lot (tagged variables share upstream operations and value summaries),
 * and sql.js rewrites the whole file on every save, so they are stored gzip-compressed: a store of
 * thousands of trials stays small enough to save quickly. Plain JSON text is still read.
 */
function packDocument(json: string): Uint8Array {
  return gzipSync(json, { level: 6 });
}

function unpackDocument(stored: SqlValue | undefined): string {
  return stored instanceof Uint8Array ? gunzipSync(stored).toString('utf8') : text(stored);
}

/** Saves a trial, replacing any earlier version with the same id. */
export function saveTrial(ctx: RepoContext, trial: Trial): void {
  if (typeof trial.id !== 'string' || trial.id === '') throw new StoreInputError('trial has no id; every trial needs a unique id');
  const createdMs = Date.parse(trial.createdAt);
  if (Number.isNaN(createdMs)) throw new StoreInputError(`trial ${trial.id} has an invalid createdAt ${JSON.stringify(trial.createdAt)}; use ISO 8601`);
  const { db } = ctx;
  inTransaction(db, () => {
    db.run('INSERT OR IGNORE INTO notebooks (path, first_seen_at) VALUES (?, ?)', [trial.notebookPath, trial.createdAt]);
    db.run(
      `INSERT OR REPLACE INTO trials (id, name, note, notebook, created_at, created_ms, session_id, document_json, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [trial.id, trial.name, trial.note, trial.notebookPath, trial.createdAt, createdMs, trial.sessionId, packDocument(encodeJson(trial)), ctx.now()],
    );
    db.run('DELETE FROM trial_values WHERE trial_id = ?', [trial.id]);
    const stmt = db.prepare(
      `INSERT INTO trial_values (name, created_ms, trial_id, trial_name, notebook, created_at, role, type, repr, value_json, numeric_value, hash, summary_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    try {
      for (const [name, v] of Object.entries(trial.tagged)) {
        stmt.run([
          name, createdMs, trial.id, trial.name, trial.notebookPath, trial.createdAt,
          v.role, v.type, v.repr, encodeOptionalJson(v.value), numericOf(v.value), v.hash ?? null, encodeJson(v),
        ]);
      }
    } finally {
      stmt.free();
    }
  });
  ctx.markDirty();
}

/**
 * Late hashes reach trials saved while they were pending: a tagged value by the execution that
 * recorded it (`TrialValue.executionId`), lineage values by their operation's execution. Only
 * trials of the patched executions' sessions are read. Returns the ids of the trials changed.
 */
export function patchTrials(ctx: RepoContext, patches: readonly ValuePatch[]): string[] {
  const { db } = ctx;
  if (!patches.length) return [];
  const ids = [...new Set(patches.map((p) => p.executionId))];
  const byExecution = new Map<string, ValuePatch[]>();
  for (const patch of patches) byExecution.set(patch.executionId, [...(byExecution.get(patch.executionId) ?? []), patch]);
  const placeholders = ids.map(() => '?').join(', ');
  const rows = queryAll(
    db,
    `SELECT id, document_json FROM trials WHERE session_id IN (SELECT DISTINCT session_id FROM executions WHERE id IN (${placeholders}))`,
    ids,
  );
  const changed: string[] = [];
  inTransaction(db, () => {
    for (const row of rows) {
      const trial = decodeJson<Trial>(unpackDocument(row.document_json));
      const patchedNames: string[] = [];
      for (const name of Object.keys(trial.tagged)) {
        const executionId = trial.tagged[name].executionId;
        for (const patch of (executionId && byExecution.get(executionId)) || []) {
          const patched = patchedSummary(trial.tagged[name], patch);
          if (!patched) continue;
          trial.tagged[name] = patched as TrialValue;
          if (!patchedNames.includes(name)) patchedNames.push(name);
        }
      }
      let lineageChanged = false;
      for (const ops of Object.values(trial.lineage)) {
        for (let i = 0; i < ops.length; i++) {
          const mine = byExecution.get(ops[i].executionId);
          if (!mine) continue;
          const op: TrialOperation = { ...ops[i] };
          if (op.value) op.value = patchedValues([op.value], mine)[0];
          if (op.values) op.values = patchedValues(op.values, mine);
          if (op.value === ops[i].value && op.values === ops[i].values) continue;
          ops[i] = op;
          lineageChanged = true;
        }
      }
      if (!patchedNames.length && !lineageChanged) continue;
      const id = text(row.id);
      db.run('UPDATE trials SET document_json = ?, updated_at = ? WHERE id = ?', [packDocument(encodeJson(trial)), ctx.now(), id]);
      for (const name of patchedNames) {
        const v = trial.tagged[name];
        db.run('UPDATE trial_values SET hash = ?, summary_json = ? WHERE trial_id = ? AND name = ?', [v.hash ?? null, encodeJson(v), id, name]);
      }
      changed.push(id);
    }
  });
  if (changed.length) ctx.markDirty();
  return changed;
}

export function getTrial(ctx: RepoContext, id: string): Trial | undefined {
  const row = queryOne(ctx.db, 'SELECT name, note, document_json FROM trials WHERE id = ?', [id]);
  if (!row) return undefined;
  const trial = decodeJson<Trial>(unpackDocument(row.document_json));
  // Renames and notes update the columns; they are the truth.
  return { ...trial, name: textOrNull(row.name), note: textOrNull(row.note) };
}

/** Trials in creation order, with their tagged values but without lineage or code. */
export function listTrials(ctx: RepoContext, notebookPath?: string): TrialSummary[] {
  const filter = notebookPath === undefined ? '' : 'WHERE notebook = ?';
  const params = notebookPath === undefined ? [] : [notebookPath];
  const rows = queryAll(ctx.db, `SELECT id, name, note, notebook, created_at, session_id FROM trials ${filter} ORDER BY created_ms, id`, params);
  const tagged = new Map<string, Record<string, TrialValue>>();
  const valueFilter = notebookPath === undefined ? '' : 'WHERE notebook = ?';
  for (const v of queryAll(ctx.db, `SELECT trial_id, name, summary_json FROM trial_values ${valueFilter} ORDER BY trial_id, name`, params)) {
    const id = text(v.trial_id);
    let values = tagged.get(id);
    if (!values) tagged.set(id, (values = {}));
    setEntry(values, text(v.name), decodeJson<TrialValue>(text(v.summary_json)));
  }
  return rows.map((row) => ({
    id: text(row.id),
    name: textOrNull(row.name),
    note: textOrNull(row.note),
    notebookPath: text(row.notebook),
    createdAt: text(row.created_at),
    sessionId: textOrNull(row.session_id),
    tagged: tagged.get(text(row.id)) ?? {},
  }));
}

function updateTrialColumn(ctx: RepoContext, id: string, column: 'name' | 'note', value: string | null): boolean {
  const { db } = ctx;
  const changed = inTransaction(db, () => {
    db.run(`UPDATE trials SET ${column} = ?, updated_at = ? WHERE id = ?`, [value, ctx.now(), id]);
    if (db.getRowsModified() === 0) return false;
    if (column === 'name') db.run('UPDATE trial_values SET trial_name = ? WHERE trial_id = ?', [value, id]);
    return true;
  });
  if (changed) ctx.markDirty();
  return changed;
}

/** Returns false when no trial has this id. */
export function renameTrial(ctx: RepoContext, id: string, name: string | null): boolean {
  return updateTrialColumn(ctx, id, 'name', name);
}

/** Returns false when no trial has this id. */
export function setTrialNote(ctx: RepoContext, id: string, note: string | null): boolean {
  return updateTrialColumn(ctx, id, 'note', note);
}

/** Deletes a trial and leaves a tombstone so merging with another copy does not bring it back. Returns false when no trial has this id. */
export function deleteTrial(ctx: RepoContext, id: string): boolean {
  const { db } = ctx;
  const existed = inTransaction(db, () => {
    db.run('DELETE FROM trials WHERE id = ?', [id]);
    if (db.getRowsModified() === 0) return false;
    db.run('DELETE FROM trial_values WHERE trial_id = ?', [id]);
    db.run("INSERT OR REPLACE INTO tombstones (entity, id, deleted_at) VALUES ('trial', ?, ?)", [id, ctx.now()]);
    return true;
  });
  if (existed) ctx.markDirty();
  return existed;
}

type SeriesTuple = [string, string | null, string, string, string, string, string, [JsonValue] | [], number | null, string | null, string | null];

/**
 * A variable's values across trials, oldest first (ties by trial id). SQLite builds the whole
 * series as one JSON array: one string crossing out of WASM instead of ten values per row.
 */
export function trialValueSeries(ctx: RepoContext, variable: string, options: TrialSeriesOptions = {}): TrialSeriesRow[] {
  const notebookFilter = options.notebookPath === undefined ? '' : 'AND notebook = ?';
  const params = options.notebookPath === undefined ? [variable] : [variable, options.notebookPath];
  const result = ctx.db.exec(
    `SELECT json_group_array(json_array(trial_id, trial_name, notebook, created_at, role, type, repr,
         CASE WHEN value_json IS NULL THEN json_array() ELSE json_array(json(value_json)) END, numeric_value, hash,
         CASE WHEN hash IS NULL AND instr(summary_json, '"deferred"') > 0 THEN json_extract(summary_json, '$.deferred') END))
     FROM (SELECT * FROM trial_values WHERE name = ? ${notebookFilter} ORDER BY created_ms, trial_id)`,
    params,
  )[0];
  const tuples = JSON.parse(text(result?.values[0]?.[0] ?? '[]')) as SeriesTuple[];
  return tuples.map(([trialId, trialName, notebookPath, createdAt, role, type, repr, value, numeric, hash, deferred]) => {
    const row: TrialSeriesRow = { trialId, trialName, notebookPath, createdAt, role, type, repr, numeric };
    if (value.length === 1) row.value = restoreNonFinite(value[0]) as JsonValue;
    if (hash !== null) row.hash = hash;
    else if (deferred === 'pending' || deferred === 'abandoned') row.deferred = deferred;
    return row;
  });
}

/** What a list of trials shows per trial: no lineage or code, only the tagged values of some roles. */
export interface TrialHead {
  id: string;
  name: string | null;
  note: string | null;
  notebookPath: string;
  createdAt: string;
  /** The names of every value the trial tagged. */
  taggedNames: string[];
  /** Its tagged values whose role is one of those asked for. */
  values: Record<string, TrialValue>;
}

export interface TrialHeadOptions {
  /** Only this notebook's trials (default: all). */
  notebookPath?: string;
  /** Roles whose values come along (default: `metric`). */
  roles?: readonly string[];
}

type HeadTuple = [string, string | null, string | null, string, string, string[], TrialValue[]];

/**
 * Trials in creation order, each with only the tagged values of the given roles: the rows of the
 * Trials view and the hovers of a chart, for thousands of trials. Built inside SQLite as one JSON
 * string, like the series (one crossing out of WASM instead of several values per row).
 */
export function listTrialHeads(ctx: RepoContext, options: TrialHeadOptions = {}): TrialHead[] {
  const roles = [...(options.roles ?? ['metric'])];
  const rolePlaceholders = roles.map(() => '?').join(', ') || 'NULL';
  const notebookFilter = options.notebookPath === undefined ? '' : 'WHERE notebook = ?';
  const params = [...roles, ...(options.notebookPath === undefined ? [] : [options.notebookPath])];
  const result = ctx.db.exec(
    `SELECT json_group_array(json_array(t.id, t.name, t.note, t.notebook, t.created_at,
         (SELECT json_group_array(v.name) FROM trial_values v WHERE v.trial_id = t.id),
         (SELECT json_group_array(json(v.summary_json)) FROM trial_values v WHERE v.trial_id = t.id AND v.role IN (${rolePlaceholders}))))
     FROM (SELECT id, name, note, notebook, created_at FROM trials ${notebookFilter} ORDER BY created_ms, id) t`,
    params,
  )[0];
  const tuples = JSON.parse(text(result?.values[0]?.[0] ?? '[]')) as HeadTuple[];
  return tuples.map(([id, name, note, notebook, createdAt, taggedNames, valueList]) => {
    const values: Record<string, TrialValue> = {};
    for (const v of valueList) setEntry(values, v.name, restoreNonFinite(v) as TrialValue);
    return { id, name, note, notebookPath: notebook, createdAt, taggedNames, values };
  });
}
