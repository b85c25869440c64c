import { escapeControls } from '../../shared/controlChars';
import { displayWidth, padToWidth, singleLine, truncateToWidth } from './textWidth';

/**
 * Rows aligned in columns (by display width, so unicode lines up), cells made single-line and cut
 * to `maxCellWidth`. Trailing spaces are trimmed.
 */
export function alignedTable(rows: string[][], options: { indent?: string; maxCellWidth?: number; gap?: number } = {}): string {
  const { indent = '', maxCellWidth = 48, gap = 2 } = options;
  // Control characters shown escaped before measuring, so columns line up with what the terminal shows.
  const cells = rows.map((row) => row.map((cell) => truncateToWidth(singleLine(escapeControls(cell)), maxCellWidth)));
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return cells
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : padToWidth(cell, widths[i] + gap))).join('').trimEnd())
    .join('\n');
}
