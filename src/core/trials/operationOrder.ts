import { createTwoFilesPatch } from 'diff';
import type { Trial, TrialOperation } from '../records';
import { trialLabel } from './resolve';
import { singleLine, truncateToWidth } from './textWidth';

const MAX_OPERATION_WIDTH = 160;

/**
 * The union of the lineage operations of every tagged variable, once each, in execution order
 * (the order of `trial.executions`, then line within the execution).
 */
export function orderedOperations(trial: Trial): TrialOperation[] {
  const executionRank = new Map(trial.executions.map((e, i) => [e.id, i]));
  const seen = new Map<string, TrialOperation>();
  for (const operations of Object.values(trial.lineage))
    for (const op of operations) {
      const key = `${op.executionId}\u0000${op.line}`;
      if (!seen.has(key)) seen.set(key, op);
    }
  // Operations whose execution is not listed keep their first-seen order, after the listed ones.
  const ranked = [...seen.values()].map((op, i) => ({ op, rank: executionRank.get(op.executionId) ?? trial.executions.length + i }));
  ranked.sort((x, y) => x.rank - y.rank || x.op.line - y.op.line);
  return ranked.map((r) => r.op);
}

/** One line per operation, e.g. `[cell 3] X_train, X_test = train_test_split(…)`. */
export function operationLine(op: TrialOperation): string {
  // A cell that is not in the notebook (the parameters `nbprov run` injects, or a deleted cell) is named by its id.
  const cell = op.cellIndex !== null ? `cell ${op.cellIndex}` : op.cellId || 'cell ?';
  const code = singleLine(op.code.replace(/\s*\n\s*/g, ' ').trim());
  return `[${cell}] ${truncateToWidth(code, MAX_OPERATION_WIDTH)}`;
}

/**
 * The ordered operations one per line; when the trial's cells have stages, grouped under a
 * `── stage: NAME ──` line each time the stage changes (so an order diff shows which stage moved).
 */
export function operationListing(trial: Trial): string {
  const stageOf = new Map(trial.executions.map((e) => [e.id, e.stage ?? null]));
  const staged = trial.executions.some((e) => e.stage);
  const lines: string[] = [];
  let current: string | null | undefined;
  for (const op of orderedOperations(trial)) {
    const stage = stageOf.get(op.executionId) ?? null;
    if (staged && stage !== current) lines.push(`── stage: ${stage ?? '(none)'} ──`);
    current = stage;
    lines.push(operationLine(op));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * The two trials' ordered operation lists as a unified diff (made with the `diff` package), with
 * headers naming the trials. Identical lists give the headers only.
 */
export function operationOrderDiff(a: Trial, b: Trial, options: { context?: number } = {}): string {
  return createTwoFilesPatch(
    `trial ${trialLabel(a)} (${a.id})`,
    `trial ${trialLabel(b)} (${b.id})`,
    operationListing(a),
    operationListing(b),
    a.createdAt,
    b.createdAt,
    { context: options.context ?? 3 },
  );
}
