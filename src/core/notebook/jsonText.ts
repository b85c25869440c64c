/**
 * Positions of values inside JSON text, for editing a document without re-serialising it. The text
 * must already be valid JSON (JSON.parse accepted it). Skipping a value is iterative, so nesting
 * depth costs no stack.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Member {
  key: string;
  /** The key's string token, quotes included. */
  keySpan: Span;
  value: Span;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

export function skipWhitespace(text: string, at: number): number {
  while (at < text.length && WHITESPACE.has(text[at])) at++;
  return at;
}

/** End (exclusive) of the string token starting at `at` (a `"`). */
function stringEnd(text: string, at: number): number {
  let i = at + 1;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote < 0) throw new Error(`unterminated string at ${at}`);
    let backslashes = 0;
    for (let j = quote - 1; text[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    i = quote + 1;
  }
}

/** End (exclusive) of the value starting at `at` (no leading whitespace). */
export function valueEnd(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return stringEnd(text, at);
  if (first !== '{' && first !== '[') {
    let i = at;
    while (i < text.length && !WHITESPACE.has(text[i]) && text[i] !== ',' && text[i] !== '}' && text[i] !== ']') i++;
    return i;
  }
  // Jump from one structural character to the next (a native regex scan, not a loop per character).
  const structural = /["{}[\]]/g;
  let depth = 0;
  structural.lastIndex = at;
  for (let match = structural.exec(text); match; match = structural.exec(text)) {
    const c = match[0];
    if (c === '"') {
      structural.lastIndex = stringEnd(text, match.index);
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (--depth === 0) return match.index + 1;
  }
  throw new Error(`unterminated value at ${at}`);
}

/** The members of the object whose `{` is at `at`, in text order. */
export function objectMembers(text: string, at: number): Member[] {
  if (text[at] !== '{') throw new Error(`expected an object at ${at}`);
  const members: Member[] = [];
  let i = skipWhitespace(text, at + 1);
  if (text[i] === '}') return members;
  for (;;) {
    const keyStart = i;
    const keyEnd = stringEnd(text, keyStart);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    i = skipWhitespace(text, keyEnd);
    if (text[i] !== ':') throw new Error(`expected ':' at ${i}`);
    const valueStart = skipWhitespace(text, i + 1);
    const end = valueEnd(text, valueStart);
    members.push({ key, keySpan: { start: keyStart, end: keyEnd }, value: { start: valueStart, end } });
    i = skipWhitespace(text, end);
    if (text[i] === ',') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (text[i] === '}') return members;
    throw new Error(`expected ',' or '}' at ${i}`);
  }
}

/** The element spans of the array whose `[` is at `at`. */
export function arrayElements(text: string, at: number): Span[] {
  if (text[at] !== '[') throw new Error(`expected an array at ${at}`);
  const elements: Span[] = [];
  let i = skipWhitespace(text, at + 1);
  if (text[i] === ']') return elements;
  for (;;) {
    const end = valueEnd(text, i);
    elements.push({ start: i, end });
    i = skipWhitespace(text, end);
    if (text[i] === ',') {
      i = skipWhitespace(text, i + 1);
      continue;
    }
    if (text[i] === ']') return elements;
    throw new Error(`expected ',' or ']' at ${i}`);
  }
}

/** The member JSON.parse would keep for `key` (the last of duplicates). */
export function findMember(members: readonly Member[], key: string): Member | undefined {
  for (let i = members.length - 1; i >= 0; i--) if (members[i].key === key) return members[i];
  return undefined;
}
