/**
 * Runs made by another kernel than "nbprov: Python" (the Microsoft Jupyter extension's), turned
 * into records: the runs the editor reported are matched to the records collected from the
 * recorder in that kernel (attribution.ts); runs with no record are kept without values; records
 * of runs not reported yet wait for their report. No `vscode`: msJupyter.ts feeds it, and it is
 * tested in plain Node with a real kernel standing in for the Jupyter extension's.
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../../core/records';
import { patchedValues } from '../../core/valuePatches';
import type { CollectedBatch } from '../../kernel/recorderSession';
import { executionId, toExecutionRecord, type RawExecutionRecord } from '../../kernel/recordConversion';
import { attributeExecutions, unrecordedExecution, withoutExcludedNames, type ObservedExecution, type SessionRawRecord } from './attribution';

/** Records waiting for the editor to report their run; older ones are dropped beyond this. */
export const MAX_PENDING_RECORDS = 200;

/** A finished run as the editor reported it (executionSummary). */
export interface ReportedRun<T> {
  readonly cell: T;
  readonly cellId: string;
  readonly cellIndex: number;
  readonly code: string;
  readonly executionOrder: number | null;
  readonly success: boolean;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
}

/** What is needed of the recorder in the other kernel (a RecorderSession). */
export interface ForeignRecorder {
  ensureInstalled(): Promise<unknown>;
  collect(): Promise<CollectedBatch>;
  /** See RecorderSession: late hashes of large values, records collected by a flush, the flush itself. */
  takePatches(): ValuePatch[];
  takePending(): RawExecutionRecord[];
  flushHashes(seconds: number): Promise<number>;
  readonly sessionId: string | null;
  readonly sessions: readonly SessionRecord[];
  currentSession(): SessionRecord | null;
}

export interface AttributedRun<T> {
  readonly cell: T;
  readonly record: ExecutionRecord;
  readonly session: SessionRecord;
}

export class ForeignRunAttributor<T> {
  private pending: SessionRawRecord[] = [];
  private fallback: SessionRecord | null = null;
  /** Late hashes for records already handed out (records still waiting are patched in memory). */
  private outgoing: ValuePatch[] = [];

  constructor(
    private readonly notebookPath: () => string,
    private readonly warn: (message: string) => void,
  ) {}

  /** A new kernel: records held for the old one can never be reported. */
  reset(): void {
    this.pending = [];
  }

  /**
   * Late hashes of large values for records `attribute` already returned: for the store, after
   * those records. Each is handed out once.
   */
  takePatches(): ValuePatch[] {
    return this.outgoing.splice(0);
  }

  /**
   * Waits up to `seconds` in the kernel for its background hasher (before a trial is built).
   * Records collected on the way wait for their runs' reports like any other; the hashes go to
   * `takePatches()`. Returns how many large values are still unhashed.
   */
  async flushHashes(recorder: ForeignRecorder, seconds: number): Promise<number> {
    const pending = await recorder.flushHashes(seconds);
    const sessionId = recorder.sessionId ?? 'unknown-session';
    this.pending.push(...recorder.takePending().map((raw) => ({ raw, sessionId })));
    this.absorb(recorder.takePatches());
    return pending;
  }

  /** A patch of a record still waiting for its report is merged into it here; the others go out. */
  private absorb(patches: readonly ValuePatch[]): void {
    for (const patch of patches) {
      const index = this.pending.findIndex((p) => executionId(p.sessionId, p.raw.seq) === patch.executionId);
      if (index < 0) {
        this.outgoing.push(patch);
        continue;
      }
      const waiting = this.pending[index];
      this.pending[index] = { ...waiting, raw: { ...waiting.raw, values: patchedValues(waiting.raw.values, [patch]) } };
    }
  }

  /**
   * Records for `runs`, oldest first. `recorder` is null when there is nothing to collect from
   * (no Jupyter extension, no kernel, not Python): every run is then kept without values.
   */
  async attribute(runs: readonly ReportedRun<T>[], recorder: ForeignRecorder | null, excludedNames: readonly string[]): Promise<AttributedRun<T>[]> {
    if (recorder) {
      try {
        await recorder.ensureInstalled();
        const batch = await recorder.collect();
        const sessionId = batch.sessionId ?? recorder.sessionId ?? 'unknown-session';
        this.pending.push(...batch.records.map((raw) => ({ raw, sessionId })));
        this.absorb(recorder.takePatches());
      } catch (error) {
        this.warn(`could not collect records from the Jupyter kernel: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const observed: ObservedExecution<ReportedRun<T>>[] = runs.map((run) => ({ ref: run, code: run.code, executionOrder: run.executionOrder }));
    const attribution = attributeExecutions(this.pending, observed);
    this.pending = attribution.unmatchedRecords.slice(-MAX_PENDING_RECORDS);
    const notebookPath = this.notebookPath();
    const out: (AttributedRun<T> & { at: number })[] = [];
    for (const { observed: o, record } of attribution.matched) {
      const session = recorder?.sessions.find((s) => s.id === record.sessionId) ?? this.fallbackSession(notebookPath);
      const converted = toExecutionRecord(record.raw, record.sessionId, { notebookPath, cellId: o.ref.cellId, cellIndex: o.ref.cellIndex });
      out.push({ at: o.ref.endTime, cell: o.ref.cell, record: withoutExcludedNames(converted, excludedNames), session });
    }
    for (const { ref: run } of attribution.unmatchedObserved) {
      const session = recorder?.currentSession() ?? this.fallbackSession(notebookPath);
      const record = unrecordedExecution({ ...run, sessionId: session.id, notebookPath, executionCount: run.executionOrder });
      out.push({ at: run.endTime, cell: run.cell, record, session });
    }
    return out.sort((a, b) => a.at - b.at).map(({ cell, record, session }) => ({ cell, record, session }));
  }

  /** Stands for the kernel session when no recorder session is known. */
  private fallbackSession(notebookPath: string): SessionRecord {
    this.fallback ??= { id: `editor-${randomUUID()}`, notebookPath, kernelName: null, startedAt: new Date().toISOString(), environment: null };
    return this.fallback;
  }
}
