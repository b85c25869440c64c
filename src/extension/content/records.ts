/** What the editor does to a record before storing it, as a pure function. */
import type { ExecutionRecord } from '../../core/records';

/** Drops the values of excluded names (secrets); the execution itself is still recorded. */
export function withoutExcluded(record: ExecutionRecord, excluded: readonly string[]): ExecutionRecord {
  if (!excluded.length) return record;
  const drop = new Set(excluded);
  return { ...record, values: record.values.filter((v) => !drop.has(v.name)) };
}
