/**
 * NotebookEdits applied to an .ipynb file's text, changing only the values the edits mean to change:
 * every other byte (indentation, key order, number spelling such as integers above 2^53, escapes,
 * non-ASCII text, line endings, trailing newline) stays as it was. New text follows the file's own
 * layout (indent unit, separators, line ending, sorted keys when the file's keys are sorted).
 * The result is checked: parsed, it must equal the parsed original with the edits applied.
 */
import { NotebookError } from './errors';
import { withCellTags, withVariableTags } from './metadataEdits';
import { arrayElements, findMember, objectMembers, skipWhitespace, valueEnd, type Member } from './jsonText';
import type { NotebookEdit } from './view';

type JsonText = string | readonly JsonText[] | { readonly [key: string]: JsonText };

interface Layout {
  /** null: the file is on one line (no indentation). */
  indentUnit: string | null;
  newline: string;
  keySeparator: string;
  itemSeparator: string;
  escapeNonAscii: boolean;
}

/** Applies `edits` in order to the notebook JSON `text` (as read from the file, byte-order mark included). */
export function applyNotebookEdits(text: string, edits: readonly NotebookEdit[], notebookPath: string): string {
  if (!edits.length) return text;
  const layout = detectLayout(text);
  let result = text;
  for (const edit of edits) {
    result = edit.kind === 'variableTags' ? setVariableTags(result, edit.variables, layout) : setCellTags(result, edit, layout, notebookPath);
  }
  verify(text, result, edits);
  return result;
}

// ── the two edits ───────────────────────────────────────────────────────────

function setVariableTags(text: string, variables: Readonly<Record<string, string>>, layout: Layout): string {
  text = ensureObjectMember(text, [], 'metadata', layout);
  const nbprov = valueAt(text, ['metadata', 'nbprov']);
  if (nbprov === undefined || text[nbprov] !== '{') return setMember(text, ['metadata'], 'nbprov', { variables }, layout);
  const vars = valueAt(text, ['metadata', 'nbprov', 'variables']);
  if (vars === undefined || text[vars] !== '{') return setMember(text, ['metadata', 'nbprov'], 'variables', variables, layout);
  const path = ['metadata', 'nbprov', 'variables'];
  for (const member of objectMembers(text, vars)) {
    if (!Object.hasOwn(variables, member.key)) text = removeMember(text, path, member.key);
  }
  for (const [name, role] of Object.entries(variables)) {
    const at = valueAt(text, [...path, name]);
    if (at !== undefined && text[at] === '"' && JSON.parse(text.slice(at, valueEnd(text, at))) === role) continue;
    text = setMember(text, path, name, role, layout);
  }
  return text;
}

function setCellTags(text: string, edit: Extract<NotebookEdit, { kind: 'cellTags' }>, layout: Layout, notebookPath: string): string {
  const cellPath = ['cells', edit.cellIndex];
  const cellStart = valueAt(text, cellPath);
  if (cellStart === undefined || text[cellStart] !== '{') {
    throw new NotebookError('notebook-changed', { path: notebookPath, detail: `it has no cell ${edit.cellIndex}` }, `${notebookPath} changed: it has no cell ${edit.cellIndex}; reload it and tag again`);
  }
  const idAt = valueAt(text, [...cellPath, 'id']);
  const rawId = idAt === undefined ? undefined : JSON.parse(text.slice(idAt, valueEnd(text, idAt)));
  const id = typeof rawId === 'string' && rawId ? rawId : `cell-${edit.cellIndex}`;
  if (id !== edit.cellId) {
    throw new NotebookError('notebook-changed', { path: notebookPath, detail: `cell ${edit.cellIndex} is now ${id}, not ${edit.cellId}` }, `${notebookPath} changed: cell ${edit.cellIndex} is no longer cell ${edit.cellId}; reload it and tag again`);
  }
  const metadataAt = valueAt(text, [...cellPath, 'metadata']);
  if (!edit.tags.length) {
    return metadataAt !== undefined && text[metadataAt] === '{' && valueAt(text, [...cellPath, 'metadata', 'tags']) !== undefined
      ? removeMember(text, [...cellPath, 'metadata'], 'tags')
      : text;
  }
  text = ensureObjectMember(text, cellPath, 'metadata', layout);
  return setMember(text, [...cellPath, 'metadata'], 'tags', edit.tags, layout);
}

