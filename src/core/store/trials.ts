/**
 * Trials: the whole Trial as a JSON document, plus one row per tagged value (with the trial's
 * creation time copied in) so the series of a variable across thousands of trials is one index scan.
 */
import type { JsonValue, Trial, TrialValue } from '../records';
import type { RepoContext } from './context';
import { StoreInputError } from './errors';
import { decodeJson, encodeJson, encodeOptionalJson } from './json';
import { setEntry } from './records-util';
import { inTransaction, numberOrNull, queryAll, queryOne, text, textOrNull } from './sql';

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
}

export interface TrialSeriesOptions {
  notebookPath?: string;
}

function numericOf(value: JsonValue | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
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
      [trial.id, trial.name, trial.note, trial.notebookPath, trial.createdAt, createdMs, trial.sessionId, encodeJson(trial), ctx.now()],
    );
    db.run('DELETE FROM trial_values WHERE trial_id = ?', [trial.id]);
    const stmt = db.prepare(
      `INSERT INTO trial_values (trial_id, name, role, type, repr, value_json, numeric_value, hash, created_ms, summary_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    try {
      for (const [name, v] of Object.entries(trial.tagged)) {
        stmt.run([trial.id, name, v.role, v.type, v.repr, encodeOptionalJson(v.value), numericOf(v.value), v.hash ?? null, createdMs, encodeJson(v)]);
      }
    } finally {
      stmt.free();
    }
  });
  ctx.markDirty();
}

export function getTrial(ctx: RepoContext, id: string): Trial | undefined {
  const row = queryOne(ctx.db, 'SELECT name, note, document_json FROM trials WHERE id = ?', [id]);
  if (!row) return undefined;
  const trial = decodeJson<Trial>(text(row.document_json));
  // Renames and notes update the columns; they are the truth.
  return { ...trial, name: textOrNull(row.name), note: textOrNull(row.note) };
}

/** Trials in creation order, with their tagged values but without lineage or code. */
export function listTrials(ctx: RepoContext, notebookPath?: string): TrialSummary[] {
  const filter = notebookPath === undefined ? '' : 'WHERE notebook = ?';
  const params = notebookPath === undefined ? [] : [notebookPath];
  const rows = queryAll(ctx.db, `SELECT id, name, note, notebook, created_at, session_id FROM trials ${filter} ORDER BY created_ms, id`, params);
  const tagged = new Map<string, Record<string, TrialValue>>();
  const valueFilter = notebookPath === undefined ? '' : 'WHERE trial_id IN (SELECT id FROM trials WHERE notebook = ?)';
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
  ctx.db.run(`UPDATE trials SET ${column} = ?, updated_at = ? WHERE id = ?`, [value, ctx.now(), id]);
  const changed = ctx.db.getRowsModified() > 0;
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

/** A variable's values across trials, oldest first (ties by trial id). */
export function trialValueSeries(ctx: RepoContext, variable: string, options: TrialSeriesOptions = {}): TrialSeriesRow[] {
  const notebookFilter = options.notebookPath === undefined ? '' : 'AND t.notebook = ?';
  const params = options.notebookPath === undefined ? [variable] : [variable, options.notebookPath];
  const result = ctx.db.exec(
    `SELECT v.trial_id, t.name, t.notebook, t.created_at, v.role, v.type, v.repr, v.value_json, v.numeric_value, v.hash
     FROM trial_values v JOIN trials t ON t.id = v.trial_id
     WHERE v.name = ? ${notebookFilter} ORDER BY v.created_ms, v.trial_id`,
    params,
  )[0];
  if (!result) return [];
  return result.values.map(([trialId, trialName, notebook, createdAt, role, type, repr, valueJson, numeric, hash]) => {
    const row: TrialSeriesRow = {
      trialId: text(trialId),
      trialName: textOrNull(trialName),
      notebookPath: text(notebook),
      createdAt: text(createdAt),
      role: text(role),
      type: text(type),
      repr: text(repr),
      numeric: numberOrNull(numeric),
    };
    if (valueJson !== null) row.value = decodeJson<JsonValue>(text(valueJson));
    if (hash !== null) row.hash = text(hash);
    return row;
  });
}
