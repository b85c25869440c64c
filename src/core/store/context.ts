/** What repository functions share: the open database, an insertion counter and a clock. */
import type { Database } from 'sql.js';
import { queryNumber } from './sql';

export interface RepoContext {
  readonly db: Database;
  /** Next insertion-order number for executions (ties on start time keep insertion order). */
  nextExecutionSeq(): number;
  /** Strictly increasing ISO timestamps for `updated_at`, so last-writer-wins is well defined. */
  now(): string;
  /** Called after every change, so `save()` knows there is something to write. */
  markDirty(): void;
}

export function createRepoContext(db: Database, onChange: () => void): RepoContext & { resyncSeq(): void } {
  let seq = 0;
  let lastMs = 0;
  const resyncSeq = () => {
    seq = Math.max(seq, queryNumber(db, 'SELECT COALESCE(MAX(seq), 0) FROM executions'));
  };
  resyncSeq();
  return {
    db,
    nextExecutionSeq: () => ++seq,
    now: () => {
      lastMs = Math.max(Date.now(), lastMs + 1);
      return new Date(lastMs).toISOString();
    },
    markDirty: onChange,
    resyncSeq,
  };
}
