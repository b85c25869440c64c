/**
 * Executes notebook cells top to bottom in a kernel with the recorder installed, attributing
 * every record to exactly the cell whose code ran (by execution count and code).
 */
import { randomUUID } from 'node:crypto';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../core/records';
import type { RunFailure } from '../shared/cli';
import { KernelDiedError } from './errors';
import type { KernelClient, KernelOutput } from './kernelClient';
import { toExecutionRecord, type RawExecutionRecord } from './recordConversion';
import { RecorderSession, type CollectedBatch } from './recorderSession';

export interface RunCell {
  cellId: string;
  cellIndex: number;
  code: string;
}

export type RunProgress = { index: number; total: number; cell: RunCell; phase: 'start' } | { index: number; total: number; cell: RunCell; phase: 'done'; record: ExecutionRecord };

export interface RunCellsOptions {
  notebookPath: string;
  onProgress?: (progress: RunProgress) => void;
  onRecord?: (record: ExecutionRecord) => void;
  onOutput?: (cell: RunCell, output: KernelOutput) => void;
  /** Stop at the first failing cell (default true). A dead kernel always stops the run. */
  stopOnError?: boolean;
  /**
   * Aborting interrupts the kernel and stops the run after the running cell (its record is kept).
   * The only way to cancel: this layer installs no signal handlers (the front end maps Ctrl-C here).
   */
  signal?: AbortSignal;
  /** Cap on the output characters kept per cell (default 1 MB). */
  maxOutputChars?: number;
  /** Reuse a session (e.g. to keep running in the same kernel); one is created otherwise. */
  session?: RecorderSession;
  /**
   * Late hashes of deferred values (`ValueSummary.deferred`) of executions recorded earlier in
   * this run or before it, handed over right after the record collected with them: store them.
   */
  onPatches?: (patches: ValuePatch[]) => void;
  /**
   * At the end of the run, wait up to this many seconds in the kernel for the background hasher
   * to finish the deferred values (a trial built from the run wants their hashes). Aborting
   * interrupts the wait. Default: no wait.
   */
  flushSeconds?: number;
}

export interface CellOutputs {
  cellId: string;
  cellIndex: number;
  executionCount: number | null;
  outputs: KernelOutput[];
  truncated: boolean;
}

/** How a run ended early: the `failure` of `nbprov run --json`, defined in src/shared. */
export type CellRunFailure = RunFailure;

export interface RunCellsResult {
  /** The kernel session the run ended in (its environment is filled in when the kernel lived). */
  session: SessionRecord | null;
  sessions: SessionRecord[];
  executions: ExecutionRecord[];
  outputs: CellOutputs[];
  /** The first failure, or null when every cell ran. */
  failure: CellRunFailure | null;
  /** Records of executions that were not requested by this run (someone else used the kernel). */
  unattributed: RawExecutionRecord[];
  /** Kernel time the recorder's hooks added, summed over the run. */
  recorderMs: number;
  /** Every late hash collected during the run (also handed to `onPatches`). */
  patches: ValuePatch[];
  /** Deferred values the kernel had not hashed yet when the run ended (after the flush). */
  pendingHashes: number;
  /** The end-of-run wait for the kernel's hasher (`flushSeconds`) ran to its end: not asked, interrupted or cut by a dead kernel otherwise. */
  flushed: boolean;
}

