import { UsageError } from '../../core/errors';
import { renderSeriesSvg } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { writeUserFile } from '../files';
import { loadSeries } from '../seriesLookup';
import { requireStore } from '../session';
import { notebookKey } from '../workspace';
import type { PlotDocument } from '../../shared/cli';

const help = `
usage: nbprov plot VARIABLE --out FILE.svg [--notebook NB] [--x auto|order|time] [--json]

Charts a tagged variable across trials as a standalone SVG: a line chart for numbers (NaN and
infinities shown as marked gaps), a categorical chart for strings.

options:
  --out FILE.svg   where to write the chart
  --notebook NB    only trials of that notebook
  --x MODE         x axis: trial order, creation time, or auto (time unless trials crowd together)
`;

export const plotCommand: Command = {
  name: 'plot',
  summary: 'chart a tagged variable across trials (SVG)',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('plot', argv, { out: { type: 'string' }, notebook: { type: 'string' }, x: { type: 'string' } });
    const variable = requirePositional('plot', positionals, 0, 'VARIABLE');
    rejectExtraPositionals('plot', positionals, 1);
    if (!values.out) throw new UsageError('missing --out FILE.svg (where to write the chart); see: nbprov plot --help');
    const xAxis = values.x ?? 'auto';
    if (xAxis !== 'auto' && xAxis !== 'order' && xAxis !== 'time') throw new UsageError(`--x takes auto, order or time, got "${xAxis}"`);
    const out = ctx.output(Boolean(values.json));
    const { workspace, store } = await requireStore(ctx.cwd, out, values.workspace, values.notebook);
    const series = loadSeries(store, variable, values.notebook ? notebookKey(workspace, ctx.cwd, values.notebook) : undefined);
    const svg = renderSeriesSvg(series, { xAxis });
    const file = writeUserFile(ctx.cwd, values.out, svg);
    if (out.json) out.document({ variable, trials: series.rows.length, out: file } satisfies PlotDocument);
    else out.line(`wrote ${values.out}: ${variable} across ${series.rows.length} trial(s)`);
    return 0;
  },
};
