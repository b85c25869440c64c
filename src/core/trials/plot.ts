import { drawSeriesChart, type ChartOptions } from '../../shared/chart/seriesChart';
import type { ValueSeries } from './series';
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
  drawSeriesChart(root, { variable: series.variable, rows: series.rows }, options);
  return serialize();
}
