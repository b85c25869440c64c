/**
 * Installing the recorder into a kernel, collecting its records, and following kernel restarts.
 */
import type { EnvironmentRecord, SessionRecord, ValuePatch, ValueSummary } from '../core/records';
import { RecorderError } from './errors';
import type { ExecuteOptions, ExecuteResult, KernelClient } from './kernelClient';
import { assertIdentifier, callCode, collectExpression, extractAnswer, installCode, type RecorderParams } from './recorderAsset';
import { toEnvironmentRecord, toSessionRecord, toValuePatch, type RawEnvironment, type RawExecutionRecord, type RawValuePatch } from './recordConversion';

export { HASH_FLUSH_SECONDS } from '../core/valuePatches';

/** Collect answers are chunked by the kernel at about 4 MB; allow headroom for stdout framing. */
const ANSWER_MAX_CHARS = 64 * 1024 * 1024;
const MAX_COLLECT_ROUNDS = 10000;

export interface InstallResult {
  sessionId: string;
  reinstalled: boolean;
}

export interface CollectedBatch {
  /** False when no recorder was installed in the kernel (fresh kernel, or after a restart). */
  installed: boolean;
  sessionId: string | null;
  /** When the recorder was first installed in this kernel process (ISO 8601). */
  startedAt: string | null;
  /** In execution order. */
  records: RawExecutionRecord[];
  /** Records the kernel-side buffer had to drop because nobody collected them in time. */
  dropped: number;
  environment?: RawEnvironment;
  /** Late hashes and exact statistics of earlier records' deferred values (ValueSummary.deferred). */
  patches: RawValuePatch[];
  /** Deferred values the kernel's background hasher has not finished yet. */
  pendingHashes: number;
}

interface CollectAnswer {
  installed: boolean;
  sessionId?: string;
  startedAt?: string;
  dropped?: number;
  more?: boolean;
  records?: RawExecutionRecord[];
  environment?: RawEnvironment;
  patches?: RawValuePatch[];
  pendingHashes?: number;
}

/**
 * After a cell fails, ipykernel aborts the requests already queued behind it (stop_on_error) —
 * including a collect sent right after the failure, depending only on when it arrived. An aborted
 * request never ran, so sending it again is safe.
 */
const ABORTED_RETRIES = 5;

async function silentCall(client: KernelClient, code: string): Promise<unknown> {
  let result = await client.execute(code, { silent: true, storeHistory: false, maxOutputChars: ANSWER_MAX_CHARS });
  for (let retry = 0; result.status === 'aborted' && retry < ABORTED_RETRIES; retry++) {
    result = await client.execute(code, { silent: true, storeHistory: false, maxOutputChars: ANSWER_MAX_CHARS });
  }
  if (result.status !== 'ok') {
    const reason = result.error ? `${result.error.ename}: ${result.error.evalue}` : result.status;
    throw new RecorderError(`The recorder request failed in the kernel (${reason}): the kernel must be an IPython kernel`);
  }
  return extractAnswer(result.stdout);
}

/** Installs (or re-installs, replacing the hooks) the recorder with one silent execute. */
export async function installRecorder(client: KernelClient, params: RecorderParams = {}): Promise<InstallResult> {
  const answer = (await silentCall(client, installCode({ kernelName: client.kernelName, ...params }))) as { installed?: boolean; sessionId?: string; reinstalled?: boolean };
  if (!answer.installed || typeof answer.sessionId !== 'string') throw new RecorderError('The recorder did not confirm its installation: check that the kernel runs IPython');
  return { sessionId: answer.sessionId, reinstalled: Boolean(answer.reinstalled) };
}

/** Removes the recorder's hooks and open() wrapper from the kernel (uncollected records are dropped). */
export async function uninstallRecorder(client: KernelClient): Promise<void> {
  await silentCall(client, callCode('uninstall_json', {}));
}

export interface CollectOptions {
  environment?: boolean;
  /**
   * Wait up to this many seconds, in the kernel, for the background hasher to finish the deferred
   * values (ValueSummary.deferred) before answering: before a trial is built from the session.
   */
  flushSeconds?: number;
}

