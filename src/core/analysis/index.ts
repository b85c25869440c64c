/**
 * One entry point for static analysis: picks the analyser by language and caches facts by code,
 * so re-analysing an unchanged cell (hover, CodeLens, lineage over a long history) is free.
 */
import { createHash } from 'node:crypto';
import { emptyFacts, type CellFacts, type CellLanguage } from './facts';
import { createPythonAnalyzer, type PythonAnalyzerOptions } from './python';
import { analyzeScriptCell } from './script';

export type { CellFacts, CellLanguage } from './facts';

/** Bumped whenever analysis output changes, so cached facts in a store are recomputed. */
export const ANALYZER_VERSION = 1;

export interface CellAnalyzer {
  analyze(code: string, language: CellLanguage): CellFacts;
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
    analyze(code, language) {
      const key = codeKey(code, language);
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      const facts = compute(code, language);
      cache.set(key, facts);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
      return facts;
    },
  };
}
