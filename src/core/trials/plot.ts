import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scalePoint } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { curveStepAfter, line, symbol, symbolTriangle, symbolX } from 'd3-shape';
import { formatNumber, numericValue } from './numbers';
import { shortLabel, textPixels, thinLabels } from './plotLabels';
import type { SeriesRow, ValueSeries } from './series';
import { createSvgDocument } from './svgDocument';
import { xmlSafe } from './textWidth';

export interface PlotOptions {
  /** Pixels; default 900 × 520. */
  width?: number;
  height?: number;
  /** Default: "<variable> across N trials". */
  title?: string;
  /**
   * `order`: one evenly spaced slot per trial, oldest first. `time`: positioned by creation time.
   * `auto` (default) uses time only when trials are spread out enough that no two points crowd
   * together (smallest gap ≥ 20 % of the average gap); trials run in bursts — the usual case —
   * read better in order, with the time range in the subtitle.
   */
  xAxis?: 'auto' | 'time' | 'order';
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif";
const TICK_FONT = 12;
const COLOR = { line: '#2f6db5', point: '#2f6db5', nonFinite: '#c8102e', missing: '#8a8a8a', text: '#222', muted: '#666', grid: '#e6e6e6' };
const LABEL_COLUMNS = 28;
const ROTATION = 40;

type G = Selection<SVGGElement, unknown, null, undefined>;

interface Point {
  index: number;
  row: SeriesRow;
  time: number;
  /** A number (possibly NaN/±Infinity) or undefined when the value is not numeric. */
  number: number | undefined;
  category: string;
}

function toPoints(series: ValueSeries): Point[] {
  return series.rows.map((row, index) => {
    const number = numericValue(row.value, row.type);
    const category = number !== undefined ? formatNumber(number) : typeof row.value === 'string' ? row.value : row.repr;
    return { index, row, time: Date.parse(row.createdAt), number, category };
  });
}

/** Numbers when every value is a number or absent (None, complex); otherwise categories. */
function isNumeric(points: Point[]): boolean {
  return points.some((p) => p.number !== undefined) && points.every((p) => p.number !== undefined || p.row.value === null);
}

function useTimeAxis(points: Point[], mode: PlotOptions['xAxis']): boolean {
  if (mode === 'order' || points.length < 3 || points.some((p) => Number.isNaN(p.time))) return false;
  if (mode === 'time') return true;
  const span = points[points.length - 1].time - points[0].time;
  if (span <= 0) return false;
  let smallest = Infinity;
  for (let i = 1; i < points.length; i++) smallest = Math.min(smallest, points[i].time - points[i - 1].time);
  return smallest >= 0.2 * (span / (points.length - 1));
}

function timeRange(points: Point[]): string {
  const times = points.map((p) => p.row.createdAt).filter((t) => !Number.isNaN(Date.parse(t)));
  if (!times.length) return '';
  const short = (iso: string) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
  return times.length === 1 ? short(times[0]) : `${short(times[0])} → ${short(times[times.length - 1])} UTC`;
}

function pointRadius(n: number): number {
  return n > 2000 ? 1.3 : n > 300 ? 2 : 4;
}

function addText(parent: G, text: string, attrs: Record<string, string | number>): void {
  const t = parent.append('text').text(xmlSafe(text));
  for (const [k, v] of Object.entries(attrs)) t.attr(k, v);
}

function tooltip(point: Point): string {
  return xmlSafe(`${point.row.trial} (${point.row.createdAt}): ${point.number !== undefined ? formatNumber(point.number) : point.row.repr}`);
}

/** Renders a variable's series across trials as a self-contained SVG document. Pure: no browser. */
export function renderSeriesSvg(series: ValueSeries, options: PlotOptions = {}): string {
  const width = Math.max(320, Math.round(options.width ?? 900));
  const height = Math.max(240, Math.round(options.height ?? 520));
  const points = toPoints(series);
  const numeric = isNumeric(points);
  const byTime = useTimeAxis(points, options.xAxis ?? 'auto');
  const n = points.length;

  const { root, serialize } = createSvgDocument(width, height);
  const svg = select(root).attr('font-family', FONT).attr('role', 'img').attr('color', COLOR.text);
  const title = options.title ?? `${series.variable} across ${n} trial${n === 1 ? '' : 's'}`;
  svg.append('title').text(xmlSafe(title));
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', '#ffffff');

  // Notes (non-finite and missing values) go under the subtitle.
  const notes: string[] = [];
  if (numeric) {
    const count = (test: (p: Point) => boolean) => points.filter(test).length;
    const nan = count((p) => p.number !== undefined && Number.isNaN(p.number));
    const posInf = count((p) => p.number === Infinity);
    const negInf = count((p) => p.number === -Infinity);
    const missing = count((p) => p.number === undefined);
    const parts: string[] = [];
    if (nan) parts.push(`${nan} NaN (✕ at the bottom)`);
    if (posInf) parts.push(`${posInf} +∞ (▲ at the top)`);
    if (negInf) parts.push(`${negInf} −∞ (▼ at the bottom)`);
    if (missing) parts.push(`${missing} without a number (○ at the bottom)`);
    if (parts.length) notes.push(`Gaps in the line: ${parts.join(', ')}.`);
  } else {
    const distinct = new Set(points.map((p) => p.category)).size;
    notes.push(`Values are not all numbers: ${distinct} distinct value${distinct === 1 ? '' : 's'} shown as categories.`);
  }

  const header = svg.append('g');
  addText(header, shortLabel(title, Math.floor(width / 9)), { x: 16, y: 26, 'font-size': 17, 'font-weight': 600, fill: COLOR.text });
  const xDescription = byTime ? 'x: trial creation time' : 'x: trials in creation order';
  addText(header, `${xDescription} · ${timeRange(points)}`, { x: 16, y: 46, 'font-size': 12, fill: COLOR.muted });
  notes.forEach((note, i) => addText(header, note, { x: 16, y: 64 + i * 16, 'font-size': 12, fill: numeric ? COLOR.nonFinite : COLOR.muted }));

  // Y labels decide the left margin.
  const categories = [...new Set(points.map((p) => p.category))];
  const yLabelColumns = 22;
  const yLabelPixels = numeric ? 60 : Math.max(30, ...categories.map((c) => textPixels(shortLabel(c, yLabelColumns), TICK_FONT)));
  // A horizontal label is centred on its point: leave room for half of the last one on the right.
  const lastLabelHalf = textPixels(shortLabel(points[n - 1].row.trial, LABEL_COLUMNS), TICK_FONT) / 2;
  const margin = { top: 60 + notes.length * 16 + 14, right: Math.min(width * 0.2, Math.max(28, lastLabelHalf - 4)), left: Math.min(width * 0.35, yLabelPixels + 44), bottom: 0 };
  const innerWidth = width - margin.left - margin.right;

  // X: one slot per trial, or creation time.
  const slot = scalePoint<number>().domain(points.map((p) => p.index)).range([0, innerWidth]).padding(0.5);
  const timeScale = scaleLinear().domain(byTime ? [points[0].time, points[n - 1].time] : [0, 1]).range([12, innerWidth - 12]);
  const x = (p: Point) => (byTime ? timeScale(p.time) : (slot(p.index) ?? 0));
  const positions = points.map(x);

  // X labels: horizontal when all fit, else rotated and thinned to stay legible.
  const labels = points.map((p) => shortLabel(p.row.trial, LABEL_COLUMNS));
  const widest = Math.max(0, ...labels.map((l) => textPixels(l, TICK_FONT)));
  let shown = thinLabels(positions, widest + 12);
  const rotated = shown.length < n;
  // Rotated labels are parallel lines: 2.2 em apart along x leaves about one line-height between them.
  if (rotated) shown = thinLabels(positions, TICK_FONT * 2.2);
  const shownWidest = Math.max(0, ...shown.map((i) => textPixels(labels[i], TICK_FONT)));
  const labelDepth = rotated ? shownWidest * Math.sin((ROTATION * Math.PI) / 180) + TICK_FONT : TICK_FONT;
  margin.bottom = Math.min(height * 0.45, 16 + labelDepth + 30);
  const innerHeight = Math.max(60, height - margin.top - margin.bottom);

  const plot = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`);

  const xAxis = plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${innerHeight})`);
  xAxis.call(
    axisBottom(scaleLinear().domain([0, innerWidth]).range([0, innerWidth]))
      .tickValues(shown.map((i) => positions[i]))
      .tickFormat((_, k) => labels[shown[k]]),
  );
  xAxis.attr('font-family', FONT).attr('font-size', TICK_FONT);
  if (rotated) xAxis.selectAll('.tick text').attr('text-anchor', 'end').attr('dx', '-0.5em').attr('dy', '0.3em').attr('transform', `rotate(-${ROTATION})`);
  // Full names on hover where they were cut.
  xAxis.selectAll<SVGTextElement, number>('.tick text').each(function (_, k) {
    const full = points[shown[k]].row.trial;
    if (labels[shown[k]] !== full) select(this).append('title').text(xmlSafe(full));
  });
  addText(plot, n > shown.length ? `trial (${shown.length} of ${n} names shown)` : 'trial', {
    x: innerWidth / 2,
    y: innerHeight + margin.bottom - 12,
    'text-anchor': 'middle',
    'font-size': 13,
    fill: COLOR.text,
  });
  addText(plot, shortLabel(series.variable, 40), {
    transform: `translate(${-margin.left + 18},${innerHeight / 2}) rotate(-90)`,
    'text-anchor': 'middle',
    'font-size': 13,
    'font-weight': 600,
    fill: COLOR.text,
  });

