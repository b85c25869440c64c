import { drawSeriesChart, type ChartOptions } from '../../shared/chart/seriesChart';
import { rowText, type ValueSeries } from './series';
import { createSvgDocument } from './svgDocument';

export interface PlotOptions extends Pick<ChartOptions, 'width' | 'height' | 'title'> {
  /** See ChartOptions.xAxis; the CLI plots against trials, never against another variable. */
  xAxis?: 'auto' | 'time' | 'order';
}

/**
 * Renders a variable's series across trials as a self-contained SVG document, without a browser:
 * the same drawing the Across-trials panel uses, on a linkedom document.
 */
export function renderSeriesSvg(series: ValueSeries, options: PlotOptions = {}): string {
  const { root, serialize } = createSvgDocument(options.width ?? 900, options.height ?? 520);
  // One line per notebook (never one line joining two notebooks' trials); complex values labelled with their short hash.
  const notebooks = new Set(series.rows.map((r) => r.notebook ?? ''));
  const rows = series.rows.map((r) => ({ ...r, repr: rowText(r), ...(notebooks.size > 1 ? { series: r.notebook ?? '' } : {}) }));
  drawSeriesChart(root, { variable: series.variable, rows }, options);
  return serialize();
}
