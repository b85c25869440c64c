import { formatNumber, rowText, seriesToCsv, alignedTable } from '../../core/trials';
import { terminalWidth } from '../terminalWidth';
import { UsageError } from '../../core/errors';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { loadSeries } from '../seriesLookup';
import { requireStore } from '../session';
import { notebookKey } from '../workspace';
import type { ValuesDocument } from '../../shared/cli';

const help = `
usage: nbprov values VARIABLE [--notebook NB] [--csv] [--json]

A tagged variable's value in every trial, oldest first.

options:
  --notebook NB   only trials of that notebook
  --csv           CSV (trial, notebook, created_at, value, repr, type, hash) on stdout
  --json          {"variable","rows":[{trial,notebook,createdAt,value,repr,hash?}]}
`;

export const valuesCommand: Command = {
  name: 'values',
  summary: 'a tagged variable across trials (table, CSV, JSON)',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('values', argv, { csv: { type: 'boolean' }, notebook: { type: 'string' } });
    const variable = requirePositional('values', positionals, 0, 'VARIABLE');
    rejectExtraPositionals('values', positionals, 1);
    if (values.csv && values.json) throw new UsageError('--csv and --json are two output formats; pick one');
    const out = ctx.output(Boolean(values.json));
    const { workspace, store } = await requireStore(ctx.cwd, out, values.workspace, values.notebook);
    const series = loadSeries(store, variable, values.notebook ? notebookKey(workspace, ctx.cwd, values.notebook) : undefined);
    if (out.json) {
      out.document(series satisfies ValuesDocument);
      return 0;
    }
    if (values.csv) {
      out.data(seriesToCsv(series), 'text');
      return 0;
    }
    const rows = [['trial', 'notebook', 'created', 'value'], ...series.rows.map((r) => [r.trial, r.notebook ?? '', r.createdAt.replace('T', ' ').slice(0, 19), rowText(r, formatNumber)])];
    out.line(`${variable} across ${series.rows.length} trial(s):`);
    // Cut to the terminal's width, widest column (a repr) first; its short hash leads, so it stays.
    out.line(alignedTable(rows, { indent: '  ', maxCellWidth: 80, width: terminalWidth(ctx.env), keep: [0] }));
    return 0;
  },
};
