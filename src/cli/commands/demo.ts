import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NbprovError } from '../../core/errors';
import { storePath } from '../../core/store';
import { parseCommandArgs, rejectExtraPositionals } from '../args';
import type { Command, CommandContext } from '../command';
import { creditCardCsv } from '../demo/creditcardData';
import { diffCommand } from './diff';
import { lineageCommand } from './lineage';
import { plotCommand } from './plot';
import { runCommand } from './run';
import { trialsCommand } from './trials';
import { valuesCommand } from './values';

const MARKER = '.nbprov-demo';
const help = `
usage: nbprov demo [--dir DIR]

The end-to-end demo: prepares a workspace (default ./demo-workspace) with a credit-card-fraud
experiment on synthetic data (load CSV → PCA features → undersampling → train/test split →
random forest → ROC AUC and F1), runs it three times in a real kernel with different --param
values, and prints the trials, the diff of the last two, the metric across trials, the lineage of
the metric, and writes the metric's chart to DIR/auc.svg. Running it again adds three more trials.
`;

/** Three trials that move the metric: fewer and shallower trees, then more components and deeper trees. */
const TRIALS: { name: string; params: string[] }[] = [
  { name: 'baseline', params: ['n_estimators=50', 'max_depth=4'] },
  { name: 'more-trees', params: ['n_estimators=200', 'max_depth=8'] },
  { name: 'more-components', params: ['n_estimators=200', 'max_depth=8', 'n_components=16', 'normal_per_fraud=3.0'] },
];

function findDemoNotebook(): string {
  // Bundled CLI: dist/cli.js → ../examples; sources under tsx: src/cli/commands → ../../../examples.
  const candidates = [path.join(__dirname, '..', 'examples', 'fraud', 'fraud.ipynb'), path.join(__dirname, '..', '..', '..', 'examples', 'fraud', 'fraud.ipynb')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new NbprovError(`the demo notebook is missing from this installation (looked in ${candidates.join(', ')}); reinstall nbprov`);
  return found;
}

function prepare(dir: string): boolean {
  const reused = existsSync(path.join(dir, MARKER));
  if (!reused && existsSync(dir) && readdirSync(dir).length) {
    throw new NbprovError(`${dir} exists and is not an nbprov demo workspace; pass an empty or new folder with --dir`);
  }
  mkdirSync(dir, { recursive: true });
  copyFileSync(findDemoNotebook(), path.join(dir, 'fraud.ipynb'));
  writeFileSync(path.join(dir, 'creditcard.csv'), creditCardCsv());
  writeFileSync(path.join(dir, MARKER), 'created by `nbprov demo`\n');
  return reused;
}

async function step(ctx: CommandContext, title: string, command: Command, argv: string[]): Promise<void> {
  ctx.output(false).line(`\n$ nbprov ${command.name} ${argv.join(' ')}    # ${title}`);
  const code = await command.run(argv, ctx);
  if (code) throw new NbprovError(`demo step "nbprov ${command.name} ${argv.join(' ')}" failed (exit ${code}); see the message above`);
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the end-to-end fraud-detection demo (three trials)',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('demo', argv, { dir: { type: 'string' } });
    rejectExtraPositionals('demo', positionals, 0);
    const dir = path.resolve(ctx.cwd, values.dir ?? 'demo-workspace');
    const reused = prepare(dir);
    const out = ctx.output(false);
    out.line(`demo workspace: ${dir}${reused ? ' (existing: adding three more trials)' : ''}`);
    const demo: CommandContext = { ...ctx, cwd: dir };
    const ws = ['--workspace', dir];
    for (const trial of TRIALS) {
      await step(demo, `trial "${trial.name}"`, runCommand, ['fraud.ipynb', ...trial.params.flatMap((p) => ['--param', p]), '--trial', trial.name, ...ws]);
    }
    await step(demo, 'the trial history', trialsCommand, ['fraud.ipynb', ...ws]);
    await step(demo, 'what changed between the last two trials', diffCommand, [TRIALS[1].name, TRIALS[2].name, '--order', ...ws]);
    await step(demo, 'the metric across trials', valuesCommand, ['auc', ...ws]);
    await step(demo, 'where the latest auc came from', lineageCommand, ['fraud.ipynb', 'auc', ...ws]);
    await step(demo, 'chart of the metric', plotCommand, ['auc', '--out', 'auc.svg', ...ws]);
    out.line(`\ndone: ${TRIALS.length} trials recorded in ${storePath(dir)}; chart in ${path.join(dir, 'auc.svg')}`);
    return 0;
  },
};
