/**
 * A notebook as the editor holds it (plain data shaped like VS Code's NotebookDocument with the
 * ipynb serializer's metadata nesting) and a real store in a temp dir with a recorded session, for
 * the tests of the extension's pure parts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAnalyzer, type CellAnalyzer } from '../../src/core/analysis';
import type { NotebookView } from '../../src/core/notebook/view';
import { notebookLineage } from '../../src/core/notebookLineage';
import type { ExecutionRecord, ValueSummary } from '../../src/core/records';
import { openStore, type Store } from '../../src/core/store';
import type { ProvenanceSnapshot } from '../../src/extension/content/snapshot';
import { liveNotebookView, type LiveCell, type LiveNotebook } from '../../src/extension/notebookView';

export interface CellSpec {
  source: string;
  tags?: string[];
  /** nbformat id; absent: the CLI's `cell-<index>`. */
  id?: string;
  kind?: 'code' | 'markdown';
  language?: string;
  executionOrder?: number;
}

/** What VS Code 1.100's ipynb serializer makes of a notebook file: Jupyter metadata nested under `metadata`. */
export function liveNotebook(cells: CellSpec[], variables: Record<string, string> = {}, file = '/ws/nb.ipynb'): LiveNotebook {
  const live: LiveCell[] = cells.map((c, index) => ({
    index,
    kind: c.kind === 'markdown' ? 1 : 2,
    metadata: { ...(c.id ? { id: c.id } : {}), metadata: c.tags ? { tags: c.tags } : {} },
    document: { getText: () => c.source, languageId: c.kind === 'markdown' ? 'markdown' : (c.language ?? 'python') },
    executionSummary: c.executionOrder === undefined ? undefined : { executionOrder: c.executionOrder },
  }));
  return {
    uri: { path: file },
    metadata: { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' }, ...(Object.keys(variables).length ? { nbprov: { variables } } : {}) } },
    getCells: () => live,
  };
}

export function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-ext-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

let analyzer: Promise<CellAnalyzer> | undefined;
export function sharedAnalyzer(): Promise<CellAnalyzer> {
  analyzer ??= createAnalyzer();
  return analyzer;
}

export const NOTEBOOK_KEY = 'nb.ipynb';

export interface Run {
  cell: number;
  /** The code that ran (default: the cell's source). */
  code?: string;
  values?: ValueSummary[];
  success?: boolean;
  identities?: ExecutionRecord['identities'];
}

/** Records `runs` of `view`'s cells as one session in `store`, with counts 1, 2, 3, … */
export function record(store: Store, view: NotebookView, runs: Run[], sessionId = `s-${randomUUID()}`, startMs = Date.parse('2026-01-05T09:00:00Z')): ExecutionRecord[] {
  store.addSession({ id: sessionId, notebookPath: NOTEBOOK_KEY, kernelName: 'python3', startedAt: new Date(startMs).toISOString(), environment: { language: 'python', languageVersion: '3.11', packages: {} } });
  return runs.map((run, i) => {
    const cell = view.cells[run.cell];
    const execution: ExecutionRecord = {
      id: randomUUID(),
      sessionId,
      notebookPath: NOTEBOOK_KEY,
      cellId: cell.id,
      cellIndex: cell.index,
      language: 'python',
      code: run.code ?? cell.source,
      executionCount: i + 1,
      success: run.success ?? true,
      startedAt: new Date(startMs + (i + 1) * 1000).toISOString(),
      durationMs: 5,
      values: run.values ?? [],
      files: [],
      ...(run.identities ? { identities: run.identities } : {}),
    };
    store.addExecution(execution);
    return execution;
  });
}

export function snapshot(view: NotebookView, store: Store | null, cellAnalyzer: CellAnalyzer): ProvenanceSnapshot {
  const lineage = notebookLineage({ notebook: view, notebookKey: NOTEBOOK_KEY, store, analyzer: cellAnalyzer });
  return { view, notebookKey: NOTEBOOK_KEY, lineage, analyzer: cellAnalyzer, store };
}

export async function emptyStore(t: { after(fn: () => void): void }): Promise<{ store: Store; workspace: string }> {
  const workspace = tempDir(t);
  const store = await openStore(workspace);
  t.after(() => store.close());
  return { store, workspace };
}

export const num = (name: string, value: number): ValueSummary => ({ name, type: Number.isInteger(value) ? 'int' : 'float', repr: String(value), value });

export { liveNotebookView };
