import { formatNumber, seriesToCsv, alignedTable } from '../../core/trials';
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
  --csv           CSV (trial, createdAt, value, repr, …) on stdout
  --json          {"variable","rows":[{trial,createdAt,value,repr}]}
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
      process.stdout.write(seriesToCsv(series));
      return 0;
    }
    const rows = [['trial', 'created', 'value'], ...series.rows.map((r) => [r.trial, r.createdAt.replace('T', ' ').slice(0, 19), typeof r.value === 'number' ? formatNumber(r.value) : r.repr])];
    out.line(`${variable} across ${series.rows.length} trial(s):`);
    out.line(alignedTable(rows, { indent: '  ', maxCellWidth: 60 }));
    return 0;
  },
};
