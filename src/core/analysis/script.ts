/**
 * The JavaScript/TypeScript analyser, loaded the first time a JS/TS cell is analysed: it carries
 * the whole TypeScript compiler (about 10 MB of code), which Python-only work never needs. The
 * build emits it as its own bundle (dist/ts-analyzer.js) and rewrites this require to load it.
 */
import type { CellFacts } from './facts';
import type { ScriptLanguage } from './typescript';

type ScriptAnalyzerModule = typeof import('./typescript');

let loaded: ScriptAnalyzerModule | undefined;

/** Facts of one JavaScript/TypeScript cell; the first call loads the compiler (synchronously). */
export function analyzeScriptCell(code: string, language: ScriptLanguage): CellFacts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('./typescript') as ScriptAnalyzerModule;
  return loaded.analyzeScript(code, language);
}

/** Whether the TypeScript compiler has been loaded in this process (for tests and the benchmark). */
export function scriptAnalyzerLoaded(): boolean {
  return loaded !== undefined;
}
