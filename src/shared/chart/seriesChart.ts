/**
 * The one drawing of a variable across trials, shared by the CLI's `nbprov plot` (which hands it
 * an SVG element of a linkedom document) and the Across-trials webview (a browser document). Pure
 * d3 on whatever document the root belongs to: no node modules, no browser globals.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { scaleLinear, scalePoint } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { curveStepAfter, line, symbol, symbolTriangle, symbolX } from 'd3-shape';
import { shortLabel, textPixels, thinLabels } from './labels';
import { formatNumber, numericValue } from './numbers';
import { xmlSafe } from './textWidth';

/** One trial's value; rows come oldest first. */
export interface ChartRow {
  trial: string;
  createdAt: string;
  /** The recorded scalar (non-finite floats as "NaN"/"Infinity"/"-Infinity"); null for complex values. */
  value: unknown;
  repr: string;
  type?: string;
  /** Which series (notebook) the row belongs to; one line and colour per series. */
  series?: string;
  /** With `xAxis: 'value'`: the x value (a parameter's value in the same trial). */
  x?: unknown;
}

export interface ChartInput {
  variable: string;
  rows: readonly ChartRow[];
  /** With `xAxis: 'value'`: the name of the x variable. */
  xVariable?: string;
}

export interface ChartTheme {
  font: string;
  background: string;
  text: string;
  muted: string;
  grid: string;
  nonFinite: string;
  missing: string;
  /** Series colours, in order. */
  palette: readonly string[];
}

export interface ChartOptions {
  /** Pixels; default 900 × 520. */
  width?: number;
  height?: number;
  /** Default: "<variable> across N trials". */
  title?: string;
  /**
   * `order`: one evenly spaced slot per trial, oldest first. `time`: positioned by creation time.
   * `auto` (default) uses time only when trials are spread out enough that no two points crowd
   * together (smallest gap ≥ 20 % of the average gap); trials run in bursts — the usual case —
   * read better in order, with the time range in the subtitle. `value`: a scatter against each
   * row's `x` (a metric against a parameter).
   */
  xAxis?: 'auto' | 'time' | 'order' | 'value';
  theme?: Partial<ChartTheme>;
  /** A `<title>` tooltip on every point (default true); an interactive host with its own hover card can drop them. */
  pointTitles?: boolean;
}

export const LIGHT_THEME: ChartTheme = {
  font: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif",
  background: '#ffffff',
  text: '#222',
  muted: '#666',
  grid: '#e6e6e6',
  nonFinite: '#c8102e',
  missing: '#8a8a8a',
  palette: ['#2f6db5', '#d9730d', '#2e8540', '#8e44ad', '#b03a2e', '#1f8a8a', '#7f6a00', '#c0398f'],
};

const TICK_FONT = 12;
const LABEL_COLUMNS = 28;
const ROTATION = 40;

type G = Selection<SVGGElement, unknown, null, undefined>;

/** A drawn row; `index` is its position in `input.rows` (points carry it as `data-index`). */
interface Point {
  index: number;
  row: ChartRow;
  series: number;
  time: number;
  /** A number (possibly NaN/±Infinity) or undefined when the value is not numeric. */
  number: number | undefined;
  category: string;
  xValue: number | undefined;
}

function toPoints(input: ChartInput, seriesNames: string[]): Point[] {
  return input.rows.map((row, index) => {
    const number = numericValue(row.value, row.type);
    const category = number !== undefined ? formatNumber(number) : typeof row.value === 'string' ? row.value : row.repr;
    const xNumber = numericValue(row.x);
    return { index, row, series: seriesNames.indexOf(row.series ?? ''), time: Date.parse(row.createdAt), number, category, xValue: xNumber !== undefined && Number.isFinite(xNumber) ? xNumber : undefined };
  });
}

/** Numbers when every value is a number or absent (None, complex); otherwise categories. */
function isNumeric(points: Point[]): boolean {
  return points.some((p) => p.number !== undefined) && points.every((p) => p.number !== undefined || p.row.value === null);
}

