/**
 * The statements of a notebook-defined function's body, for slices that expand called functions.
 * Analysers may give them (`FunctionFact.body`); otherwise the body is one block of source text
 * cut from the code that defined it.
 */
import type { FunctionFact, Operation, OperationKind } from '../analysis/facts';

export interface BodyStatement {
  line: number;
  endLine: number;
  kind: OperationKind;
  code: string;
  defines: string[];
  mutates: string[];
}

const HEADER = /^\s*(async\s+)?(def|class|function)\b/;

export function functionBody(fact: FunctionFact, definingCode: string): BodyStatement[] {
  if (fact.body && fact.body.length > 0) {
    return contributingStatements(fact, fact.body).map((op) => ({
      line: op.span.startLine,
      endLine: op.span.endLine,
      kind: op.kind,
      code: op.code,
      defines: [...op.defines],
      mutates: [...op.mutates],
    }));
  }
  const lines = definingCode.split('\n');
  const { startLine, endLine } = fact.span;
  let header = startLine;
  while (header < endLine && !HEADER.test(lines[header - 1] ?? '')) header++;
  // A one-line definition (`def f(): return k`) is its own body.
  const first = header < endLine ? header + 1 : startLine;
  const code = lines.slice(first - 1, endLine).join('\n');
  return [{ line: first, endLine, kind: 'other', code, defines: [...fact.globalWrites], mutates: [...fact.mutatedGlobals] }];
}

/** Statements after which a name certainly holds the value they bound (a branch or loop may not bind it). */
const DEFINITE_KINDS: ReadonlySet<OperationKind> = new Set(['assign', 'annassign', 'import', 'function', 'class']);

/**
 * The body statements a call's effects come from: those that return or yield, those that change a
 * parameter or global the function changes, and, backwards through the body (its top-level
 * statements run in order), the statements that produced the versions of the names those read or
 * mutate. When the analyser does not mark returns, every statement counts.
 */
export function contributingStatements(fact: FunctionFact, body: readonly Operation[]): Operation[] {
  if (body.some((op) => op.returns === undefined)) return [...body];
  const external = new Set([...fact.mutatedParams, ...fact.mutatedGlobals, ...fact.globalWrites]);
  const needed = new Set<string>();
  const kept: Operation[] = [];
  for (let i = body.length - 1; i >= 0; i--) {
    const op = body[i];
    const changes = [...op.defines, ...op.mutates, ...op.deletes];
    if (!op.returns && !changes.some((name) => external.has(name) || needed.has(name))) continue;
    kept.push(op);
    if (DEFINITE_KINDS.has(op.kind)) for (const name of op.defines) needed.delete(name);
    for (const name of op.uses) needed.add(name);
    for (const name of op.mutates) needed.add(name);
  }
  return kept.reverse();
}
