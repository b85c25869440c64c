/**
 * CSV the way nbprov writes it (RFC 4180 quoting, `\n` between rows) with every cell safe to open
 * in a spreadsheet. Cells come from notebooks and stores (trial names, reprs, notebook paths), so
 * a cell such as `=HYPERLINK(…)` or `+cmd|…` would run as a formula. Following OWASP's CSV
 * injection guidance, a cell whose first character (after any leading spaces) is `=`, `+`, `-`,
 * `@`, a tab or a carriage return (or their full-width forms) is prefixed with a single quote and
 * quoted, which spreadsheets read as text. A plain decimal number such as `-0.25` or `-1e-5` cannot
 * be a formula and is kept as it is, so negative metrics stay numbers. Cells holding `;` or a tab
 * are quoted too, so a spreadsheet that splits on those still sees one cell.
 */

import { escapeControls } from './controlChars';

const FORMULA_START = /^[\s\u3000]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/;
const PLAIN_NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",;\t\r\n]/;

/**
 * One cell as CSV text: control characters but newline and tab shown escaped (as the CLI shows
 * them, so a CSV file is as safe to `cat` as the CLI's output), formula-neutralised (see above),
 * quoted when it needs quotes.
 */
export function csvCellText(value: string): string {
  const text = escapeControls(value);
  const neutral = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return neutral !== text || NEEDS_QUOTES.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/** Rows of string cells (missing ones empty) as CSV with a header row, ending without a newline. */
export function formatCsv<C extends string>(rows: readonly Partial<Record<C, string>>[], columns: readonly C[]): string {
  const lines = [columns.map(csvCellText).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCellText(row[c] ?? '')).join(','));
  return lines.join('\n');
}
