import type { ModelComparison, NotCompared, ValueChange, ValueComparison } from '../../shared/cli';
import type { ValueSummary } from '../records';
import { hashState } from '../valuePatches';
import { jsonEqual } from './json';
import { summaryNumber } from './numbers';

/** What differs between two values, and how equality was decided (defined in src/shared). */
export type { ModelComparison, NotCompared, ValueChange, ValueComparison };

function finiteOrNull(n: number): number | null {
  return Number.isFinite(n) ? n : null;
}

function numericDelta(a: number, b: number): ValueComparison['delta'] {
  const absolute = finiteOrNull(b - a);
  const relative = absolute === null || a === 0 || !Number.isFinite(a) ? null : absolute / Math.abs(a);
  return { absolute, relative };
}

/** Which dtypes changed: per column for data frames (columns on one side only are left to `columns`). */
function changedDtypes(a: ValueSummary['dtype'], b: ValueSummary['dtype']): NonNullable<ValueComparison['dtypes']> {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    return Object.keys(a)
      .filter((column) => Object.prototype.hasOwnProperty.call(b, column) && a[column] !== b[column])
      .map((column) => ({ column, a: a[column], b: b[column] }));
  }
  const text = (d: ValueSummary['dtype']) => (d === undefined ? null : typeof d === 'string' ? d : JSON.stringify(d));
  return [{ a: text(a), b: text(b) }];
}

type Described = Pick<ValueComparison, 'changes' | 'columns' | 'dtypes'>;

function describedChanges(a: ValueSummary, b: ValueSummary): Described {
  const changes: ValueChange[] = [];
  const described: Described = { changes };
  if (a.type !== b.type) changes.push('type');
  if (!jsonEqual(a.shape, b.shape)) changes.push('shape');
  if (!jsonEqual(a.dtype, b.dtype)) {
    changes.push('dtype');
    const dtypes = changedDtypes(a.dtype, b.dtype);
    if (dtypes.length) described.dtypes = dtypes;
  }
  if (a.length !== b.length) changes.push('length');
  if (!jsonEqual(a.columns, b.columns)) {
    changes.push('columns');
    if (a.columns && b.columns) {
      const inA = new Set(a.columns);
      const inB = new Set(b.columns);
      described.columns = { added: b.columns.filter((c) => !inA.has(c)), removed: a.columns.filter((c) => !inB.has(c)) };
    }
  }
  return described;
}

function changedHyperparameters(a: ValueSummary, b: ValueSummary): ModelComparison['hyperparameters'] {
  const pa = a.params ?? {};
  const pb = b.params ?? {};
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const names = [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort();
  return names
    .filter((name) => !(has(pa, name) && has(pb, name) && jsonEqual(pa[name], pb[name])))
    .map((name) => ({ name, ...(has(pa, name) ? { a: pa[name] } : {}), ...(has(pb, name) ? { b: pb[name] } : {}) }));
}

/**
 * Models are identified by class, hyperparameters and a hash of their fitted state: the
 * hyperparameters that changed are named; equal ones leave the fitted-state hash to decide.
 */
function compareModels(a: ValueSummary, b: ValueSummary, described: Described): ValueComparison {
  const hyperparameters = changedHyperparameters(a, b);
  const sameClass = a.type === b.type;
  if (hyperparameters.length || !sameClass) {
    const comparison: ValueComparison = { equal: false, comparedBy: a.hash && b.hash ? 'hash' : 'repr', ...described, model: { hyperparameters, verdict: 'hyperparameters changed' } };
    if (!hyperparameters.length) comparison.model!.verdict = 'same hyperparameters';
    return comparison;
  }
  if (a.hash && b.hash) {
    const equal = a.hash === b.hash;
    return { equal, comparedBy: 'hash', ...described, model: { hyperparameters, verdict: equal ? 'same model' : 'same hyperparameters, different fitted state' } };
  }
  return {
    equal: true,
    comparedBy: 'repr',
    ...described,
    model: { hyperparameters, verdict: 'same hyperparameters' },
    note: 'no fitted-state hash recorded on both sides: compared by class and hyperparameters only',
  };
}

/** Why two values cannot be compared by content, or null: a side is a large value without its content hash. */
export function notComparedBecause(a: ValueSummary, b: ValueSummary): NotCompared | null {
  const stateA = hashState(a);
  const stateB = hashState(b);
  if (stateA === 'complete' && stateB === 'complete') return null;
  // Abandoned is final: say so even when the other side is only pending.
  const out: NotCompared = { reason: stateA === 'abandoned' || stateB === 'abandoned' ? 'hash-abandoned' : 'hash-pending' };
  if (stateA !== 'complete') out.a = stateA;
  if (stateB !== 'complete') out.b = stateB;
  return out;
}

/** `hash pending on A`, `hash pending on A and B`, `hash pending on A, never computed on B`. */
export function notComparedShort(notCompared: NotCompared): string {
  const phrase = (state: 'pending' | 'abandoned') => (state === 'pending' ? 'pending' : 'never computed');
  if (notCompared.a && notCompared.a === notCompared.b) return `hash ${phrase(notCompared.a)} on A and B`;
  const parts = [notCompared.a && `${phrase(notCompared.a)} on A`, notCompared.b && `${phrase(notCompared.b)} on B`].filter(Boolean);
  return `hash ${parts.join(', ')}`;
}

/** One sentence for people: why the content was not compared. */
export function notComparedText(notCompared: NotCompared): string {
  const why = [
    notCompared.a === 'pending' || notCompared.b === 'pending' ? 'pending: the kernel had not finished hashing it' : '',
    notCompared.a === 'abandoned' || notCompared.b === 'abandoned' ? 'never computed: a later cell changed it before it was hashed' : '',
  ].filter(Boolean);
  return `not compared: ${notComparedShort(notCompared)} (the content hash of a large value is ${why.join('; ')})`;
}

/**
 * Compares two recorded values of the same name. A large value without its content hash
 * (`deferred`) is never reported equal on the strength of its repr or sampled statistics: the
 * verdict is then "not compared" unless its type, shape, dtype, columns or length already differ.
 */
export function compareValues(a: ValueSummary, b: ValueSummary): ValueComparison {
  const comparison = compareSummaries(a, b);
  const notCompared = notComparedBecause(a, b);
  if (!notCompared) return comparison;
  const proven = [...comparison.changes, ...(comparison.model?.hyperparameters.length ? ['hyperparameters'] : [])];
  if (proven.length) {
    return { ...comparison, equal: false, notCompared, note: `content ${notComparedShort(notCompared)}, but it differs in ${proven.join(', ')} all the same` };
  }
  const { delta: _delta, ...rest } = comparison;
  return { ...rest, equal: false, comparedBy: 'none', notCompared, note: notComparedText(notCompared) };
}

function compareSummaries(a: ValueSummary, b: ValueSummary): ValueComparison {
  const described = describedChanges(a, b);
  if (a.params || b.params) return compareModels(a, b, described);
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
