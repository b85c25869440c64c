/**
 * Across-trials panel: the chart of a tagged variable over every trial (the same drawing as
 * `nbprov plot`, one series per notebook), a hover card with the trial and its parameters, click
 * to diff a trial with the previous one, a sortable values table with CSV export, and the
 * variable against a parameter as a scatter.
 */
import { formatCsv } from '../shared/csv';
import { numericValue } from '../shared/chart/numbers';
import { drawSeriesChart, LIGHT_THEME, type ChartRow } from '../shared/chart/seriesChart';
import type { AcrossTrialsPayload, AcrossTrialsRow } from '../shared/protocol';
import { clip, el, getState, post, setState, startPanel, themeColour } from './common';

type SortKey = 'order' | 'trial' | 'notebook' | 'createdAt' | 'value';

interface Kept {
  xAxis: 'auto' | 'order' | 'time';
  sortKey: SortKey;
  descending: boolean;
  page: number;
}

const PAGE = 200;
const root = document.getElementById('app')!;
let kept = getState<Kept>({ xAxis: 'auto', sortKey: 'order', descending: false, page: 0 });
let current: AcrossTrialsPayload | undefined;

function save(patch: Partial<Kept>): void {
  kept = { ...kept, ...patch };
  setState(kept);
}

/** `2026-11-01 09:00` (UTC): enough to tell trials apart in a table; the full time is the cell's title. */
function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

function valueText(r: AcrossTrialsRow): string {
  if (r.value === null) return r.hash ? `${r.repr} #${r.hash.slice(0, 10)}` : r.deferred ? `${r.repr} (hash ${r.deferred === 'pending' ? 'pending' : 'never computed'})` : r.repr;
  return typeof r.value === 'string' ? r.value : String(r.value);
}

/** The previous trial of the same notebook: what "diff with previous" compares against. */
function previousOf(data: AcrossTrialsPayload, index: number): AcrossTrialsRow | undefined {
  const row = data.rows[index];
  for (let i = index - 1; i >= 0; i--) if (data.rows[i].notebook === row.notebook) return data.rows[i];
  return undefined;
}

function openDiff(data: AcrossTrialsPayload, index: number): void {
  const previous = previousOf(data, index);
  if (previous) post({ type: 'openDiff', trialA: previous.trialId, trialB: data.rows[index].trialId });
}

function hoverCard(data: AcrossTrialsPayload, index: number): HTMLElement {
  const r = data.rows[index];
  const params = Object.entries(r.params);
  return el(
    'div',
    {},
    el('strong', {}, clip(r.trial, 120)),
    el('div', { className: 'muted' }, `${clip(r.notebook, 100)} · ${shortTime(r.createdAt)} UTC`),
    el('div', {}, `${clip(data.variable, 60)} = ${clip(valueText(r), 200)}`),
    data.against ? el('div', {}, `${clip(data.against, 60)} = ${clip(String(r.x ?? '—'), 200)}`) : null,
    params.length ? el('ul', {}, ...params.slice(0, 12).map(([k, v]) => el('li', {}, `${clip(k, 60)} = ${clip(v, 120)}`))) : el('div', { className: 'muted' }, 'no parameters tagged'),
    el('div', { className: 'muted' }, previousOf(data, index) ? 'click: diff with the previous trial' : 'the first trial of its notebook'),
  );
}

