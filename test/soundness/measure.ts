/**
 * Truth against prediction over a set of cases: misses (truth cells nbprov did not predict; goal
 * 0) and extras (predicted cells whose observation did not change; goal well under one per case),
 * per kind, as a printable table. Used by the tests and by `npm run bench`.
 */
import { createAnalyzer, type CellAnalyzer } from '../../src/core/analysis';
import type { CaseKind, SoundnessCase } from './cases';
import { Oracle, type CaseTruth } from './oracle';
import { predictedDependents } from './predict';

export interface CaseResult {
  case: SoundnessCase;
  truth: CaseTruth;
  predicted: number[];
  missed: number[];
  extra: number[];
}

export async function measureCases(cases: readonly SoundnessCase[], options: { oracle?: Oracle; analyzer?: CellAnalyzer } = {}): Promise<{ results: CaseResult[]; kernelMs: number; computed: number }> {
  const oracle = options.oracle ?? new Oracle();
  const analyzer = options.analyzer ?? (await createAnalyzer());
  const results: CaseResult[] = [];
  let kernelMs = 0;
  const before = oracle.computed;
  try {
    for (const c of cases) {
      const truth = await oracle.truthOf(c);
      kernelMs += truth.kernelMs;
      const predicted = await predictedDependents(c, truth, analyzer);
      const missed = truth.truth.filter((i) => !predicted.includes(i));
      const extra = predicted.filter((i) => !truth.truth.includes(i));
      results.push({ case: c, truth, predicted, missed, extra });
    }
  } finally {
    if (!options.oracle) await oracle.dispose();
  }
  return { results, kernelMs, computed: oracle.computed - before };
}

export interface KindFigures {
  kind: CaseKind | 'all';
  cases: number;
  truthCells: number;
  missedCases: number;
  missedCells: number;
  extraCells: number;
  extraPerCase: number;
}

export function figures(results: readonly CaseResult[]): KindFigures[] {
  const kinds = [...new Set(results.map((r) => r.case.kind))];
  const row = (kind: CaseKind | 'all', rs: readonly CaseResult[]): KindFigures => {
    const extraCells = rs.reduce((n, r) => n + r.extra.length, 0);
    return {
      kind,
      cases: rs.length,
      truthCells: rs.reduce((n, r) => n + r.truth.truth.length, 0),
      missedCases: rs.filter((r) => r.missed.length > 0).length,
      missedCells: rs.reduce((n, r) => n + r.missed.length, 0),
      extraCells,
      extraPerCase: rs.length ? extraCells / rs.length : 0,
    };
  };
  return [...kinds.map((k) => row(k, results.filter((r) => r.case.kind === k))), row('all', results)];
}

export function formatFigures(rows: readonly KindFigures[]): string {
  const header = ['kind', 'cases', 'truth cells', 'cases missed', 'cells missed (goal 0)', 'extra cells', 'extra/case (goal ≪ 1)'];
  const lines = rows.map((r) => [r.kind, r.cases, r.truthCells, r.missedCases, r.missedCells, r.extraCells, r.extraPerCase.toFixed(2)].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [fmt(header), ...lines.map(fmt)].join('\n');
}

/** One line per case that misses: its truth, what nbprov predicted, and why each missed cell differs. */
export function formatMisses(results: readonly CaseResult[]): string {
  return results
    .filter((r) => r.missed.length > 0)
    .map((r) => `${r.case.name}: edit cell ${r.case.edit.cell}; truth [${r.truth.truth.join(', ')}], predicted [${r.predicted.join(', ')}], missed ${r.missed.map((i) => `${i} (${r.truth.why[i]})`).join('; ')}`)
    .join('\n');
}
