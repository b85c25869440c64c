/**
 * Merges another copy of the store (same schema version) into this one:
 * - immutable rows (notebooks, executions and their values and files, facts, tombstones): union by primary key;
 * - except a value whose content hash was deferred (`ValueSummary.deferred`): a copy that got its
 *   late hash (or was marked abandoned) replaces one still pending, never the reverse;
 * - mutable rows (cells, sessions, trials): the row with the later `updated_at` wins;
 * - a notebook's tags are one set: the later set replaces the whole set;
 * - tombstones are applied last, so a trial deleted on either side stays deleted.
 * The other copy is attached to this database (both live in sql.js's in-memory file system),
 * so every step is one SQL statement rather than a row-by-row copy.
 */
import type { Database } from 'sql.js';
import { inTransaction, queryAll, text } from './sql';

const UNION_TABLES = ['notebooks', 'executions', 'execution_values', 'file_accesses', 'facts', 'tombstones'];
const LAST_WRITER_WINS_TABLES = ['cells', 'sessions'];

function columnsOf(db: Database, table: string): { all: string[]; key: string[] } {
  const info = queryAll(db, `PRAGMA main.table_info(${table})`);
  const all = info.map((c) => text(c.name));
  const key = info
    .filter((c) => Number(c.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((c) => text(c.name));
  return { all, key };
}

function attachedFileName(other: Database): string {
  // sql.js keeps every open database as a file in its in-memory file system under this name.
  const filename = (other as unknown as { filename?: unknown }).filename;
  if (typeof filename !== 'string') throw new Error('this sql.js version does not expose database file names; cannot merge');
  return filename.startsWith('/') ? filename : `/${filename}`;
}

export function mergeStore(db: Database, other: Database): void {
  db.run('ATTACH DATABASE ? AS other', [attachedFileName(other)]);
  try {
    inTransaction(db, () => {
      for (const table of UNION_TABLES) {
        const cols = columnsOf(db, table).all.join(', ');
        db.run(`INSERT OR IGNORE INTO main.${table} (${cols}) SELECT ${cols} FROM other.${table}`);
      }
      mergeDeferredHashes(db);
      for (const table of LAST_WRITER_WINS_TABLES) {
        const { all, key } = columnsOf(db, table);
        const updates = all.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
        db.run(
          `INSERT INTO main.${table} (${all.join(', ')}) SELECT ${all.join(', ')} FROM other.${table} WHERE true
           ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${updates.join(', ')} WHERE excluded.updated_at > ${table}.updated_at`,
        );
      }
      mergeTagSets(db);
      mergeTrials(db);
      applyTombstones(db);
    });
  } finally {
    db.run('DETACH DATABASE other');
  }
}

/** A value still pending here takes the other copy's late hash or abandonment (core/valuePatches.ts). */
function mergeDeferredHashes(db: Database): void {
  db.run(`
    UPDATE main.execution_values AS m SET hash = o.hash, summary_json = o.summary_json
    FROM other.execution_values AS o
    WHERE o.execution_id = m.execution_id AND o.position = m.position AND o.name = m.name
      AND m.hash IS NULL AND json_extract(m.summary_json, '$.deferred') = 'pending'
      AND (o.hash IS NOT NULL OR json_extract(o.summary_json, '$.deferred') = 'abandoned')`);
}

function mergeTagSets(db: Database): void {
  db.exec(`
    CREATE TEMP TABLE merge_newer_tags AS
      SELECT o.notebook, o.updated_at FROM other.tag_sets o LEFT JOIN main.tag_sets m ON m.notebook = o.notebook
      WHERE m.notebook IS NULL OR o.updated_at > m.updated_at;
    DELETE FROM main.variable_tags WHERE notebook IN (SELECT notebook FROM merge_newer_tags);
    DELETE FROM main.cell_stages WHERE notebook IN (SELECT notebook FROM merge_newer_tags);
    INSERT INTO main.variable_tags (notebook, name, role)
      SELECT notebook, name, role FROM other.variable_tags WHERE notebook IN (SELECT notebook FROM merge_newer_tags);
    INSERT INTO main.cell_stages (notebook, cell_id, stage)
      SELECT notebook, cell_id, stage FROM other.cell_stages WHERE notebook IN (SELECT notebook FROM merge_newer_tags);
    INSERT OR REPLACE INTO main.tag_sets (notebook, updated_at) SELECT notebook, updated_at FROM merge_newer_tags;
    DROP TABLE merge_newer_tags;
  `);
}

function mergeTrials(db: Database): void {
  const trialCols = columnsOf(db, 'trials').all.join(', ');
  const valueCols = columnsOf(db, 'trial_values').all.join(', ');
  db.exec(`
    CREATE TEMP TABLE merge_newer_trials AS
      SELECT o.id FROM other.trials o LEFT JOIN main.trials m ON m.id = o.id
      WHERE m.id IS NULL OR o.updated_at > m.updated_at;
    DELETE FROM main.trials WHERE id IN (SELECT id FROM merge_newer_trials);
    DELETE FROM main.trial_values WHERE trial_id IN (SELECT id FROM merge_newer_trials);
    INSERT INTO main.trials (${trialCols}) SELECT ${trialCols} FROM other.trials WHERE id IN (SELECT id FROM merge_newer_trials);
    INSERT INTO main.trial_values (${valueCols})
      SELECT ${valueCols} FROM other.trial_values WHERE trial_id IN (SELECT id FROM merge_newer_trials);
    DROP TABLE merge_newer_trials;
  `);
}

function applyTombstones(db: Database): void {
  db.exec(`
    DELETE FROM main.trials WHERE id IN (SELECT id FROM main.tombstones WHERE entity = 'trial');
    DELETE FROM main.trial_values WHERE trial_id IN (SELECT id FROM main.tombstones WHERE entity = 'trial');
  `);
}
