/**
 * The workspace store: an in-memory sql.js database loaded from `<workspace>/.nbprov/store.sqlite`,
 * queried synchronously, and saved atomically — merging whatever another process saved meanwhile.
 */
import path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { CellFacts } from '../analysis/facts';
import type { ExecutionRecord, SessionRecord, Trial, ValuePatch, ValueSummary } from '../records';
import { createRepoContext, type RepoContext } from './context';
import { openDatabaseBytes } from './database-file';
import { errorCode, StoreCorruptUnmovableError, StoreCorruptWarning, StoreError, StoreUnreadableError, StoreUnwritableError, type StoreWarning } from './errors';
import * as executions from './executions';
import * as facts from './facts';
import { mergeStore } from './merge';
import { contentHash, type Fingerprint, moveAside, nodeStoreFs, sameStat, statOrNull, type StoreFs, withLock, writeAtomically } from './persistence';
import { loadSqlJs } from './sqljs';
import { queryNumber } from './sql';
import * as tags from './tags';
import * as trials from './trials';

export const STORE_DIR = '.nbprov';
export const STORE_FILE = 'store.sqlite';

export interface OpenStoreOptions {
  /** File system to use (tests inject one to simulate crashes and failures). */
  fs?: StoreFs;
  /** Folder holding `sql-wasm.wasm`, looked at before the bundle's and the package's copies. */
  wasmDir?: string;
  /** Called for every warning (also collected in `store.warnings`). */
  onWarning?: (warning: StoreWarning) => void;
  /** How long `save()` waits for another process's lock (default 10 s). */
  lockTimeoutMs?: number;
}

export interface SaveResult {
  /** The file was (re)written. */
  written: boolean;
  /** Another process's changes were merged in first. */
  merged: boolean;
  /** Size of the file on disk afterwards. */
  bytes: number;
}

export interface StoreStats {
  filePath: string;
  /** Size of the file when last loaded or saved; null when it has not been written yet. */
  fileBytes: number | null;
  schemaVersion: number;
  notebooks: number;
  cells: number;
  sessions: number;
  executions: number;
  values: number;
  fileAccesses: number;
  facts: number;
  trials: number;
  trialValues: number;
}

export function storePath(workspaceDir: string): string {
  return path.join(workspaceDir, STORE_DIR, STORE_FILE);
}

export function openStore(workspaceDir: string, options: OpenStoreOptions = {}): Promise<Store> {
  return openStoreAt(storePath(workspaceDir), options);
}

export async function openStoreAt(filePath: string, options: OpenStoreOptions = {}): Promise<Store> {
  const fs = options.fs ?? nodeStoreFs;
  const SQL = await loadSqlJs(options.wasmDir);
  const store = new Store(SQL, path.resolve(filePath), fs, options);
  await store.load();
  return store;
}

export class Store {
  readonly warnings: StoreWarning[] = [];
  private db!: Database;
  private ctx!: RepoContext & { resyncSeq(): void };
  /** Counts changes made through the repository functions; a save clears only what it wrote. */
  private changes = 0;
  private savedChanges = 0;
  private fingerprint: Fingerprint | null = null;
  private probeCount = 0;

  /** Use `openStore` / `openStoreAt`. */
  constructor(
    private readonly SQL: SqlJsStatic,
    readonly filePath: string,
    private readonly fs: StoreFs,
    private readonly options: OpenStoreOptions,
  ) {}

  /** @internal Loads the file (or starts empty); called once by `openStoreAt`. */
  async load(): Promise<void> {
    const stat = await this.readStat();
    const bytes = stat ? await this.readBytes() : null;
    const opened = openDatabaseBytes(this.SQL, bytes, this.filePath);
    if (opened.ok) {
      this.useDatabase(opened.db);
      if (bytes && bytes.length > 0 && stat) this.fingerprint = { stat, hash: contentHash(bytes) };
      if (opened.migratedFrom !== null) this.changes++;
      return;
    }
    await this.setAsideCorrupt(opened.reason);
    const fresh = openDatabaseBytes(this.SQL, null, this.filePath);
    if (!fresh.ok) throw new StoreError(`cannot create an empty store: ${fresh.reason}`);
    this.useDatabase(fresh.db);
  }

