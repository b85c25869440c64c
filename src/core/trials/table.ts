import { escapeControls } from '../../shared/controlChars';
import { displayWidth, padToWidth, singleLine, truncateToWidth } from './textWidth';

export interface TableOptions {
  indent?: string;
  /** No cell is wider than this (default 48). */
  maxCellWidth?: number;
  gap?: number;
  /**
   * The whole line fits this many columns (a terminal's width): the widest shrinkable columns are
   * cut first, down to `minCellWidth`; the columns in `keep` are cut only when nothing else can be.
   */
  width?: number;
  /** Column indices cut last (e.g. the trial name and the parameters). */
  keep?: readonly number[];
  minCellWidth?: number;
}

/** Column widths that fit `options.width`, widest shrinkable column cut first. */
function fittedWidths(natural: number[], options: TableOptions): number[] {
  const widths = [...natural];
  const { width, gap = 2, indent = '', keep = [], minCellWidth = 8 } = options;
  if (width === undefined) return widths;
  const total = () => displayWidth(indent) + widths.reduce((sum, w) => sum + w, 0) + gap * Math.max(0, widths.length - 1);
  for (const protect of [true, false]) {
    while (total() > width) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (w > minCellWidth && !(protect && keep.includes(i)) && (widest < 0 || w > widths[widest])) widest = i;
      });
      if (widest < 0) break;
      widths[widest]--;
    }
  }
  return widths;
}

/**
 * Rows aligned in columns (by display width, so unicode lines up), cells made single-line and cut
 * to `maxCellWidth` and, with `width`, to fit the line. Trailing spaces are trimmed.
 */
export function alignedTable(rows: string[][], options: TableOptions = {}): string {
  const { indent = '', maxCellWidth = 48, gap = 2 } = options;
  // Control characters shown escaped before measuring, so columns line up with what the terminal shows.
  let cells = rows.map((row) => row.map((cell) => truncateToWidth(singleLine(escapeControls(cell)), maxCellWidth)));
  const natural: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (natural[i] = Math.max(natural[i] ?? 0, displayWidth(cell))));
  const widths = fittedWidths(natural, options);
  cells = cells.map((row) => row.map((cell, i) => (displayWidth(cell) > widths[i] ? truncateToWidth(cell, widths[i]) : cell)));
  return cells
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : padToWidth(cell, widths[i] + gap))).join('').trimEnd())
    .join('\n');
}
