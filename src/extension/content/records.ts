/**
 * Records the editor writes, as pure functions: an execution seen only through its execution
 * summary, and a controller's record with excluded names' values dropped.
 */
import type { ExecutionRecord } from '../../core/records';

/** Session ids of runs seen only through execution summaries (no kernel recorder, no values). */
export const OBSERVED_SESSION_PREFIX = 'observed-';

/** Drops the values of excluded names (secrets); the execution itself is still recorded. */
export function withoutExcluded(record: ExecutionRecord, excluded: readonly string[]): ExecutionRecord {
  if (!excluded.length) return record;
  const drop = new Set(excluded);
  return { ...record, values: record.values.filter((v) => !drop.has(v.name)) };
}

/** The record of an execution seen only through its execution summary (no kernel recorder: no values). */
export function observedRecord(input: {
  id: string;
  sessionId: string;
  notebookKey: string;
  cellId: string;
  cellIndex: number;
  language: ExecutionRecord['language'];
  code: string;
  executionOrder: number | undefined;
  success: boolean;
  timing: { startTime: number; endTime: number } | undefined;
  now: number;
}): ExecutionRecord {
  const start = input.timing?.startTime ?? input.now;
  return {
    id: input.id,
    sessionId: input.sessionId,
    notebookPath: input.notebookKey,
    cellId: input.cellId,
    cellIndex: input.cellIndex,
    language: input.language,
    code: input.code,
    executionCount: input.executionOrder ?? null,
    success: input.success,
    startedAt: new Date(start).toISOString(),
    durationMs: input.timing ? Math.max(0, input.timing.endTime - input.timing.startTime) : 0,
    values: [],
    files: [],
  };
}
