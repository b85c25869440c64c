/**
 * Text from notebooks and stores (code, names, notes, reprs, ids, paths) is untrusted: a control
 * character in it could drive the terminal that shows it (window title, clear screen, OSC 52
 * clipboard writes, CSI/C1 sequences) or reorder what the reader sees (bidi overrides, as in
 * "Trojan Source"). These functions show such characters escaped instead, so the text stays
 * readable and nothing in it reaches a terminal as a control. The CLI applies them at its one
 * output boundary (src/cli/output.ts); the editor can use the same rule.
 */

/**
 * C0 controls (tab and newline handled by the caller), DEL, C1 controls, the bidi marks,
 * embeddings, overrides and isolates, and the Unicode line and paragraph separators.
 */
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_WITH_TAB = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same set but newline and tab, for text whose line layout is meant (listings, tables, CSV). */
const UNSAFE_IN_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What may remain raw inside JSON text: JSON.stringify escapes C0 but not DEL, C1 or bidi. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const hex = (code: number, width: number) => code.toString(16).padStart(width, '0');

/** `\x1b` for C0 and DEL (like Python's repr), `\u009b` for the rest. */
function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x80 ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`;
}

export type ControlLayout =
  /** Newlines and tabs stay (multi-line listings, tables, CSV). */
  | 'lines'
  /** Tabs stay, newlines are escaped (one line of text). */
  | 'line'
  /** Everything escaped, tabs and newlines too (a label, an id, a progress line). */
  | 'none';

/** `text` with every control character (see above) shown escaped, e.g. ESC as `\x1b`. */
export function escapeControls(text: string, layout: ControlLayout = 'lines'): string {
  const pattern = layout === 'lines' ? UNSAFE_IN_LAYOUT : layout === 'line' ? UNSAFE : UNSAFE_WITH_TAB;
  return text.replace(pattern, escapeChar);
}

/**
 * JSON text with DEL, C1 and bidi characters written as `\uXXXX` escapes: the same JSON value,
 * but nothing a terminal could act on. Valid on any JSON text: these characters can only occur
 * inside strings, where `\uXXXX` stands for exactly them.
 */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => `\\u${hex(ch.charCodeAt(0), 4)}`);
}
