/**
 * The statements of a notebook-defined function's body, for slices that expand called functions.
 * Analysers may give them (`FunctionFact.body`); otherwise the body is one block of source text
 * cut from the code that defined it.
 */
import type { FunctionFact, OperationKind } from '../analysis/facts';

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
    return fact.body.map((op) => ({
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
