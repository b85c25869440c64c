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
import { decodeJson, encodeJson } from './json';

export interface FactsKey {
  language: CellLanguage;
  /** Bump when the analyzer's output changes, so stale cached facts are not reused. */
  analyzerVersion: string;
  code: string;
}

export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

// One prepared look-up per database: a lineage query asks for thousands of rows.
const lookups = new WeakMap<Database, Statement>();

export function putFacts(ctx: RepoContext, key: FactsKey, facts: CellFacts): void {
  ctx.db.run('INSERT OR REPLACE INTO facts (language, analyzer_version, code_hash, facts_deflated) VALUES (?, ?, ?, ?)', [
    key.language,
    key.analyzerVersion,
    codeHash(key.code),
    deflateRawSync(encodeJson(facts)),
  ]);
  ctx.markDirty();
}

export function getFacts(ctx: RepoContext, key: FactsKey): CellFacts | undefined {
  let lookup = lookups.get(ctx.db);
  if (!lookup) {
    lookup = ctx.db.prepare('SELECT facts_deflated FROM facts WHERE language = ? AND analyzer_version = ? AND code_hash = ?');
    lookups.set(ctx.db, lookup);
  }
  try {
    lookup.bind([key.language, key.analyzerVersion, codeHash(key.code)]);
    if (!lookup.step()) return undefined;
    const blob = lookup.get()[0];
    return blob instanceof Uint8Array ? decodeJson<CellFacts>(inflateRawSync(blob).toString('utf8')) : undefined;
  } finally {
    lookup.reset();
  }
}