// ── locating values ─────────────────────────────────────────────────────────

type JsonPath = readonly (string | number)[];

function rootStart(text: string): number {
  return skipWhitespace(text, text.startsWith('\uFEFF') ? 1 : 0);
}

/** Start of the value at `path`, or undefined when a step is missing or of the wrong kind. */
function valueAt(text: string, path: JsonPath): number | undefined {
  let at = rootStart(text);
  for (const step of path) {
    if (typeof step === 'number') {
      if (text[at] !== '[') return undefined;
      const element = arrayElements(text, at)[step];
      if (!element) return undefined;
      at = element.start;
    } else {
      if (text[at] !== '{') return undefined;
      const member = findMember(objectMembers(text, at), step);
      if (!member) return undefined;
      at = member.value.start;
    }
  }
  return at;
}

function objectAt(text: string, path: JsonPath): { start: number; members: Member[] } {
  const start = valueAt(text, path);
  if (start === undefined || text[start] !== '{') throw new Error(`no object at ${JSON.stringify(path)}`);
  return { start, members: objectMembers(text, start) };
}

// ── changing members ────────────────────────────────────────────────────────

/** Makes `key` of the object at `path` an object (a missing or non-object value becomes `{}`). */
function ensureObjectMember(text: string, path: JsonPath, key: string, layout: Layout): string {
  const at = valueAt(text, [...path, key]);
  return at !== undefined && text[at] === '{' ? text : setMember(text, path, key, {}, layout);
}

/** Sets `key` of the object at `path` to `value`: its value replaced in place, or a new member. */
function setMember(text: string, path: JsonPath, key: string, value: JsonText, layout: Layout): string {
  const { start, members } = objectAt(text, path);
  const existing = findMember(members, key);
  if (existing) {
    const serialised = serialise(value, layout, lineIndent(text, existing.keySpan.start));
    return splice(text, existing.value.start, existing.value.end, serialised);
  }
  const memberText = (indent: string) => JSON.stringify(key) + layout.keySeparator + serialise(value, layout, indent);
  if (!members.length) {
    const close = skipWhitespace(text, start + 1);
    if (layout.indentUnit === null) return splice(text, start + 1, close, memberText(''));
    const outer = lineIndent(text, start);
    const inner = outer + layout.indentUnit;
    return splice(text, start + 1, close, layout.newline + inner + memberText(inner) + layout.newline + outer);
  }
  const position = insertPosition(members, key);
  const gap = memberGap(text, members, layout);
  if (position === 0) {
    const first = members[0];
    return splice(text, first.keySpan.start, first.keySpan.start, memberText(lineIndent(text, first.keySpan.start)) + ',' + gap);
  }
  const before = members[position - 1];
  return splice(text, before.value.end, before.value.end, ',' + gap + memberText(lineIndent(text, before.keySpan.start)));
}

/** The whitespace between one member's comma and the next member's key, as this object or the file has it. */
function memberGap(text: string, members: readonly Member[], layout: Layout): string {
  if (members.length >= 2) return text.slice(skipBack(text, members[1].keySpan.start), members[1].keySpan.start);
  if (layout.indentUnit !== null) return text.slice(skipBack(text, members[0].keySpan.start), members[0].keySpan.start);
  return layout.itemSeparator.replace(',', '');
}

/** Removes every `key` member of the object at `path` (duplicates too: JSON.parse would see the next one). */
function removeMember(text: string, path: JsonPath, key: string): string {
  for (;;) {
    const { start, members } = objectAt(text, path);
    const i = members.findIndex((m) => m.key === key);
    if (i < 0) return text;
    if (members.length === 1) text = splice(text, start + 1, skipWhitespace(text, members[0].value.end), '');
    else if (i > 0) text = splice(text, members[i - 1].value.end, members[i].value.end, '');
    else text = splice(text, members[0].keySpan.start, members[1].keySpan.start, '');
  }
}