function drawChart(data: AcrossTrialsPayload, container: HTMLElement, card: HTMLElement): void {
  const rows: ChartRow[] = data.rows.map((r) => ({ trial: r.trial, createdAt: r.createdAt, value: r.value, repr: valueText({ ...r, value: null }), type: r.type, series: r.notebook, x: r.x }));
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  container.replaceChildren(svg);
  const palette = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((v, i) => themeColour(v, LIGHT_THEME.palette[i]));
  const fg = themeColour('--vscode-foreground', '#333');
  drawSeriesChart(svg, { variable: data.variable, rows, xVariable: data.against ?? undefined }, {
    width: Math.max(480, container.clientWidth || 900),
    height: 440,
    xAxis: data.against ? 'value' : kept.xAxis,
    // The hover card says more; thousands of <title> elements would only slow the drawing.
    pointTitles: false,
    theme: {
      font: themeColour('--vscode-font-family', LIGHT_THEME.font),
      background: 'transparent',
      text: fg,
      muted: themeColour('--vscode-descriptionForeground', '#777'),
      grid: themeColour('--vscode-editorWidget-border', '#8884'),
      nonFinite: themeColour('--vscode-charts-red', LIGHT_THEME.nonFinite),
      missing: themeColour('--vscode-disabledForeground', LIGHT_THEME.missing),
      palette,
    },
  });
  svg.classList.add('chart');
  const points = svg.querySelectorAll<SVGElement>('[data-index]');
  const interactive = points.length <= 500;
  points.forEach((p) => {
    const index = Number(p.getAttribute('data-index'));
    if (interactive) {
      p.setAttribute('tabindex', '0');
      p.setAttribute('role', 'button');
      p.setAttribute('aria-label', `${data.rows[index].trial}: ${valueText(data.rows[index])}`);
    }
  });
  // One delegated listener each, not one per point: ten thousand points stay cheap.
  const indexOf = (target: EventTarget | null) => {
    const e = target instanceof Element ? target.closest('[data-index]') : null;
    return e ? Number(e.getAttribute('data-index')) : -1;
  };
  const show = (index: number, x: number, y: number) => {
    card.replaceChildren(hoverCard(data, index));
    card.hidden = false;
    card.style.left = `${Math.min(x + 14, window.innerWidth - 300)}px`;
    card.style.top = `${y + 14}px`;
  };
  svg.addEventListener('mousemove', (e) => {
    const i = indexOf(e.target);
    if (i >= 0) show(i, e.clientX, e.clientY);
    else card.hidden = true;
  });
  svg.addEventListener('mouseleave', () => (card.hidden = true));
  svg.addEventListener('click', (e) => {
    const i = indexOf(e.target);
    if (i >= 0) openDiff(data, i);
  });
  svg.addEventListener('focusin', (e) => {
    const i = indexOf(e.target);
    if (i < 0) return;
    const box = (e.target as Element).getBoundingClientRect();
    show(i, box.right, box.bottom);
  });
  svg.addEventListener('focusout', () => (card.hidden = true));
  svg.addEventListener('keydown', (e) => {
    const i = indexOf(e.target);
    if (i >= 0 && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      openDiff(data, i);
    }
  });
}

