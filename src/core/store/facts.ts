/** Cache of static-analysis results, keyed by language, analyzer version and a hash of the code. */
import { createHash } from 'node:crypto';
import type { CellFacts, CellLanguage } from '../analysis/facts';
import type { RepoContext } from './context';
import { decodeJson, encodeJson } from './json';
import { queryOne, text } from './sql';

export interface FactsKey {
  language: CellLanguage;
  /** Bump when the analyzer's output changes, so stale cached facts are not reused. */
  analyzerVersion: string;
  code: string;
}

export function codeHash(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

export function putFacts(ctx: RepoContext, key: FactsKey, facts: CellFacts): void {
  ctx.db.run('INSERT OR REPLACE INTO facts (language, analyzer_version, code_hash, facts_json) VALUES (?, ?, ?, ?)', [
    key.language,
    key.analyzerVersion,
    codeHash(key.code),
    encodeJson(facts),
  ]);
  ctx.markDirty();
}

export function getFacts(ctx: RepoContext, key: FactsKey): CellFacts | undefined {
  const row = queryOne(ctx.db, 'SELECT facts_json FROM facts WHERE language = ? AND analyzer_version = ? AND code_hash = ?', [
    key.language,
    key.analyzerVersion,
    codeHash(key.code),
  ]);
  return row ? decodeJson<CellFacts>(text(row.facts_json)) : undefined;
}
