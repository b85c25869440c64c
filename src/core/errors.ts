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

/** Distance between two strings, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
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