function useTimeAxis(points: Point[], mode: ChartOptions['xAxis']): boolean {
  if (mode === 'order' || mode === 'value' || points.length < 3 || points.some((p) => Number.isNaN(p.time))) return false;
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

function minMax(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return values.length ? [lo, hi] : [0, 1];
}

function paddedDomain(values: readonly number[]): [number, number] {
  let [lo, hi] = minMax(values);
  // Breathing room so extreme points do not sit on the axis.
  const pad = lo === hi ? Math.abs(lo) * 0.1 || 1 : (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  return [lo, hi];
}

interface Frame {
  plot: G;
  x: (p: Point) => number;
  innerWidth: number;
  innerHeight: number;
  radius: number;
  theme: ChartTheme;
  colour: (p: Point) => string;
  titles: boolean;
}

/**
 * Draws a variable's values across trials into `root` (an empty `<svg>` of any document) and sizes
 * it. Points are `circle.point` elements with `data-index` = the row's index in `input.rows`.
 */
export function drawSeriesChart(root: SVGSVGElement, input: ChartInput, options: ChartOptions = {}): void {
  const theme: ChartTheme = { ...LIGHT_THEME, ...options.theme };
  const width = Math.max(320, Math.round(options.width ?? 900));
  const height = Math.max(240, Math.round(options.height ?? 520));
  const scatter = options.xAxis === 'value';
  const seriesNames = [...new Set(input.rows.map((r) => r.series ?? ''))];
  const allPoints = toPoints(input, seriesNames);
  const points = scatter ? allPoints.filter((p) => p.xValue !== undefined) : allPoints;
  const numeric = isNumeric(points);
  const byTime = useTimeAxis(points, options.xAxis ?? 'auto');
  const n = points.length;
  const colour = (p: Point) => theme.palette[Math.max(0, p.series) % theme.palette.length];

  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const svg = select(root).attr('font-family', theme.font).attr('role', 'img').attr('color', theme.text);
  const title = options.title ?? (scatter ? `${input.variable} against ${input.xVariable ?? 'x'} (${n} trial${n === 1 ? '' : 's'})` : `${input.variable} across ${n} trial${n === 1 ? '' : 's'}`);
  svg.append('title').text(xmlSafe(title));
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', theme.background);

  // Notes (non-finite and missing values) go under the subtitle.
  const notes: string[] = [];
  if (scatter && allPoints.length > n) notes.push(`${allPoints.length - n} trial${allPoints.length - n === 1 ? '' : 's'} without a number for ${input.xVariable ?? 'x'} left out.`);
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
  } else if (n) {
    const distinct = new Set(points.map((p) => p.category)).size;
    notes.push(`Values are not all numbers: ${distinct} distinct value${distinct === 1 ? '' : 's'} shown as categories.`);
  }

  const header = svg.append('g');
  addText(header, shortLabel(title, Math.floor(width / 9)), { x: 16, y: 26, 'font-size': 17, 'font-weight': 600, fill: theme.text });
  const xDescription = scatter ? `x: ${input.xVariable ?? 'x'} in the same trial` : byTime ? 'x: trial creation time' : 'x: trials in creation order';
  addText(header, `${xDescription} · ${timeRange(points)}`, { x: 16, y: 46, 'font-size': 12, fill: theme.muted });
  notes.forEach((note, i) => addText(header, note, { x: 16, y: 64 + i * 16, 'font-size': 12, fill: numeric ? theme.nonFinite : theme.muted }));
  if (!n) return;

  // Y labels decide the left margin.
  const categories = [...new Set(points.map((p) => p.category))];
  const yLabelColumns = 22;
  const yLabelPixels = numeric ? 60 : Math.max(30, ...categories.slice(0, 2000).map((c) => textPixels(shortLabel(c, yLabelColumns), TICK_FONT)));
  // A horizontal label is centred on its point: leave room for half of the last one on the right.
  const lastLabelHalf = scatter ? 30 : textPixels(shortLabel(points[n - 1].row.trial, LABEL_COLUMNS), TICK_FONT) / 2;
  const legendRows = seriesNames.length > 1 ? 1 : 0;
  const margin = { top: 60 + (notes.length + legendRows) * 16 + 14, right: Math.min(width * 0.2, Math.max(28, lastLabelHalf - 4)), left: Math.min(width * 0.35, yLabelPixels + 44), bottom: 0 };
  const innerWidth = width - margin.left - margin.right;

  if (legendRows) {
    let lx = 16;
    const legendY = 64 + notes.length * 16;
    for (const [i, name] of seriesNames.entries()) {
      const label = shortLabel(name || '(no notebook)', 30);
      header.append('circle').attr('class', 'legend-swatch').attr('cx', lx + 5).attr('cy', legendY - 4).attr('r', 5).attr('fill', theme.palette[i % theme.palette.length]);
      addText(header, label, { x: lx + 14, y: legendY, 'font-size': 12, fill: theme.text, class: 'legend-label' });
      lx += 24 + textPixels(label, 12);
    }
  }

  let x: (p: Point) => number;
  let labelDepth = TICK_FONT;
  let xTitle = 'trial';
  const plot = svg.append('g');
  if (scatter) {
    const xScale = scaleLinear().domain(paddedDomain(points.map((p) => p.xValue as number))).nice().range([0, innerWidth]);
    x = (p) => xScale(p.xValue as number);
    xTitle = input.xVariable ?? 'x';
    margin.bottom = 16 + labelDepth + 30;
    const innerHeight = Math.max(60, height - margin.top - margin.bottom);
    plot.attr('transform', `translate(${margin.left},${margin.top})`);
    const xAxis = plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${innerHeight})`);
    xAxis.call(axisBottom(xScale).ticks(Math.max(2, Math.floor(innerWidth / 80))));
    xAxis.attr('font-family', theme.font).attr('font-size', TICK_FONT);
    finishAxes(plot, input, xTitle, innerWidth, innerHeight, margin, theme);
    const frame: Frame = { plot, x, innerWidth, innerHeight, radius: pointRadius(n), theme, colour, titles: options.pointTitles !== false };
    if (numeric) drawNumeric(frame, points, seriesNames.length, false);
    else drawCategorical(frame, points, categories, yLabelColumns, false);
    return;
  }

  // X: one slot per trial, or creation time.
  const slot = scalePoint<number>().domain(points.map((p) => p.index)).range([0, innerWidth]).padding(0.5);
  const timeScale = scaleLinear().domain(byTime ? [points[0].time, points[n - 1].time] : [0, 1]).range([12, innerWidth - 12]);
  x = (p: Point) => (byTime ? timeScale(p.time) : (slot(p.index) ?? 0));
  const positions = points.map(x);

  // X labels: horizontal when all fit, else rotated and thinned to stay legible.
  const labelOf = (i: number) => shortLabel(points[i].row.trial, LABEL_COLUMNS);
  const sample = n > 2000 ? thinLabels(positions, 4) : points.map((_, i) => i);
  const widest = Math.max(0, ...sample.map((i) => textPixels(labelOf(i), TICK_FONT)));
  let shown = thinLabels(positions, widest + 12);
  const rotated = shown.length < n;
  // Rotated labels are parallel lines: 2.2 em apart along x leaves about one line-height between them.
  if (rotated) shown = thinLabels(positions, TICK_FONT * 2.2);
  const labels = new Map(shown.map((i) => [i, labelOf(i)]));
  const shownWidest = Math.max(0, ...shown.map((i) => textPixels(labels.get(i) ?? '', TICK_FONT)));
  labelDepth = rotated ? shownWidest * Math.sin((ROTATION * Math.PI) / 180) + TICK_FONT : TICK_FONT;
  margin.bottom = Math.min(height * 0.45, 16 + labelDepth + 30);
  const innerHeight = Math.max(60, height - margin.top - margin.bottom);
  plot.attr('transform', `translate(${margin.left},${margin.top})`);

  const xAxis = plot.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${innerHeight})`);
  xAxis.call(
    axisBottom(scaleLinear().domain([0, innerWidth]).range([0, innerWidth]))
      .tickValues(shown.map((i) => positions[i]))
      .tickFormat((_, k) => labels.get(shown[k]) ?? ''),
  );
  xAxis.attr('font-family', theme.font).attr('font-size', TICK_FONT);
  if (rotated) xAxis.selectAll('.tick text').attr('text-anchor', 'end').attr('dx', '-0.5em').attr('dy', '0.3em').attr('transform', `rotate(-${ROTATION})`);
  // Full names on hover where they were cut.
  xAxis.selectAll<SVGTextElement, number>('.tick text').each(function (_, k) {
    const full = points[shown[k]].row.trial;
    if (labels.get(shown[k]) !== full) select(this).append('title').text(xmlSafe(full));
  });
  xTitle = n > shown.length ? `trial (${shown.length} of ${n} names shown)` : 'trial';
  finishAxes(plot, input, xTitle, innerWidth, innerHeight, margin, theme);

  const frame: Frame = { plot, x, innerWidth, innerHeight, radius: pointRadius(n), theme, colour, titles: options.pointTitles !== false };
  if (numeric) drawNumeric(frame, points, seriesNames.length, true);
  else drawCategorical(frame, points, categories, yLabelColumns, true);
}

