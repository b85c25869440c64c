/**
 * One notebook's kernel for "nbprov: Python": a queue of cell runs executed one at a time in a
 * Jupyter kernel with the recorder installed, each finished run turned into an ExecutionRecord
 * attributed to exactly the cell that ran. No `vscode` here: the controller adapts a
 * NotebookCellExecution to `QueuedCell`, so this runs (and is tested) in plain Node against a
 * real kernel.
 *
 * Jupyter's semantics are kept: a failing, interrupted or killed cell cancels everything queued
 * behind it; the kernel starts on first use; after a kernel dies the next run starts a new one;
 * after a restart the recorder is installed again and a new session begins.
 */
import { NbprovError } from '../../core/errors';
import type { ExecutionRecord, SessionRecord, ValuePatch } from '../../core/records';
import { KernelDiedError } from '../../kernel/errors';
import type { ExecuteResult, KernelClient, KernelOutput } from '../../kernel/kernelClient';
import { toExecutionRecord } from '../../kernel/recordConversion';
import { RecorderSession } from '../../kernel/recorderSession';
import { attributeExecutions, unrecordedExecution, withoutExcludedNames } from './attribution';
import { runnability } from './cells';

/** The editor's side of one queued cell run (the controller wraps a NotebookCellExecution). */
export interface QueuedCell {
  readonly cellId: string;
  readonly cellIndex: number;
  readonly code: string;
  readonly languageId: string;
  /** The run begins: show it running, clear old outputs. */
  started(startTime: number): void;
  executionOrder(order: number | null): void;
  output(output: KernelOutput): void;
  /** A message from nbprov (no kernel, kernel died, wrong language), shown as the cell's output. */
  message(text: string): void;
  /** Always called exactly once, also for cells cancelled before they started. */
  finished(success: boolean | undefined, endTime?: number): void;
}

export type CellRunStatus = 'ok' | 'error' | 'interrupted' | 'kernel-died' | 'no-kernel' | 'refused' | 'skipped' | 'cancelled';

export interface CellRunResult {
  readonly cellId: string;
  readonly cellIndex: number;
  readonly status: CellRunStatus;
  readonly executionCount: number | null;
  /** The recorded execution (absent when recording is off or the cell did not run). */
  readonly record?: ExecutionRecord;
  /** For failures: one line saying what happened. */
  readonly message?: string;
}

export interface RunSummary {
  readonly results: CellRunResult[];
  /** The first cell that failed (error, interrupt, dead kernel, no kernel, refused), or null. */
  readonly failure: CellRunResult | null;
  /** The kernel session the run ended in. */
  readonly session: SessionRecord | null;
}

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface KernelSessionOptions {
  /** The notebook's store key (workspace-relative path); read at each record. */
  notebookPath(): string;
  /** Starts a kernel (lazily, on the first run, and again after the kernel died). */
  connect(): Promise<KernelClient>;
  recording(): { readonly enabled: boolean; readonly excludedNames: readonly string[] };
  log: SessionLog;
  onRecord(record: ExecutionRecord, session: SessionRecord, cell: QueuedCell): void;
  /** A new kernel session began, or its environment became known. */
  onSession?(session: SessionRecord): void;
  /**
   * Late hashes of large values (`ValueSummary.deferred`) of executions recorded earlier, always
   * after the record they patch was handed to `onRecord`: merge them into the store.
   */
  onPatches?(patches: ValuePatch[]): void;
  /** Starting a kernel failed (the message is already in the cell); e.g. to show a notification once. */
  onConnectError?(error: Error): void;
}

const FAILURES: ReadonlySet<CellRunStatus> = new Set(['error', 'interrupted', 'kernel-died', 'no-kernel', 'refused']);

interface Live {
  readonly client: KernelClient;
  readonly recorder: RecorderSession;
}

interface Entry {
  readonly cell: QueuedCell;
  readonly done: (result: CellRunResult) => void;
}

