/**
 * Schema version 1 of the store. Every row is keyed by a globally unique id (the records' uuids)
 * or by a deterministic key derived from one (execution id + position), so two copies of a store
 * merge by union. Mutable rows carry `updated_at` for last-writer-wins merging; deletions leave a
 * tombstone so a merge does not bring the row back.
 */

export const SCHEMA_V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE notebooks (
  path TEXT PRIMARY KEY,
  first_seen_at TEXT NOT NULL
);

CREATE TABLE cells (
  notebook TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  cell_index INTEGER,
  language TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (notebook, cell_id)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  notebook TEXT NOT NULL,
  kernel_name TEXT,
  started_at TEXT NOT NULL,
  environment_json TEXT,
  updated_at TEXT NOT NULL
);
CREATE INDEX sessions_by_notebook ON sessions (notebook, started_at);

CREATE TABLE executions (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  notebook TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  cell_index INTEGER,
  language TEXT NOT NULL,
  code TEXT NOT NULL,
  execution_count INTEGER,
  success INTEGER NOT NULL,
  error_type TEXT,
  error_message TEXT,
  started_at TEXT NOT NULL,
  started_ms REAL NOT NULL,
  duration_ms REAL NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX executions_in_order ON executions (notebook, started_ms, seq);
CREATE INDEX executions_by_session ON executions (session_id, started_ms, seq);

CREATE TABLE execution_values (
  execution_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  repr TEXT NOT NULL,
  value_json TEXT,
  hash TEXT,
  summary_json TEXT NOT NULL,
  PRIMARY KEY (execution_id, position)
);
CREATE INDEX execution_values_by_name ON execution_values (name);

CREATE TABLE file_accesses (
  execution_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  mode TEXT NOT NULL,
  kind TEXT NOT NULL,
  hash_before TEXT,
  hash_after TEXT,
  size INTEGER,
  access_json TEXT NOT NULL,
  PRIMARY KEY (execution_id, position)
);
CREATE INDEX file_accesses_by_path ON file_accesses (path);

CREATE TABLE facts (
  language TEXT NOT NULL,
  analyzer_version TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  facts_json TEXT NOT NULL,
  PRIMARY KEY (language, analyzer_version, code_hash)
);

CREATE TABLE tag_sets (
  notebook TEXT PRIMARY KEY,
  updated_at TEXT NOT NULL
);
CREATE TABLE variable_tags (
  notebook TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (notebook, name)
);
CREATE INDEX variable_tags_by_name ON variable_tags (name);
CREATE TABLE cell_stages (
  notebook TEXT NOT NULL,
  cell_id TEXT NOT NULL,
  stage TEXT NOT NULL,
  PRIMARY KEY (notebook, cell_id)
);

CREATE TABLE trials (
  id TEXT PRIMARY KEY,
  name TEXT,
  note TEXT,
  notebook TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_ms REAL NOT NULL,
  session_id TEXT,
  document_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX trials_by_notebook ON trials (notebook, created_ms);
CREATE INDEX trials_in_order ON trials (created_ms);

-- One row per tagged value, with the trial's name, notebook and time copied in, clustered by
-- (variable, time) so a variable's series across thousands of trials is one contiguous range scan.
CREATE TABLE trial_values (
  name TEXT NOT NULL,
  created_ms REAL NOT NULL,
  trial_id TEXT NOT NULL,
  trial_name TEXT,
  notebook TEXT NOT NULL,
  created_at TEXT NOT NULL,
  role TEXT NOT NULL,
  type TEXT NOT NULL,
  repr TEXT NOT NULL,
  value_json TEXT,
  numeric_value REAL,
  hash TEXT,
  summary_json TEXT NOT NULL,
  PRIMARY KEY (name, created_ms, trial_id)
) WITHOUT ROWID;
CREATE INDEX trial_values_by_trial ON trial_values (trial_id);

CREATE TABLE tombstones (
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  deleted_at TEXT NOT NULL,
  PRIMARY KEY (entity, id)
);
`;

/**
 * Schema version 2: cached analysis facts are stored deflated (JSON of CellFacts is about 8× the
 * code it describes; deflated, about 2×), in a table clustered by its key. The facts of version 1
 * were never written by any nbprov, so the old table is simply replaced.
 */
export const SCHEMA_V2_COMPRESSED_FACTS = `
DROP TABLE facts;
CREATE TABLE facts (
  language TEXT NOT NULL,
  analyzer_version TEXT NOT NULL,
  code_hash TEXT NOT NULL,
  facts_deflated BLOB NOT NULL,
  PRIMARY KEY (language, analyzer_version, code_hash)
) WITHOUT ROWID;
`;

/** Schema version 3: an execution's run-time object identities (`ExecutionRecord.identities`), as JSON. */
export const SCHEMA_V3_IDENTITIES = `
ALTER TABLE executions ADD COLUMN identities_json TEXT;
`;
