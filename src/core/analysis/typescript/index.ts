/**
 * CellFacts for JavaScript and TypeScript cells, from the TypeScript compiler's parser alone (no
 * Program, no type checker), so one cell takes well under a few milliseconds.
 */
import ts from 'typescript';
import { emptyFacts, type CellFacts, type Diagnostic } from '../facts';
import { CellWalker } from './walker';

export type ScriptLanguage = 'javascript' | 'typescript';

export { SCRIPT_GLOBALS, MUTATING_METHODS, NON_MUTATING_METHODS, FILE_READERS, FILE_WRITERS } from './tables';

/** Static facts of one JavaScript/TypeScript cell. Never throws: broken code gives partial facts plus diagnostics. */
export function analyzeScript(code: string, language: ScriptLanguage): CellFacts {
  const facts = emptyFacts(language);
  let sourceFile: ts.SourceFile;
  try {
    const kind = language === 'typescript' ? ts.ScriptKind.TS : ts.ScriptKind.JS;
    sourceFile = ts.createSourceFile(language === 'typescript' ? 'cell.ts' : 'cell.js', code, ts.ScriptTarget.Latest, false, kind);
  } catch (error) {
    facts.diagnostics.push({ severity: 'error', message: `the cell could not be parsed: ${describe(error)}`, line: 1, column: 0 });
    return facts;
  }
  facts.diagnostics.push(...syntaxDiagnostics(sourceFile));
  try {
    new CellWalker(sourceFile, facts).run();
  } catch (error) {
    facts.diagnostics.push({ severity: 'error', message: `analysis stopped early: ${describe(error)}`, line: 1, column: 0 });
  }
  return facts;
}

/** `parseDiagnostics` is internal to the compiler API, so it is read defensively. */
function syntaxDiagnostics(sourceFile: ts.SourceFile): Diagnostic[] {
  const found = (sourceFile as unknown as { parseDiagnostics?: unknown }).parseDiagnostics;
  if (!Array.isArray(found)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const item of found as ts.Diagnostic[]) {
    const start = typeof item.start === 'number' ? item.start : 0;
    const position = sourceFile.getLineAndCharacterOfPosition(Math.min(start, sourceFile.text.length));
    diagnostics.push({
      severity: 'error',
      message: ts.flattenDiagnosticMessageText(item.messageText, ' '),
      line: position.line + 1,
      column: position.character,
    });
  }
  return diagnostics;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