export class KernelSession {
  private readonly queue: Entry[] = [];
  private pumping = false;
  private live: Live | null = null;
  private connecting: Promise<Live> | null = null;
  private running: QueuedCell | null = null;
  private restarting = false;
  /** The kernel is waiting for its background hasher (`flushHashes`): an interrupt stops the wait. */
  private flushing = false;
  private environmentDue = false;
  private readonly announced = new Map<string, string>();
  private disposed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: KernelSessionOptions) {}

  /** True while a cell runs or waits. */
  get busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  get hasKernel(): boolean {
    return this.live !== null;
  }

  /** The kernel session the recorder is in now (null before the first run). */
  get currentSession(): SessionRecord | null {
    return this.live?.recorder.currentSession() ?? null;
  }

  /** Queues cells behind whatever runs; resolves when each of them finished or was cancelled. */
  enqueue(cells: readonly QueuedCell[]): Promise<RunSummary> {
    const promises = cells.map(
      (cell) =>
        new Promise<CellRunResult>((resolve) => {
          if (this.disposed) {
            cell.finished(undefined);
            resolve(result(cell, 'cancelled', null, 'the notebook was closed'));
            return;
          }
          this.queue.push({ cell, done: resolve });
        }),
    );
    void this.pump();
    return Promise.all(promises).then((results) => ({
      results,
      failure: results.find((r) => FAILURES.has(r.status)) ?? null,
      session: this.currentSession,
    }));
  }

  /**
   * Resolves once the queue is empty and the session's environment has been read (which happens
   * right after the last queued cell): what a trial built from `currentSession` needs.
   */
  whenIdle(): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Cancels the queued cells and interrupts the running one (KeyboardInterrupt in the kernel). */
  async interrupt(): Promise<void> {
    this.cancelQueued();
    if ((this.running || this.flushing) && this.live) {
      this.options.log.info('interrupting the kernel');
      await this.live.client.interrupt();
    }
  }

  /**
   * Restarts the kernel: queued cells are cancelled, a running one stops, variables are gone; the
   * recorder is installed again, which begins a new session. Without a kernel this starts none.
   */
  async restart(): Promise<void> {
    this.cancelQueued();
    const live = this.live ?? (this.connecting ? await this.connecting.catch(() => null) : null);
    if (!live) return;
    this.restarting = true;
    try {
      this.options.log.info('restarting the kernel');
      await live.client.restart();
      if (this.options.recording().enabled) {
        await live.recorder.install();
        this.announce(live.recorder.currentSession());
      }
    } finally {
      this.restarting = false;
    }
  }

  /** Cancels everything and shuts the kernel down. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelQueued();
    await this.dropKernel();
  }

  private cancelQueued(): void {
    for (const entry of this.queue.splice(0, this.queue.length)) {
      entry.cell.finished(undefined);
      entry.done(result(entry.cell, 'cancelled', null));
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const entry = this.queue.shift();
        if (!entry) {
          if (!this.environmentDue || !this.live || this.disposed) break;
          await this.collectEnvironment(this.live);
          continue;
        }
        this.running = entry.cell;
        let outcome: CellRunResult;
        try {
          outcome = await this.runOne(entry.cell);
        } catch (error) {
          // Nothing should get here; a cell must never be left running in the editor.
          const message = error instanceof Error ? error.message : String(error);
          this.options.log.error(`running cell ${entry.cell.cellIndex} failed: ${message}`);
          try {
            entry.cell.message(`nbprov could not run this cell: ${message}`);
            entry.cell.finished(false, Date.now());
          } catch {
            // The editor already ended this run (or the cell is gone); the queue must go on.
          }
          outcome = result(entry.cell, 'error', null, message);
        } finally {
          this.running = null;
        }
        entry.done(outcome);
        if (FAILURES.has(outcome.status)) this.cancelQueued();
      }
    } finally {
      this.pumping = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async runOne(original: QueuedCell): Promise<CellRunResult> {
    // Code, position and language as they are when the run starts (the editor's are live).
    const cell = snapshot(original);
    if (cell.cellIndex < 0) {
      // Deleted while it waited.
      cell.finished(undefined);
      return result(cell, 'cancelled', null, 'the cell was deleted before it ran');
    }
    const check = runnability(cell.languageId, cell.code);
    if (!check.run) {
      cell.started(Date.now());
      if (check.reason) cell.message(check.reason);
      cell.finished(check.reason ? false : undefined, Date.now());
      return result(cell, check.reason ? 'refused' : 'skipped', null, check.reason ?? undefined);
    }

    let live: Live;
    try {
      live = await this.kernel();
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      this.options.log.error(`no kernel: ${err.message}`);
      cell.started(Date.now());
      cell.message(err.message);
      cell.finished(false, Date.now());
      this.options.onConnectError?.(err);
      return result(cell, 'no-kernel', null, err.message);
    }

    const recording = this.options.recording();
    if (recording.enabled) await this.ensureRecorder(live);
    const startTime = Date.now();
    cell.started(startTime);
    const piggyback = recording.enabled ? live.recorder.collectRequest() : null;
    let reply: ExecuteResult;
    try {
      reply = await live.client.execute(cell.code, { silent: false, storeHistory: true, onOutput: (output) => cell.output(output), ...piggyback });
    } catch (error) {
      return this.failedRun(cell, original, live, error, startTime);
    }
    const endTime = Date.now();
    cell.executionOrder(reply.executionCount);
    const record = recording.enabled ? await this.recordOf(cell, live, reply, startTime, endTime) : null;
    const interrupted = reply.error?.ename === 'KeyboardInterrupt';
    cell.finished(reply.status === 'ok', endTime);
    const session = live.recorder.currentSession();
    if (record && session) this.emit(record, session, original);
    this.handOverPatches(live);
    this.environmentDue ||= record !== null;
    const status: CellRunStatus = reply.status === 'ok' ? 'ok' : interrupted ? 'interrupted' : 'error';
    return result(cell, status, reply.executionCount, reply.error ? `${reply.error.ename}: ${reply.error.evalue}` : undefined, record ?? undefined);
  }

  /** The execute request itself failed: the kernel died, was restarted under the cell, or the connection broke. */
  private async failedRun(cell: QueuedCell, original: QueuedCell, live: Live, error: unknown, startTime: number): Promise<CellRunResult> {
    const endTime = Date.now();
    const died = error instanceof KernelDiedError;
    const restartedByUs = died && this.restarting;
    const message = restartedByUs
      ? 'The kernel was restarted while this cell ran; its variables are gone.'
      : died
        ? 'The kernel died while this cell ran (for example out of memory, or the process exited); its variables are gone. Run the cell again to start a new kernel.'
        : `nbprov lost the kernel while this cell ran: ${error instanceof Error ? error.message : String(error)}. Run the cell again to start a new kernel.`;
    this.options.log.warn(`cell ${cell.cellIndex}: ${message}`);
    cell.message(message);
    cell.finished(false, endTime);
    const session = live.recorder.currentSession();
    let record: ExecutionRecord | undefined;
    if (this.options.recording().enabled && session) {
      record = unrecordedExecution({
        sessionId: session.id,
        notebookPath: this.options.notebookPath(),
        cellId: cell.cellId,
        cellIndex: cell.cellIndex,
        code: cell.code,
        executionCount: null,
        success: false,
        error: { type: restartedByUs ? 'KernelRestarted' : 'KernelDied', message },
        startTime,
        endTime,
      });
      this.emit(record, session, original);
    }
    this.handOverPatches(live);
    if (!restartedByUs) await this.dropKernel();
    return result(cell, restartedByUs ? 'interrupted' : 'kernel-died', null, message, record);
  }

  private async recordOf(cell: QueuedCell, live: Live, reply: ExecuteResult, startTime: number, endTime: number): Promise<ExecutionRecord | null> {
    const notebookPath = this.options.notebookPath();
    try {
      // The records come back in the cell's own reply; after an error the kernel skips user expressions: ask then.
      const batch = (await live.recorder.collectFromReply(reply).catch(() => null)) ?? (await live.recorder.collect());
      const sessionId = batch.sessionId ?? live.recorder.sessionId ?? 'unknown-session';
      const attribution = attributeExecutions(
        batch.records.map((raw) => ({ raw, sessionId })),
        [{ ref: cell, code: cell.code, executionOrder: reply.executionCount }],
      );
      if (attribution.unmatchedRecords.length) this.options.log.info(`${attribution.unmatchedRecords.length} recorded run(s) not from this notebook's cells were left out`);
      if (batch.dropped) this.options.log.warn(`the recorder dropped ${batch.dropped} record(s) nobody collected in time`);
      const match = attribution.matched[0];
      const record = match
        ? toExecutionRecord(match.record.raw, match.record.sessionId, { notebookPath, cellId: cell.cellId, cellIndex: cell.cellIndex })
        : unrecordedExecution(this.unrecorded(cell, sessionId, notebookPath, reply, startTime, endTime));
      return withoutExcludedNames(record, this.options.recording().excludedNames);
    } catch (error) {
      // The run itself succeeded or failed on its own; losing its values must not lose the execution.
      this.options.log.warn(`could not collect the record of cell ${cell.cellIndex}: ${error instanceof Error ? error.message : String(error)}`);
      const sessionId = live.recorder.sessionId;
      return sessionId ? unrecordedExecution(this.unrecorded(cell, sessionId, notebookPath, reply, startTime, endTime)) : null;
    }
  }

  private unrecorded(cell: QueuedCell, sessionId: string, notebookPath: string, reply: ExecuteResult, startTime: number, endTime: number) {
    return {
      sessionId,
      notebookPath,
      cellId: cell.cellId,
      cellIndex: cell.cellIndex,
      code: cell.code,
      executionCount: reply.executionCount,
      success: reply.status === 'ok',
      error: reply.error ? { type: reply.error.ename, message: reply.error.evalue } : undefined,
      startTime,
      endTime,
    };
  }

  private emit(record: ExecutionRecord, session: SessionRecord, cell: QueuedCell): void {
    this.announce(session);
    try {
      this.options.onRecord(record, session, cell);
    } catch (error) {
      this.options.log.error(`a listener failed on a recorded execution: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Tells the listener about a session the first time it is seen and whenever its environment changes. */
  private announce(session: SessionRecord | null): void {
    if (!session) return;
    const state = JSON.stringify(session.environment);
    if (this.announced.get(session.id) === state) return;
    this.announced.set(session.id, state);
    try {
      this.options.onSession?.(session);
    } catch (error) {
      this.options.log.error(`a listener failed on a session: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async ensureRecorder(live: Live): Promise<void> {
    try {
      await live.recorder.ensureInstalled();
      this.announce(live.recorder.currentSession());
    } catch (error) {
      // The cell still runs; its execution is kept without values.
      this.options.log.warn(`the recorder could not be installed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Waits (once the queue is idle) up to `seconds` in the kernel for its background hasher, and
   * hands the hashes it finished to `onPatches`. Returns how many large values are still unhashed,
   * or null without a kernel or with recording off (nothing to wait for). With `seconds` 0 it asks
   * nothing and answers from the last collect.
   */
  async flushHashes(seconds: number): Promise<number | null> {
    // Without waiting: what the last collect said (the count only falls between collects).
    if (seconds <= 0) return this.live && this.options.recording().enabled ? this.live.recorder.pendingHashes : null;
    await this.whenIdle();
    const live = this.live;
    if (!live || !this.options.recording().enabled || this.disposed) return null;
    let pending: number;
    this.flushing = true;
    try {
      pending = await live.recorder.flushHashes(seconds);
    } finally {
      this.flushing = false;
    }
    const stray = live.recorder.takePending();
    if (stray.length) this.options.log.info(`${stray.length} recorded run(s) not from this notebook's cells were left out`);
    this.handOverPatches(live);
    if (pending) this.options.log.warn(`${pending} large value(s) still unhashed after waiting ${seconds} s for the kernel's background hasher`);
    return pending;
  }

  private handOverPatches(live: Live): void {
    const patches = live.recorder.takePatches();
    if (!patches.length || !this.options.onPatches) return;
    this.options.log.info(`${patches.length} late hash(es) of large values collected`);
    try {
      this.options.onPatches(patches);
    } catch (error) {
      this.options.log.error(`a listener failed on late hashes: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Package versions and the like, once the queue is idle (never between a cell and its record). */
  private async collectEnvironment(live: Live): Promise<void> {
    this.environmentDue = false;
    try {
      await live.recorder.environment();
      const stray = live.recorder.takePending();
      if (stray.length) this.options.log.info(`${stray.length} recorded run(s) not from this notebook's cells were left out`);
      this.announce(live.recorder.currentSession());
      this.handOverPatches(live);
    } catch (error) {
      this.options.log.warn(`could not read the kernel's environment: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private kernel(): Promise<Live> {
    if (this.disposed) return Promise.reject(new NbprovError('The notebook was closed.'));
    if (this.live && this.live.client.status !== 'dead') return Promise.resolve(this.live);
    if (this.live) {
      this.options.log.warn('the kernel is dead; starting a new one');
      void this.dropKernel();
    }
    this.connecting ??= this.options
      .connect()
      .then(async (client) => {
        if (this.disposed) {
          await client.dispose();
          throw new NbprovError('The notebook was closed.');
        }
        const recorder = new RecorderSession(client, this.options.notebookPath(), { kernelName: client.kernelName });
        this.live = { client, recorder };
        this.options.log.info(`kernel ${client.kernelName ?? ''} started`);
        return this.live;
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private async dropKernel(): Promise<void> {
    const live = this.live;
    this.live = null;
    this.environmentDue = false;
    if (!live) return;
    try {
      await live.client.dispose();
    } catch (error) {
      this.options.log.warn(`closing the kernel failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function snapshot(cell: QueuedCell): QueuedCell {
  const { cellId, cellIndex, code, languageId } = cell;
  return {
    cellId,
    cellIndex,
    code,
    languageId,
    started: (t) => cell.started(t),
    executionOrder: (n) => cell.executionOrder(n),
    output: (o) => cell.output(o),
    message: (m) => cell.message(m),
    finished: (s, t) => cell.finished(s, t),
  };
}

function result(cell: QueuedCell, status: CellRunStatus, executionCount: number | null, message?: string, record?: ExecutionRecord): CellRunResult {
  return { cellId: cell.cellId, cellIndex: cell.cellIndex, status, executionCount, ...(message ? { message } : {}), ...(record ? { record } : {}) };
}