  // ── sessions and executions ──────────────────────────────────────────────
  addSession(session: SessionRecord): void {
    executions.addSession(this.ctx, session);
  }
  getSession(id: string): SessionRecord | undefined {
    return executions.getSession(this.ctx, id);
  }
  listSessions(notebookPath?: string): SessionRecord[] {
    return executions.listSessions(this.ctx, notebookPath);
  }
  addExecution(execution: ExecutionRecord): void {
    executions.addExecution(this.ctx, execution);
  }
  /**
   * Late hashes of deferred values (`ValueSummary.deferred`) into the recorded executions and
   * the trials saved while they were pending; returns what changed.
   */
  applyValuePatches(patches: readonly ValuePatch[]): { executions: string[]; trials: string[] } {
    return { executions: executions.applyValuePatches(this.ctx, patches), trials: trials.patchTrials(this.ctx, patches) };
  }
  listExecutions(notebookPath: string, options: executions.ListExecutionsOptions = {}): ExecutionRecord[] {
    return executions.listExecutions(this.ctx, notebookPath, options);
  }
  getExecution(id: string): ExecutionRecord | undefined {
    return executions.getExecution(this.ctx, id);
  }
  valuesOf(executionId: string): ValueSummary[] {
    return executions.valuesOf(this.ctx, executionId);
  }
  latestValue(notebookPath: string, name: string): executions.LatestValue | undefined {
    return executions.latestValue(this.ctx, notebookPath, name);
  }
  listNotebooks(): executions.NotebookSummary[] {
    return executions.listNotebooks(this.ctx);
  }

  // ── facts cache ──────────────────────────────────────────────────────────
  putFacts(key: facts.FactsKey, cellFacts: CellFacts): void {
    facts.putFacts(this.ctx, key, cellFacts);
  }
  getFacts(key: facts.FactsKey): CellFacts | undefined {
    return facts.getFacts(this.ctx, key);
  }

  // ── tags index ───────────────────────────────────────────────────────────
  setTags(notebookPath: string, notebookTags: tags.NotebookTags): void {
    tags.setTags(this.ctx, notebookPath, notebookTags);
  }
  getTags(notebookPath: string): tags.NotebookTags {
    return tags.getTags(this.ctx, notebookPath);
  }
  listVariableTags(name?: string): tags.VariableTag[] {
    return tags.listVariableTags(this.ctx, name);
  }

  // ── trials ───────────────────────────────────────────────────────────────
  saveTrial(trial: Trial): void {
    trials.saveTrial(this.ctx, trial);
  }
  getTrial(id: string): Trial | undefined {
    return trials.getTrial(this.ctx, id);
  }
  listTrials(notebookPath?: string): trials.TrialSummary[] {
    return trials.listTrials(this.ctx, notebookPath);
  }
  listTrialHeads(options: trials.TrialHeadOptions = {}): trials.TrialHead[] {
    return trials.listTrialHeads(this.ctx, options);
  }
  renameTrial(id: string, name: string | null): boolean {
    return trials.renameTrial(this.ctx, id, name);
  }
  setTrialNote(id: string, note: string | null): boolean {
    return trials.setTrialNote(this.ctx, id, note);
  }
  deleteTrial(id: string): boolean {
    return trials.deleteTrial(this.ctx, id);
  }
  trialValueSeries(variable: string, options: trials.TrialSeriesOptions = {}): trials.TrialSeriesRow[] {
    return trials.trialValueSeries(this.ctx, variable, options);
  }

  stats(): StoreStats {
    const count = (table: string) => queryNumber(this.db, `SELECT COUNT(*) FROM ${table}`);
    return {
      filePath: this.filePath,
      fileBytes: this.fingerprint?.stat.size ?? null,
      schemaVersion: queryNumber(this.db, 'PRAGMA user_version'),
      notebooks: count('notebooks'),
      cells: count('cells'),
      sessions: count('sessions'),
      executions: count('executions'),
      values: count('execution_values'),
      fileAccesses: count('file_accesses'),
      facts: count('facts'),
      trials: count('trials'),
      trialValues: count('trial_values'),
    };
  }

  /** True when there are changes not yet saved. */
  get hasUnsavedChanges(): boolean {
    return this.changes !== this.savedChanges;
  }

  /**
   * Writes the store atomically. If another process saved since this one loaded, its data is
   * merged in first, so nothing it wrote is lost.
   */
  async save(): Promise<SaveResult> {
    const dir = path.dirname(this.filePath);
    try {
      await this.fs.mkdir(dir);
    } catch (err) {
      throw new StoreUnwritableError(this.filePath, err);
    }
    return withLock(this.fs, this.filePath, () => this.saveLocked(), { timeoutMs: this.options.lockTimeoutMs }).catch((err: unknown) => {
      if (err instanceof StoreError || errorCode(err) === undefined) throw err;
      throw new StoreUnwritableError(this.filePath, err);
    });
  }

