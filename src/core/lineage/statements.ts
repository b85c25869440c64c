/**
 * One execution's facts as a list of statements, the unit lineage works on.
 *
 * Analysers give both cell-level facts and per-statement operations. Lineage follows the
 * operations, and folds in anything the cell-level facts mention that no operation does (uses on
 * the first statement, changes on the last), so a cell-level slice stays sound even when an
 * analyser's operations are partial. Facts without operations become one statement for the cell.
 */
import type { CellFacts, FunctionFact, Operation } from '../analysis/facts';

export interface Statement extends Omit<Operation, 'index'> {
  /** Functions and classes whose definition is this statement. */
  functions: FunctionFact[];
}

export function statementsOf(code: string, facts: CellFacts): Statement[] {
  if (facts.operations.length === 0) return [wholeCellStatement(code, facts)];
  const statements: Statement[] = facts.operations.map((op) => ({
    kind: op.kind,
    span: op.span,
    code: op.code,
    defines: [...op.defines],
    uses: [...op.uses],
    mutates: [...op.mutates],
    deletes: [...op.deletes],
    calls: op.calls,
    functions: [],
    ...aliasFactsOf(op),
  }));
  const first = statements[0];
  const last = statements[statements.length - 1];
  addMissing(first, 'uses', [...facts.uses, ...facts.builtinUses], statements);
  addMissing(last, 'defines', facts.defines, statements);
  addMissing(last, 'mutates', facts.mutates, statements);
  addMissing(last, 'deletes', facts.deletes, statements);
  for (const fn of facts.functions) definingStatement(fn, statements).functions.push(fn);
  return statements;
}

function wholeCellStatement(code: string, facts: CellFacts): Statement {
  const lines = code.split('\n');
  return {
    kind: 'other',
    span: { startLine: 1, startColumn: 0, endLine: lines.length, endColumn: lines[lines.length - 1].length },
    code,
    defines: [...facts.defines],
    uses: unique([...facts.uses, ...facts.builtinUses]),
    mutates: [...facts.mutates],
    deletes: [...facts.deletes],
    calls: [],
    functions: [...facts.functions],
  };
}

type NameField = 'uses' | 'defines' | 'mutates' | 'deletes';

function addMissing(target: Statement, field: NameField, names: readonly string[], all: readonly Statement[]): void {
  const present = new Set(all.flatMap((s) => s[field]));
  for (const name of names) {
    if (!present.has(name)) {
      present.add(name);
      target[field].push(name);
    }
  }
}

/** The statement that defines `fn`: the one whose lines contain its definition and bind its name. */
function definingStatement(fn: FunctionFact, statements: readonly Statement[]): Statement {
  const overlaps = (s: Statement) => s.span.startLine <= fn.span.endLine && s.span.endLine >= fn.span.startLine;
  return (
    statements.find((s) => overlaps(s) && s.defines.includes(fn.name)) ??
    statements.find((s) => s.defines.includes(fn.name)) ??
    statements.find(overlaps) ??
    statements[statements.length - 1]
  );
}

/** The optional alias and file facts of an operation, copied only when present. */
function aliasFactsOf(op: Operation): Partial<Statement> {
  const facts: Partial<Statement> = {};
  if (op.flows) facts.flows = op.flows;
  if (op.stores) facts.stores = op.stores;
  if (op.outerMutates) facts.outerMutates = op.outerMutates;
  if (op.consumes) facts.consumes = op.consumes;
  if (op.mutatesAfterBinding) facts.mutatesAfterBinding = op.mutatesAfterBinding;
  if (op.fileUses) facts.fileUses = op.fileUses;
  return facts;
}

export function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