/** Keeps sorted keys sorted (Jupyter and VS Code write keys sorted); otherwise appends. */
function insertPosition(members: readonly Member[], key: string): number {
  const sorted = members.every((m, i) => i === 0 || members[i - 1].key <= m.key);
  if (!sorted) return members.length;
  const after = members.findIndex((m) => m.key > key);
  return after < 0 ? members.length : after;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Start of the whitespace run that ends at `at`. */
function skipBack(text: string, at: number): number {
  while (at > 0 && ' \t\n\r'.includes(text[at - 1])) at--;
  return at;
}

/** The indentation of the line `at` is on (its leading spaces and tabs). */
function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const match = /^[ \t]*/.exec(text.slice(lineStart, at));
  return match ? match[0] : '';
}

// ── writing new values in the file's layout ─────────────────────────────────

function detectLayout(text: string): Layout {
  const start = rootStart(text);
  const members = text[start] === '{' ? objectMembers(text, start) : [];
  const first = members[0];
  const leading = first ? text.slice(start + 1, first.keySpan.start) : '';
  const newlineAt = leading.lastIndexOf('\n');
  const keySeparator = first ? text.slice(first.keySpan.end, first.value.start) : ': ';
  const itemSeparator = members[1] ? text.slice(members[0].value.end, members[1].keySpan.start) : ', ';
  return {
    indentUnit: newlineAt < 0 ? null : leading.slice(newlineAt + 1) || ' ',
    newline: text.includes('\r\n') ? '\r\n' : '\n',
    keySeparator,
    itemSeparator: newlineAt < 0 ? itemSeparator : ',',
    // Python's json.dump(ensure_ascii=True) spells é as \u00e9: new text does the same.
    escapeNonAscii: !/[^\x00-\x7f]/.test(text) && /\\u(?:00[89a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]|[1-9a-fA-F][0-9a-fA-F]{2})[0-9a-fA-F]/.test(text),
  };
}

function serialiseString(value: string, layout: Layout): string {
  const json = JSON.stringify(value);
  return layout.escapeNonAscii ? json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** `value` as JSON in the file's layout, for a member whose line is indented by `indent`. */
function serialise(value: JsonText, layout: Layout, indent: string): string {
  if (typeof value === 'string') return serialiseString(value, layout);
  const inner = layout.indentUnit === null ? '' : indent + layout.indentUnit;
  const items = isArray(value)
    ? value.map((v) => serialise(v, layout, inner))
    : Object.entries(value).map(([k, v]) => serialiseString(k, layout) + layout.keySeparator + serialise(v, layout, inner));
  const [open, close] = isArray(value) ? ['[', ']'] : ['{', '}'];
  if (!items.length) return open + close;
  if (layout.indentUnit === null) return open + items.join(layout.itemSeparator) + close;
  return open + layout.newline + inner + items.join(',' + layout.newline + inner) + layout.newline + indent + close;
}

function isArray(value: JsonText): value is readonly JsonText[] {
  return Array.isArray(value);
}

// ── the check ───────────────────────────────────────────────────────────────

function verify(before: string, after: string, edits: readonly NotebookEdit[]): void {
  const parse = (t: string) => JSON.parse(t.startsWith('\uFEFF') ? t.slice(1) : t) as { metadata?: unknown; cells: { metadata?: unknown }[] };
  const expected = parse(before);
  for (const edit of edits) {
    if (edit.kind === 'variableTags') expected.metadata = withVariableTags(expected.metadata, edit.variables);
    else {
      const cell = expected.cells[edit.cellIndex];
      // A cell without metadata that loses its (absent) tags keeps no metadata: the text edit adds none.
      if (edit.tags.length || cell.metadata !== undefined) cell.metadata = withCellTags(cell.metadata, edit.tags);
    }
  }
  if (!jsonEqual(expected, parse(after))) throw new Error('editing the notebook text gave a different document than the edits describe; nothing was written');
}

/** Deep equality of parsed JSON, key order ignored; iterative, so any nesting depth is fine. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) {
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      return false;
    }
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x)) {
      const ys = y as unknown[];
      if (x.length !== ys.length) return false;
      x.forEach((v, i) => stack.push([v, ys[i]]));
      continue;
    }
    const xo = x as Record<string, unknown>;
    const yo = y as Record<string, unknown>;
    const keys = Object.keys(xo);
    if (keys.length !== Object.keys(yo).length) return false;
    for (const k of keys) {
      if (!Object.hasOwn(yo, k)) return false;
      stack.push([xo[k], yo[k]]);
    }
  }
  return true;
}
