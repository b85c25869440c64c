import { backwardSlice } from '../../core/lineage';
import { INJECTED_PARAMETERS_CELL_ID } from '../../core/records';
import { recordedValues } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { firstLine } from '../output';
import { describeHistory, lineageOf, openNotebook } from '../session';
import type { LineageDocument } from '../../shared/cli';

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

/** `cell 3`, `injected` for the parameters cell `nbprov run` adds, `deleted cell` when it is gone. */
function cellLabel(cellIndex: number | null, cellId: string): string {
  if (cellIndex !== null) return `cell ${cellIndex}`;
  return cellId === INJECTED_PARAMETERS_CELL_ID ? 'injected' : 'deleted cell';
}

function oneLineRepr(repr: string, max = 60): string {
  const flat = repr.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

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
    const operations = slice.operations ?? [];
    const recorded = recordedValues(
      operations.map((op) => ({ executionId: op.executionId, defines: [...op.defines, ...op.mutates], needed: op.needed })),
      (id) => lineage.valuesOf(id),
      variable,
    );
    if (out.json) {
      out.document({
        variable,
        notebook: notebookPath,
        history: lineage.source,
        global: slice.global,
        // Cells of the notebook only: the injected parameters and deleted cells have no index (see executions).
        cells: slice.executions.map((e) => e.cellIndex).filter((i): i is number => i !== null),
        executions: slice.executions.map((e) => ({ id: e.id, cell: e.cellIndex, cellId: e.cellId, executionCount: e.executionCount, code: e.code })),
        operations: operations.map((op, i) => {
          const { value, values: perName } = recorded[i];
          return {
            cell: op.cellIndex,
            cellId: op.cellId,
            executionId: op.executionId,
            line: op.line,
            code: op.code,
            defines: op.defines,
            ...(op.function ? { function: op.function } : {}),
            needed: op.needed,
            ...(value ? { value: { name: value.name, type: value.type, repr: value.repr, ...(value.value !== undefined ? { value: value.value } : {}) } } : {}),
            ...(perName.length ? { values: perName.map((v) => ({ name: v.name, type: v.type, repr: v.repr, ...(v.value !== undefined ? { value: v.value } : {}) })) } : {}),
          };
        }),
      } satisfies LineageDocument);
      return 0;
    }
    const scope = slice.global ? 'every definition' : 'latest value';
    out.line(`${variable}: ${slice.executions.length} execution(s) (${scope}; ${describeHistory(lineage)})`);
    for (const e of slice.executions) {
      const count = e.executionCount === null ? '   ' : `[${e.executionCount}]`;
      out.line(`  ${cellLabel(e.cellIndex, e.cellId).padEnd(10)} ${count.padEnd(5)} ${firstLine(e.code, 70)}`);
    }
    if (slice.operations) {
      out.line('statements:');
      operations.forEach((op, i) => {
        const where = `${cellLabel(op.cellIndex, op.cellId)}:${op.line}`.padEnd(16);
        const { values: perName } = recorded[i];
        const inside = op.function ? `  (in ${op.function})` : '';
        // A statement binding one name shows its value inline; one binding several shows each name's own.
        const single = perName.length === 1 && op.defines.length + op.mutates.length === 1;
        out.line(`  ${where} ${firstLine(op.code, 60)}${single ? `   → ${oneLineRepr(perName[0].repr)}` : ''}${inside}`);
        if (!single) for (const v of perName) out.line(`  ${''.padEnd(16)}   → ${v.name} = ${oneLineRepr(v.repr)}`);
      });
    }
    return 0;
  },
};