  const radius = pointRadius(n);
  if (numeric) drawNumeric(plot, points, x, innerWidth, innerHeight, radius);
  else drawCategorical(plot, points, categories, x, innerWidth, innerHeight, radius, yLabelColumns);
  return serialize();
}

function drawNumeric(plot: G, points: Point[], x: (p: Point) => number, innerWidth: number, innerHeight: number, radius: number): void {
  const finite = points.filter((p) => p.number !== undefined && Number.isFinite(p.number));
  const values = finite.map((p) => p.number as number);
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  // Breathing room so extreme points do not sit on the axis.
  const pad = lo === hi ? Math.abs(lo) * 0.1 || 1 : (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const y = scaleLinear().domain([lo, hi]).nice().range([innerHeight, 0]);

  const yAxis = plot.append('g').attr('class', 'y-axis').call(axisLeft(y).ticks(Math.max(2, Math.floor(innerHeight / 50))));
  yAxis.attr('font-family', FONT).attr('font-size', TICK_FONT);
  yAxis.selectAll('.tick line').clone().attr('x2', innerWidth).attr('stroke', COLOR.grid).attr('class', 'grid');

  const isFinitePoint = (p: Point) => p.number !== undefined && Number.isFinite(p.number);
  const path = line<Point>()
    .defined(isFinitePoint)
    .x(x)
    .y((p) => y(p.number as number));
  plot.append('path').attr('class', 'series-line').attr('d', path(points)).attr('fill', 'none').attr('stroke', COLOR.line).attr('stroke-width', points.length > 300 ? 1 : 1.8);

  const dots = plot.append('g').attr('class', 'points');
  for (const p of finite) {
    dots.append('circle').attr('class', 'point').attr('cx', x(p)).attr('cy', y(p.number as number)).attr('r', radius).attr('fill', COLOR.point).append('title').text(tooltip(p));
  }

  const gaps = plot.append('g').attr('class', 'gaps');
  const markerSize = Math.max(20, radius * radius * 8);
  for (const p of points) {
    if (isFinitePoint(p)) continue;
    const px = x(p);
    gaps.append('line').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', innerHeight).attr('stroke', p.number === undefined ? COLOR.missing : COLOR.nonFinite).attr('stroke-dasharray', '3,3').attr('stroke-opacity', 0.5);
    if (p.number === undefined) {
      const marker = gaps.append('circle').attr('cx', px).attr('cy', innerHeight - 10).attr('r', Math.max(3, radius)).attr('fill', 'none').attr('stroke', COLOR.missing);
      labelMarker(marker, p);
    } else if (Number.isNaN(p.number)) {
      const marker = gaps.append('path').attr('d', symbol(symbolX, markerSize)()).attr('transform', `translate(${px},${innerHeight - 10})`).attr('stroke', COLOR.nonFinite).attr('stroke-width', 2);
      labelMarker(marker, p);
    } else {
      const top = p.number > 0;
      const marker = gaps.append('path').attr('d', symbol(symbolTriangle, markerSize)()).attr('transform', `translate(${px},${top ? 8 : innerHeight - 10}) rotate(${top ? 0 : 180})`).attr('fill', COLOR.nonFinite);
      labelMarker(marker, p);
    }
  }
}

function labelMarker<E extends SVGElement>(marker: Selection<E, unknown, null, undefined>, point: Point): void {
  marker.attr('class', 'gap-marker').append('title').text(tooltip(point));
}

function drawCategorical(plot: G, points: Point[], categories: string[], x: (p: Point) => number, innerWidth: number, innerHeight: number, radius: number, labelColumns: number): void {
  const y = scalePoint<string>().domain(categories).range([0, innerHeight]).padding(0.5);
  const shownCategories = thinLabels(categories.map((c) => y(c) ?? 0), TICK_FONT * 1.4).map((i) => categories[i]);
  const yAxis = plot.append('g').attr('class', 'y-axis').call(axisLeft(y).tickValues(shownCategories).tickFormat((c) => shortLabel(c, labelColumns)));
  yAxis.attr('font-family', FONT).attr('font-size', TICK_FONT);
  yAxis.selectAll('.tick line').clone().attr('x2', innerWidth).attr('stroke', COLOR.grid).attr('class', 'grid');

  const step = line<Point>()
    .x(x)
    .y((p) => y(p.category) ?? 0)
    .curve(curveStepAfter);
  plot.append('path').attr('class', 'series-line').attr('d', step(points)).attr('fill', 'none').attr('stroke', COLOR.line).attr('stroke-opacity', 0.35).attr('stroke-width', 1);
  const dots = plot.append('g').attr('class', 'points');
  for (const p of points) {
    dots.append('circle').attr('class', 'point').attr('cx', x(p)).attr('cy', y(p.category) ?? 0).attr('r', radius).attr('fill', COLOR.point).append('title').text(tooltip(p));
  }
}
