/**
 * Kernel sessions in an execution log. A restart wipes the kernel's namespace, so definitions made
 * before it never reach executions after it: each execution gets a segment number, and reaching
 * definitions never cross segments.
 */
import type { ExecutionInput } from './types';

/**
 * Segment number of each execution. A new segment starts when the session id changes (both known)
 * or when the execution count does not increase (IPython counts every execution, failed ones too,
 * and starts again at 1 after a restart).
 */
export function restartSegments(executions: readonly ExecutionInput[]): number[] {
  const segments: number[] = [];
  let segment = 0;
  let lastCount: number | null = null;
  let lastSession: string | undefined;
  for (const execution of executions) {
    const sessionChanged =
      lastSession !== undefined && execution.sessionId !== undefined && execution.sessionId !== lastSession;
    const countWentBack =
      lastCount !== null && execution.executionCount !== null && execution.executionCount <= lastCount;
    if (segments.length > 0 && (sessionChanged || countWentBack)) segment++;
    segments.push(segment);
    if (execution.executionCount !== null) lastCount = execution.executionCount;
    if (execution.sessionId !== undefined) lastSession = execution.sessionId;
  }
  return segments;
}
