/**
 * A soundness case: a small notebook, the history it was run in, and a one-cell edit.
 *
 * Ground truth (computed by `oracle.ts` in a real kernel): replay `history` twice in fresh
 * namespaces — once with the original code, once with every execution of the edited cell running
 * its new code (nbprov's semantics: a dependent reads what *any* execution of the edited cell
 * produced). A cell is in the truth when the observation of its latest execution differs between
 * the two replays (outputs, or the effect it had on globals and files: see `observer.ts`). The
 * edited cell itself is never in the truth, and cells that differ between two replays of the
 * original (nondeterminism) are reported apart and left out of it.
 */
export type CaseKind = 'history' | 'alias' | 'calls' | 'files' | 'negative' | 'random';

export interface SoundnessCase {
  /** Unique, `kind/slug`. */
  name: string;
  kind: CaseKind;
  /** Code cells, in notebook order (each non-empty). */
  cells: string[];
  /**
   * The executions, in the order they ran (re-runs repeat a cell); default: each cell once, top to
   * bottom. `{ cell, code }` is an execution of older code of that cell (edited since). In the
   * edited replay every execution of the edited cell runs its new code.
   */
  history?: HistoryEntry[];
  /** The edited cell and its new code; the cell must appear in the history. */
  edit: { cell: number; code: string };
  /**
   * Hand-written cases: the cells the author expects in the truth. The kernel must agree, which
   * checks the oracle (a truth that shrinks would hide misses); generated cases have none.
   */
  expected?: number[];
  /**
   * Negative cases: cells the author claims do not depend on the edit. The oracle must agree (a
   * check on the case); whether nbprov flags them anyway is the precision figure.
   */
  independent?: number[];
}

export type HistoryEntry = number | { cell: number; code: string };

/** The cell of each execution, in order. */
export function historyOf(c: SoundnessCase): number[] {
  return c.history ? c.history.map((e) => (typeof e === 'number' ? e : e.cell)) : c.cells.map((_, i) => i);
}

/** The code each execution of the original history ran. */
export function originalCode(c: SoundnessCase): string[] {
  return c.history ? c.history.map((e) => (typeof e === 'number' ? c.cells[e] : e.code)) : [...c.cells];
}

/** A one-line problem with the case, or null. */
export function caseProblem(c: SoundnessCase): string | null {
  if (!/^[a-z]+\/[a-z0-9-]+$/.test(c.name)) return `${c.name}: the name must be kind/slug`;
  if (!c.name.startsWith(`${c.kind}/`)) return `${c.name}: the name must start with its kind ${c.kind}/`;
  const empty = c.cells.findIndex((code) => code.trim() === '');
  if (empty >= 0) return `${c.name}: cell ${empty} is empty`;
  const history = historyOf(c);
  const bad = history.find((i) => !Number.isInteger(i) || i < 0 || i >= c.cells.length);
  if (bad !== undefined) return `${c.name}: history names cell ${bad}, which does not exist`;
  if (!history.includes(c.edit.cell)) return `${c.name}: the edited cell ${c.edit.cell} never ran`;
  if (c.edit.code === c.cells[c.edit.cell]) return `${c.name}: the edit does not change cell ${c.edit.cell}`;
  if (c.edit.code.trim() === '') return `${c.name}: the edit empties cell ${c.edit.cell}`;
  return null;
}
