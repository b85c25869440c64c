import type { JsonValue } from '../records';
import type { CommonValue, TrialDiff, TrialRef } from './compare';
import { describeValue } from './describeValue';
import { notComparedShort } from './valueDiff';
import { trialLabel } from './resolve';
import { alignedTable } from './table';
import { truncateToWidth } from './textWidth';

function label(trial: TrialRef): string {
  return trialLabel(trial);
}

function signed(n: number): string {
  let digits = Math.abs(n).toPrecision(4);
  if (digits.includes('.') && !digits.includes('e')) digits = digits.replace(/0+$/, '').replace(/\.$/, '');
  return `${n >= 0 ? '+' : '−'}${digits}`;
}

function jsonText(value: JsonValue | undefined): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

/** `n_estimators 30 → 60, max_depth 3 → 5` (a side without the hyperparameter shows —). */
export function hyperparameterChanges(model: NonNullable<CommonValue['model']>): string {
  return model.hyperparameters.map((h) => `${h.name} ${jsonText(h.a)} → ${jsonText(h.b)}`).join(', ');
}

/** `dtype V1 float64 → object` per changed column, or `dtype int64 → float64`. */
function dtypeChange(entry: CommonValue): string {
  if (!entry.dtypes?.length) return 'dtype changed';
  return entry.dtypes.map((d) => `dtype ${d.column !== undefined ? `${d.column} ` : ''}${d.a ?? '?'} → ${d.b ?? '?'}`).join(', ');
}

/** The result column of a compared value: equal or changed, and what changed. */
export function verdict(entry: CommonValue): string {
  if (entry.comparedBy === 'none' && entry.notCompared) return `not compared: ${notComparedShort(entry.notCompared)}`;
  const parts: string[] = [entry.equal ? 'equal' : 'changed'];
  if (entry.model) {
    if (entry.model.hyperparameters.length) parts.push(`hyperparameters ${hyperparameterChanges(entry.model)}`);
    else parts.push(entry.model.verdict);
  }
  if (!entry.equal && entry.delta?.absolute != null) {
    const relative = entry.delta.relative != null ? ` (${signed(entry.delta.relative * 100)}%)` : '';
    parts.push(`${signed(entry.delta.absolute)}${relative}`);
  }
  if (entry.comparedBy === 'hash' && !entry.model) parts.push('by hash');
  for (const change of entry.changes) {
    if (change === 'shape') parts.push(`shape (${entry.a.shape?.join(', ') ?? '?'}) → (${entry.b.shape?.join(', ') ?? '?'})`);
    else if (change === 'columns' && entry.columns) {
      const added = entry.columns.added.map((c) => `+${c}`);
      const removed = entry.columns.removed.map((c) => `−${c}`);
      parts.push(`columns ${[...added, ...removed].join(' ') || 'reordered'}`);
    } else if (change === 'type') parts.push(`type ${entry.a.type} → ${entry.b.type}`);
    else if (change === 'dtype') parts.push(dtypeChange(entry));
    else parts.push(`${change} changed`);
  }
  return parts.join(', ');
}

/** A parameter's effective value with where it came from: `10 (notebook)`, `16 (injected)`. */
export function paramSide(value: JsonValue | undefined, repr: string | undefined, source: string | undefined): string {
  if (!source) return '—';
  return `${repr ?? (value !== undefined ? JSON.stringify(value) : '?')} (${source})`;
}

function header(side: string, trial: TrialRef, width: number | undefined): string {
  const id = trial.name !== null && trial.name !== trial.id ? `${trial.id}, ` : '';
  const line = `${side}: ${label(trial)}  (${id}${trial.notebookPath}, ${trial.createdAt})`;
  return width === undefined ? line : truncateToWidth(line, width);
}

/** The human-readable rendering of a trial diff (what `nbprov diff` prints without --json). */
export function formatTrialDiff(diff: TrialDiff, options: { order?: string; width?: number } = {}): string {
  const { width } = options;
  const a = label(diff.trialA);
  const b = label(diff.trialB);
  const out: string[] = [
    header('A', diff.trialA, width),
    header('B', diff.trialB, width),
    '',
  ];
  if (diff.nothingInCommon) out.push(diff.message ?? 'the trials share no tagged variable', '');
  else {
    const rows = [['variable', 'role', `A: ${a}`, `B: ${b}`, 'result']];
    const side = (v: CommonValue['a']) => truncateToWidth(describeValue(v), 40);
    for (const entry of diff.common) rows.push([entry.name, entry.b.role, side(entry.a), side(entry.b), verdict(entry)]);
    // The verdict says what changed: the values' descriptions are cut first to fit the width.
    out.push(alignedTable(rows, { maxCellWidth: 200, width, keep: [4] }), '');
  }
  if (diff.onlyA.length) out.push(`Only in A:`, alignedTable(diff.onlyA.map((v) => [v.name, v.value.role, describeValue(v.value)]), { indent: '  ', width }), '');
  if (diff.onlyB.length) out.push(`Only in B:`, alignedTable(diff.onlyB.map((v) => [v.name, v.value.role, describeValue(v.value)]), { indent: '  ', width }), '');
  if (diff.params.length)
    out.push(
      'Parameters (the value each trial used: injected, or the notebook\'s parameters cell):',
      alignedTable([['', `A: ${a}`, `B: ${b}`, ''], ...diff.params.map((p) => [p.name, paramSide(p.a, p.reprA, p.sourceA), paramSide(p.b, p.reprB, p.sourceB), p.equal ? 'equal' : 'changed'])], { indent: '  ', width, keep: [0, 3] }),
      '',
    );
  const files = diff.files.filter((f) => f.status !== 'same');
  if (files.length) {
    const hashes = (h: string[]) => (h.length ? h.map((x) => x.slice(0, 8)).join(',') : '—');
    out.push('Files read that differ:', alignedTable(files.map((f) => [f.path, f.status, `${hashes(f.hashesA)} → ${hashes(f.hashesB)}`]), { indent: '  ', maxCellWidth: 80, width }), '');
  }
  const env = diff.environment;
  if (!env.language.equal || env.packages.length) {
    const rows: string[][] = [];
    if (!env.language.equal) rows.push(['language', env.language.a ?? '—', '→', env.language.b ?? '—']);
    for (const p of env.packages) rows.push([p.name, p.a ?? '—', '→', p.b ?? '—']);
    out.push('Environment:', alignedTable(rows, { indent: '  ' }), '');
  }
  const notes = diff.common.filter((entry) => entry.note).map((entry) => `  ${entry.name}: ${entry.note}`);
  if (notes.length) out.push('Notes:', ...notes, '');
  if (options.order !== undefined) out.push('Operation order:', options.order.trimEnd() || '(identical)', '');
  return out.join('\n').trimEnd() + '\n';
}
