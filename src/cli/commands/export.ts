import { UsageError } from '../../core/errors';
import type { ExecutionRecord, Trial } from '../../core/records';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createAnalyzer, type FactsCache } from '../../core/analysis';
import { cellStage } from '../../core/notebook/tags';
import type { Store } from '../../core/store';
import { exportStore, provLineageOf, type ProvLineage } from '../../core/trials';
import { readNotebookArg } from '../files';
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
    const { workspace, store } = await requireStore(ctx.cwd, out, values.workspace);
    const trials: Trial[] = store.listTrials().map((t) => store.getTrial(t.id)!);
    const executions: ExecutionRecord[] = store.listNotebooks().flatMap((n) => store.listExecutions(n.path));
    const text = exportStore(format === 'prov-json' ? { trials, executions, ...(await provContext(store, workspace, executions)) } : { trials, executions }, format);
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

/** What PROV needs beyond the records: each notebook's lineage (reads, derivations) and its cell stages. */
async function provContext(store: Store, workspace: string, executions: ExecutionRecord[]): Promise<{ lineage: ProvLineage; stages: Record<string, Record<string, string>> }> {
  const analyzer = await createAnalyzer();
  // Facts are read from the store, never written: an export does not change the store.
  const facts: FactsCache = { getFacts: (key) => store.getFacts(key), putFacts: () => undefined };
  const lineage = provLineageOf(executions, analyzer, facts);
  const stages: Record<string, Record<string, string>> = {};
  for (const key of new Set(executions.map((e) => e.notebookPath))) {
    const file = path.resolve(workspace, key);
    if (!existsSync(file)) continue;
    try {
      const { notebook } = readNotebookArg(workspace, file);
      for (const cell of notebook.cells) {
        const stage = cellStage(cell.tags);
        if (stage) (stages[key] ??= {})[cell.id] = stage;
      }
    } catch {
      // A notebook that cannot be read now only loses its stages in the export.
    }
  }
  return { lineage, stages };
}
