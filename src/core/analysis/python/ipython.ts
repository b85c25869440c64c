/**
 * IPython syntax → placeholder Python, keeping every line (and the columns of untouched lines) in
 * place, in the spirit of IPython's input transformers. The analysis parses the result and reports
 * each transformed line as a `magic` operation.
 */

export interface MagicLine {
  /** 1-based line of the magic in the cell. */
  line: number;
  /** Last 1-based line it covers (line continuations, cell-magic bodies that are not Python). */
  endLine: number;
  kind: 'line-magic' | 'cell-magic' | 'shell' | 'help';
  /** Magic name without `%` (`matplotlib`, `time`), or `!` for shell commands, `?` for help. */
  name: string;
  /** Text after the magic name. */
  args: string;
  /** Names the magic binds: the target of `x = !cmd`, `%store -r x`, `%%capture out`. */
  defines: string[];
  /** Names the magic reads: `{expr}` / `$name` expansions, `%store x`. */
  uses: string[];
  writesFile?: string;
  readsFile?: string;
}

export interface TransformedCell {
  code: string;
  magics: MagicLine[];
  /** Per 0-based line: how many columns the transformed line is shifted left of the original. */
  columnShift: Map<number, number>;
}

/** Cell magics whose body is Python, executed in the user namespace. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug']);
/** Line magics whose argument is a Python statement. */
const PYTHON_STATEMENT_LINE_MAGICS = new Set(['time', 'timeit', 'prun']);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT_OF_MAGIC = /^(\s*)([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)*)(\s*=\s*)([!%].*)$/;
const HELP = /^\s*(\?{1,2}[^\s?].*|[^\s?].*?\?{1,2})\s*$/;

/** Line-start states computed by a small tokenizer: is the line inside a string or brackets? */
export function continuationLines(lines: string[]): boolean[] {
  const continued: boolean[] = [];
  let depth = 0;
  let openString: string | null = null;
  let backslash = false;
  for (const line of lines) {
    continued.push(depth > 0 || openString !== null || backslash);
    backslash = false;
    let i = 0;
    while (i < line.length) {
      const ch = line[i];
      if (openString) {
        if (ch === '\\') i += 2;
        else if (line.startsWith(openString, i)) {
          i += openString.length;
          openString = null;
        } else i += 1;
        continue;
      }
      if (ch === '#') break;
      if (ch === '"' || ch === "'") {
        const triple = line.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
        openString = triple;
        i += triple.length;
        continue;
      }
      if (ch === '(' || ch === '[' || ch === '{') depth += 1;
      else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
      i += 1;
    }
    // A single-quoted string cannot span lines without a backslash; recover at end of line.
    if (openString && openString.length === 1) openString = null;
    backslash = line.endsWith('\\') && openString === null;
  }
  return continued;
}

/** Names read by IPython's expansion of `{expr}` and `$name` in magic and shell arguments. */
export function expansionNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
    for (const name of match[1].matchAll(/(?<![.\w])([A-Za-z_][A-Za-z0-9_]*)/g)) names.push(name[1]);
  }
  for (const match of text.matchAll(/(?<!\$)\$([A-Za-z_][A-Za-z0-9_]*)/g)) names.push(match[1]);
  return [...new Set(names)];
}

function placeholder(length: number): string {
  return length >= 2 ? `"${' '.repeat(length - 2)}"` : '0';
}

function splitMagic(text: string): { name: string; args: string } {
  const match = /^([A-Za-z_][\w.-]*)\s*(.*)$/s.exec(text);
  return match ? { name: match[1], args: match[2].trim() } : { name: '', args: text.trim() };
}

function lastWord(args: string): string | undefined {
  const words = args.split(/\s+/).filter((word) => word && !word.startsWith('-'));
  return words.at(-1);
}

