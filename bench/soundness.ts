/**
 * Stale-cell soundness (issue 11) on the test suite's notebooks: the hand-written corpus and the
 * first 30 random notebooks, truth from a real kernel (cached in .cache/soundness/ by the tests;
 * computed here when absent). Prints, per kind, cells missed by `dependents` (goal 0) and extra
 * cells predicted whose output did not change, per case (goal well under 1).
 */
import { CORPUS } from '../test/soundness/corpus';
import { generateCase } from '../test/soundness/generator';
import { KNOWN_MISSES } from '../test/soundness/known-misses';
import { figures, formatFigures, measureCases } from '../test/soundness/measure';
import { Oracle } from '../test/soundness/oracle';

const RANDOM_CASES = 30;

export async function benchSoundness(): Promise<void> {
  const oracle = new Oracle();
  try {
    const random = Array.from({ length: RANDOM_CASES }, (_, i) => generateCase(1 + i));
    const started = performance.now();
    const { results, computed, kernelMs } = await measureCases([...CORPUS, ...random], { oracle });
    console.log(`${results.length} cases (${CORPUS.length} hand-written, ${RANDOM_CASES} random), ${computed} computed in the kernel (${(kernelMs / 1000).toFixed(1)} s), ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
    console.log(formatFigures(figures(results)));
    const hand = figures(results.filter((r) => r.case.kind !== 'random')).at(-1)!;
    const all = figures(results).at(-1)!;
    console.log(`corpus: ${hand.missedCells} cells missed in ${hand.missedCases} of ${hand.cases} cases (goal 0); ${hand.extraPerCase.toFixed(2)} extra cells per case (goal well under 1)`);
    console.log(`corpus + random: ${all.missedCells} cells missed in ${all.missedCases} of ${all.cases} cases (goal 0); ${all.extraPerCase.toFixed(2)} extra cells per case (goal well under 1)`);
    console.log(`KNOWN_MISSES still listed: ${KNOWN_MISSES.length} (goal 0)`);
  } finally {
    await oracle.dispose();
  }
}
