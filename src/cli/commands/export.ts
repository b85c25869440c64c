import { UsageError } from '../../core/errors';
import type { ExecutionRecord, Trial } from '../../core/records';
import { exportStore } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals } from '../args';
import type { Command } from '../command';
import { writeUserFile } from '../files';
import { requireStore } from '../session';
import { escapeJsonControls } from '../../shared/controlChars';

const FORMATS = ['json', 'csv', 'prov-json'];
const help = `
usage: nbprov export [--format json|csv|prov-json] [--out FILE]

Exports the workspace store: every trial and recorded execution as JSON; one row per trial and
tagged variable as CSV; or W3C PROV-JSON (values and files as entities, executions as activities,
with used / wasGeneratedBy / wasDerivedFrom). Writes to stdout unless --out is given.
`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'export trials and executions (JSON, CSV, W3C PROV-JSON)',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('export', argv, { format: { type: 'string' }, out: { type: 'string' } });
    rejectExtraPositionals('export', positionals, 0);
    const format = values.format ?? 'json';
    if (!FORMATS.includes(format)) throw new UsageError(`--format takes ${FORMATS.join(', ')}, got "${format}"`);
    const out = ctx.output(false);
    const { store } = await requireStore(ctx.cwd, out, values.workspace);
    const trials: Trial[] = store.listTrials().map((t) => store.getTrial(t.id)!);
    const executions: ExecutionRecord[] = store.listNotebooks().flatMap((n) => store.listExecutions(n.path));
    const text = exportStore({ trials, executions }, format);
    if (!values.out) {
      out.data(text, format === 'csv' ? 'text' : 'json');
      return 0;
    }
    // JSON with C1 and bidi characters as \u escapes: the same document, safe to `cat`.
    writeUserFile(ctx.cwd, values.out, format === 'csv' ? text : escapeJsonControls(text));
    out.note(`wrote ${values.out}: ${trials.length} trial(s), ${executions.length} execution(s) as ${format}`);
    return 0;
  },
};