/** Drains the kernel-side buffer (in as many silent requests as its size needs), after `first` if given. */
export async function collect(client: KernelClient, options: CollectOptions = {}, first?: CollectAnswer): Promise<CollectedBatch> {
  const batch: CollectedBatch = { installed: false, sessionId: null, startedAt: null, records: [], dropped: 0, patches: [], pendingHashes: 0 };
  for (let round = 0; round < MAX_COLLECT_ROUNDS; round++) {
    const params: Record<string, unknown> = { environment: Boolean(options.environment) && round === 0 };
    if (options.flushSeconds && round === 0) params.flushSeconds = options.flushSeconds;
    const answer = round === 0 && first ? first : ((await silentCall(client, callCode('collect_json', params))) as CollectAnswer);
    if (!answer.installed) return batch;
    batch.installed = true;
    batch.sessionId = answer.sessionId ?? null;
    batch.startedAt = answer.startedAt ?? null;
    batch.dropped += answer.dropped ?? 0;
    batch.records.push(...(answer.records ?? []));
    batch.patches.push(...(answer.patches ?? []));
    batch.pendingHashes = answer.pendingHashes ?? 0;
    if (answer.environment) batch.environment = answer.environment;
    if (!answer.more) break;
  }
  batch.records.sort((a, b) => a.seq - b.seq);
  return batch;
}

/** Key of the collect user expression in an execute request (see `RecorderSession.collectRequest`). */
const COLLECT_EXPRESSION = 'nbprov_collect';

function answerFromReply(result: ExecuteResult): CollectAnswer | null {
  const expression = result.userExpressions?.[COLLECT_EXPRESSION];
  if (expression?.status !== 'ok' || expression.text === 'None') return null;
  try {
    const answer = JSON.parse(expression.text) as CollectAnswer;
    return answer && typeof answer === 'object' && answer.installed ? answer : null;
  } catch {
    return null;
  }
}

/**
 * The recorder in one kernel, across restarts: `sessionId` identifies the kernel process the
 * recorder runs in and changes when the kernel restarts (the recorder is then re-installed).
 */
export class RecorderSession {
  private currentSessionId: string | null = null;
  private currentStartedAt: string | null = null;
  private installedGeneration = -1;
  private readonly seen: SessionRecord[] = [];

  constructor(
    readonly client: KernelClient,
    readonly notebookPath: string,
    private readonly params: RecorderParams = {},
  ) {}

  get sessionId(): string | null {
    return this.currentSessionId;
  }

  /** Every kernel session seen so far, oldest first. */
  get sessions(): readonly SessionRecord[] {
    return this.seen;
  }

  /** Installs the recorder unless it is installed in the current kernel process. */
  async ensureInstalled(): Promise<string> {
    if (this.currentSessionId && this.installedGeneration === this.client.generation) return this.currentSessionId;
    return this.install();
  }

  async install(): Promise<string> {
    const generation = this.client.generation;
    const result = await installRecorder(this.client, this.params);
    this.installedGeneration = generation;
    this.adoptSession(result.sessionId, null);
    return result.sessionId;
  }

  private adoptSession(sessionId: string, startedAt: string | null): void {
    if (sessionId !== this.currentSessionId) {
      this.currentSessionId = sessionId;
      this.currentStartedAt = startedAt ?? new Date().toISOString();
      this.seen.push(toSessionRecord(sessionId, this.currentStartedAt, this.notebookPath, this.client.kernelName, null));
    } else if (startedAt && this.currentStartedAt !== startedAt) {
      this.currentStartedAt = startedAt;
      const last = this.seen[this.seen.length - 1];
      if (last) last.startedAt = startedAt;
    }
  }

  /**
   * Collects pending records. After a restart the recorder is re-installed first (the records
   * of the old kernel process died with it) and `sessionId` changes.
   */
  async collect(options: CollectOptions = {}): Promise<CollectedBatch> {
    await this.ensureInstalled();
    return this.adoptBatch(await collect(this.client, options), options);
  }

