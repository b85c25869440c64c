/**
 * Which recorded execution belongs to which observed cell run. The recorder in the kernel knows
 * the exact code and execution count of every run; the editor knows which cell finished with
 * which execution order. Pure (no `vscode`): tested in plain Node, used by both the nbprov
 * controller and the Microsoft Jupyter extension glue.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionRecord } from '../../core/records';
import type { RawExecutionRecord } from '../../kernel/recordConversion';

/** A finished cell run as the editor saw it. `ref` is the caller's handle on the cell. */
export interface ObservedExecution<T> {
  readonly ref: T;
  readonly code: string;
  /** The execution count the editor shows; null when it showed none. */
  readonly executionOrder: number | null;
}

/** A recorder record with the kernel session it came from. */
export interface SessionRawRecord {
  readonly raw: RawExecutionRecord;
  readonly sessionId: string;
}

export interface Attribution<T> {
  /** In the order of `observed`. */
  readonly matched: { observed: ObservedExecution<T>; record: SessionRawRecord }[];
  /** Runs no record was found for (the recorder was not installed yet, the kernel restarted…). */
  readonly unmatchedObserved: ObservedExecution<T>[];
  /** Records of runs the editor did not report (yet): another cell still finishing, the kernel used by someone else. */
  readonly unmatchedRecords: SessionRawRecord[];
}

/** The editor and the kernel may disagree on line endings and trailing blank lines. */
export function normalizeCode(code: string): string {
  return code.replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/**
 * Matches in three passes, each only among records not yet taken:
 * 1. same execution count and same code — the exact match; the newest record wins, since counts
 *    restart with every kernel session;
 * 2. same execution count, different code, when exactly one record has that count (the cell was
 *    edited while it ran, so its text is not what ran; the record keeps the code that ran);
 * 3. runs with no execution count: the oldest record with the same code.
 */
export function attributeExecutions<T>(records: readonly SessionRawRecord[], observed: readonly ObservedExecution<T>[]): Attribution<T> {
  const taken = new Set<number>();
  const result = new Map<number, number>();
  const codes = records.map((r) => normalizeCode(r.raw.code));

  observed.forEach((o, oi) => {
    if (o.executionOrder === null) return;
    const code = normalizeCode(o.code);
    for (let ri = records.length - 1; ri >= 0; ri--) {
      if (!taken.has(ri) && records[ri]!.raw.executionCount === o.executionOrder && codes[ri] === code) {
        taken.add(ri);
        result.set(oi, ri);
        return;
      }
    }
  });
  observed.forEach((o, oi) => {
    if (result.has(oi) || o.executionOrder === null) return;
    const candidates = records.map((_r, ri) => ri).filter((ri) => !taken.has(ri) && records[ri]!.raw.executionCount === o.executionOrder);
    if (candidates.length === 1) {
      taken.add(candidates[0]!);
      result.set(oi, candidates[0]!);
    }
  });
  observed.forEach((o, oi) => {
    if (result.has(oi) || o.executionOrder !== null) return;
    const code = normalizeCode(o.code);
    const ri = codes.findIndex((c, i) => !taken.has(i) && c === code);
    if (ri >= 0) {
      taken.add(ri);
      result.set(oi, ri);
    }
  });

  return {
    matched: observed.flatMap((o, oi) => (result.has(oi) ? [{ observed: o, record: records[result.get(oi)!]! }] : [])),
    unmatchedObserved: observed.filter((_o, oi) => !result.has(oi)),
    unmatchedRecords: records.filter((_r, ri) => !taken.has(ri)),
  };
}

export interface UnrecordedRun {
  readonly sessionId: string;
  readonly notebookPath: string;
  readonly cellId: string;
  readonly cellIndex: number | null;
  readonly code: string;
  readonly executionCount: number | null;
  readonly success: boolean;
  readonly error?: { type: string; message: string };
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
}

/**
 * A run the recorder has no record of still happened: keep it (code, order, outcome) with no
 * values, so lineage from static analysis and the execution history stay complete.
 */
export function unrecordedExecution(run: UnrecordedRun): ExecutionRecord {
  const record: ExecutionRecord = {
    id: randomUUID(),
    sessionId: run.sessionId,
    notebookPath: run.notebookPath,
    cellId: run.cellId,
    cellIndex: run.cellIndex,
    language: 'python',
    code: run.code,
    executionCount: run.executionCount,
    success: run.success,
    startedAt: new Date(run.startTime).toISOString(),
    durationMs: Math.max(0, run.endTime - run.startTime),
    values: [],
    files: [],
  };
  if (run.error) record.error = run.error;
  return record;
}

/** Drops the values of names the user asked never to record (setting nbprov.recording.excludedNames). */
export function withoutExcludedNames(record: ExecutionRecord, excluded: readonly string[]): ExecutionRecord {
  if (!excluded.length || !record.values.some((v) => excluded.includes(v.name))) return record;
  return { ...record, values: record.values.filter((v) => !excluded.includes(v.name)) };
}
