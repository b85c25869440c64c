import { editDistance } from '../errors';

/**
 * Every candidate, closest to `query` first (prefix, then substring matches, then edit distance).
 * Unlike `closestNames`, nothing is filtered out: used where the whole list is shown.
 */
export function rankByCloseness(query: string, candidates: Iterable<string>): string[] {
  const q = query.toLowerCase();
  const scored = [...new Set(candidates)].map((candidate) => {
    const c = candidate.toLowerCase();
    let score = editDistance(q, c);
    if (c.startsWith(q) || q.startsWith(c)) score -= 1000;
    else if (c.includes(q) || q.includes(c)) score -= 500;
    return { candidate, score };
  });
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.map((s) => s.candidate);
}
