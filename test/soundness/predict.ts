/**
 * nbprov's prediction for a case, the way `nbprov dependents NB --cell K` computes it: the
 * recorded original replay goes into a real sql.js store (in memory, never saved), the notebook as
 * edited is the view, `notebookLineage` picks the recorded history, and `dependents` answers.
 */
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { CellAnalyzer } from '../../src/core/analysis';
import { dependents } from '../../src/core/lineage';
import { plainNotebookView } from '../../src/core/notebook/plainView';
import { notebookLineage } from '../../src/core/notebookLineage';
import { openStoreAt } from '../../src/core/store';
import type { SoundnessCase } from './cases';
import { cellId, NOTEBOOK_PATH, type CaseTruth } from './oracle';

export async function predictedDependents(c: SoundnessCase, truth: CaseTruth, analyzer: CellAnalyzer): Promise<number[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-soundness-store-'));
  try {
    const store = await openStoreAt(path.join(dir, 'store.sqlite'));
    for (const session of truth.sessions) store.addSession(session);
    for (const record of truth.records) store.addExecution(record);
    const cells = c.cells.map((code, index) => ({
      cellType: 'code' as const,
      source: index === c.edit.cell ? c.edit.code : code,
      languageId: 'python',
      executionCount: null,
      id: cellId(index),
    }));
    const notebook = plainNotebookView(NOTEBOOK_PATH, cells, {});
    const lineage = notebookLineage({ notebook, notebookKey: NOTEBOOK_PATH, store, analyzer });
    if (lineage.source !== 'recorded') throw new Error(`${c.name}: the store did not give the recorded history`);
    return dependents(lineage.graph, { cellId: cellId(c.edit.cell) })
      .cells.map((cell) => cell.cellIndex)
      .filter((i): i is number => i !== null)
      .sort((a, b) => a - b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
