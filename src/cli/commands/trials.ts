import { existsSync } from 'node:fs';
import path from 'node:path';
import { NbprovError } from '../../core/errors';
import { alignedTable, describeValue, trialLabel } from '../../core/trials';
import { displayWidth } from '../../core/trials/textWidth';
import { parseCommandArgs, rejectExtraPositionals } from '../args';
import type { Command } from '../command';
import { requireStore } from '../session';
import { notebookKey } from '../workspace';
import type { TrialsDocument } from '../../shared/cli';
import type { TrialSummary } from '../../core/store';
import type { TrialValue } from '../../core/records';
import { terminalWidth } from '../terminalWidth';

const MIN_COLUMN = 10;

/** A value in a cell: complex ones led by their short hash, which survives the cut to fit. */
function cellText(v: TrialValue): string {
  const text = describeValue(v);
  if (!v.hash) return text;
  const short = `#${v.hash.slice(0, 8)}`;
  return `${short} ${text.replace(` ${short}`, '')}`;
}

/**
 * Trial, time, notebook, then the tagged parameters, metrics and the rest. To fit the width the
 * widest values (reprs) are cut first; whole columns are dropped from the right only when even
 * cut columns do not fit, and parameters and metrics are the last to go.
 */
function trialsTable(trials: TrialSummary[], width: number | undefined): string {
  const byRole = (role: string | null) => {
    const names: string[] = [];
    for (const t of trials)
      for (const [name, v] of Object.entries(t.tagged)) if (!names.includes(name) && (role === null ? v.role !== 'param' && v.role !== 'metric' : v.role === role)) names.push(name);
    return names;
  };
  const params = byRole('param');
  const metrics = byRole('metric').filter((n) => !params.includes(n));
  const others = byRole(null).filter((n) => !params.includes(n) && !metrics.includes(n));
  let names = [...params, ...metrics, ...others];
  const header = (shown: string[]) => ['trial', 'created', 'notebook', ...shown];
  const body = (shown: string[]) => trials.map((t) => [trialLabel(t), t.createdAt.replace('T', ' ').slice(0, 19), t.notebookPath, ...shown.map((n) => (t.tagged[n] ? cellText(t.tagged[n]) : '—'))]);
  // The trial, its time and notebook, the parameters and the metrics keep their width; other
  // values (reprs) are cut to MIN_COLUMN first, then dropped from the right, metrics after them.
  const kept = (shown: string[]) => [0, 1, 2, ...shown.flatMap((n, i) => (params.includes(n) || metrics.includes(n) ? [3 + i] : []))];
  const minimum = (shown: string[]) => {
    const rows = [header(shown), ...body(shown)];
    const keep = kept(shown);
    return rows[0].reduce((sum, _, i) => {
      const natural = Math.min(40, Math.max(...rows.map((r) => displayWidth(r[i]))));
      return sum + (keep.includes(i) ? natural : Math.min(MIN_COLUMN, natural)) + 2;
    }, -2);
  };
  const dropped: string[] = [];
  while (width !== undefined && names.length && minimum(names) > width) {
    const drop = others.length ? others.pop()! : metrics.length ? metrics.pop()! : params.pop()!;
    dropped.unshift(drop);
    names = [...params, ...metrics, ...others];
  }
  const table = alignedTable([header(names), ...body(names)], { maxCellWidth: 40, width, keep: kept(names) });
  return dropped.length ? `${table}\n(not shown to fit ${width} columns: ${dropped.join(', ')}; see --json or nbprov trial show ID)` : table;
}

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
    out.line(trialsTable(trials, terminalWidth(ctx.env)));
    out.line(`${trials.length} trial(s)`);
    return 0;
  },
};
