/** Shared by the Python and JS/TS function-body tests: body statements as comparable rows. */
import assert from 'node:assert/strict';
import type { FunctionFact, Operation } from '../../src/core/analysis/facts';

/** A body statement with every field spelled out (empty lists included), calls as callees. */
export interface BodyRow {
  span: [number, number, number, number];
  kind: Operation['kind'];
  code: string;
  defines?: string[];
  uses?: string[];
  mutates?: string[];
  deletes?: string[];
  calls?: string[];
  returns?: boolean;
}

export function row(partial: BodyRow): BodyRow {
  return { defines: [], uses: [], mutates: [], deletes: [], calls: [], returns: false, ...partial };
}

export function bodyRows(fact: FunctionFact | undefined): BodyRow[] {
  assert.ok(fact?.body, 'the function fact has body statements');
  return fact.body.map((op, index) => {
    assert.equal(op.index, index);
    return {
      span: [op.span.startLine, op.span.startColumn, op.span.endLine, op.span.endColumn],
      kind: op.kind,
      code: op.code,
      defines: op.defines,
      uses: op.uses,
      mutates: op.mutates,
      deletes: op.deletes,
      calls: op.calls.map((c) => c.callee),
      returns: op.returns,
    };
  });
}
