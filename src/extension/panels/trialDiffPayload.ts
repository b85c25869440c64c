/**
 * The Trial diff panel's data from src/core/trials (compareTrials, operationOrderDiff), in words
 * the webview shows as text. Pure: tested in plain Node.
 */
import type { JsonValue, Trial, TrialValue } from '../../core/records';
import { compareTrials, describeValue, hashNote, notComparedShort, operationOrderDiff, trialLabel, type CommonValue } from '../../core/trials';
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
  const note = hashNote(value);
  if (note) out.hashNote = note;
  return out;
}

function kindOf(value: TrialValue): ValueDiffRow['kind'] {
  if (value.params) return 'model';
  if (typeof value.value === 'number' || /float|int/.test(value.type)) return 'number';
  if (value.hash || value.shape) return 'complex';
  return 'other';
}

function commonRow(c: CommonValue): ValueDiffRow {
  const row: ValueDiffRow = { name: c.name, role: c.b.role || c.a.role, kind: kindOf(c.b), a: cell(c.a), b: cell(c.b), equal: c.equal, changes: [...c.changes] };
  if (c.delta) row.delta = c.delta;
  if (c.note) row.note = c.note;
  if (c.comparedBy === 'none' && c.notCompared) row.notCompared = notComparedShort(c.notCompared);
  if (c.model) {
    // Core's model verdict: the hyperparameters that changed, else whether the fitted state did.
    row.hyperparameters = c.model.hyperparameters.map((h) => ({ name: h.name, a: jsonText(h.a), b: jsonText(h.b), equal: false }));
    row.note = c.model.hyperparameters.length ? `${c.model.hyperparameters.length} hyperparameter${c.model.hyperparameters.length === 1 ? '' : 's'} changed` : c.model.verdict;
  }
  if (c.dtypes?.length) row.changes = row.changes.map((ch) => (ch === 'dtype' ? c.dtypes!.map((d) => `dtype ${d.column !== undefined ? `${d.column} ` : ''}${d.a ?? '?'} → ${d.b ?? '?'}`).join(', ') : ch));
  return row;
}

export function buildTrialDiffPayload(a: Trial, b: Trial): TrialDiffPayload {
  const diff = compareTrials(a, b);
  // Effective parameters (core's rule): injected, else the parameters cell's own value, with the source.
  const side = (value: JsonValue | undefined, repr: string | undefined, source: string | undefined) => (source ? `${repr ?? (value !== undefined ? jsonText(value) : '?')} (${source})` : null);
  const params: DiffRow[] = diff.params.map((p) => ({ name: p.name, a: side(p.a, p.reprA, p.sourceA), b: side(p.b, p.reprB, p.sourceB), equal: p.equal }));
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
