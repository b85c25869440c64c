import { staleCells } from '../../core/lineage';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { describeHistory, lineageOf, openNotebook } from '../session';
import type { StaleDocument } from '../../shared/cli';

const help = `
usage: nbprov stale NOTEBOOK [--json]

Cells whose inputs were redefined, mutated or deleted by another execution after they last ran:
running them again could give another result. Each comes with the names that changed and the
execution that changed them.

options:
  --json   {"stale":[{cell,cellId,executionCount,reasons:[{name,change,changedBy:{cell,executionCount}}]}]}
`;

export const staleCommand: Command = {
  name: 'stale',
  summary: 'cells whose inputs changed after they ran',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('stale', argv, {});
    const notebookPath = requirePositional('stale', positionals, 0, 'NOTEBOOK');
    rejectExtraPositionals('stale', positionals, 1);
    const out = ctx.output(Boolean(values.json));
    const session = await openNotebook(ctx.cwd, out, notebookPath, values.workspace);
    const lineage = lineageOf(session);
    const stale = staleCells(lineage.graph).filter((s) => s.cellIndex !== null);
    if (out.json) {
      out.document({
        notebook: notebookPath,
        history: lineage.source,
        stale: stale.map((s) => ({
          cell: s.cellIndex,
          cellId: s.cellId,
          executionCount: s.execution.executionCount,
          reasons: s.reasons.map((r) => ({ name: r.name, change: r.change, changedBy: { cell: r.changedBy.cellIndex, cellId: r.changedBy.cellId, executionCount: r.changedBy.executionCount } })),
        })),
      } satisfies StaleDocument);
      return 0;
    }
    out.line(`${notebookPath}: ${stale.length} stale cell(s) (${describeHistory(lineage)})`);
    for (const s of stale) {
      const why = s.reasons.map((r) => `${r.name} ${r.change === 'define' ? 'redefined' : r.change === 'mutate' ? 'changed' : 'deleted'} by ${r.changedBy.cellIndex === null ? 'a cell no longer in the notebook' : `cell ${r.changedBy.cellIndex}`}${r.changedBy.executionCount === null ? '' : ` [${r.changedBy.executionCount}]`}`);
      out.line(`  cell ${s.cellIndex}${s.execution.executionCount === null ? '' : ` [${s.execution.executionCount}]`}: ${why.join('; ')}`);
    }
    return 0;
  },
};
