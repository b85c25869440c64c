/**
 * CellFacts: what static analysis learns from one cell's code, without a kernel.
 *
 * Conventions shared by every analyser (Python, JavaScript/TypeScript):
 * - Lines are 1-based, columns 0-based (as Python's `ast` and most editors' status bars).
 * - Name lists are de-duplicated and kept in order of first appearance.
 * - `uses` holds only names whose value may come from *before* the cell: a name read at a point
 *   where the cell has not yet definitely bound it (a binding inside a branch or loop body is not
 *   definite). Builtins go to `builtinUses` instead, so lineage can still connect a notebook that
 *   rebinds e.g. `sum`.
 * - `mutates` holds names whose object may be changed in place (attribute/subscript assignment,
 *   augmented assignment, `del x[k]`, known mutating methods, and — conservatively — unknown
 *   method calls on a name that is not a module). Lineage treats a mutation as a new version of
 *   the name that depends on the previous one.
 * - Analysis never throws on bad code: it returns partial facts plus diagnostics.
 */

import type { CellFacts, CellLanguage } from '../../shared/facts';

export type { CellLanguage, SourceSpan, Diagnostic, ImportFact, LiteralValue, CallSite, OperationKind, Operation, FunctionFact, FileAccessFact, ValueFlow, FileUse, PartialAnalysis, CellFacts } from '../../shared/facts';


export function emptyFacts(language: CellLanguage): CellFacts {
  return {
    language,
    defines: [],
    uses: [],
    builtinUses: [],
    mutates: [],
    deletes: [],
    imports: [],
    functions: [],
    operations: [],
    files: { reads: [], writes: [] },
    diagnostics: [],
  };
}
