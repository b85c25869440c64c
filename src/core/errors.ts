/**
 * Errors as data. Every error that is the user's input or environment rather than a bug in nbprov
 * is an NbprovError with a `code` (a string literal from CoreErrorCode in src/core, or the kernel
 * layer's own codes) and structured `data` (the unknown name, the closest names, the missing path…).
 * `message` is one neutral line naming the problem; it never names a front end's command, because
 * the same error shows up in a terminal, a hover or a notification. Each front end words its own
 * fix from `code` and `data` (the CLI in src/cli/errorMessages.ts).
 */
import type { LineageErrorData } from './lineage/errors';
import type { NotebookErrorData } from './notebook/errors';
import type { StoreErrorData } from './store/errors';
import type { TrialErrorData } from './trials/errors';

export class NbprovError<Code extends string = string, Data extends object = object> extends Error {
  /** What went wrong, as a stable string a front end can switch on. */
  readonly code: Code;
  /** The facts of the error, for a front end to build its own wording or buttons from. */
  readonly data: Data;

  /** Without details the code is `failed` and the message is all there is (front ends' own errors). */
  constructor(message: string, details?: { code: Code; data: Data }) {
    super(message);
    this.name = new.target.name;
    this.code = details?.code ?? ('failed' as Code);
    this.data = details?.data ?? ({} as Data);
  }
}

/** The command line or API call itself is wrong (unknown flag, missing argument). */
export class UsageError extends NbprovError<'usage', Record<string, never>> {
  constructor(message: string) {
    super(message, { code: 'usage', data: {} });
  }
}

/** Code → data of every error src/core raises. */
export interface CoreErrorData extends NotebookErrorData, LineageErrorData, StoreErrorData, TrialErrorData {
  usage: Record<string, never>;
  /** An error whose message is all there is. */
  failed: Record<string, never>;
}

export type CoreErrorCode = keyof CoreErrorData;

/** An error of src/core, narrowed by `code` to its data. */
export type CoreError = { [C in CoreErrorCode]: NbprovError<C, CoreErrorData[C]> }[CoreErrorCode];

const CORE_ERROR_CODES: Record<CoreErrorCode, true> = {
  usage: true,
  failed: true,
  'notebook-not-found': true,
  'notebook-not-a-file': true,
  'notebook-too-large': true,
  'notebook-unreadable': true,
  'notebook-invalid-utf8': true,
  'notebook-invalid': true,
  'notebook-unsupported-nbformat': true,
  'notebook-changed': true,
  'tag-invalid-variable': true,
  'tag-invalid-role': true,
  'tag-invalid-stage': true,
  'tag-cell-out-of-range': true,
  'tag-variable-not-tagged': true,
  'tag-unknown-variable': true,
  'tag-role-typo': true,
  'tag-stage-typo': true,
  'tag-stage-not-code': true,
  'unknown-parameter': true,
  'unknown-variable': true,
  'unknown-execution': true,
  'duplicate-execution': true,
  'store-newer-schema': true,
  'store-unwritable': true,
  'store-unreadable': true,
  'store-busy': true,
  'store-wasm-not-found': true,
  'store-corrupt-unmovable': true,
  'store-failed': true,
  'store-input': true,
  'variable-not-tagged': true,
  'unknown-trial': true,
  'ambiguous-trial': true,
  'trial-build': true,
  'unknown-export-format': true,
  'no-recorded-session': true,
  'no-tagged-variables': true,
  'trial-name-taken': true,
};

/** Every code src/core raises (for front ends that map each one, and for tests). */
export const coreErrorCodes = Object.keys(CORE_ERROR_CODES) as CoreErrorCode[];

export function isCoreError(err: unknown): err is CoreError {
  return err instanceof NbprovError && Object.hasOwn(CORE_ERROR_CODES, err.code);
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of neighbours (so a typo
 * like `modle` is one edit from `model`), giving up (returning `cap`) once it must reach `cap`.
 */
export function editDistance(a: string, b: string, cap = Infinity): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2] + 1);
      current.push(best);
      rowMin = Math.min(rowMin, best);
    }
    if (rowMin >= cap) return cap;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length], cap);
}

/** Up to `limit` candidates closest to `wanted` (prefix and substring matches first). */
export function closestNames(wanted: string, candidates: Iterable<string>, limit = 3): string[] {
  const lower = wanted.toLowerCase();
  const scored = [...new Set(candidates)].map((c) => {
    const cl = c.toLowerCase();
    const bonus = cl.startsWith(lower) || lower.startsWith(cl) ? -2 : cl.includes(lower) ? -1 : 0;
    return { c, score: editDistance(lower, cl) + bonus };
  });
  const threshold = Math.max(2, Math.ceil(wanted.length / 2));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((s) => s.c);
}
