/**
 * The Across-trials panel's data: one query for the variable's values across every trial
 * (`trialValueSeries`), the trials' parameters for the hover, and — for a scatter — the other
 * variable's value in the same trials. Pure over a Store: tested in plain Node with a real store.
 */
import type { TrialSummary } from '../../core/store';
import type { Store } from '../../core/store';
import { closestNames } from '../../core/errors';
import type { AcrossTrialsPayload, AcrossTrialsRow, EmptyState } from '../../shared/protocol';
import { COMMANDS } from '../commands';
import { jsonText } from './trialDiffPayload';

export type AcrossTrialsResult = { payload: AcrossTrialsPayload } | { empty: EmptyState };

type Scalar = string | number | boolean | null;

function scalar(value: unknown): Scalar {
  return value === undefined || value === null ? null : typeof value === 'object' ? JSON.stringify(value) : (value as Scalar);
}

export function noTrialsState(): EmptyState {
  return {
    title: 'No trials yet',
    message: 'Nothing to chart: no trial is saved in this workspace. Tag a metric, run the notebook and save a trial.',
    action: { label: 'Save Trial…', command: COMMANDS.saveTrial.id },
  };
}

export function nothingTaggedState(): EmptyState {
  return {
    title: 'No tagged variable',
    message: 'Trials are saved, but none has a tagged variable to chart. Tag a metric or parameter in the notebook (cursor on the name), then save a trial.',
    action: { label: 'Tag Variable…', command: COMMANDS.tagVariable.id },
  };
}

/** Tagged variable names over these trials, with their most common role. */
export function taggedVariables(trials: readonly TrialSummary[]): Map<string, string> {
  const roles = new Map<string, string>();
  for (const t of trials) for (const [name, v] of Object.entries(t.tagged)) if (!roles.has(name)) roles.set(name, v.role);
  return roles;
}

export function buildAcrossTrialsPayload(store: Store, variable: string, against: string | null = null, trials: readonly TrialSummary[] = store.listTrials()): AcrossTrialsResult {
  if (!trials.length) return { empty: noTrialsState() };
  const series = store.trialValueSeries(variable);
  const tagged = taggedVariables(trials);
  if (!series.length) {
    const close = closestNames(variable, tagged.keys());
    return {
      empty: {
        title: `"${variable}" is not tagged in any trial`,
        message: close.length
          ? `No saved trial has a value of "${variable}". Tagged variables: ${[...tagged.keys()].slice(0, 12).join(', ')} (closest: ${close.join(', ')}).`
          : `No saved trial has a value of "${variable}". Tag it in the notebook, then save a trial.`,
        action: { label: 'Tag Variable…', command: COMMANDS.tagVariable.id },
      },
    };
  }
  const byId = new Map(trials.map((t) => [t.id, t]));
  const xs = against ? new Map(store.trialValueSeries(against).map((r) => [r.trialId, r.value === undefined ? scalar(r.repr) : scalar(r.value)])) : null;
  const rows: AcrossTrialsRow[] = series.map((r) => {
    const params: Record<string, string> = {};
    const summary = byId.get(r.trialId);
    if (summary) for (const [name, v] of Object.entries(summary.tagged)) if (v.role === 'param') params[name] = jsonText(v.value) ?? v.repr;
    const row: AcrossTrialsRow = { trialId: r.trialId, trial: r.trialName ?? r.trialId, notebook: r.notebookPath, createdAt: r.createdAt, value: scalar(r.value), repr: r.repr, type: r.type, params };
    if (r.hash) row.hash = r.hash;
    if (xs) row.x = xs.has(r.trialId) ? xs.get(r.trialId)! : null;
    return row;
  });
  const candidates = [...tagged.entries()]
    .filter(([name]) => name !== variable)
    .sort(([na, ra], [nb, rb]) => Number(rb === 'param') - Number(ra === 'param') || (na < nb ? -1 : na > nb ? 1 : 0))
    .map(([name]) => name);
  return { payload: { variable, role: series[series.length - 1].role, against, candidates, rows } };
}
