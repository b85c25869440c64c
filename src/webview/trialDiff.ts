/**
 * Trial diff panel: two trials side by side — parameters, tagged values (numeric deltas, complex
 * values by shape/dtype/hash, models by changed hyperparameters), files read, packages, and the
 * operation-order diff. "Only differences" hides what is equal; the choice is kept in state.
 */
import type { DiffRow, TrialDiffPayload, ValueCell, ValueDiffRow } from '../shared/protocol';
import { clip, el, getState, setState, startPanel, toggle } from './common';

interface Kept {
  onlyDifferences: boolean;
}

const root = document.getElementById('app')!;
let kept = getState<Kept>({ onlyDifferences: false });
let current: TrialDiffPayload | undefined;

function signed(n: number, digits = 6): string {
  const text = Math.abs(n) >= 1e-4 || n === 0 ? String(Number(n.toPrecision(digits))) : n.toExponential(digits - 1);
  return n > 0 ? `+${text}` : text;
}

function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function deltaText(row: ValueDiffRow): string {
  if (!row.delta) return '';
  const { absolute, relative } = row.delta;
  if (absolute === null) return 'no numeric delta';
  return relative === null ? signed(absolute) : `${signed(absolute)} (${signed(relative * 100, 3)} %)`;
}

function valueCell(v: ValueCell | null): HTMLElement {
  if (!v) return el('td', { className: 'absent' }, '—');
  const details = [v.shape && `shape ${v.shape}`, v.dtype && `dtype ${clip(v.dtype, 80)}`, v.hash && `#${v.hash.slice(0, 12)}`, v.hashNote].filter(Boolean).join(' · ');
  return el('td', { title: clip(v.repr, 4000) }, el('div', { className: 'value' }, clip(v.value ?? v.repr, 200)), el('div', { className: 'muted' }, `${clip(v.type, 80)}${details ? ` · ${details}` : ''}`));
}

function textCell(text: string | null): HTMLElement {
  return text === null ? el('td', { className: 'absent' }, '—') : el('td', { title: clip(text, 4000) }, clip(text, 200));
}

function status(equal: boolean, onlyOne: boolean, notCompared?: string): HTMLElement {
  if (notCompared) return el('td', { className: 'status not-compared', title: `not compared: ${notCompared}` }, 'not compared');
  return el('td', { className: `status ${equal ? 'same' : 'differs'}` }, equal ? 'same' : onlyOne ? 'one side' : 'changed');
}

function section(title: string, count: number | null, table: HTMLElement | null, emptyText: string): HTMLElement {
  return el('section', {}, el('h2', {}, `${title} `, count === null ? null : el('span', { className: 'muted' }, `(${count})`)), table ?? el('p', { className: 'muted' }, emptyText));
}

function table(headers: string[], rows: HTMLElement[]): HTMLElement | null {
  if (!rows.length) return null;
  return el('table', {}, el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))), el('tbody', {}, ...rows));
}

function diffRows(rows: DiffRow[], only: boolean): HTMLElement[] {
  return rows.filter((r) => !only || !r.equal).map((r) => el('tr', { className: r.equal ? 'same' : 'differs' }, el('th', { scope: 'row' }, clip(r.name, 120)), textCell(r.a), textCell(r.b), status(r.equal, r.a === null || r.b === null)));
}

function valueRows(rows: ValueDiffRow[], only: boolean): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const r of rows) {
    if (only && r.equal) continue;
    const notes = [r.changes.length ? `changed: ${r.changes.join(', ')}` : '', r.note ?? ''].filter(Boolean).join(' · ');
    out.push(
      el(
        'tr',
        { className: r.equal ? 'same' : 'differs' },
        el('th', { scope: 'row' }, clip(r.name, 120), el('div', { className: 'muted' }, `${r.role} · ${r.kind}`)),
        valueCell(r.a),
        valueCell(r.b),
        el('td', { className: 'delta' }, deltaText(r), notes ? el('div', { className: 'muted' }, notes) : null),
        status(r.equal, r.a === null || r.b === null, r.notCompared),
      ),
    );
    if (r.hyperparameters?.length) {
      for (const h of r.hyperparameters) out.push(el('tr', { className: 'hyper differs' }, el('th', { scope: 'row' }, `↳ ${clip(h.name, 100)}`), textCell(h.a), textCell(h.b), el('td', {}), el('td', { className: 'status differs' }, 'hyperparameter')));
    }
  }
  return out;
}

