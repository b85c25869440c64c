/**
 * Files as lineage names: a write to a file is a change of the name `file:<path>`, a read uses it.
 * Paths come from literals or from names holding a constant string (`path = "x.txt"` in another
 * cell); a path that cannot be known is any file (`file:*`): writing it changes what every read may
 * see, and reading it may see every file written so far.
 */
import type { FileUse } from '../analysis/facts';
import type { Binding } from './calls';

const PREFIX = 'file:';
export const ANY_FILE = `${PREFIX}*`;

export function isFileName(name: string): boolean {
  return name.startsWith(PREFIX);
}

/** The lineage name of a file path (`./data.csv` and `data.csv` are one file). */
export function fileName(path: string): string {
  return PREFIX + path.replace(/^(\.\/)+/, '');
}

function pathOf(use: FileUse, lookup: (name: string) => Binding | undefined): string | undefined {
  if (use.path !== undefined) return use.path;
  return use.name === undefined ? undefined : lookup(use.name)?.text;
}

/** Lineage names a statement's file reads use; `known` are the file names seen so far. */
export function fileReads(uses: readonly FileUse[], lookup: (name: string) => Binding | undefined, known: Iterable<string>): string[] {
  const names: string[] = [];
  let unknown = false;
  for (const use of uses) {
    if (use.access !== 'read') continue;
    const path = pathOf(use, lookup);
    if (path === undefined) unknown = true;
    else names.push(fileName(path));
  }
  if (names.length === 0 && !unknown) return [];
  names.push(ANY_FILE);
  if (unknown) names.push(...known);
  return [...new Set(names)];
}

/** Lineage names a statement's file writes change. */
export function fileWrites(uses: readonly FileUse[], lookup: (name: string) => Binding | undefined): string[] {
  const names = new Set<string>();
  for (const use of uses) {
    if (use.access !== 'write') continue;
    const path = pathOf(use, lookup);
    names.add(path === undefined ? ANY_FILE : fileName(path));
  }
  return [...names];
}