function sortedIndices(data: AcrossTrialsPayload): number[] {
  const idx = data.rows.map((_, i) => i);
  const key = kept.sortKey;
  if (key !== 'order') {
    const numbers = data.rows.map((r) => numericValue(r.value, r.type));
    const numeric = key === 'value' && data.rows.every((r, i) => numbers[i] !== undefined || r.value === null);
    const get = (i: number): string | number => {
      const r = data.rows[i];
      // NaN and values without a number sort below every number.
      if (key === 'value') return numeric ? (numbers[i] !== undefined && !Number.isNaN(numbers[i]) ? numbers[i]! : -Infinity) : valueText(r);
      return r[key];
    };
    idx.sort((a, b) => {
      const x = get(a);
      const y = get(b);
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  }
  if (kept.descending) idx.reverse();
  return idx;
}

function drawTable(data: AcrossTrialsPayload, container: HTMLElement): void {
  const order = sortedIndices(data);
  const pages = Math.max(1, Math.ceil(order.length / PAGE));
  const page = Math.min(kept.page, pages - 1);
  const columns: [SortKey, string][] = [['order', '#'], ['trial', 'trial'], ['notebook', 'notebook'], ['createdAt', 'created'], ['value', data.variable]];
  const header = el(
    'tr',
    {},
    ...columns.map(([key, label]) => {
      const active = kept.sortKey === key;
      const button = el('button', { type: 'button', className: 'sort' }, clip(label, 40), active ? (kept.descending ? ' ▼' : ' ▲') : '');
      button.addEventListener('click', () => {
        save({ sortKey: key, descending: active ? !kept.descending : false, page: 0 });
        drawTable(data, container);
      });
      return el('th', { scope: 'col', 'aria-sort': active ? (kept.descending ? 'descending' : 'ascending') : 'none' }, button);
    }),
    data.against ? el('th', { scope: 'col' }, clip(data.against, 40)) : null,
  );
  const body = el('tbody', {});
  for (const i of order.slice(page * PAGE, (page + 1) * PAGE)) {
    const r = data.rows[i];
    const tr = el('tr', { tabindex: 0, 'data-index': i, title: 'Enter: diff with the previous trial' }, el('td', { className: 'num' }, String(i + 1)), el('td', { title: clip(r.trial, 2000) }, clip(r.trial, 40)), el('td', { title: clip(r.notebook, 2000) }, clip(r.notebook, 40)), el('td', { className: 'time', title: r.createdAt }, shortTime(r.createdAt)), el('td', { title: clip(r.repr, 2000) }, clip(valueText(r), 120)), data.against ? el('td', {}, clip(String(r.x ?? '—'), 60)) : null);
    body.append(tr);
  }
  body.addEventListener('keydown', (e) => {
    const tr = (e.target as Element).closest('tr');
    if (tr && e.key === 'Enter') openDiff(data, Number(tr.getAttribute('data-index')));
  });
  body.addEventListener('dblclick', (e) => {
    const tr = (e.target as Element).closest('tr');
    if (tr) openDiff(data, Number(tr.getAttribute('data-index')));
  });
  const pager = el('div', { className: 'pager' });
  if (pages > 1) {
    const prev = el('button', { type: 'button' }, '‹ Previous');
    const next = el('button', { type: 'button' }, 'Next ›');
    prev.disabled = page === 0;
    next.disabled = page === pages - 1;
    prev.addEventListener('click', () => {
      save({ page: page - 1 });
      drawTable(data, container);
    });
    next.addEventListener('click', () => {
      save({ page: page + 1 });
      drawTable(data, container);
    });
    pager.append(prev, el('span', {}, ` rows ${page * PAGE + 1}–${Math.min(order.length, (page + 1) * PAGE)} of ${order.length} `), next);
  }
  container.replaceChildren(el('table', { className: 'values' }, el('thead', {}, header), body), pager);
}

function exportCsv(data: AcrossTrialsPayload): void {
  const columns = ['trial', 'trial_id', 'notebook', 'created_at', 'variable', 'value', 'repr', 'type', 'hash', ...(data.against ? [data.against] : [])];
  const csv = formatCsv(
    data.rows.map((r): Record<string, string> => ({ trial: r.trial, trial_id: r.trialId, notebook: r.notebook, created_at: r.createdAt, variable: data.variable, value: r.value === null ? '' : String(r.value), repr: r.repr, type: r.type, hash: r.hash ?? '', ...(data.against ? { [data.against]: r.x === null || r.x === undefined ? '' : String(r.x) } : {}) })),
    columns,
  );
  post({ type: 'exportCsv', fileName: `${data.variable.replace(/[^\w.-]+/g, '_') || 'values'}.csv`, csv: `${csv}\n` });
}

function render(): void {
  const data = current;
  if (!data) return;
  const xSelect = el('select', { 'aria-label': 'x axis' }, ...(['auto', 'order', 'time'] as const).map((m) => el('option', { value: m, selected: kept.xAxis === m }, m === 'auto' ? 'x: auto' : m === 'order' ? 'x: trial order' : 'x: creation time')));
  xSelect.disabled = data.against !== null;
  xSelect.addEventListener('change', () => {
    save({ xAxis: xSelect.value as Kept['xAxis'] });
    render();
  });
  const against = el('select', { 'aria-label': 'scatter against' }, el('option', { value: '' }, 'over trials'), ...data.candidates.map((c) => el('option', { value: c, selected: data.against === c }, `against ${clip(c, 60)}`)));
  against.addEventListener('change', () => post({ type: 'scatterAgainst', against: against.value || null }));
  const csv = el('button', { type: 'button' }, 'Export CSV…');
  csv.addEventListener('click', () => exportCsv(data));
  const chart = el('div', { className: 'chart-box' });
  const card = el('div', { className: 'hover-card', role: 'tooltip' });
  card.hidden = true;
  const tableBox = el('div', { className: 'table-box' });
  const notebooks = new Set(data.rows.map((r) => r.notebook)).size;
  root.replaceChildren(
    el('div', { className: 'toolbar', role: 'toolbar' }, el('span', { className: 'title' }, el('code', {}, clip(data.variable, 80)), ` (${data.role}) across ${data.rows.length} trial${data.rows.length === 1 ? '' : 's'}${notebooks > 1 ? ` of ${notebooks} notebooks` : ''}`), xSelect, against, csv),
    ...(data.rows.length === 1 ? [el('div', { className: 'banner info', role: 'status' }, 'One trial so far: save another to see a trend.')] : []),
    el('div', { className: 'across' }, chart, tableBox),
    card,
  );
  drawChart(data, chart, card);
  drawTable(data, tableBox);
}

// VS Code switches themes by changing the body's class: redraw with the new colours.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

startPanel('acrossTrials', root, (message) => {
  if (message.type !== 'acrossTrials') return;
  current = message.data;
  render();
});