function orderDiff(text: string): HTMLElement {
  const lines = text.split('\n');
  const body = lines.filter((l) => !l.startsWith('===') && !l.startsWith('Index:'));
  const changed = body.some((l) => (l.startsWith('+') || l.startsWith('-')) && !l.startsWith('+++') && !l.startsWith('---'));
  if (!changed) return el('p', { className: 'muted' }, 'Both trials ran the same operations in the same order.');
  const pre = el('pre', { className: 'order-diff', tabindex: 0, 'aria-label': 'Operation-order diff' });
  for (const l of body) {
    const kind = l.startsWith('+++') || l.startsWith('---') ? 'file' : l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
    pre.append(el('span', { className: `line ${kind}` }, clip(l, 400)), '\n');
  }
  return pre;
}

function render(): void {
  const d = current;
  if (!d) return;
  const only = kept.onlyDifferences;
  const onlyToggle = toggle('Only differences', only, (on) => {
    kept = { ...kept, onlyDifferences: on };
    setState(kept);
    render();
  });
  const head = (t: TrialDiffPayload['a'], side: string) => el('div', { className: 'trial-head' }, el('div', { className: 'muted' }, side), el('strong', {}, clip(t.label, 120)), el('div', { className: 'muted', title: t.createdAt }, `${clip(t.notebook, 120)} · ${shortTime(t.createdAt)}`));
  const changedValues = d.values.filter((v) => !v.equal && !v.notCompared).length;
  const uncompared = d.values.filter((v) => v.notCompared).length;
  const changedParams = d.params.filter((p) => !p.equal).length;
  const changedFiles = d.files.filter((f) => f.status !== 'same').length;
  const env: DiffRow[] = [d.language, ...d.packages];
  root.replaceChildren(
    el('div', { className: 'toolbar', role: 'toolbar' }, el('span', { className: 'title' }, 'Trial diff'), onlyToggle),
    el('div', { className: 'trial-heads' }, head(d.a, 'A'), el('div', { className: 'vs', 'aria-hidden': 'true' }, '→'), head(d.b, 'B')),
    ...(d.message ? [el('div', { className: 'banner info', role: 'status' }, d.message)] : []),
    el('p', { className: 'summary' }, `${changedParams} parameter${changedParams === 1 ? '' : 's'}, ${changedValues} value${changedValues === 1 ? '' : 's'}, ${changedFiles} file${changedFiles === 1 ? '' : 's'} and ${d.packages.length} package${d.packages.length === 1 ? '' : 's'} differ.${uncompared ? ` ${uncompared} large value${uncompared === 1 ? ' was' : 's were'} not compared (content hash pending or never computed).` : ''}`),
    section('Parameters', d.params.length, table(['name', 'A', 'B', ''], diffRows(d.params, only)), only && d.params.length ? 'All parameters are equal.' : 'No parameters recorded.'),
    section('Tagged values', d.values.length, table(['name', 'A', 'B', 'Δ (B − A)', ''], valueRows(d.values, only)), only && d.values.length ? 'All tagged values are equal.' : 'No tagged values.'),
    section(
      'Files read',
      d.files.length,
      table(
        ['path', 'A', 'B', ''],
        d.files
          .filter((f) => !only || f.status !== 'same')
          .map((f) => el('tr', { className: f.status === 'same' ? 'same' : 'differs' }, el('th', { scope: 'row' }, clip(f.path, 200)), textCell(f.a.map((h) => `#${h.slice(0, 12)}`).join(' ') || (f.status === 'onlyB' ? null : 'no hash')), textCell(f.b.map((h) => `#${h.slice(0, 12)}`).join(' ') || (f.status === 'onlyA' ? null : 'no hash')), el('td', { className: `status ${f.status === 'same' ? 'same' : 'differs'}` }, f.status))),
      ),
      only && d.files.length ? 'Every file read has the same content.' : 'No files read.',
    ),
    section('Environment', env.length, table(['', 'A', 'B', ''], diffRows(env, only)), 'Same language and packages.'),
    section('Operation order', null, orderDiff(d.order), ''),
  );
}

startPanel('trialDiff', root, (message) => {
  if (message.type !== 'trialDiff') return;
  current = message.data;
  render();
});
