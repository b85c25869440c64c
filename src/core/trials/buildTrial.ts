import type { EnvironmentRecord, ExecutionRecord, FileAccessRecord, Trial, TrialOperation, TrialValue, ValueSummary } from '../records';
import { hashState } from '../valuePatches';
import { effectiveParamsOf } from './effectiveParams';
import { TrialBuildError } from './errors';
import { recordedValues } from './recordedValues';

/** The lineage of one tagged variable, as the lineage module computes it. */
export interface TaggedSlice {
  executionIds: string[];
  operations: { executionId: string; line: number; code: string; defines: string[]; needed?: string[] }[];
}

export interface BuildTrialInput extends Pick<Trial, 'id' | 'name' | 'note' | 'notebookPath' | 'createdAt' | 'sessionId' | 'params'> {
  /** Tagged variable → role. */
  tags: Record<string, string>;
  /** The session's executions, in execution order. */
  executions: ExecutionRecord[];
  slices: Record<string, TaggedSlice>;
  environment: EnvironmentRecord | null;
  /** The id of the notebook's `parameters` cell, whose recorded values are the defaults the run used. */
  parametersCellId?: string | null;
  /** cellId → stage, from the notebook's `stage:<name>` cell tags. */
  stages?: Record<string, string>;
}

/**
 * A trial whose `missing` lists the tagged names that had no recorded value; `nameTakenBy` is set
 * when the name asked for was another trial's, so the trial got a suffixed name (see names.ts).
 */
export type BuiltTrial = Trial & { missing: string[]; nameTakenBy?: { id: string; name: string } };

function latestRecordedValue(executions: ExecutionRecord[], name: string): { value: ValueSummary; executionId: string } | undefined {
  for (let i = executions.length - 1; i >= 0; i--) {
    const execution = executions[i];
    if (!execution.success) continue;
    const value = execution.values.find((v) => v.name === name);
    if (value) return { value, executionId: execution.id };
  }
  return undefined;
}

/** The slice's operations with their cells and recorded values (see recordedValues). */
function operationsWithValues(variable: string, slice: TaggedSlice, executionsById: Map<string, ExecutionRecord>): TrialOperation[] {
  const executionOf = (id: string): ExecutionRecord => {
    const execution = executionsById.get(id);
    if (!execution) throw new TrialBuildError(`the lineage of "${variable}" refers to execution ${id}, which is not among the session's executions; pass every execution of the session`);
    return execution;
  };
  const values = recordedValues(slice.operations, (id) => executionOf(id).values, variable);
  return slice.operations.map((op, i) => {
    const execution = executionOf(op.executionId);
    const operation: TrialOperation = { executionId: op.executionId, cellId: execution.cellId, cellIndex: execution.cellIndex, line: op.line, code: op.code, defines: [...op.defines] };
    const { value, values: perName } = values[i];
    if (value) operation.value = value;
    if (perName.length) operation.values = perName;
    if (op.needed) operation.needed = [...op.needed];
    return operation;
  });
}

/** The values the latest successful execution of the parameters cell bound (its defaults as run). */
function parametersCellValues(executions: ExecutionRecord[], cellId: string | null | undefined): ValueSummary[] {
  if (!cellId) return [];
  for (let i = executions.length - 1; i >= 0; i--) if (executions[i].cellId === cellId && executions[i].success) return executions[i].values;
  return [];
}

function filesRead(executions: ExecutionRecord[]): FileAccessRecord[] {
  const seen = new Set<string>();
  const files: FileAccessRecord[] = [];
  for (const execution of executions)
    for (const file of execution.files) {
      if (file.kind === 'write') continue;
      const key = `${file.path}\u0000${file.hashBefore ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      files.push({ ...file });
    }
  return files;
}

/**
 * Assembles a trial from a session's records and the lineage of each tagged variable: the tagged
 * values (from the latest successful execution that recorded each name), the operations with their
 * recorded values, the code of every execution involved (in execution order) and the files they read.
 */
export function buildTrial(input: BuildTrialInput): BuiltTrial {
  const executionsById = new Map(input.executions.map((e) => [e.id, e]));
  const tagged: Record<string, TrialValue> = {};
  const lineage: Record<string, TrialOperation[]> = {};
  const missing: string[] = [];
  const involved = new Set<string>();

  for (const [name, role] of Object.entries(input.tags)) {
    const recorded = latestRecordedValue(input.executions, name);
    if (recorded) {
      tagged[name] = { ...recorded.value, role };
      // A hash still to come finds the trial by the execution that recorded the value.
      if (hashState(recorded.value) === 'pending') tagged[name].executionId = recorded.executionId;
    } else missing.push(name);
    const slice = input.slices[name];
    if (!slice) {
      lineage[name] = [];
      continue;
    }
    for (const id of slice.executionIds) {
      if (!executionsById.has(id)) throw new TrialBuildError(`the lineage of "${name}" refers to execution ${id}, which is not among the session's executions; pass every execution of the session`);
      involved.add(id);
    }
    lineage[name] = operationsWithValues(name, slice, executionsById);
    for (const op of lineage[name]) involved.add(op.executionId);
  }

  const executions = input.executions.filter((e) => involved.has(e.id));
  return {
    id: input.id,
    name: input.name,
    note: input.note,
    notebookPath: input.notebookPath,
    createdAt: input.createdAt,
    sessionId: input.sessionId,
    params: { ...input.params },
    effectiveParams: effectiveParamsOf(input.params, parametersCellValues(input.executions, input.parametersCellId)),
    tagged,
    lineage,
    executions: executions.map((e) => {
      const stage = input.stages?.[e.cellId];
      return { id: e.id, cellId: e.cellId, cellIndex: e.cellIndex, executionCount: e.executionCount, code: e.code, ...(stage ? { stage } : {}) };
    }),
    files: filesRead(executions),
    environment: input.environment,
    missing,
  };
}
