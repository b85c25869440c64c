/**
 * Merging the late part of deferred values (`ValueSummary.deferred`, `ValuePatch`) into recorded
 * summaries. One definition shared by the store, the editor's in-memory records and records still
 * waiting to be attributed to a cell. Pure.
 *
 * A deferred value moves one way only: `pending` → hashed (`hash` set, `deferred` removed, exact
 * `stats`) or `pending` → `abandoned`. Hashed and abandoned are final, so applying a patch twice,
 * or an old patch after a newer one, changes nothing.
 */
import type { ExecutionRecord, ValuePatch, ValueSummary } from './records';

/**
 * How long a host waits in the kernel for the hashes of large values (hashed in the background,
 * off the cells' critical path) before it builds a trial: `nbprov run` at the end of a run, the
 * editor's Save Trial and Run Notebook as Trial. A trial compares values by content hash, and a
 * value still pending is never reported equal to anything.
 */
export const HASH_FLUSH_SECONDS = 300;

/** How far a value's content hash got: ranks used to merge two copies of the same recorded value. */
export type HashState = 'complete' | 'pending' | 'abandoned';

export function hashState(summary: Pick<ValueSummary, 'hash' | 'deferred'>): HashState {
  if (summary.deferred === 'pending' && !summary.hash) return 'pending';
  if (summary.deferred === 'abandoned' && !summary.hash) return 'abandoned';
  return 'complete';
}

/** True when the value has no content hash and never will, or not yet: its repr and stats prove nothing about equality. */
export function hashUnavailable(summary: Pick<ValueSummary, 'hash' | 'deferred'>): boolean {
  return hashState(summary) !== 'complete';
}

/** The number of elements `stats` were computed from, when they come from a sample (`stats.sampled`). */
export function sampledCount(summary: Pick<ValueSummary, 'stats'>): number | undefined {
  const sampled = summary.stats?.sampled;
  return typeof sampled === 'number' && sampled > 0 ? sampled : undefined;
}

/** A patch that can be applied: it carries a hash or says the hash was abandoned. */
export function isUsablePatch(patch: ValuePatch): boolean {
  return typeof patch.executionId === 'string' && typeof patch.name === 'string' && (Boolean(patch.hash) || patch.abandoned === true);
}

/**
 * `summary` with `patch` merged in, or null when the patch changes nothing (another name, a value
 * that was never deferred, or one already hashed or abandoned).
 */
export function patchedSummary(summary: ValueSummary, patch: ValuePatch): ValueSummary | null {
  if (summary.name !== patch.name || hashState(summary) !== 'pending' || !isUsablePatch(patch)) return null;
  const out: ValueSummary = { ...summary };
  if (patch.hash) {
    out.hash = patch.hash;
    delete out.deferred;
    if (patch.stats) {
      const { sampled: _sampled, ...exact } = patch.stats;
      out.stats = exact;
    }
  } else {
    out.deferred = 'abandoned';
  }
  return out;
}

/** `values` with every applicable patch merged in; the same array when none applies. */
export function patchedValues(values: ValueSummary[], patches: readonly ValuePatch[]): ValueSummary[] {
  let out = values;
  for (const patch of patches) {
    for (let i = 0; i < out.length; i++) {
      const patched = patchedSummary(out[i], patch);
      if (!patched) continue;
      if (out === values) out = [...values];
      out[i] = patched;
    }
  }
  return out;
}

/** `records` with the patches of their executions merged in; the same array (and records) when none applies. */
export function patchedRecords<T extends Pick<ExecutionRecord, 'id' | 'values'>>(records: readonly T[], patches: readonly ValuePatch[]): readonly T[] {
  if (!patches.length) return records;
  const byExecution = new Map<string, ValuePatch[]>();
  for (const patch of patches) {
    const list = byExecution.get(patch.executionId);
    if (list) list.push(patch);
    else byExecution.set(patch.executionId, [patch]);
  }
  let out: T[] | null = null;
  records.forEach((record, index) => {
    const mine = byExecution.get(record.id);
    if (!mine) return;
    const values = patchedValues(record.values, mine);
    if (values === record.values) return;
    out ??= [...records];
    out[index] = { ...record, values };
  });
  return out ?? records;
}