function finishAxes(plot: G, input: ChartInput, xTitle: string, innerWidth: number, innerHeight: number, margin: { left: number; bottom: number }, theme: ChartTheme): void {
  addText(plot, xTitle, { x: innerWidth / 2, y: innerHeight + margin.bottom - 12, 'text-anchor': 'middle', 'font-size': 13, fill: theme.text, class: 'x-title' });
  addText(plot, shortLabel(input.variable, 40), {
    transform: `translate(${-margin.left + 18},${innerHeight / 2}) rotate(-90)`,
    'text-anchor': 'middle',
    'font-size': 13,
    'font-weight': 600,
    fill: theme.text,
  });
}

function bySeries(points: Point[], count: number): Point[][] {
  const groups: Point[][] = Array.from({ length: count }, () => []);
  for (const p of points) groups[Math.max(0, p.series)].push(p);
  return groups;
}

function appendPoint(parent: G, frame: Frame, p: Point, cy: number): void {
  const circle = parent.append('circle').attr('class', 'point').attr('data-index', p.index).attr('cx', frame.x(p)).attr('cy', cy).attr('r', frame.radius).attr('fill', frame.colour(p));
  if (frame.titles) circle.append('title').text(tooltip(p));
}

function drawNumeric(frame: Frame, points: Point[], seriesCount: number, lines: boolean): void {
  const { plot, x, innerWidth, innerHeight, radius, theme } = frame;
  const finite = points.filter((p) => p.number !== undefined && Number.isFinite(p.number));
  const y = scaleLinear().domain(paddedDomain(finite.map((p) => p.number as number))).nice().range([innerHeight, 0]);

  const yAxis = plot.append('g').attr('class', 'y-axis').call(axisLeft(y).ticks(Math.max(2, Math.floor(innerHeight / 50))));
  yAxis.attr('font-family', theme.font).attr('font-size', TICK_FONT);
  yAxis.selectAll('.tick line').clone().attr('x2', innerWidth).attr('stroke', theme.grid).attr('class', 'grid');

  const isFinitePoint = (p: Point) => p.number !== undefined && Number.isFinite(p.number);
  if (lines) {
    const path = line<Point>()
      .defined(isFinitePoint)
      .x(x)
      .y((p) => y(p.number as number));
    for (const group of bySeries(points, seriesCount)) {
      if (!group.length) continue;
      plot.append('path').attr('class', 'series-line').attr('d', path(group)).attr('fill', 'none').attr('stroke', frame.colour(group[0])).attr('stroke-width', points.length > 300 ? 1 : 1.8);
    }
  }

  const dots = plot.append('g').attr('class', 'points');
  for (const p of finite) appendPoint(dots, frame, p, y(p.number as number));

  const gaps = plot.append('g').attr('class', 'gaps');
  const markerSize = Math.max(20, radius * radius * 8);
  for (const p of points) {
    if (isFinitePoint(p)) continue;
    const px = x(p);
    gaps.append('line').attr('x1', px).attr('x2', px).attr('y1', 0).attr('y2', innerHeight).attr('stroke', p.number === undefined ? theme.missing : theme.nonFinite).attr('stroke-dasharray', '3,3').attr('stroke-opacity', 0.5);
    if (p.number === undefined) {
      const marker = gaps.append('circle').attr('cx', px).attr('cy', innerHeight - 10).attr('r', Math.max(3, radius)).attr('fill', 'none').attr('stroke', theme.missing);
      labelMarker(marker, p);
    } else if (Number.isNaN(p.number)) {
      const marker = gaps.append('path').attr('d', symbol(symbolX, markerSize)()).attr('transform', `translate(${px},${innerHeight - 10})`).attr('stroke', theme.nonFinite).attr('stroke-width', 2);
      labelMarker(marker, p);
    } else {
      const top = p.number > 0;
      const marker = gaps.append('path').attr('d', symbol(symbolTriangle, markerSize)()).attr('transform', `translate(${px},${top ? 8 : innerHeight - 10}) rotate(${top ? 0 : 180})`).attr('fill', theme.nonFinite);
      labelMarker(marker, p);
    }
  }
}

