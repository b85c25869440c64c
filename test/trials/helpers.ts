import type { Trial, TrialOperation, TrialValue } from '../../src/core/records';

export function value(name: string, fields: Partial<TrialValue> = {}): TrialValue {
  const v = fields.value;
  return { name, role: 'metric', type: typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : 'str', repr: v === undefined ? name : String(v), ...fields };
}

export function op(executionId: string, cellIndex: number, line: number, code: string, defines: string[] = []): TrialOperation {
  return { executionId, cellId: `cell-${cellIndex}`, cellIndex, line, code, defines };
}

/** A trial with sensible defaults; executions are derived from the operations when not given. */
export function trial(id: string, fields: Partial<Trial> = {}): Trial {
  const lineage = fields.lineage ?? {};
  const executionIds = [...new Set(Object.values(lineage).flatMap((ops) => ops.map((o) => o.executionId)))];
  return {
    id,
    name: id,
    note: null,
    notebookPath: 'demo.ipynb',
    createdAt: '2024-05-01T10:00:00.000Z',
    sessionId: 's1',
    params: {},
    tagged: {},
    lineage,
    executions: executionIds.map((eid, i) => ({ id: eid, cellId: `c${i}`, cellIndex: i, executionCount: i + 1, code: '' })),
    files: [],
    environment: { language: 'python', languageVersion: '3.11.2', packages: { numpy: '1.26.4', pandas: '2.2.0' } },
    ...fields,
  };
}