function unquote(word: string): string {
  return /^(['"]).*\1$/.test(word) ? word.slice(1, -1) : word;
}

function lineMagicFacts(name: string, args: string): Pick<MagicLine, 'defines' | 'uses' | 'readsFile'> {
  const words = args.split(/\s+/).filter(Boolean);
  if (name === 'store') {
    if (words.includes('-r')) return { defines: words.filter((w) => IDENTIFIER.test(w)), uses: [] };
    if (words.some((w) => w.startsWith('-'))) return { defines: [], uses: [] };
    return { defines: [], uses: words.filter((w) => IDENTIFIER.test(w)) };
  }
  if (name === 'run' || name === 'load') {
    const file = words.find((w) => !w.startsWith('-'));
    return { defines: [], uses: expansionNames(args), ...(file ? { readsFile: unquote(file) } : {}) };
  }
  return { defines: [], uses: expansionNames(args) };
}

/** Handles a `%%magic` first line: returns the lines to keep and the magic record. */
function transformCellMagic(lines: string[]): { lines: string[]; magic: MagicLine } {
  const { name, args } = splitMagic(lines[0].trim().slice(2));
  const pythonBody = PYTHON_BODY_CELL_MAGICS.has(name);
  const magic: MagicLine = {
    line: 1,
    endLine: pythonBody ? 1 : lines.length,
    kind: 'cell-magic',
    name,
    args,
    defines: [],
    uses: pythonBody ? [] : expansionNames(args),
  };
  if (name === 'capture') {
    const target = lastWord(args);
    if (target && IDENTIFIER.test(target)) magic.defines.push(target);
  }
  if (name === 'writefile') {
    const file = lastWord(args);
    if (file) magic.writesFile = unquote(file);
  }
  const out = [placeholder(lines[0].length), ...lines.slice(1).map((line) => (pythonBody ? line : ''))];
  return { lines: out, magic };
}

export function transformIPython(code: string): TransformedCell {
  let lines = code.split(/\r\n|\r|\n/);
  const magics: MagicLine[] = [];
  const columnShift = new Map<number, number>();
  // Most cells hold no IPython syntax: skip the tokenizer unless a line could be one.
  if (!/^\s*[%!?]|\?\s*$|=\s*[!%]/m.test(code)) return { code, magics, columnShift };

  let firstLine = 0;
  while (firstLine < lines.length && lines[firstLine].trim() === '') firstLine += 1;
  if (firstLine === 0 && lines.length > 0 && lines[0].trimStart().startsWith('%%')) {
    const cell = transformCellMagic(lines);
    lines = cell.lines;
    magics.push(cell.magic);
    if (cell.magic.endLine > 1) return { code: lines.join('\n'), magics, columnShift };
  }

  const continued = continuationLines(lines);
  for (let i = 0; i < lines.length; i += 1) {
    if (continued[i] || magics.some((m) => m.line === i + 1)) continue;
    const line = lines[i];
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const body = line.slice(indent.length);
    let endLine = i;
    while (lines[endLine]?.endsWith('\\') && endLine + 1 < lines.length) endLine += 1;
    const fullText = [body, ...lines.slice(i + 1, endLine + 1)].join('\n');
    const blankContinuations = (): void => {
      for (let k = i + 1; k <= endLine; k += 1) lines[k] = '';
    };

    const assigned = ASSIGNMENT_OF_MAGIC.exec(line);
    if (assigned && !continued[i]) {
      const [, lead, targets, equals, magicText] = assigned;
      const isShell = magicText.startsWith('!');
      const { name, args } = isShell ? { name: '!', args: magicText.slice(1).trim() } : splitMagic(magicText.slice(1));
      const facts = isShell ? { defines: [], uses: expansionNames(args) } : lineMagicFacts(name, args);
      magics.push({
        line: i + 1,
        endLine: endLine + 1,
        kind: isShell ? 'shell' : 'line-magic',
        name,
        args,
        defines: targets.split(',').map((t) => t.trim()),
        uses: facts.uses,
      });
      lines[i] = `${lead}${targets}${equals}${placeholder(magicText.length)}`;
      blankContinuations();
      continue;
    }

    if (body.startsWith('%') && !body.startsWith('%%')) {
      const { name, args } = splitMagic(fullText.slice(1).replace(/\\\n/g, ' '));
      if (PYTHON_STATEMENT_LINE_MAGICS.has(name) && args && endLine === i) {
        const shift = line.indexOf(args, indent.length + 1) - indent.length;
        columnShift.set(i, shift);
        magics.push({ line: i + 1, endLine: i + 1, kind: 'line-magic', name, args, defines: [], uses: [] });
        lines[i] = `${indent}${args}`;
        continue;
      }
      magics.push({ line: i + 1, endLine: endLine + 1, kind: 'line-magic', name, args, ...lineMagicFacts(name, args) });
      lines[i] = `${indent}${placeholder(body.length)}`;
      blankContinuations();
      continue;
    }
    if (body.startsWith('!')) {
      const args = fullText.replace(/^!+/, '').trim();
      magics.push({ line: i + 1, endLine: endLine + 1, kind: 'shell', name: '!', args, defines: [], uses: expansionNames(args) });
      lines[i] = `${indent}${placeholder(body.length)}`;
      blankContinuations();
      continue;
    }
    if (body.includes('?') && HELP.test(body) && !/['"#]/.test(body)) {
      magics.push({ line: i + 1, endLine: i + 1, kind: 'help', name: '?', args: body.replace(/\?/g, '').trim(), defines: [], uses: [] });
      lines[i] = `${indent}${placeholder(body.length)}`;
    }
  }
  return { code: lines.join('\n'), magics, columnShift };
}
