/**
 * The recorder's JSON → the recorded data model (src/core/records.ts). The kernel knows code and
 * execution counts; the caller knows which notebook and cell each execution belongs to.
 */
import type { EnvironmentRecord, ExecutionRecord, FileAccessRecord, JsonValue, ObjectIdentity, SessionRecord, ValuePatch, ValueSummary } from '../core/records';

/** One execution as the recorder reports it. */
export interface RawExecutionRecord {
  seq: number;
  code: string;
  executionCount: number | null;
  success: boolean;
  error: { type: string; message: string } | null;
  startedAt: string;
  durationMs: number;
  /** Time the recorder's hooks added to this execution, in the kernel. */
  recorderMs: number;
  values: ValueSummary[];
  files: FileAccessRecord[];
  /** Object identities of the names the execution bound or mutated, and of names sharing those objects. */
  identities?: Record<string, ObjectIdentity>;
  /** Why values were left out (the hook failed, too many values); absent when none were. */
  recorderError?: string;
  /** Only with the recorder parameter measureMemory (the bench): where the hook time and memory went. */
  debug?: { preMs: number; postMs: number; fingerprinted: number; hookPeakBytes: number };
}

/** The late part of a deferred value (ValueSummary.deferred), as the recorder reports it: by record seq. */
export interface RawValuePatch {
  seq: number;
  name: string;
  hash?: string;
  stats?: Record<string, number | null>;
  abandoned?: boolean;
}

export interface RawEnvironment {
  language: string;
  languageVersion: string;
  kernelName: string | null;
  cwd: string;
  packages: Record<string, string>;
  executable?: string;
}

export interface CellAttribution {
  notebookPath: string;
  cellId: string;
  cellIndex: number | null;
  language?: ExecutionRecord['language'];
}

/** A stable, globally unique id: the kernel session is a random UUID and seq counts within it. */
export function executionId(sessionId: string, seq: number): string {
  return `${sessionId}-${seq}`;
}

/** A well-formed patch for the store, or null (a malformed one is dropped, never guessed). */
export function toValuePatch(raw: RawValuePatch, sessionId: string): ValuePatch | null {
  if (typeof raw?.seq !== 'number' || typeof raw.name !== 'string') return null;
  const patch: ValuePatch = { executionId: executionId(sessionId, raw.seq), name: raw.name };
  if (typeof raw.hash === 'string' && raw.hash) patch.hash = raw.hash;
  else if (raw.abandoned === true) patch.abandoned = true;
  else return null;
  if (raw.stats && typeof raw.stats === 'object' && !Array.isArray(raw.stats)) patch.stats = raw.stats;
  return patch;
}

export function toExecutionRecord(raw: RawExecutionRecord, sessionId: string, cell: CellAttribution): ExecutionRecord {
  const record: ExecutionRecord = {
    id: executionId(sessionId, raw.seq),
    sessionId,
    notebookPath: cell.notebookPath,
    cellId: cell.cellId,
    cellIndex: cell.cellIndex,
    language: cell.language ?? 'python',
    code: raw.code,
    executionCount: raw.executionCount ?? null,
    success: raw.success,
    startedAt: raw.startedAt,
    durationMs: raw.durationMs,
    values: raw.values.map(cleanSummary),
    files: raw.files.map(cleanFile),
  };
  if (raw.error) record.error = { type: raw.error.type, message: raw.error.message };
  const identities = cleanIdentities(raw.identities);
  if (identities) record.identities = identities;
  if (typeof raw.recorderError === 'string' && raw.recorderError) record.recorderError = raw.recorderError;
  return record;
}

/** Keeps only well-formed entries: an identity is evidence, so a malformed one is dropped, never guessed. */
function cleanIdentities(raw: unknown): Record<string, ObjectIdentity> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const out: Record<string, ObjectIdentity> = {};
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    const { id, members } = (entry ?? {}) as { id?: unknown; members?: unknown };
    if (typeof id !== 'string') continue;
    const identity: ObjectIdentity = { id };
    if (Array.isArray(members)) {
      const kept = members.filter((m): m is string => typeof m === 'string');
      if (kept.length > 0) identity.members = kept;
    }
    out[name] = identity;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function cleanSummary(summary: ValueSummary): ValueSummary {
  const out: ValueSummary = { name: summary.name, type: summary.type, repr: summary.repr };
  const optional: (keyof ValueSummary)[] = ['value', 'hash', 'shape', 'dtype', 'columns', 'length', 'stats', 'params', 'preview', 'mutated', 'error'];
  for (const key of optional) {
    const value = summary[key];
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value as JsonValue;
  }
  // Without a hash, the only states a value can be in: anything else is not guessed at.
  if (!out.hash && (summary.deferred === 'pending' || summary.deferred === 'abandoned')) out.deferred = summary.deferred;
  return out;
}

function cleanFile(file: FileAccessRecord): FileAccessRecord {
  return { path: file.path, mode: file.mode, kind: file.kind, hashBefore: file.hashBefore ?? null, hashAfter: file.hashAfter ?? null, size: file.size ?? null };
}

export function toEnvironmentRecord(raw: RawEnvironment, kernelName: string | null): EnvironmentRecord {
  const env: EnvironmentRecord = { language: raw.language, languageVersion: raw.languageVersion, packages: { ...raw.packages } };
  const name = kernelName ?? raw.kernelName;
  if (name) env.kernelName = name;
  if (raw.executable) env.executable = raw.executable;
  if (raw.cwd) env.cwd = raw.cwd;
  return env;
}

export function toSessionRecord(
  sessionId: string,
  startedAt: string,
  notebookPath: string,
  kernelName: string | null,
  environment: EnvironmentRecord | null,
): SessionRecord {
  return { id: sessionId, notebookPath, kernelName, startedAt, environment };
}
