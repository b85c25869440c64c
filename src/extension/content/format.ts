/**
 * Text helpers for hover and CodeLens content. Everything shown comes from user data (names, code,
 * reprs), so Markdown is built only through `code()` and `plain()`, which cannot open links or
 * HTML. Pure.
 */
import { INJECTED_PARAMETERS_CELL_ID, type ValueSummary } from '../../core/records';
import { describeValue, hashNote, statsText } from '../../core/trials/describeValue';
import { escapeControls } from '../../shared/controlChars';

/** Inline code whose fence is longer than any backtick run inside, on one line, at most `max` characters. */
export function code(text: string, max = 200): string {
  // A stray carriage return or other control would end the code span and let the rest be Markdown.
  const oneLine = clip(escapeControls(text.replace(/\s*\n\s*/g, ' ⏎ '), 'line'), max);
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

/** Plain text with every Markdown metacharacter escaped. */
export function plain(text: string): string {
  return escapeControls(text, 'line').replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

export function shortType(type: string): string {
  const parts = type.split('.');
  return parts[parts.length - 1] || type;
}

/** One glance at a value: the scalar itself, or type with shape, dtype and hash. */
export function valueGlance(value: ValueSummary, max: number): string {
  return clip(describeValue(value), max);
}

/** The details a hover shows beside the glance: type, shape, dtype, length, hash. */
export function valueDetails(value: ValueSummary): string[] {
  const details = [shortType(value.type)];
  if (value.shape) details.push(`shape (${value.shape.join(', ')})`);
  else if (value.length !== undefined) details.push(`len ${value.length}`);
  if (typeof value.dtype === 'string') details.push(`dtype ${value.dtype}`);
  else if (value.dtype) details.push(`${Object.keys(value.dtype).length} columns`);
  if (value.hash) details.push(`hash ${value.hash.slice(0, 12)}`);
  const note = hashNote(value);
  if (note) details.push(note);
  const stats = statsText(value);
  if (stats) details.push(stats);
  if (value.mutated) details.push('changed in place');
  if (value.error) details.push(`summary incomplete: ${value.error}`);
  return details;
}

/** Where an execution with no cell in the notebook came from: `nbprov run`'s injected parameters, or a deleted cell. */
export function noCellLabel(cellId: string | undefined): string {
  return cellId === INJECTED_PARAMETERS_CELL_ID ? 'the injected parameters' : 'a deleted cell';
}

/** `cell 3 [12]`: notebook position (0-based, as the CLI prints it) and execution count. */
export function cellLabel(cellIndex: number | null, executionCount: number | null, cellId?: string): string {
  const where = cellIndex === null ? noCellLabel(cellId) : `cell ${cellIndex}`;
  return executionCount === null ? where : `${where} [${executionCount}]`;
}

/** A `command:` link target with JSON arguments (VS Code decodes them from the query). */
export function commandUri(id: string, args: unknown[]): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}
