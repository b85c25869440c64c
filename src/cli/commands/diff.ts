import { compareTrials, formatTrialDiff, operationOrderDiff } from '../../core/trials';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command } from '../command';
import { requireStore } from '../session';
import { findTrial } from '../trialLookup';
import { terminalWidth } from '../terminalWidth';
import type { DiffDocument } from '../../shared/cli';

const help = `
usage: nbprov diff TRIAL_A TRIAL_B [--order] [--json]

Compares two trials (by id, unique id prefix, or name): the tagged variables both have (equal or
changed, with numeric deltas; data frames and arrays compared by content hash with shape, dtype
per column and columns; models by the hyperparameters that changed, else "same model" or "same
hyperparameters, different fitted state"), variables only in one, the parameters each trial used
(injected, or the notebook's parameters cell), files read (a changed dataset shows even under the
same name) and package versions. Text output fits the terminal (or $COLUMNS).

options:
  --order   also the operation-order diff: both trials' lineage statements as a unified diff,
            grouped by cell stage
  --json    {"common":[{name,a,b,equal,model?}],"onlyA":[],"onlyB":[],"params":[{name,a,b,sourceA,sourceB}],
            "order":"<unified diff>"?}
`;

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two trials: values, parameters, files, operation order',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('diff', argv, { order: { type: 'boolean' } });
    const refA = requirePositional('diff', positionals, 0, 'TRIAL_A');
    const refB = requirePositional('diff', positionals, 1, 'TRIAL_B');
    rejectExtraPositionals('diff', positionals, 2);
    const out = ctx.output(Boolean(values.json));
    const { store } = await requireStore(ctx.cwd, out, values.workspace);
    const a = findTrial(store, refA);
    const b = findTrial(store, refB);
    const diff = compareTrials(a, b);
    const order = values.order ? operationOrderDiff(a, b) : undefined;
    if (out.json) {
      out.document({ ...diff, ...(order !== undefined ? { order } : {}) } satisfies DiffDocument);
      return 0;
    }
    out.line(formatTrialDiff(diff, { order, width: terminalWidth(ctx.env) }));
    return 0;
  },
};