  /**
   * Fails with StoreUnwritableError when a save could not succeed now: the directory cannot be
   * created or written, or the disk has no room for a first block. For callers about to do long
   * work whose result must be saved (a run), so they can refuse before starting it.
   */
  async checkWritable(): Promise<void> {
    const dir = path.dirname(this.filePath);
    // Named like a save's temp file, so a process killed here leaves nothing the next save keeps.
    const probe = path.join(dir, `${path.basename(this.filePath)}.tmp-${process.pid}-probe${this.probeCount++}`);
    try {
      await this.fs.mkdir(dir);
      await this.fs.writeFileSynced(probe, new Uint8Array(4096));
    } catch (err) {
      await this.fs.unlink(probe).catch(() => undefined);
      throw new StoreUnwritableError(this.filePath, err);
    }
    await this.fs.unlink(probe).catch(() => undefined);
  }

  /** Merges what another process saved since this one loaded, without writing. Returns whether anything was merged. */
  async refresh(): Promise<boolean> {
    return this.mergeChangesOnDisk();
  }

  /** Frees the database. The store cannot be used afterwards; unsaved changes are lost. */
  close(): void {
    this.db.close();
  }

  private async saveLocked(): Promise<SaveResult> {
    const merged = await this.mergeChangesOnDisk();
    const onDisk = await this.readStat();
    if (!this.hasUnsavedChanges && onDisk && this.fingerprint && sameStat(onDisk, this.fingerprint.stat)) {
      return { written: false, merged, bytes: onDisk.size };
    }
    this.bumpGeneration();
    // Changes made while the write is in flight are not in `bytes`: they stay unsaved.
    const exported = this.changes;
    const bytes = this.db.export();
    await writeAtomically(this.fs, this.filePath, bytes);
    const stat = await this.fs.stat(this.filePath);
    this.fingerprint = { stat, hash: contentHash(bytes) };
    this.savedChanges = exported;
    return { written: true, merged, bytes: stat.size };
  }

  private async mergeChangesOnDisk(): Promise<boolean> {
    const stat = await this.readStat();
    if (!stat || (this.fingerprint && sameStat(stat, this.fingerprint.stat))) return false;
    const bytes = await this.readBytes();
    const hash = contentHash(bytes);
    if (this.fingerprint?.hash === hash) {
      this.fingerprint = { stat, hash };
      return false;
    }
    const opened = openDatabaseBytes(this.SQL, bytes, this.filePath);
    if (!opened.ok) {
      await this.setAsideCorrupt(opened.reason);
      this.fingerprint = null;
      return false;
    }
    try {
      mergeStore(this.db, opened.db);
      const theirGeneration = queryNumber(opened.db, "SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'generation'");
      this.setGeneration(Math.max(this.generation(), theirGeneration));
    } finally {
      opened.db.close();
    }
    this.ctx.resyncSeq();
    this.fingerprint = { stat, hash };
    return true;
  }

  private generation(): number {
    return queryNumber(this.db, "SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'generation'");
  }

  private setGeneration(generation: number): void {
    this.db.run("INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", [String(generation)]);
  }

  private bumpGeneration(): void {
    this.setGeneration(this.generation() + 1);
  }

  private useDatabase(db: Database): void {
    this.db = db;
    this.ctx = createRepoContext(db, () => {
      this.changes++;
    });
  }

  private async setAsideCorrupt(reason: string): Promise<void> {
    let movedTo: string;
    try {
      movedTo = await moveAside(this.fs, this.filePath);
    } catch (err) {
      throw new StoreCorruptUnmovableError(this.filePath, reason, err instanceof Error ? err.message : String(err));
    }
    const warning = new StoreCorruptWarning(this.filePath, movedTo, reason);
    this.warnings.push(warning);
    this.options.onWarning?.(warning);
  }

  private async readStat() {
    let stat;
    try {
      stat = await statOrNull(this.fs, this.filePath);
    } catch (err) {
      throw new StoreUnreadableError(this.filePath, err);
    }
    if (stat?.isFile === false) throw new StoreUnreadableError(this.filePath, new Error('it is not a regular file (a directory, pipe or device); move it away'));
    return stat;
  }

  private async readBytes(): Promise<Uint8Array> {
    try {
      return await this.fs.readFile(this.filePath);
    } catch (err) {
      throw new StoreUnreadableError(this.filePath, err);
    }
  }
}
