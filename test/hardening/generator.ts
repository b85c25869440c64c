/**
 * A seeded generator of malformed notebooks: invalid JSON, wrong nbformat, wrong types at every
 * level of the document, invalid UTF-8, NUL bytes, huge and deep inputs, and special files in
 * place of a notebook. The same seed gives the same cases, so a failure is reproduced by its seed
 * (printed by the suite) and case name.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync } from 'node:fs';
import { mulberry32 } from '../../src/core/seededRandom';

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return { next, int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] };
}

/** A case: bytes to write as the notebook, or a special file to create in its place. */
export type NotebookCase =
  | { name: string; kind: string; bytes: Buffer }
  | { name: string; kind: 'special'; make: (file: string) => void; writable: false };

/** A small, valid notebook (two code cells tagged for lineage, a markdown cell, a big integer). */
export function baseNotebook(): Record<string, unknown> {
  return {
    cells: [
      { cell_type: 'markdown', id: 'm0', metadata: {}, source: ['# title\n'] },
      { cell_type: 'code', id: 'c1', metadata: { tags: ['parameters'] }, execution_count: 1, outputs: [], source: ['n = 3\n'] },
      { cell_type: 'code', id: 'c2', metadata: {}, execution_count: 2, outputs: [], source: ['x = n * 2\n', 'y = x + 1\n'] },
    ],
    metadata: {
      kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
      language_info: { name: 'python', version: '3.11.2' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const text = (doc: unknown) => Buffer.from(JSON.stringify(doc, null, 1) + '\n', 'utf8');

/** Every path (list of keys/indices) to a value in `doc`, the root included. */
function paths(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(doc)) doc.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(doc: unknown, at: (string | number)[], value: unknown): unknown {
  if (!at.length) return value;
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let node = copy;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
  return copy;
}

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Values of a type other than the one at a path (JSON text, since some are not JS values). */
const WRONG_VALUES = ['null', '0', '-1', '1.5', '12345678901234567890123', 'true', '"text"', '""', '[]', '[1,"a",null]', '{}', '{"k":{"k":[]}}'];

/** The document's text with the value at `at` replaced by raw JSON text `raw`. */
function replaceRaw(doc: unknown, at: (string | number)[], raw: string): Buffer {
  const marker = '__nbprov_fuzz_marker__';
  return Buffer.from(JSON.stringify(setAt(doc, at, marker), null, 1).replace(`"${marker}"`, raw) + '\n', 'utf8');
}

/** The generated cases: fixed ones (every kind at least once), then `random` seeded mutations. */
export function notebookCases(seed: number, random: number, options: { huge: boolean }): NotebookCase[] {
  const r = rng(seed);
  const base = baseNotebook();
  const baseText = text(base);
  const cases: NotebookCase[] = [];
  const add = (kind: string, name: string, bytes: Buffer) => cases.push({ name: `${kind}/${name}`, kind, bytes });

  // Fixed cases: each named problem of the issue, once.
  add('json', 'empty-file', Buffer.alloc(0));
  add('json', 'truncated', baseText.subarray(0, Math.floor(baseText.length / 2)));
  add('json', 'not-an-object', Buffer.from('[1, 2, 3]'));
  add('json', 'trailing-garbage', Buffer.concat([baseText, Buffer.from('}{')]));
  add('nbformat', 'v3', text({ ...base, nbformat: 3 }));
  add('nbformat', 'string', text({ ...base, nbformat: '4' }));
  add('nbformat', 'missing', text({ ...base, nbformat: undefined }));
  add('nbformat', 'v5', text({ ...base, nbformat: 5 }));
  add('types', 'language_info.name-number', replaceRaw(base, ['metadata', 'language_info', 'name'], '5'));
  add('types', 'vscode.languageId-number', replaceRaw(base, ['cells', 1, 'metadata'], '{"vscode":{"languageId":7}}'));
  add('types', 'kernelspec-string', replaceRaw(base, ['metadata', 'kernelspec'], '"python3"'));
  add('types', 'cells-object', replaceRaw(base, ['cells'], '{}'));
  add('types', 'cell-id-number', replaceRaw(base, ['cells', 2, 'id'], '2'));
  add('types', 'duplicate-cell-ids', replaceRaw(base, ['cells', 2, 'id'], '"c1"'));
  add('types', 'empty-notebook', text({ ...base, cells: [] }));
  add('types', 'big-integers', replaceRaw(base, ['metadata', 'language_info', 'version'], '{"n": 12345678901234567890123, "m": 9007199254740993}'));
  add('utf8', 'invalid-byte', Buffer.concat([baseText.subarray(0, 40), Buffer.from([0xff, 0xfe]), baseText.subarray(40)]));
  add('utf8', 'overlong-in-source', Buffer.from(baseText.toString('latin1').replace('n = 3', 'n = \u00c0\u0080'), 'latin1'));
  add('utf8', 'surrogate-bytes', Buffer.from(baseText.toString('latin1').replace('# title', '# \u00ed\u00a0\u0080'), 'latin1'));
  add('utf8', 'bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), baseText]));
  add('nul', 'raw-byte', Buffer.concat([baseText.subarray(0, 60), Buffer.from([0]), baseText.subarray(60)]));
  add('nul', 'escaped-in-source', text(setAt(base, ['cells', 1, 'source'], ['n = "\u0000"\n'])));
  add('deep', 'metadata-10000-arrays', replaceRaw(base, ['metadata', 'deep'], nested(10_000, 'array')));
  add('deep', 'cell-metadata-10000-objects', replaceRaw(base, ['cells', 1, 'metadata', 'deep'], nested(10_000, 'object')));
  add('deep', 'source-nested-lists', replaceRaw(base, ['cells', 1, 'source'], nested(5_000, 'array')));
  add('huge', 'many-cells', text({ ...base, cells: Array.from({ length: options.huge ? 20_000 : 2_000 }, (_, i) => ({ cell_type: 'code', id: `h${i}`, metadata: {}, outputs: [], execution_count: null, source: `v${i} = ${i}\n` })) }));
  add('huge', 'long-line', text(setAt(base, ['cells', 2, 'source'], ['s = "' + 'a'.repeat(options.huge ? 8_000_000 : 1_000_000) + '"\n'])));
  if (options.huge) add('deep', 'metadata-1000000-arrays', replaceRaw(base, ['metadata', 'deep'], nested(1_000_000, 'array')));

  const special = (name: string, make: (file: string) => void) => cases.push({ name: `special/${name}`, kind: 'special', make, writable: false });
  special('fifo', (file) => mkfifoSync(file));
  special('dev-zero-symlink', (file) => symlink('/dev/zero', file));
  special('dev-null-symlink', (file) => symlink('/dev/null', file));
  special('directory', (file) => mkdir(file));
  special('dangling-symlink', (file) => symlink(`${file}.nowhere`, file));
  special('symlink-loop', (file) => symlink(file, file));
  special('sparse-over-size-limit', (file) => sparseFile(file, 600 * 1024 * 1024));

  // Random cases: a seeded mutation of the base notebook.
  const allPaths = paths(base);
  for (let i = 0; i < random; i++) {
    const mutation = r.int(6);
    if (mutation === 0) {
      // A wrong type at a random level of the document.
      const at = r.pick(allPaths);
      add('types', `wrong-type-${i}@${at.join('.') || 'root'}`, replaceRaw(base, at, r.pick(WRONG_VALUES)));
    } else if (mutation === 1) {
      // Invalid JSON: a byte removed, inserted or the text cut at a random place.
      const at = 1 + r.int(baseText.length - 2);
      const op = r.pick(['cut', 'drop', 'insert'] as const);
      const bytes =
        op === 'cut' ? baseText.subarray(0, at) : op === 'drop' ? Buffer.concat([baseText.subarray(0, at), baseText.subarray(at + 1)]) : Buffer.concat([baseText.subarray(0, at), Buffer.from([r.pick([0x22, 0x2c, 0x7b, 0x5d, 0x5c, 0x3a])]), baseText.subarray(at)]);
      add('json', `${op}-${i}@${at}`, bytes);
    } else if (mutation === 2) {
      // An invalid UTF-8 sequence at a random place.
      const at = r.int(baseText.length);
      const bad = r.pick([[0xff], [0xc3], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0xed, 0xbf, 0xbf]]);
      add('utf8', `bad-${i}@${at}`, Buffer.concat([baseText.subarray(0, at), Buffer.from(bad), baseText.subarray(at)]));
    } else if (mutation === 3) {
      const at = r.int(baseText.length);
      add('nul', `nul-${i}@${at}`, Buffer.concat([baseText.subarray(0, at), Buffer.from([0]), baseText.subarray(at)]));
    } else if (mutation === 4) {
      // Deep nesting at a random place, of a random kind.
      const at = r.pick(allPaths.filter((p) => p.length > 0));
      const depth = r.pick([200, 2_000, 20_000]);
      add('deep', `deep-${i}@${at.join('.')}x${depth}`, replaceRaw(base, at, nested(depth, r.pick(['array', 'object'] as const))));
    } else {
      // Metadata with a wrong type where nbprov reads it.
      const where = r.pick([
        ['metadata', 'language_info'],
        ['metadata', 'kernelspec'],
        ['metadata', 'nbprov'],
        ['cells', 1, 'metadata', 'tags'],
        ['cells', 2, 'metadata', 'vscode'],
        ['cells', 1, 'execution_count'],
        ['cells', 2, 'outputs'],
      ] as (string | number)[][]);
      add('types', `metadata-${i}@${where.join('.')}`, replaceRaw(base, where, r.pick(WRONG_VALUES)));
    }
  }
  return cases;
}

function mkfifoSync(file: string): void {
  const made = spawnSync('mkfifo', [file]);
  if (made.status !== 0) throw new Error(`mkfifo ${file} failed: ${made.stderr}`);
}

function symlink(target: string, file: string): void {
  symlinkSync(target, file);
}

function mkdir(file: string): void {
  mkdirSync(file);
}

/** A file whose size is over the limit but that takes no disk space. */
function sparseFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
