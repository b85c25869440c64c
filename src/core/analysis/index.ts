/**
 * One entry point for static analysis: picks the analyser by language and caches facts by code,
 * so re-analysing an unchanged cell (hover, CodeLens, lineage over a long history) is free. A
 * second-level cache that outlives the process (the workspace store) can be passed per call.
 */
import { createHash } from 'node:crypto';
import { emptyFacts, type CellFacts, type CellLanguage } from './facts';
import { createPythonAnalyzer, type PythonAnalyzerOptions } from './python';
import { analyzeScriptCell } from './script';

export type { CellFacts, CellLanguage } from './facts';

/** Bumped whenever analysis output changes, so cached facts in a store are recomputed. */
export const ANALYZER_VERSION = 3;

/** Facts kept beyond this process, e.g. the workspace store (`Store` implements it). */
export interface FactsCache {
  getFacts(key: StoredFactsKey): CellFacts | undefined;
  /** Facts of code not seen before; they need not be written anywhere at once. */
  putFacts(key: StoredFactsKey, facts: CellFacts): void;
}

export interface StoredFactsKey {
  language: CellLanguage;
  analyzerVersion: string;
  code: string;
}

export interface CellAnalyzer {
  /** Facts of the code: from memory, else from `cache`, else analysed (and then put in both). */
  analyze(code: string, language: CellLanguage, cache?: FactsCache): CellFacts;
  /** Stable key of (language, code) for caches and stores. */
  key(code: string, language: CellLanguage): string;
}

export interface AnalyzerOptions extends PythonAnalyzerOptions {
  /** How many distinct cells' facts to keep in memory. */
  cacheSize?: number;
}

export function codeKey(code: string, language: CellLanguage): string {
  return `${language}:${createHash('sha1').update(code).digest('hex')}`;
}

export async function createAnalyzer(options: AnalyzerOptions = {}): Promise<CellAnalyzer> {
  const python = await createPythonAnalyzer(options);
  const cacheSize = options.cacheSize ?? 20_000;
  const cache = new Map<string, CellFacts>();
  const compute = (code: string, language: CellLanguage): CellFacts => {
    switch (language) {
      case 'python':
        return python.analyze(code);
      case 'javascript':
      case 'typescript':
        return analyzeScriptCell(code, language);
      default:
        return { ...emptyFacts(language), diagnostics: [{ severity: 'info', message: `no analyser for ${String(language)}`, line: 1, column: 0 }] };
    }
  };
  return {
    key: codeKey,
    analyze(code, language, lasting) {
      const key = codeKey(code, language);
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const storedKey = { language, analyzerVersion: String(ANALYZER_VERSION), code };
      let facts = lasting?.getFacts(storedKey);
      if (!facts) {
        facts = compute(code, language);
        if (lasting && !facts.diagnostics.some(isInternalError)) lasting.putFacts(storedKey, facts);
      }
      cache.set(key, facts);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return facts;
    },
  };
}

/** A failure of the analyser itself (e.g. out of memory) may not recur: never keep its facts. */
function isInternalError(diagnostic: CellFacts['diagnostics'][number]): boolean {
  return diagnostic.message.startsWith('internal analysis error');
}
