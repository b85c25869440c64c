/** Workspaces for the hardening suite: a tagged notebook and a store with a recorded session and trials. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ExecutionRecord, Trial } from '../../src/core/records';
import { openStore, storePath } from '../../src/core/store';
import { baseNotebook } from './generator';

export const NB = 'nb.ipynb';

export function workspace(prefix: string, root = os.tmpdir()): string {
  const dir = mkdtempSync(path.join(root, `nbprov-hardening-${prefix}-`));
  // Pins the workspace here, so no store in a parent folder is used.
  mkdirSync(path.join(dir, '.nbprov'), { recursive: true });
  return dir;
}

/** The generator's base notebook with `y` tagged as a metric (so `trial save` has something to save). */
export function taggedNotebookText(): string {
  const doc = baseNotebook() as { metadata: Record<string, unknown> };
  doc.metadata.nbprov = { variables: { y: 'metric' } };
  return JSON.stringify(doc, null, 1) + '\n';
}

function execution(id: string, cellId: string, cellIndex: number, code: string, values: [string, number][], count: number): ExecutionRecord {
  return {
    id,
    sessionId: 's1',
    notebookPath: NB,
    cellId,
    cellIndex,
    language: 'python',
    code,
    executionCount: count,
    success: true,
    startedAt: `2024-05-01T10:00:0${count}.000Z`,
    durationMs: 1,
    values: values.map(([name, value]) => ({ name, type: 'int', repr: String(value), value })),
    files: [],
  };
}

/** A store holding one recorded session of the notebook and `trials` trials named t0, t1, … */
export async function seedStore(ws: string, trials: number): Promise<string[]> {
  writeFileSync(path.join(ws, NB), taggedNotebookText());
  const store = await openStore(ws);
  store.addSession({ id: 's1', notebookPath: NB, kernelName: 'python3', startedAt: '2024-05-01T10:00:00.000Z', environment: null });
  store.addExecution(execution('e1', 'c1', 1, 'n = 3\n', [['n', 3]], 1));
  store.addExecution(execution('e2', 'c2', 2, 'x = n * 2\ny = x + 1\n', [['x', 6], ['y', 7]], 2));
  const ids: string[] = [];
  for (let i = 0; i < trials; i++) {
    const trial: Trial = {
      id: `seed-${i}`,
      name: `t${i}`,
      note: null,
      notebookPath: NB,
      createdAt: `2024-05-0${i + 1}T11:00:00.000Z`,
      sessionId: 's1',
      params: {},
      tagged: { y: { name: 'y', role: 'metric', type: 'int', repr: String(7 + i), value: 7 + i } },
      lineage: {},
      executions: [],
      files: [],
      environment: null,
    };
    store.saveTrial(trial);
    ids.push(trial.id);
  }
  await store.save();
  store.close();
  return ids;
}

/** Trial ids in the store, and whether opening it found it corrupt. */
export async function readTrials(ws: string): Promise<{ ids: Set<string>; corrupt: boolean }> {
  const store = await openStore(ws);
  const ids = new Set(store.listTrials().map((t) => t.id));
  const corrupt = store.warnings.length > 0;
  store.close();
  return { ids, corrupt };
}

export { storePath };
