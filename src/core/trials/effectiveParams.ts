/**
 * The parameter values a trial actually used: what was injected (`--param`, Run as Trial), else the
 * `parameters` cell's own value. Diffs and tables show these, with where each came from, so a
 * parameter left at its default reads "10 (notebook)" rather than "—".
 */
import type { EffectiveParam, JsonValue, Trial, ValueSummary } from '../records';

function reprOf(value: JsonValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/** Injected parameters over the parameters cell's recorded values (modules and functions left out). */
export function effectiveParamsOf(injected: Record<string, JsonValue>, defaults: readonly ValueSummary[]): Record<string, EffectiveParam> {
  const out: Record<string, EffectiveParam> = {};
  for (const v of defaults) {
    if (v.type === 'module' || v.type === 'function' || v.type === 'type') continue;
    out[v.name] = { ...(v.value !== undefined ? { value: v.value } : {}), repr: v.repr, source: 'notebook' };
  }
  for (const [name, value] of Object.entries(injected)) out[name] = { value, repr: reprOf(value), source: 'injected' };
  return out;
}

/**
 * A trial's effective parameters: as recorded when it was saved; for trials saved before that was
 * recorded, the injected ones and then the tagged `param` values (what the run bound, not injected).
 */
export function effectiveParams(trial: Pick<Trial, 'params' | 'tagged' | 'effectiveParams'>): Record<string, EffectiveParam> {
  if (trial.effectiveParams) return trial.effectiveParams;
  const out: Record<string, EffectiveParam> = {};
  for (const [name, value] of Object.entries(trial.params)) out[name] = { value, repr: reprOf(value), source: 'injected' };
  for (const [name, v] of Object.entries(trial.tagged)) {
    if (v.role !== 'param' || out[name]) continue;
    out[name] = { ...(v.value !== undefined ? { value: v.value } : {}), repr: v.repr, source: 'notebook' };
  }
  return out;
}

/** A parameter's value as text: its repr (Python's for the notebook's own, JSON for injected ones), so 1.0 stays 1.0. */
export function paramText(p: EffectiveParam | undefined): string {
  return p ? p.repr : '—';
}
