/**
 * Base of every error that is the user's input or environment rather than a bug in nbprov.
 * Front ends print `message` as one line (no stack trace) and, in the CLI, exit with code 2.
 * Messages name the problem and the fix.
 */
export class NbprovError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command line or API call itself is wrong (unknown flag, missing argument). */
export class UsageError extends NbprovError {}

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
