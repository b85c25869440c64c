import { existsSync } from 'node:fs';
import path from 'node:path';
import { NbprovError } from '../../core/errors';
import { alignedTable, describeValue, trialLabel } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals } from '../args';
import type { Command } from '../command';
import { requireStore } from '../session';
import { notebookKey } from '../workspace';
import type { TrialsDocument } from '../../shared/cli';

const help = `
usage: nbprov trials [NOTEBOOK] [--json]

The trial history of the workspace (or of one notebook), oldest first, with each trial's tagged
values. Trials are saved by \`nbprov run\` and \`nbprov trial save\`.

options:
  --json   {"trials":[{"id","name","notebook","createdAt","tagged":{}}]}
`;

export const trialsCommand: Command = {
  name: 'trials',
  summary: 'trial history with tagged values',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('trials', argv, {});
    rejectExtraPositionals('trials', positionals, 1);
    const out = ctx.output(Boolean(values.json));
    const { workspace, store } = await requireStore(ctx.cwd, out, values.workspace, positionals[0]);
    const notebook = positionals[0] ? notebookKey(workspace, ctx.cwd, positionals[0]) : undefined;
    const trials = store.listTrials(notebook);
    if (notebook && !trials.length && !existsSync(path.resolve(ctx.cwd, positionals[0]))) {
      throw new NbprovError(`${positionals[0]}: no such notebook, and no trials were recorded for it; \`nbprov trials\` lists every trial`);
    }
    if (out.json) {
      out.document({
        trials: trials.map((t) => ({ id: t.id, name: t.name, note: t.note, notebook: t.notebookPath, createdAt: t.createdAt, sessionId: t.sessionId, tagged: t.tagged })),
      } satisfies TrialsDocument);
      return 0;
    }
    if (!trials.length) {
      out.line(notebook ? `no trials for ${notebook} yet; run it with: nbprov run ${positionals[0]}` : 'no trials yet; run a notebook with: nbprov run NOTEBOOK');
      return 0;
    }
    // Columns: the tagged names, metrics first, in order of first appearance.
    const names: string[] = [];
    for (const t of trials) for (const [name, v] of Object.entries(t.tagged)) if (!names.includes(name) && v.role === 'metric') names.push(name);
    for (const t of trials) for (const name of Object.keys(t.tagged)) if (!names.includes(name)) names.push(name);
    const shown = names.slice(0, 8);
    const rows = [
      ['trial', 'created', 'notebook', ...shown],
      ...trials.map((t) => [trialLabel(t), t.createdAt.replace('T', ' ').slice(0, 19), t.notebookPath, ...shown.map((n) => (t.tagged[n] ? describeValue(t.tagged[n]) : '—'))]),
    ];
    out.line(alignedTable(rows, { maxCellWidth: 28 }));
    if (names.length > shown.length) out.line(`(${names.length - shown.length} more tagged variables: see --json or nbprov trial show ID)`);
    out.line(`${trials.length} trial(s)`);
    return 0;
  },
};
