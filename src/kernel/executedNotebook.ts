/**
 * The executed notebook written by `nbprov run --output`: the input notebook with the injected
 * parameters cell (tagged `injected-parameters`, as papermill does), execution counts and outputs.
 */
import { serializeNotebook, type Notebook, type RawCell } from '../core/notebook/ipynb';
import type { KernelOutput } from './kernelClient';

export interface ExecutedCell {
  cellId: string;
  executionCount: number | null;
  outputs: KernelOutput[];
}

function toNbformatOutput(output: KernelOutput): Record<string, unknown> {
  switch (output.type) {
    case 'stream':
      return { output_type: 'stream', name: output.name, text: output.text };
    case 'error':
      return { output_type: 'error', ename: output.ename, evalue: output.evalue, traceback: output.traceback };
    case 'execute_result':
      return { output_type: 'execute_result', data: output.data, metadata: output.metadata, execution_count: output.executionCount ?? null };
    default:
      return { output_type: 'display_data', data: output.data, metadata: output.metadata };
  }
}

export function executedNotebookJson(notebook: Notebook, executed: ExecutedCell[], injected?: { afterIndex: number; cellId: string; code: string }): string {
  const byId = new Map(executed.map((e) => [e.cellId, e]));
  const cells: RawCell[] = notebook.raw.cells.map((raw, i) => {
    const run = byId.get(notebook.cells[i].id);
    if (notebook.cells[i].cellType !== 'code') return raw;
    return { ...raw, execution_count: run?.executionCount ?? null, outputs: run ? run.outputs.map(toNbformatOutput) : [] };
  });
  if (injected) {
    const run = byId.get(injected.cellId);
    cells.splice(injected.afterIndex + 1, 0, {
      cell_type: 'code',
      id: injected.cellId,
      metadata: { tags: ['injected-parameters'] },
      source: injected.code,
      execution_count: run?.executionCount ?? null,
      outputs: run ? run.outputs.map(toNbformatOutput) : [],
    });
  }
  return serializeNotebook({ ...notebook, raw: { ...notebook.raw, cells } });
}
