import type { ParamSource } from '../../shared/cli';
import type { EffectiveParam, EnvironmentRecord, FileAccessRecord, JsonValue, Trial, TrialValue } from '../records';
import { effectiveParams } from './effectiveParams';
import { jsonEqual } from './json';
import { compareValues, type ValueComparison } from './valueDiff';
import { trialLabel } from './resolve';

export interface TrialRef {
  id: string;
  name: string | null;
  notebookPath: string;
  createdAt: string;
}

export interface CommonValue extends ValueComparison {
  name: string;
  a: TrialValue;
  b: TrialValue;
}

export interface OneSidedValue {
  name: string;
  value: TrialValue;
}

/** A parameter's effective value on each side (injected, else the `parameters` cell's own). */
export interface ParamDiff {
  name: string;
  a: JsonValue | undefined;
  b: JsonValue | undefined;
  equal: boolean;
  sourceA?: ParamSource;
  sourceB?: ParamSource;
  /** The value as text when it is not a scalar (or the scalar's repr). */
  reprA?: string;
  reprB?: string;
}

export interface FileDiff {
  path: string;
  /** Content hashes of what the trial read from the path, in order, without repeats. */
  hashesA: string[];
  hashesB: string[];
  /** `unknown`: read on both sides but no hash recorded on at least one side, so equality cannot be told. */
  status: 'same' | 'changed' | 'onlyA' | 'onlyB' | 'unknown';
}

export interface PackageDiff {
  name: string;
  a: string | null;
  b: string | null;
  status: 'changed' | 'added' | 'removed';
}

export interface EnvironmentDiff {
  language: { a: string | null; b: string | null; equal: boolean };
  /** Only the packages whose version differs or that exist on one side only. */
  packages: PackageDiff[];
}

/** The comparison of two trials (the `nbprov diff --json` document). */
export interface TrialDiff {
  trialA: TrialRef;
  trialB: TrialRef;
  /** Tagged names in both trials, in a's order then b's. */
  common: CommonValue[];
  onlyA: OneSidedValue[];
  onlyB: OneSidedValue[];
  /** True when the trials share no tagged name; `message` then says so. */
  nothingInCommon: boolean;
  message?: string;
  params: ParamDiff[];
  files: FileDiff[];
  environment: EnvironmentDiff;
}

function ref(trial: Trial): TrialRef {
  return { id: trial.id, name: trial.name, notebookPath: trial.notebookPath, createdAt: trial.createdAt };
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])];
}

function compareParams(a: Record<string, EffectiveParam>, b: Record<string, EffectiveParam>): ParamDiff[] {
  return unionKeys(a, b).map((name) => {
    const pa = Object.prototype.hasOwnProperty.call(a, name) ? a[name] : undefined;
    const pb = Object.prototype.hasOwnProperty.call(b, name) ? b[name] : undefined;
    // Scalars compare by value; values recorded without one (frames, objects) by repr.
    const scalars = pa?.value !== undefined && pb?.value !== undefined;
    const equal = !!pa && !!pb && (scalars ? jsonEqual(pa.value!, pb.value!) : pa.value === undefined && pb.value === undefined && pa.repr === pb.repr);
    const diff: ParamDiff = { name, a: pa?.value, b: pb?.value, equal };
    if (pa) Object.assign(diff, { sourceA: pa.source, reprA: pa.repr });
    if (pb) Object.assign(diff, { sourceB: pb.source, reprB: pb.repr });
    return diff;
  });
}

function readHashes(files: FileAccessRecord[]): Map<string, { hashes: string[]; unhashed: boolean }> {
  const byPath = new Map<string, { hashes: string[]; unhashed: boolean }>();
  for (const file of files) {
    if (file.kind === 'write') continue;
    const entry = byPath.get(file.path) ?? { hashes: [], unhashed: false };
    const hash = file.hashBefore ?? (file.kind === 'read' ? file.hashAfter : null);
    if (hash) {
      if (!entry.hashes.includes(hash)) entry.hashes.push(hash);
    } else entry.unhashed = true;
    byPath.set(file.path, entry);
  }
  return byPath;
}

function compareFiles(a: FileAccessRecord[], b: FileAccessRecord[]): FileDiff[] {
  const readA = readHashes(a);
  const readB = readHashes(b);
  const paths = [...new Set([...readA.keys(), ...readB.keys()])];
  return paths.map((path) => {
    const fa = readA.get(path);
    const fb = readB.get(path);
    const hashesA = fa?.hashes ?? [];
    const hashesB = fb?.hashes ?? [];
    let status: FileDiff['status'];
    if (!fb) status = 'onlyA';
    else if (!fa) status = 'onlyB';
    else if (!hashesA.length || !hashesB.length) status = 'unknown';
    else status = jsonEqual(hashesA, hashesB) ? 'same' : 'changed';
    return { path, hashesA, hashesB, status };
  });
}

function compareEnvironments(a: EnvironmentRecord | null, b: EnvironmentRecord | null): EnvironmentDiff {
  const languageOf = (env: EnvironmentRecord | null) => (env ? `${env.language} ${env.languageVersion}`.trim() : null);
  const langA = languageOf(a);
  const langB = languageOf(b);
  const pkgA = a?.packages ?? {};
  const pkgB = b?.packages ?? {};
  const packages: PackageDiff[] = [];
  for (const name of unionKeys(pkgA, pkgB).sort()) {
    const va = pkgA[name] ?? null;
    const vb = pkgB[name] ?? null;
    if (va === vb) continue;
    packages.push({ name, a: va, b: vb, status: va === null ? 'added' : vb === null ? 'removed' : 'changed' });
  }
  return { language: { a: langA, b: langB, equal: langA === langB }, packages };
}

/** Compares two trials: tagged values, parameters, files read and environment. Pure. */
export function compareTrials(a: Trial, b: Trial): TrialDiff {
  const common: CommonValue[] = [];
  const onlyA: OneSidedValue[] = [];
  const onlyB: OneSidedValue[] = [];
  for (const [name, value] of Object.entries(a.tagged)) {
    const other = b.tagged[name];
    if (other) common.push({ name, a: value, b: other, ...compareValues(value, other) });
    else onlyA.push({ name, value });
  }
  for (const [name, value] of Object.entries(b.tagged)) if (!a.tagged[name]) onlyB.push({ name, value });

  const diff: TrialDiff = {
    trialA: ref(a),
    trialB: ref(b),
    common,
    onlyA,
    onlyB,
    nothingInCommon: common.length === 0,
    params: compareParams(effectiveParams(a), effectiveParams(b)),
    files: compareFiles(a.files, b.files),
    environment: compareEnvironments(a.environment, b.environment),
  };
  if (diff.nothingInCommon) {
    const names = (values: OneSidedValue[]) => (values.length ? values.map((v) => v.name).join(', ') : 'none');
    diff.message =
      `trials "${trialLabel(a)}" and "${trialLabel(b)}" share no tagged variable ` +
      `(${trialLabel(a)}: ${names(onlyA)}; ${trialLabel(b)}: ${names(onlyB)}), so no value can be compared; ` +
      'tag the same variable in both notebooks to compare them';
  }
  return diff;
}
