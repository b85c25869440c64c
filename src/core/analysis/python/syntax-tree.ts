/**
 * A plain-JavaScript copy of a tree-sitter tree. Reading node properties through the WASM boundary
 * is slow, so the tree is copied once with a cursor (iteratively: deep nesting cannot overflow the
 * stack) and the analysis walks the copy.
 */
import type { Language, Tree } from 'web-tree-sitter';
import { walkTree, type CursorExports } from './tree-walk';

export interface PyNode {
  type: string;
  named: boolean;
  missing: boolean;
  field: string | null;
  startRow: number;
  startCol: number;
  endRow: number;
  endCol: number;
  startIndex: number;
  endIndex: number;
  children: PyNode[];
}

const SKIPPED_TYPES = new Set(['comment', 'line_continuation']);

export interface CopiedTree {
  root: PyNode;
  /** True when the copy stopped at `maxNodes`; later statements are missing from the root. */
  truncated: boolean;
}

/** Offsets of line starts, to turn character offsets into rows and columns without WASM calls. */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The row holding `index`, searching forward from `hint` (a walk in source order moves forward). */
function rowOf(starts: number[], index: number, hint: number): number {
  if (starts[hint] <= index) {
    let row = hint;
    while (row + 1 < starts.length && starts[row + 1] <= index) row += 1;
    return row;
  }
  let lo = 0;
  let hi = hint;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const ERROR_SYMBOL = 65535;

/** Per-symbol facts of a grammar, read once (never during a walk: see tree-walk.ts). */
interface SymbolTable {
  typeNames: string[];
  named: boolean[];
  skipped: boolean[];
  fieldNames: (string | null)[];
}

const symbolTables = new WeakMap<Language, SymbolTable>();

function symbolTable(language: Language): SymbolTable {
  let table = symbolTables.get(language);
  if (!table) {
    const typeNames = language.types.map((name) => name ?? 'ERROR');
    table = {
      typeNames,
      named: typeNames.map((_, symbol) => language.nodeTypeIsNamed(symbol)),
      skipped: typeNames.map((name) => SKIPPED_TYPES.has(name)),
      fieldNames: language.fields.map((name) => name ?? null),
    };
    symbolTables.set(language, table);
  }
  return table;
}

/** The children array of every leaf: shared, so frozen. */
const NO_CHILDREN: PyNode[] = Object.freeze([]) as unknown as PyNode[];

/**
 * Copies the tree. Each cursor call crosses into WASM, so few are made: type and field ids for
 * every node, the start offset of leaves, the end offset of named leaves only (an anonymous
 * token's text is its type, so its end follows from its start). A parent's range is that of its
 * children; rows and columns come from the source's line starts. `source` must be the parsed text
 * with `\n` line breaks. With `fastCursor`, the walk bypasses web-tree-sitter's cursor wrapper (see
 * tree-walk.ts); everything read from the tree object itself is read before the walk starts.
 */
export function copyTree(tree: Tree, source: string, maxNodes: number, fastCursor?: CursorExports): CopiedTree {
  const { typeNames, named, skipped, fieldNames } = symbolTable(tree.language);
  const checkMissing = tree.rootNode.hasError;
  const starts = lineStarts(source);
  let rowHint = 0;
  const cursor = walkTree(tree, fastCursor);
  const makeNode = (symbol: number): PyNode => ({
    type: symbol === ERROR_SYMBOL ? 'ERROR' : typeNames[symbol] ?? 'ERROR',
    named: symbol === ERROR_SYMBOL || named[symbol] === true,
    missing: checkMissing && cursor.isMissing(),
    field: fieldNames[cursor.fieldId()] ?? null,
    startRow: 0,
    startCol: 0,
    endRow: 0,
    endCol: 0,
    startIndex: 0,
    endIndex: 0,
    children: NO_CHILDREN,
  });
  const positionLeaf = (node: PyNode): void => {
    const startIndex = cursor.startIndex();
    const endIndex = node.missing ? startIndex : node.named ? cursor.endIndex() : startIndex + node.type.length;
    const startRow = rowOf(starts, startIndex, rowHint);
    const endRow = rowOf(starts, endIndex, startRow);
    rowHint = startRow;
    node.startIndex = startIndex;
    node.endIndex = endIndex;
    node.startRow = startRow;
    node.startCol = startIndex - starts[startRow];
    node.endRow = endRow;
    node.endCol = endIndex - starts[endRow];
  };
  // Children of the open nodes, one run per open node (from `firstChildAt`), so that each
  // finished node gets an array of exactly its children.
  const pending: PyNode[] = [];
  const firstChildAt: number[] = [];
  /** Called when all children of the innermost open node are copied. */
  const closeParent = (node: PyNode, fallback: number): void => {
    const from = firstChildAt.pop() as number;
    if (pending.length > from) {
      const first = pending[from];
      const last = pending[pending.length - 1];
      node.children = pending.slice(from);
      pending.length = from;
      node.startIndex = first.startIndex;
      node.startRow = first.startRow;
      node.startCol = first.startCol;
      node.endIndex = last.endIndex;
      node.endRow = last.endRow;
      node.endCol = last.endCol;
    } else {
      const row = rowOf(starts, fallback, 0);
      node.children = [];
      node.startIndex = node.endIndex = fallback;
      node.startRow = node.endRow = row;
      node.startCol = node.endCol = fallback - starts[row];
    }
  };
  const root = makeNode(cursor.typeId());
  const stack: PyNode[] = [root];
  firstChildAt.push(0);
  let count = 1;
  let truncated = false;
  let lastEnd = 0;
  const finish = (): CopiedTree => {
    while (stack.length > 0) closeParent(stack.pop() as PyNode, lastEnd);
    return { root, truncated };
  };
  try {
    if (!cursor.gotoFirstChild()) return finish();
    for (;;) {
      const symbol = cursor.typeId();
      if (symbol === ERROR_SYMBOL || !skipped[symbol]) {
        if (++count > maxNodes) {
          truncated = true;
          // Drop the statement being copied so the analysis never sees half of it.
          if (stack.length > 1) {
            pending.length = firstChildAt[1] - 1;
            stack.length = 1;
            firstChildAt.length = 1;
          }
          break;
        }
        const node = makeNode(symbol);
        pending.push(node);
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          firstChildAt.push(pending.length);
          continue;
        }
        positionLeaf(node);
        lastEnd = node.endIndex;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) return finish();
        closeParent(stack.pop() as PyNode, lastEnd);
      }
    }
    return finish();
  } finally {
    cursor.delete();
  }
}

// Plain loops: these run for most nodes, and a `find`/`filter` callback is an allocation per call.

export function childByField(node: PyNode, field: string): PyNode | undefined {
  const children = node.children;
  for (let i = 0; i < children.length; i += 1) if (children[i].field === field) return children[i];
  return undefined;
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  const out: PyNode[] = [];
  for (const child of node.children) if (child.field === field) out.push(child);
  return out;
}

export function namedChildren(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const child of node.children) if (child.named) out.push(child);
  return out;
}

export function hasToken(node: PyNode, token: string): boolean {
  for (const child of node.children) if (!child.named && child.type === token) return true;
  return false;
}