export async function runCells(client: KernelClient, cells: RunCell[], options: RunCellsOptions): Promise<RunCellsResult> {
  const session = options.session ?? new RecorderSession(client, options.notebookPath);
  await session.ensureInstalled();
  const stopOnError = options.stopOnError ?? true;
  const result: RunCellsResult = { session: null, sessions: [], executions: [], outputs: [], failure: null, unattributed: [], recorderMs: 0, patches: [], pendingHashes: 0, flushed: false };
  const handOverPatches = () => {
    const patches = session.takePatches();
    if (!patches.length) return;
    result.patches.push(...patches);
    options.onPatches?.(patches);
  };
  const interrupter = new Interrupter(client, options);
  const runnable = cells.filter((cell) => cell.code.trim() !== '');
  try {
    // Records of anything that ran before this run belong to nobody here.
    result.unattributed.push(...(await session.collect()).records);
    for (const [index, cell] of runnable.entries()) {
      if (interrupter.aborted) {
        result.failure ??= { kind: 'interrupted', cellId: cell.cellId, cellIndex: cell.cellIndex, message: `Interrupted before cell ${cell.cellIndex} ran` };
        break;
      }
      options.onProgress?.({ index, total: runnable.length, cell, phase: 'start' });
      const startedAt = new Date();
      // The records come back in the cell's own reply (a user expression) where the client can
      // do that; otherwise a collect request is queued right behind the cell. Neither costs a round trip.
      const piggyback = session.collectRequest();
      interrupter.cellRunning = true;
      const replyPromise = client.execute(cell.code, {
        silent: false,
        storeHistory: true,
        maxOutputChars: options.maxOutputChars,
        onOutput: options.onOutput ? (output) => options.onOutput?.(cell, output) : undefined,
        ...piggyback,
      });
      const queuedCollect = piggyback
        ? null
        : session.collect().then(
            (batch) => batch,
            () => null,
          );
      let reply;
      try {
        reply = await replyPromise;
        interrupter.cellRunning = false;
      } catch (error) {
        interrupter.cellRunning = false;
        await queuedCollect;
        if (!(error instanceof KernelDiedError)) throw error;
        const record = diedRecord(cell, session.sessionId, options.notebookPath, startedAt, error.message);
        result.executions.push(record);
        options.onRecord?.(record);
        result.failure = { kind: 'kernel-died', cellId: cell.cellId, cellIndex: cell.cellIndex, message: `The kernel died while running cell ${cell.cellIndex}: ${error.message}` };
        break;
      }
      result.outputs.push({ cellId: cell.cellId, cellIndex: cell.cellIndex, executionCount: reply.executionCount, outputs: reply.outputs, truncated: reply.outputsTruncated });
      // After an error the kernel skips user expressions and aborts queued requests (stop_on_error): collect again then.
      const carried = queuedCollect ? await queuedCollect : await session.collectFromReply(reply).catch(() => null);
      let batch: CollectedBatch | null = carried;
      try {
        batch ??= await session.collect();
      } catch (error) {
        // A late interrupt can land on this request; the cell's execution is still kept.
        if (!interrupter.aborted) throw error;
      }
      const sessionId = batch?.sessionId ?? session.sessionId ?? 'unknown-session';
      let mine: RawExecutionRecord | undefined;
      for (const raw of batch?.records ?? []) {
        if (!mine && raw.code === cell.code && (reply.executionCount === null || raw.executionCount === reply.executionCount)) mine = raw;
        else result.unattributed.push(raw);
      }
      const record = mine
        ? toExecutionRecord(mine, sessionId, { notebookPath: options.notebookPath, cellId: cell.cellId, cellIndex: cell.cellIndex })
        : unrecordedRecord(cell, sessionId, options.notebookPath, startedAt, reply);
      if (mine) result.recorderMs += mine.recorderMs;
      result.executions.push(record);
      options.onRecord?.(record);
      handOverPatches();
      options.onProgress?.({ index, total: runnable.length, cell, phase: 'done', record });
      if (reply.status !== 'ok') {
        const interrupted = reply.error?.ename === 'KeyboardInterrupt' || interrupter.aborted;
        const failure: CellRunFailure = {
          kind: interrupted ? 'interrupted' : 'error',
          cellId: cell.cellId,
          cellIndex: cell.cellIndex,
          message: interrupted
            ? `Interrupted by the user while cell ${cell.cellIndex} was running`
            : `Cell ${cell.cellIndex} failed: ${reply.error ? `${reply.error.ename}: ${reply.error.evalue}` : reply.status}`,
          ename: reply.error?.ename,
          evalue: reply.error?.evalue,
          traceback: reply.error?.traceback,
        };
        result.failure ??= failure;
        if (stopOnError || interrupted) break;
      }
    }
    if (result.failure?.kind !== 'kernel-died') {
      const flushSeconds = interrupter.aborted ? undefined : options.flushSeconds;
      // While the kernel waits for its hasher, an abort interrupts that wait like a running cell.
      interrupter.cellRunning = Boolean(flushSeconds);
      try {
        await session.environment({ flushSeconds });
        result.flushed = Boolean(flushSeconds);
      } catch (error) {
        // A late interrupt may hit this request; the executions are what matter then.
        if (!interrupter.aborted) throw error;
      } finally {
        interrupter.cellRunning = false;
      }
      for (const raw of session.takePending()) result.unattributed.push(raw);
      handOverPatches();
    }
    result.pendingHashes = session.pendingHashes;
  } finally {
    interrupter.dispose();
    // Whatever stopped the run, patches already collected belong in the store.
    handOverPatches();
  }
  result.sessions = [...session.sessions];
  result.session = session.currentSession();
  return result;
}

function diedRecord(cell: RunCell, sessionId: string | null, notebookPath: string, startedAt: Date, message: string): ExecutionRecord {
  return {
    id: randomUUID(),
    sessionId: sessionId ?? 'unknown-session',
    notebookPath,
    cellId: cell.cellId,
    cellIndex: cell.cellIndex,
    language: 'python',
    code: cell.code,
    executionCount: null,
    success: false,
    error: { type: 'KernelDied', message },
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    values: [],
    files: [],
  };
}

/** A cell ran but the recorder reported nothing for it (e.g. it was disabled): keep the execution. */
function unrecordedRecord(
  cell: RunCell,
  sessionId: string,
  notebookPath: string,
  startedAt: Date,
  reply: { status: string; executionCount: number | null; error?: { ename: string; evalue: string } },
): ExecutionRecord {
  const record: ExecutionRecord = {
    id: randomUUID(),
    sessionId,
    notebookPath,
    cellId: cell.cellId,
    cellIndex: cell.cellIndex,
    language: 'python',
    code: cell.code,
    executionCount: reply.executionCount,
    success: reply.status === 'ok',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    values: [],
    files: [],
  };
  if (reply.error) record.error = { type: reply.error.ename, message: reply.error.evalue };
  return record;
}

const REPEAT_INTERRUPT_MS = 1000;

/**
 * Turns an abort signal into a kernel interrupt for the duration of a run. Only a running user
 * cell is interrupted; an abort between cells stops the run before the next one.
 */
class Interrupter {
  aborted = false;
  cellRunning = false;
  private repeat: ReturnType<typeof setInterval> | null = null;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly client: KernelClient,
    options: RunCellsOptions,
  ) {
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) this.aborted = true;
      const onAbort = () => {
        this.aborted = true;
        if (this.cellRunning) this.interrupt();
      };
      signal.addEventListener('abort', onAbort);
      this.cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
  }

  /**
   * Interrupts the kernel, and again every second while the cell still runs: an interrupt that
   * reaches the kernel just before the cell starts executing is ignored by it.
   */
  private interrupt(): void {
    this.aborted = true;
    this.client.interrupt().catch(() => undefined);
    if (this.repeat) return;
    this.repeat = setInterval(() => {
      if (this.cellRunning) this.client.interrupt().catch(() => undefined);
    }, REPEAT_INTERRUPT_MS);
  }

  dispose(): void {
    if (this.repeat) clearInterval(this.repeat);
    for (const cleanup of this.cleanups) cleanup();
  }
}
