/**
 * Turns a recorded session into a trial: the notebook's tagged variables, each one's backward
 * lineage at operation granularity over that session's executions, and the session's environment.
 * Used at the end of `nbprov run`, by `nbprov trial save`, and by the extension.
 */
import { randomUUID } from 'node:crypto';
import type { CellAnalyzer } from '../analysis';
import { backwardSlice, UnknownVariableError } from '../lineage';
import { analysedExecution, analysedLineageGraph } from '../notebookLineage';
import { cellStageMap, parametersCellIndex } from '../notebook/tags';
import type { NotebookView } from '../notebook/view';
import type { JsonValue } from '../records';
import type { Store } from '../store';
import { buildTrial, type BuiltTrial, type TaggedSlice } from './buildTrial';
import { NoRecordedSessionError, NoTaggedVariablesError } from './errors';
import { uniqueTrialName } from './names';

export interface SessionTrialInput {
  store: Store;
  notebook: NotebookView;
  notebookKey: string;
  analyzer: CellAnalyzer;
  /** Defaults to the notebook's latest recorded session. */
  sessionId?: string;
  name?: string | null;
  note?: string | null;
  params?: Record<string, JsonValue>;
  createdAt?: string;
}

export function latestSessionId(store: Store, notebookKey: string): string | undefined {
  const sessions = store.listSessions(notebookKey);
  return sessions.length ? sessions.reduce((a, b) => (Date.parse(b.startedAt) >= Date.parse(a.startedAt) ? b : a)).id : undefined;
}

export function trialFromSession(input: SessionTrialInput): BuiltTrial {
  const { store, notebook, notebookKey, analyzer } = input;
  const sessionId = input.sessionId ?? latestSessionId(store, notebookKey);
  if (!sessionId) throw new NoRecordedSessionError(notebookKey);
  const tags = notebook.variableTags();
  if (!Object.keys(tags).length) throw new NoTaggedVariablesError(notebookKey);
  const records = store.listExecutions(notebookKey, { sessionId });
  const graph = analysedLineageGraph(records.map((r) => analysedExecution(r)), analyzer, store);
  const slices: Record<string, TaggedSlice> = {};
  for (const variable of Object.keys(tags)) {
    try {
      const slice = backwardSlice(graph, variable, { granularity: 'operation' });
      slices[variable] = {
        executionIds: slice.executions.map((e) => e.id),
        operations: (slice.operations ?? []).map((op) => ({ executionId: op.executionId, line: op.line, code: op.code, defines: [...op.defines, ...op.mutates], needed: op.needed })),
      };
    } catch (err) {
      if (!(err instanceof UnknownVariableError)) throw err;
      // Never defined in this session: buildTrial reports it as missing.
    }
  }
  const named = uniqueTrialName(store.listTrialHeads({ roles: [] }), input.name ?? null);
  const trial = buildTrial({
    id: randomUUID(),
    name: named.name,
    note: input.note ?? null,
    notebookPath: notebookKey,
    createdAt: input.createdAt ?? new Date().toISOString(),
    sessionId,
    params: input.params ?? {},
    tags,
    executions: records,
    slices,
    environment: store.getSession(sessionId)?.environment ?? null,
    parametersCellId: notebook.cells[parametersCellIndex(notebook)]?.id ?? null,
    stages: Object.fromEntries(cellStageMap(notebook)),
  });
  if (named.takenBy) trial.nameTakenBy = { id: named.takenBy.id, name: input.name! };
  return trial;
}

