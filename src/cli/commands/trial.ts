import { createAnalyzer } from '../../core/analysis';
import { UsageError } from '../../core/errors';
import { describeValue, effectiveParams, statsText, operationListing, paramText, renameTrialUnique, trialFromSession, trialLabel } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command, CommandContext } from '../command';
import { readNotebookArg } from '../files';
import type { Output } from '../output';
import { requireStore } from '../session';
import { findTrial } from '../trialLookup';
import { notebookKey } from '../workspace';
import type { TrialSaveDocument, TrialShowDocument, TrialUpdateDocument } from '../../shared/cli';

const help = `
usage: nbprov trial save NOTEBOOK [--name NAME] [--note TEXT]   snapshot the notebook's latest recorded session
       nbprov trial show TRIAL                                  values, lineage, files and environment of a trial
       nbprov trial rename TRIAL NAME
       nbprov trial note TRIAL TEXT                              ("" clears the note)
       nbprov trial delete TRIAL

TRIAL is a trial id, a unique id prefix, or a trial name (the latest trial of that name).
`;

const SUBCOMMANDS = ['save', 'show', 'rename', 'note', 'delete'];

export const trialCommand: Command = {
  name: 'trial',
  summary: 'save, show, rename, annotate or delete a trial',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('trial', argv, { name: { type: 'string' }, note: { type: 'string' } });
    const sub = requirePositional('trial', positionals, 0, `a subcommand (${SUBCOMMANDS.join(', ')})`);
    if (!SUBCOMMANDS.includes(sub)) throw new UsageError(`unknown trial subcommand "${sub}"; use one of ${SUBCOMMANDS.join(', ')}`);
    const out = ctx.output(Boolean(values.json));
    if (sub === 'save') return save(positionals, values, ctx, out);
    const { store } = await requireStore(ctx.cwd, out, values.workspace);
    const trial = findTrial(store, requirePositional('trial', positionals, 1, 'TRIAL (id, id prefix or name)'));
    if (sub === 'show') {
      rejectExtraPositionals('trial', positionals, 2);
      if (out.json) out.document(trial satisfies TrialShowDocument);
      else printTrial(out, trial);
      return 0;
    }
    if (sub === 'delete') {
      rejectExtraPositionals('trial', positionals, 2);
      store.deleteTrial(trial.id);
    } else {
      rejectExtraPositionals('trial', positionals, 3);
      // An empty TEXT is allowed for notes: it clears the note (an empty NAME is still missing).
      const text = sub === 'rename' ? requirePositional('trial', positionals, 2, 'NAME') : positionals[2];
      if (text === undefined) throw new UsageError('missing TEXT (use "" to clear the note); usage: see nbprov trial --help');
      if (sub === 'rename') renameTrialUnique(store, trial.id, text.trim() || null);
      else store.setTrialNote(trial.id, text.trim() || null);
    }
    await store.save();
    if (out.json) out.document((sub === 'delete' ? { id: trial.id, deleted: true } : { id: trial.id, updated: true }) satisfies TrialUpdateDocument);
    else out.line(`${sub === 'delete' ? 'deleted' : 'updated'} trial ${trialLabel(trial)} (${trial.id})`);
    return 0;
  },
};

async function save(positionals: string[], values: { name?: string; note?: string; workspace?: string }, ctx: CommandContext, out: Output): Promise<number> {
  const notebookArg = requirePositional('trial', positionals, 1, 'NOTEBOOK');
  rejectExtraPositionals('trial', positionals, 2);
  const { notebook } = readNotebookArg(ctx.cwd, notebookArg);
  const { workspace, store } = await requireStore(ctx.cwd, out, values.workspace, notebookArg);
  const key = notebookKey(workspace, ctx.cwd, notebookArg);
  const trial = trialFromSession({ store, notebook, notebookKey: key, analyzer: await createAnalyzer(), name: values.name ?? null, note: values.note ?? null });
  store.saveTrial(trial);
  await store.save();
  if (out.json) out.document({ trial: { id: trial.id, name: trial.name }, tagged: trial.tagged, missing: trial.missing } satisfies TrialSaveDocument);
  else {
    out.line(`saved trial ${trialLabel(trial)} (${trial.id}) from session ${trial.sessionId}`);
    if (trial.nameTakenBy) out.line(`  the name "${trial.nameTakenBy.name}" is taken by trial ${trial.nameTakenBy.id}, so this one is "${trial.name}"`);
    if (trial.missing.length) out.line(`  not recorded in that session: ${trial.missing.join(', ')}`);
  }
  return 0;
}

function printTrial(out: Output, trial: ReturnType<typeof findTrial>): void {
  out.line(`trial ${trialLabel(trial)}  (${trial.id})`);
  out.line(`  notebook ${trial.notebookPath}, created ${trial.createdAt}${trial.note ? `\n  note: ${trial.note}` : ''}`);
  const params = Object.entries(effectiveParams(trial));
  if (params.length) out.line(`  params: ${params.map(([k, p]) => `${k}=${paramText(p)}${p.source === 'injected' ? ' (injected)' : ''}`).join(' ')}`);
  out.line('tagged values:');
  for (const [name, v] of Object.entries(trial.tagged)) {
    out.line(`  ${name.padEnd(18)} ${v.role.padEnd(8)} ${describeValue(v)}`);
    const stats = statsText(v);
    if (stats) out.line(`  ${''.padEnd(18)} ${''.padEnd(8)} ${stats}`);
  }
  if (trial.files.length) {
    out.line('files read:');
    for (const f of trial.files) out.line(`  ${f.path}  ${f.hashBefore ?? f.hashAfter ?? ''}`);
  }
  if (trial.environment) {
    const packages = Object.entries(trial.environment.packages).map(([p, v]) => `${p} ${v}`);
    out.line(`environment: ${trial.environment.language} ${trial.environment.languageVersion}; ${packages.slice(0, 12).join(', ')}${packages.length > 12 ? ', …' : ''}`);
  }
  const stages = [...new Set(trial.executions.flatMap((e) => (e.stage ? [e.stage] : [])))];
  if (stages.length) out.line(`stages: ${stages.join(' → ')}`);
  out.line(`operations (lineage of the tagged variables, in execution order${stages.length ? ', by stage' : ''}):`);
  out.line(operationListing(trial).replace(/^/gm, '  '));
}