function labelMarker<E extends SVGElement>(marker: Selection<E, unknown, null, undefined>, point: Point): void {
  marker.attr('class', 'gap-marker').attr('data-index', point.index).append('title').text(tooltip(point));
}

function drawCategorical(frame: Frame, points: Point[], categories: string[], labelColumns: number, lines: boolean): void {
  const { plot, x, innerWidth, innerHeight, theme } = frame;
  const y = scalePoint<string>().domain(categories).range([0, innerHeight]).padding(0.5);
  const shownCategories = thinLabels(categories.map((c) => y(c) ?? 0), TICK_FONT * 1.4).map((i) => categories[i]);
  const yAxis = plot.append('g').attr('class', 'y-axis').call(axisLeft(y).tickValues(shownCategories).tickFormat((c) => shortLabel(c, labelColumns)));
  yAxis.attr('font-family', theme.font).attr('font-size', TICK_FONT);
  yAxis.selectAll('.tick line').clone().attr('x2', innerWidth).attr('stroke', theme.grid).attr('class', 'grid');

  if (lines) {
    const step = line<Point>()
      .x(x)
      .y((p) => y(p.category) ?? 0)
      .curve(curveStepAfter);
    plot.append('path').attr('class', 'series-line').attr('d', step(points)).attr('fill', 'none').attr('stroke', theme.palette[0]).attr('stroke-opacity', 0.35).attr('stroke-width', 1);
  }
  const dots = plot.append('g').attr('class', 'points');
  for (const p of points) appendPoint(dots, frame, p, y(p.category) ?? 0);
}
