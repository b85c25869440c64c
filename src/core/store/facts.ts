/**
 * Cache of static-analysis results, keyed by language, analyzer version and a hash of the code:
 * re-querying a recorded session in a new process reads facts instead of re-parsing every cell.
 * Rows are immutable (same key, same facts), so concurrent writers merge them by union.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Database, Statement } from 'sql.js';
import type { CellFacts, CellLanguage } from '../analysis/facts';
import type { RepoContext } from './context';
import { encodeJson, restoreNonFinite } from './json';

export interface FactsKey {
  language: CellLanguage;
  /** Bump when the analyzer's output changes, so stale cached facts are not reused. */
  analyzerVersion: string;
  code: string;
}

export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

// Prepared once per database (sql.js frees them when the database closes): a lineage query over
// a long history asks for thousands of rows.
const lookups = new WeakMap<Database, Statement>();
const inserts = new WeakMap<Database, Statement>();

function prepared(cache: WeakMap<Database, Statement>, db: Database, sql: string): Statement {
  let statement = cache.get(db);
  if (!statement) {
    statement = db.prepare(sql);
    cache.set(db, statement);
  }
  return statement;
}

export function putFacts(ctx: RepoContext, key: FactsKey, facts: CellFacts): void {
  const insert = prepared(inserts, ctx.db, 'INSERT OR REPLACE INTO facts (language, analyzer_version, code_hash, facts_deflated) VALUES (?, ?, ?, ?)');
  try {
    insert.run([key.language, key.analyzerVersion, codeHash(key.code), deflateRawSync(encodeJson(facts))]);
  } finally {
    insert.reset();
  }
  ctx.markDirty();
}

export function getFacts(ctx: RepoContext, key: FactsKey): CellFacts | undefined {
  const lookup = prepared(lookups, ctx.db, 'SELECT facts_deflated FROM facts WHERE language = ? AND analyzer_version = ? AND code_hash = ?');
  try {
    lookup.bind([key.language, key.analyzerVersion, codeHash(key.code)]);
    if (!lookup.step()) return undefined;
    const blob = lookup.get()[0];
    if (!(blob instanceof Uint8Array)) return undefined;
    const json = inflateRawSync(blob).toString('utf8');
    const facts = JSON.parse(json) as CellFacts;
    // Only a literal such as 1e999 in the code makes a non-finite number: skip the walk otherwise.
    return json.includes('"$nonfinite"') ? (restoreNonFinite(facts) as CellFacts) : facts;
  } finally {
    lookup.reset();
  }
}
