import { displayWidth, singleLine, truncateToWidth } from './textWidth';

/** Average glyph width of a system sans-serif font, as a fraction of the font size. */
const GLYPH_EM = 0.56;

export function textPixels(text: string, fontSize: number): number {
  return displayWidth(text) * fontSize * GLYPH_EM;
}

/** A label safe to show: one line, cut with an ellipsis to `maxColumns` display columns. */
export function shortLabel(text: string, maxColumns: number): string {
  return truncateToWidth(singleLine(text), maxColumns);
}

/**
 * Indices of the labels to draw so that no two are closer than `minGap` pixels (positions in
 * increasing order). The first label is always kept, and the last one whenever spacing allows.
 */
export function thinLabels(positions: readonly number[], minGap: number): number[] {
  const kept: number[] = [];
  let last = -Infinity;
  positions.forEach((x, i) => {
    if (x - last >= minGap) {
      kept.push(i);
      last = x;
    }
  });
  // Prefer ending on the latest trial: swap it in for the last kept label when spacing allows.
  const lastIndex = positions.length - 1;
  if (kept.length >= 2 && kept[kept.length - 1] !== lastIndex && positions[lastIndex] - positions[kept[kept.length - 2]] >= minGap) {
    kept[kept.length - 1] = lastIndex;
  }
  return kept;
}
