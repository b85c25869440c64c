import { backwardSlice, historyMarks, type HistoryMark } from '../../core/lineage';
import { cellStageMap } from '../../core/notebook/tags';
import { INJECTED_PARAMETERS_CELL_ID } from '../../core/records';
import { recordedValues } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { firstLine } from '../output';
import { describeHistory, lineageOf, openNotebook, type NotebookContext } from '../session';
import type { LineageDocument } from '../../shared/cli';

const help = `
usage: nbprov lineage NOTEBOOK VARIABLE [--global] [--operations] [--expand-functions] [--json]

Backward dependencies of VARIABLE: the executions (cells) that produced its value, in execution
order. The cell-level answer is a closed slice: run alone, in order, in a fresh kernel, it
reproduces the value. With a recorded session (nbprov run, the extension) it follows the full
history, re-executions and deleted cells included; otherwise the saved execution counts.

Each execution shows its cell's stage (stage:<name> cell tag) when it has one.

options:
  --global             every execution that ever defined the variable, not only the latest, grouped
                       by kernel session (its start, restarts, the trials saved from it) with the
                       time each ran; a cell that ran before with other code shows its changed
                       lines (- before, + after)
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

/** What the store knows about each execution's session, time and trials (nothing for saved histories). */
function historyFacts(session: NotebookContext) {
  const store = session.store;
  const stages = cellStageMap(session.notebook);
  if (!store) return { stageOf: (cellId: string) => stages.get(cellId) ?? null };
  const started = new Map(store.listExecutions(session.notebookKey).map((e) => [e.id, e.startedAt]));
  const trials = new Map<string, string[]>();
  for (const t of store.listTrials(session.notebookKey)) {
    if (!t.sessionId) continue;
    trials.set(t.sessionId, [...(trials.get(t.sessionId) ?? []), t.name ?? t.id]);
  }
  return {
    stageOf: (cellId: string) => stages.get(cellId) ?? null,
    startedAt: (id: string) => started.get(id),
    trialsOf: (sessionId: string) => trials.get(sessionId) ?? [],
  };
}

/** `04:10:05` of an ISO time (UTC, as recorded). */
function clock(iso: string): string {
  const match = /T(\d\d:\d\d:\d\d)/.exec(iso);
  return match ? match[1] : iso;
}

/** A line before the first execution of each session, and at a restart within one. */
function sessionHeader(session: NotebookContext, mark: HistoryMark, lastSession: string | undefined): string | null {
  if (mark.sessionId && mark.sessionId !== lastSession) {
    const record = session.store?.getSession(mark.sessionId);
    const started = record?.startedAt ?? mark.startedAt;
    const when = started ? `, kernel started ${started.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC')}` : '';
    const trials = mark.trials.length ? `, trial${mark.trials.length > 1 ? 's' : ''} ${mark.trials.map((t) => `"${t}"`).join(', ')}` : '';
    return `  ── session ${mark.sessionId.slice(0, 8)}${when}${trials} ──`;
  }
  return mark.restartBefore ? '  ── kernel restart ──' : null;
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
    const marks = historyMarks(lineage.graph, slice.executions.map((e) => e.id), historyFacts(session));
    const markOf = new Map(marks.map((m) => [m.executionId, m]));
    const stageOfCell = cellStageMap(session.notebook);
    if (out.json) {
      out.document({
        variable,
        notebook: notebookPath,
        history: lineage.source,
        global: slice.global,
        // Cells of the notebook only: the injected parameters and deleted cells have no index (see executions).
        cells: slice.executions.map((e) => e.cellIndex).filter((i): i is number => i !== null),
        executions: slice.executions.map((e) => {
          const m = markOf.get(e.id)!;
          return {
            id: e.id,
            cell: e.cellIndex,
            cellId: e.cellId,
            executionCount: e.executionCount,
            code: e.code,
            ...(m.stage ? { stage: m.stage } : {}),
            ...(m.sessionId ? { sessionId: m.sessionId } : {}),
            segment: m.segment,
            restartBefore: m.restartBefore,
            ...(m.startedAt ? { startedAt: m.startedAt } : {}),
            trials: m.trials,
            ...(m.edited ? { edited: m.edited } : {}),
          };
        }),
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
            ...(stageOfCell.get(op.cellId) ? { stage: stageOfCell.get(op.cellId) } : {}),
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
    let lastSession: string | undefined;
    for (const e of slice.executions) {
      const mark = markOf.get(e.id)!;
      if (slice.global) {
        const header = sessionHeader(session, mark, lastSession);
        if (header) out.line(header);
        lastSession = mark.sessionId;
      }
      const count = e.executionCount === null ? '   ' : `[${e.executionCount}]`;
      const time = slice.global && mark.startedAt ? `${clock(mark.startedAt)} ` : '';
      const stage = mark.stage ? `(${mark.stage}) ` : '';
      out.line(`  ${cellLabel(e.cellIndex, e.cellId).padEnd(10)} ${count.padEnd(5)} ${time}${stage}${firstLine(e.code, 70)}`);
      if (slice.global && mark.edited) {
        out.line(`  ${''.padEnd(16)} edited since its previous run:`);
        for (const change of mark.edited.changes) out.line(`  ${''.padEnd(16)} ${change.kind === 'added' ? '+' : '-'} ${change.line}`);
      }
    }
    if (slice.operations) {
      out.line('statements:');
      operations.forEach((op, i) => {
        const where = `${cellLabel(op.cellIndex, op.cellId)}:${op.line}`.padEnd(16);
        const stage = stageOfCell.get(op.cellId);
        const { values: perName } = recorded[i];
        const inside = op.function ? `  (in ${op.function})` : '';
        // A statement binding one name shows its value inline; one binding several shows each name's own.
        const single = perName.length === 1 && op.defines.length + op.mutates.length === 1;
        out.line(`  ${where} ${stage ? `(${stage}) ` : ''}${firstLine(op.code, 60)}${single ? `   → ${oneLineRepr(perName[0].repr)}` : ''}${inside}`);
        if (!single) for (const v of perName) out.line(`  ${''.padEnd(16)}   → ${v.name} = ${oneLineRepr(v.repr)}`);
      });
    }
    return 0;
  },
};
