import type { JsonValue } from '../records';
import type { CommonValue, TrialDiff, TrialRef } from './compare';
import { describeValue } from './describeValue';
import { trialLabel } from './resolve';
import { alignedTable } from './table';

function label(trial: TrialRef): string {
  return trialLabel(trial);
}

function signed(n: number): string {
  let digits = Math.abs(n).toPrecision(4);
  if (digits.includes('.') && !digits.includes('e')) digits = digits.replace(/0+$/, '').replace(/\.$/, '');
  return `${n >= 0 ? '+' : '−'}${digits}`;
}

function verdict(entry: CommonValue): string {
  const parts: string[] = [entry.equal ? 'equal' : 'changed'];
  if (!entry.equal && entry.delta?.absolute != null) {
    const relative = entry.delta.relative != null ? ` (${signed(entry.delta.relative * 100)}%)` : '';
    parts.push(`${signed(entry.delta.absolute)}${relative}`);
  }
  if (entry.comparedBy === 'hash') parts.push('by hash');
  for (const change of entry.changes) {
    if (change === 'shape') parts.push(`shape (${entry.a.shape?.join(', ') ?? '?'}) → (${entry.b.shape?.join(', ') ?? '?'})`);
    else if (change === 'columns' && entry.columns) {
      const added = entry.columns.added.map((c) => `+${c}`);
      const removed = entry.columns.removed.map((c) => `−${c}`);
      parts.push(`columns ${[...added, ...removed].join(' ') || 'reordered'}`);
    } else if (change === 'type') parts.push(`type ${entry.a.type} → ${entry.b.type}`);
    else parts.push(`${change} changed`);
  }
  return parts.join(', ');
}

function json(value: JsonValue | undefined): string {
  return value === undefined ? '—' : JSON.stringify(value);
}

/** The human-readable rendering of a trial diff (what `nbprov diff` prints without --json). */
export function formatTrialDiff(diff: TrialDiff, options: { order?: string } = {}): string {
  const a = label(diff.trialA);
  const b = label(diff.trialB);
  const out: string[] = [
    `A: ${a}  (${diff.trialA.id}, ${diff.trialA.notebookPath}, ${diff.trialA.createdAt})`,
    `B: ${b}  (${diff.trialB.id}, ${diff.trialB.notebookPath}, ${diff.trialB.createdAt})`,
    '',
  ];
  if (diff.nothingInCommon) out.push(diff.message ?? 'the trials share no tagged variable', '');
  else {
    const rows = [['variable', 'role', `A: ${a}`, `B: ${b}`, 'result']];
    for (const entry of diff.common) rows.push([entry.name, entry.b.role, describeValue(entry.a), describeValue(entry.b), verdict(entry)]);
    out.push(alignedTable(rows, { maxCellWidth: 60 }), '');
  }
  if (diff.onlyA.length) out.push(`Only in A:`, alignedTable(diff.onlyA.map((v) => [v.name, v.value.role, describeValue(v.value)]), { indent: '  ' }), '');
  if (diff.onlyB.length) out.push(`Only in B:`, alignedTable(diff.onlyB.map((v) => [v.name, v.value.role, describeValue(v.value)]), { indent: '  ' }), '');
  if (diff.params.length)
    out.push('Parameters:', alignedTable(diff.params.map((p) => [p.name, json(p.a), json(p.b), p.equal ? 'equal' : 'changed']), { indent: '  ' }), '');
  const files = diff.files.filter((f) => f.status !== 'same');
  if (files.length) {
    const hashes = (h: string[]) => (h.length ? h.map((x) => x.slice(0, 8)).join(',') : '—');
    out.push('Files read that differ:', alignedTable(files.map((f) => [f.path, f.status, `${hashes(f.hashesA)} → ${hashes(f.hashesB)}`]), { indent: '  ', maxCellWidth: 80 }), '');
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
