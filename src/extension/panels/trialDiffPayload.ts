/**
 * The Trial diff panel's data from src/core/trials (compareTrials, operationOrderDiff), in words
 * the webview shows as text. Pure: tested in plain Node.
 */
import type { JsonValue, Trial, TrialValue } from '../../core/records';
import { compareTrials, describeValue, operationOrderDiff, trialLabel, type CommonValue } from '../../core/trials';
import type { DiffRow, TrialDiffPayload, TrialInfo, ValueCell, ValueDiffRow } from '../../shared/protocol';

export function jsonText(value: JsonValue | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function info(trial: Trial): TrialInfo {
  return { id: trial.id, label: trialLabel(trial), notebook: trial.notebookPath, createdAt: trial.createdAt };
}

function cell(value: TrialValue): ValueCell {
  const out: ValueCell = { type: value.type, repr: value.repr };
  if (value.value !== undefined && !value.hash) out.value = describeValue(value);
  if (value.shape) out.shape = `(${value.shape.join(', ')})`;
  if (value.dtype !== undefined) out.dtype = typeof value.dtype === 'string' ? value.dtype : Object.entries(value.dtype).map(([k, v]) => `${k}: ${v}`).join(', ');
  if (value.hash) out.hash = value.hash;
  return out;
}

function kindOf(value: TrialValue): ValueDiffRow['kind'] {
  if (value.params) return 'model';
  if (typeof value.value === 'number' || /float|int/.test(value.type)) return 'number';
  if (value.hash || value.shape) return 'complex';
  return 'other';
}

function hyperparameters(a: TrialValue, b: TrialValue): DiffRow[] | undefined {
  if (!a.params && !b.params) return undefined;
  const pa = a.params ?? {};
  const pb = b.params ?? {};
  const rows: DiffRow[] = [];
  for (const name of [...new Set([...Object.keys(pa), ...Object.keys(pb)])].sort()) {
    const va = jsonText(pa[name]);
    const vb = jsonText(pb[name]);
    if (va !== vb) rows.push({ name, a: va, b: vb, equal: false });
  }
  return rows;
}

function commonRow(c: CommonValue): ValueDiffRow {
  const row: ValueDiffRow = { name: c.name, role: c.b.role || c.a.role, kind: kindOf(c.b), a: cell(c.a), b: cell(c.b), equal: c.equal, changes: [...c.changes] };
  if (c.delta) row.delta = c.delta;
  if (c.note) row.note = c.note;
  const hp = hyperparameters(c.a, c.b);
  if (hp) {
    row.hyperparameters = hp;
    // A bounded repr can hide a changed hyperparameter; a model compared by repr differs exactly when one does.
    if (hp.length) row.equal = false;
    else if (c.comparedBy === 'repr' && c.a.type === c.b.type) row.equal = true;
    if (c.comparedBy === 'repr') row.note = hp.length ? `${hp.length} hyperparameter${hp.length === 1 ? '' : 's'} changed` : 'same type and hyperparameters';
  }
  return row;
}

/** Injected parameters, then tagged `param` values the trial recorded, as effective values. */
function effectiveParams(trial: Trial): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [name, v] of Object.entries(trial.params)) out.set(name, jsonText(v));
  for (const [name, v] of Object.entries(trial.tagged)) if (v.role === 'param' && !out.has(name)) out.set(name, v.value !== undefined ? jsonText(v.value) : v.repr);
  return out;
}

export function buildTrialDiffPayload(a: Trial, b: Trial): TrialDiffPayload {
  const diff = compareTrials(a, b);
  const pa = effectiveParams(a);
  const pb = effectiveParams(b);
  const params: DiffRow[] = [...new Set([...pa.keys(), ...pb.keys()])].map((name) => {
    const va = pa.has(name) ? pa.get(name)! : null;
    const vb = pb.has(name) ? pb.get(name)! : null;
    return { name, a: va, b: vb, equal: pa.has(name) && pb.has(name) && va === vb };
  });
  const paramNames = new Set(params.map((p) => p.name));
  const values: ValueDiffRow[] = [
    ...diff.common.filter((c) => !(c.a.role === 'param' && paramNames.has(c.name))).map(commonRow),
    ...diff.onlyA.filter((v) => !paramNames.has(v.name)).map((v) => ({ name: v.name, role: v.value.role, kind: kindOf(v.value), a: cell(v.value), b: null, equal: false, changes: [] })),
    ...diff.onlyB.filter((v) => !paramNames.has(v.name)).map((v) => ({ name: v.name, role: v.value.role, kind: kindOf(v.value), a: null, b: cell(v.value), equal: false, changes: [] })),
  ];
  const payload: TrialDiffPayload = {
    a: info(a),
    b: info(b),
    params,
    values,
    files: diff.files.map((f) => ({ path: f.path, status: f.status, a: f.hashesA, b: f.hashesB })),
    language: { name: 'language', a: diff.environment.language.a, b: diff.environment.language.b, equal: diff.environment.language.equal },
    packages: diff.environment.packages.map((p) => ({ name: p.name, a: p.a, b: p.b, equal: false })),
    order: operationOrderDiff(a, b),
  };
  if (diff.message) payload.message = diff.message;
  return payload;
}
