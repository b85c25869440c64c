import { backwardSlice, type SliceOperation } from '../../core/lineage';
import type { ValueSummary } from '../../core/records';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { firstLine } from '../output';
import { describeHistory, lineageOf, openNotebook } from '../session';

const help = `
usage: nbprov lineage NOTEBOOK VARIABLE [--global] [--operations] [--expand-functions] [--json]

Backward dependencies of VARIABLE: the executions (cells) that produced its value, in execution
order. The cell-level answer is a closed slice: run alone, in order, in a fresh kernel, it
reproduces the value. With a recorded session (nbprov run, the extension) it follows the full
history, re-executions and deleted cells included; otherwise the saved execution counts.

options:
  --global             every execution that ever defined the variable, not only the latest
  --operations         the contributing statements, with recorded values when there are any
  --expand-functions   with --operations: also the statements inside called notebook functions
  --json               {"variable","cells":[…],"executions":[{cell,executionCount,code}],"operations":[{cell,line,code,value?}]}
`;

export const lineageCommand: Command = {
  name: 'lineage',
  summary: 'backward dependencies of a variable (cells or statements)',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('lineage', argv, {
      global: { type: 'boolean' },
      operations: { type: 'boolean' },
      'expand-functions': { type: 'boolean' },
    });
    const notebookPath = requirePositional('lineage', positionals, 0, 'NOTEBOOK');
    const variable = requirePositional('lineage', positionals, 1, 'VARIABLE');
    rejectExtraPositionals('lineage', positionals, 2);
    const out = ctx.output(Boolean(values.json));
    const session = await openNotebook(ctx.cwd, out, notebookPath, values.workspace);
    const lineage = lineageOf(session);
    const withOperations = Boolean(values.operations || values['expand-functions']);
    const slice = backwardSlice(lineage.graph, variable, {
      global: Boolean(values.global),
      granularity: withOperations ? 'operation' : 'cell',
      expandFunctions: Boolean(values['expand-functions']),
    });
    const valueOf = (op: SliceOperation): ValueSummary | undefined => {
      const names = new Set([...op.defines, ...op.mutates]);
      return lineage.valuesOf(op.executionId).find((v) => names.has(v.name));
    };
    if (out.json) {
      out.document({
        variable,
        notebook: notebookPath,
        history: lineage.source,
        global: slice.global,
        cells: slice.executions.map((e) => e.cellIndex),
        executions: slice.executions.map((e) => ({ id: e.id, cell: e.cellIndex, cellId: e.cellId, executionCount: e.executionCount, code: e.code })),
        operations: (slice.operations ?? []).map((op) => {
          const value = valueOf(op);
          return {
            cell: op.cellIndex,
            cellId: op.cellId,
            executionId: op.executionId,
            line: op.line,
            code: op.code,
            defines: op.defines,
            ...(op.function ? { function: op.function } : {}),
            ...(value ? { value: { type: value.type, repr: value.repr, ...(value.value !== undefined ? { value: value.value } : {}) } } : {}),
          };
        }),
      });
      return 0;
    }
    const scope = slice.global ? 'every definition' : 'latest value';
    out.line(`${variable}: ${slice.executions.length} execution(s) (${scope}; ${describeHistory(lineage)})`);
    for (const e of slice.executions) {
      const count = e.executionCount === null ? '   ' : `[${e.executionCount}]`;
      out.line(`  cell ${e.cellIndex === null ? '(deleted)' : String(e.cellIndex).padEnd(3)} ${count.padEnd(5)} ${firstLine(e.code, 70)}`);
    }
    if (slice.operations) {
      out.line('statements:');
      for (const op of slice.operations) {
        const where = `cell ${op.cellIndex ?? '(deleted)'}:${op.line}`.padEnd(14);
        const value = valueOf(op);
        const inside = op.function ? `  (in ${op.function})` : '';
        out.line(`  ${where} ${firstLine(op.code, 60)}${value ? `   = ${value.repr}` : ''}${inside}`);
      }
    }
    return 0;
  },
};
