/**
 * The papermill `parameters` cell as the editor asks for it: its literal assignments with their
 * current values (shown as defaults), and the text edits that put new values in their place.
 * Values are checked and written as Python literals through src/kernel/parameters.ts, so no user
 * text becomes code. Pure.
 */
import type { CellFacts } from '../../core/analysis/facts';
import type { JsonValue } from '../../core/records';
import { parseParam } from '../../kernel/parameters';

export interface ParameterSlot {
  name: string;
  /** The literal as written in the cell (`200`, `"gini"`, `0.5`). */
  current: string;
  /** Where the assignment statement is in the cell (0-based lines, columns as the analyser gives them). */
  span: { startLine: number; startColumn: number; endLine: number; endColumn: number };
}

export { parametersCellIndex } from '../../core/notebook/tags';

/** Literal single-name assignments of the parameters cell, in order. */
export function parameterSlots(facts: CellFacts): ParameterSlot[] {
  const slots: ParameterSlot[] = [];
  for (const op of facts.operations) {
    if (op.kind !== 'assign' && op.kind !== 'annassign') continue;
    if (op.defines.length !== 1 || op.uses.length || op.calls.length) continue;
    const eq = op.code.indexOf('=');
    if (eq < 0) continue;
    slots.push({
      name: op.defines[0],
      current: op.code.slice(eq + 1).trim(),
      span: { startLine: op.span.startLine - 1, startColumn: op.span.startColumn, endLine: op.span.endLine - 1, endColumn: op.span.endColumn },
    });
  }
  return slots;
}

export interface ParameterChange {
  slot: ParameterSlot;
  value: JsonValue;
  /** The statement that replaces the slot's: `name = <python literal>`. */
  statement: string;
}

/** Parses a user's answer for a slot; throws UsageError with a one-line explanation when it is not a value. */
export function parameterChange(slot: ParameterSlot, answer: string): ParameterChange {
  const parameter = parseParam(`${slot.name}=${answer.trim()}`);
  return { slot, value: parameter.value, statement: `${slot.name} = ${parameter.python}` };
}
