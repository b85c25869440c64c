import { UsageError, NbprovError } from '../../core/errors';
import { dependents } from '../../core/lineage';
import { parseCommandArgs, parseNonNegativeInt, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { firstLine } from '../output';
import { describeHistory, lineageOf, openNotebook } from '../session';
import type { DependentsDocument } from '../../shared/cli';

const help = `
usage: nbprov dependents NOTEBOOK --cell K [--json]

The cells made stale if cell K changes or runs again: every cell whose current state was computed,
directly or transitively, from what cell K produced. K counts every cell from 0, markdown included
(or give a cell id).

options:
  --cell K   the cell, by index or nbformat cell id
  --json     {"cell":K,"dependents":[index…]}
`;

export const dependentsCommand: Command = {
  name: 'dependents',
  summary: 'cells made stale if a cell changes',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('dependents', argv, { cell: { type: 'string' } });
    const notebookPath = requirePositional('dependents', positionals, 0, 'NOTEBOOK');
    rejectExtraPositionals('dependents', positionals, 1);
    if (values.cell === undefined) throw new UsageError('missing --cell K (the cell whose dependents you want); see: nbprov dependents --help');
    const out = ctx.output(Boolean(values.json));
    const session = await openNotebook(ctx.cwd, out, notebookPath, values.workspace);
    const cells = session.notebook.cells;
    const byId = cells.find((c) => c.id === values.cell);
    const index = byId ? byId.index : parseNonNegativeInt('--cell', values.cell);
    if (index >= cells.length) {
      const range = cells.length === 0 ? 'has no cells' : `has ${cells.length} cell${cells.length === 1 ? '' : 's'} (0 to ${cells.length - 1})`;
      throw new NbprovError(`cell ${index} is out of range: ${notebookPath} ${range}`);
    }
    const cell = cells[index];
    if (cell.cellType !== 'code') throw new NbprovError(`cell ${index} is a ${cell.cellType} cell; pick a code cell`);
    const lineage = lineageOf(session);
    const result = dependents(lineage.graph, { cellId: cell.id });
    const indices = result.cells.map((c) => c.cellIndex).filter((i): i is number => i !== null);
    if (out.json) {
      out.document({ cell: index, cellId: cell.id, history: lineage.source, dependents: indices, executions: result.executions.map((e) => ({ id: e.id, cell: e.cellIndex, executionCount: e.executionCount })) } satisfies DependentsDocument);
      return 0;
    }
    const ran = lineage.graph.cellExecutions.has(cell.id);
    out.line(`cell ${index}: ${indices.length} dependent cell(s) (${describeHistory(lineage)})${ran ? '' : ' — this cell has not run, so nothing derives from it yet'}`);
    for (const i of indices) out.line(`  cell ${String(i).padEnd(4)} ${firstLine(cells[i]?.source ?? '', 70)}`);
    return 0;
  },
};