  /**
   * Execute options that bring the recorder's records back in the cell's own execute reply
   * (a Jupyter user expression, evaluated after the cell's hooks), or null when the client
   * cannot evaluate user expressions. Read them with `collectFromReply`.
   */
  collectRequest(): Pick<ExecuteOptions, 'userExpressions'> | null {
    if (!this.client.supportsUserExpressions) return null;
    return { userExpressions: { [COLLECT_EXPRESSION]: collectExpression({}) } };
  }

  /**
   * The records an execute reply carried (see `collectRequest`), plus any that did not fit in
   * it; null when it carried none (the cell failed, or no recorder is installed): `collect()` then.
   */
  async collectFromReply(result: ExecuteResult): Promise<CollectedBatch | null> {
    const answer = answerFromReply(result);
    if (!answer || this.installedGeneration !== this.client.generation) return null;
    return this.adoptBatch(await collect(this.client, {}, answer), {});
  }

  private async adoptBatch(collected: CollectedBatch, options: CollectOptions): Promise<CollectedBatch> {
    let batch = collected;
    if (!batch.installed) {
      await this.install();
      batch = await collect(this.client, options);
      if (!batch.installed) throw new RecorderError('The recorder disappeared right after installation: is something resetting the kernel?');
    }
    if (batch.sessionId) this.adoptSession(batch.sessionId, batch.startedAt);
    const sessionId = batch.sessionId ?? this.currentSessionId;
    if (sessionId) {
      for (const raw of batch.patches) {
        const patch = toValuePatch(raw, sessionId);
        if (patch) this.patches.push(patch);
      }
    }
    this.pendingCount = batch.pendingHashes;
    if (batch.environment) {
      const last = this.seen[this.seen.length - 1];
      if (last) last.environment = toEnvironmentRecord(batch.environment, this.client.kernelName);
    }
    return batch;
  }

  /** The kernel's environment (package versions, …); with `flushSeconds`, after waiting for the background hasher (see `flushHashes`). */
  async environment(options: { flushSeconds?: number } = {}): Promise<EnvironmentRecord | null> {
    const batch = await this.collect({ environment: true, flushSeconds: options.flushSeconds });
    if (batch.records.length) this.pending.push(...batch.records);
    return this.currentSession()?.environment ?? null;
  }

  /** Records collected as a side effect of `environment()`, handed out by the next `takePending()`. */
  private readonly pending: RawExecutionRecord[] = [];

  takePending(): RawExecutionRecord[] {
    return this.pending.splice(0, this.pending.length);
  }

  /**
   * Late hashes of deferred values from every collect so far (whichever call collected them: a
   * cell's reply, `environment()`, a flush), converted to execution ids; each handed out once.
   * Hosts store a batch's records first, then these.
   */
  takePatches(): ValuePatch[] {
    return this.patches.splice(0, this.patches.length);
  }

  private readonly patches: ValuePatch[] = [];
  private pendingCount = 0;

  /** Deferred values the kernel's background hasher had not finished at the last collect. */
  get pendingHashes(): number {
    return this.pendingCount;
  }

  /**
   * Waits up to `seconds` in the kernel for the background hasher, collecting what it finished:
   * the records collected on the way are handed out by `takePending()`, the patches by
   * `takePatches()`. Returns how many deferred values are still unhashed.
   */
  async flushHashes(seconds: number): Promise<number> {
    const batch = await this.collect({ flushSeconds: seconds });
    if (batch.records.length) this.pending.push(...batch.records);
    return batch.pendingHashes;
  }

  currentSession(): SessionRecord | null {
    return this.seen[this.seen.length - 1] ?? null;
  }

  /** Bounded summaries of named user variables right now (names must be identifiers). */
  async summarize(names: string[]): Promise<Record<string, ValueSummary>> {
    names.forEach(assertIdentifier);
    await this.ensureInstalled();
    const answer = (await silentCall(this.client, callCode('summarize_names_json', { names }))) as { values?: Record<string, ValueSummary> };
    return answer.values ?? {};
  }
}
