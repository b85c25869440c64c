import type { ValueChange, ValueComparison } from '../../shared/cli';
import type { ValueSummary } from '../records';
import { jsonEqual } from './json';
import { summaryNumber } from './numbers';

/** What differs between two values, and how equality was decided (defined in src/shared). */
export type { ValueChange, ValueComparison };

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function numericDelta(a: number, b: number): ValueComparison['delta'] {
  const absolute = finiteOrNull(b - a);
  const relative = absolute === null || a === 0 || !Number.isFinite(a) ? null : absolute / Math.abs(a);
  return { absolute, relative };
}

function describedChanges(a: ValueSummary, b: ValueSummary): Pick<ValueComparison, 'changes' | 'columns'> {
  const changes: ValueChange[] = [];
  if (a.type !== b.type) changes.push('type');
  if (!jsonEqual(a.shape, b.shape)) changes.push('shape');
  if (!jsonEqual(a.dtype, b.dtype)) changes.push('dtype');
  if (a.length !== b.length) changes.push('length');
  if (!jsonEqual(a.columns, b.columns)) {
    changes.push('columns');
    if (a.columns && b.columns) {
      const inA = new Set(a.columns);
      const inB = new Set(b.columns);
      return {
        changes,
        columns: { added: b.columns.filter((c) => !inA.has(c)), removed: a.columns.filter((c) => !inB.has(c)) },
      };
    }
  }
  return { changes };
}

/** Compares two recorded values of the same name. */
export function compareValues(a: ValueSummary, b: ValueSummary): ValueComparison {
  const described = describedChanges(a, b);
  const numA = summaryNumber(a);
  const numB = summaryNumber(b);
  if (numA !== undefined && numB !== undefined) {
    const bothNaN = Number.isNaN(numA) && Number.isNaN(numB);
    const comparison: ValueComparison = { equal: bothNaN || numA === numB, comparedBy: 'value', ...described };
    if (bothNaN) comparison.note = 'both NaN: treated as equal (unlike NaN == NaN in Python)';
    else {
      comparison.delta = numericDelta(numA, numB);
      if (!Number.isFinite(numA) || !Number.isFinite(numB)) comparison.note = 'non-finite value: no numeric delta';
    }
    return comparison;
  }
  if (a.hash && b.hash) return { equal: a.hash === b.hash, comparedBy: 'hash', ...described };
  if (a.value !== undefined && b.value !== undefined && !a.hash && !b.hash)
    return { equal: a.type === b.type && jsonEqual(a.value, b.value), comparedBy: 'value', ...described };
  const equal = a.type === b.type && a.repr === b.repr && !a.error && !b.error;
  const incomplete = a.error || b.error;
  return {
    equal,
    comparedBy: 'repr',
    ...described,
    note: incomplete
      ? `a summary is incomplete (${incomplete}): compared by type and repr only`
      : 'no value or content hash recorded on both sides: compared by type and repr only',
  };
}
