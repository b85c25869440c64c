/**
 * The Across-trials panel's data: one query for the variable's values across every trial
 * (`trialValueSeries`), the trials' parameters for the hover, and — for a scatter — the other
 * variable's value in the same trials. Pure over a Store: tested in plain Node with a real store.
 */
import type { Store, TrialHead } from '../../core/store';
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

/** Tagged variable names over these trials, parameters first, then by name. */
export function taggedNames(heads: readonly TrialHead[]): string[] {
  const names = new Set<string>();
  const params = new Set<string>();
  for (const h of heads) {
    for (const n of h.taggedNames) names.add(n);
    for (const n of Object.keys(h.values)) params.add(n);
  }
  return [...names].sort((a, b) => Number(params.has(b)) - Number(params.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
}

export function buildAcrossTrialsPayload(store: Store, variable: string, against: string | null = null, heads: readonly TrialHead[] = store.listTrialHeads({ roles: ['param'] })): AcrossTrialsResult {
  if (!heads.length) return { empty: noTrialsState() };
  const series = store.trialValueSeries(variable);
  const names = taggedNames(heads);
  if (!series.length) {
    const close = closestNames(variable, names);
    return {
      empty: {
        title: `"${variable}" is not tagged in any trial`,
        message: close.length
          ? `No saved trial has a value of "${variable}". Tagged variables: ${names.slice(0, 12).join(', ')} (closest: ${close.join(', ')}).`
          : `No saved trial has a value of "${variable}". Tag it in the notebook, then save a trial.`,
        action: { label: 'Tag Variable…', command: COMMANDS.tagVariable.id },
      },
    };
  }
  const byId = new Map(heads.map((h) => [h.id, h]));
  const xs = against ? new Map(store.trialValueSeries(against).map((r) => [r.trialId, r.value === undefined ? scalar(r.repr) : scalar(r.value)])) : null;
  const rows: AcrossTrialsRow[] = series.map((r) => {
    const params: Record<string, string> = {};
    const head = byId.get(r.trialId);
    if (head) for (const [name, v] of Object.entries(head.values)) params[name] = jsonText(v.value) ?? v.repr;
    const row: AcrossTrialsRow = { trialId: r.trialId, trial: r.trialName ?? r.trialId, notebook: r.notebookPath, createdAt: r.createdAt, value: scalar(r.value), repr: r.repr, type: r.type, params };
    if (r.hash) row.hash = r.hash;
    else if (r.deferred) row.deferred = r.deferred;
    if (xs) row.x = xs.has(r.trialId) ? xs.get(r.trialId)! : null;
    return row;
  });
  return { payload: { variable, role: series[series.length - 1].role, against, candidates: names.filter((n) => n !== variable), rows } };
}
