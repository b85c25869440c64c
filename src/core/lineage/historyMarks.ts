/**
 * Marks that make a long execution history readable (`lineage --global`): which kernel session and
 * restart each execution belongs to, when it ran, which trials were saved from that session, the
 * stage of its cell, and, for a cell whose code changed since its previous execution, what changed.
 */
import { diffLines } from 'diff';
import type { LineageGraph } from './types';

export interface HistoryFacts {
  /** When an execution started (ISO 8601), when the store knows. */
  startedAt?(executionId: string): string | undefined;
  /** Names (or ids) of the trials saved from a kernel session. */
  trialsOf?(sessionId: string): string[];
  /** The stage of a cell (its `stage:<name>` tag in the notebook now), or null. */
  stageOf?(cellId: string): string | null;
}

export interface HistoryMark {
  executionId: string;
  /** Restart epoch (0, 1, …): definitions never cross from one to the next. */
  segment: number;
  /** The first listed execution of its segment after another segment: a kernel restart or a new session lies between. */
  restartBefore: boolean;
  sessionId?: string;
  startedAt?: string;
  trials: string[];
  stage?: string;
  /** Set when the cell ran before with other code: that execution and the changed lines. */
  edited?: { previousExecutionId: string; changes: LineChange[] };
}

export interface LineChange {
  kind: 'added' | 'removed';
  line: string;
}

/** The changed lines between two versions of a cell's code, in order (unchanged lines left out). */
export function changedLines(before: string, after: string): LineChange[] {
  const changes: LineChange[] = [];
  for (const part of diffLines(before.endsWith('\n') ? before : before + '\n', after.endsWith('\n') ? after : after + '\n')) {
    if (!part.added && !part.removed) continue;
    const lines = part.value.replace(/\n$/, '').split('\n');
    for (const line of lines) changes.push({ kind: part.added ? 'added' : 'removed', line });
  }
  return changes;
}

/** One mark per listed execution (ids in listing order, as a slice gives them). */
export function historyMarks(graph: LineageGraph, executionIds: readonly string[], facts: HistoryFacts = {}): HistoryMark[] {
  let lastSegment: number | null = null;
  return executionIds.map((id) => {
    const position = graph.executionById.get(id);
    if (position === undefined) throw new Error(`execution ${id} is not in the lineage graph`);
    const node = graph.executions[position];
    const sessionId = node.input.sessionId;
    const mark: HistoryMark = {
      executionId: id,
      segment: node.segment,
      restartBefore: lastSegment !== null && node.segment !== lastSegment,
      trials: sessionId ? (facts.trialsOf?.(sessionId) ?? []) : [],
    };
    lastSegment = node.segment;
    if (sessionId) mark.sessionId = sessionId;
    const startedAt = facts.startedAt?.(id);
    if (startedAt) mark.startedAt = startedAt;
    const stage = facts.stageOf?.(node.cellId);
    if (stage) mark.stage = stage;
    const runs = graph.cellExecutions.get(node.cellId) ?? [];
    const earlier = runs.filter((p) => p < position);
    const previous = earlier.length ? graph.executions[earlier[earlier.length - 1]] : undefined;
    if (previous && previous.input.code !== node.input.code) {
      mark.edited = { previousExecutionId: previous.id, changes: changedLines(previous.input.code, node.input.code) };
    }
    return mark;
  });
}
