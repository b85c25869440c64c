/** Records and workspaces for the store tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionRecord, SessionRecord, Trial, TrialValue, ValueSummary } from '../../src/core/records';

export const NOTEBOOK = 'notebooks/fraud.ipynb';

export function tempWorkspace(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function session(id: string, overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    id,
    notebookPath: NOTEBOOK,
    kernelName: 'python3',
    startedAt: '2024-05-01T10:00:00.000Z',
    environment: { language: 'python', languageVersion: '3.11.2', kernelName: 'python3', cwd: '/work', packages: { numpy: '1.26.4', pandas: '2.1.0' } },
    ...overrides,
  };
}

export function intValue(name: string, value: number): ValueSummary {
  return { name, type: 'int', repr: String(value), value };
}

export function execution(id: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    id,
    sessionId: 's1',
    notebookPath: NOTEBOOK,
    cellId: `cell-${id}`,
    cellIndex: 0,
    language: 'python',
    code: `x_${id.replace(/\W/g, '_')} = 1`,
    executionCount: 1,
    success: true,
    startedAt: '2024-05-01T10:00:01.000Z',
    durationMs: 12.5,
    values: [],
    files: [],
    ...overrides,
  };
}

export function trial(id: string, createdAt: string, tagged: Record<string, TrialValue>, overrides: Partial<Trial> = {}): Trial {
  return {
    id,
    name: null,
    note: null,
    notebookPath: NOTEBOOK,
    createdAt,
    sessionId: 's1',
    params: {},
    tagged,
    lineage: {},
    executions: [],
    files: [],
    environment: null,
    ...overrides,
  };
}

export function metric(value: number | string, role = 'metric'): TrialValue {
  return typeof value === 'number'
    ? { name: 'auc', role, type: 'float', repr: String(value), value }
    : { name: 'auc', role, type: 'float', repr: value.toLowerCase(), value };
}
