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

function rowOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const ERROR_SYMBOL = 65535;

const namedByLanguage = new WeakMap<Language, boolean[]>();

/** Whether each symbol of the grammar is named, read once per grammar (not during a walk). */
function namedSymbols(language: Language): boolean[] {
  let named = namedByLanguage.get(language);
  if (!named) {
    named = language.types.map((_, symbol) => language.nodeTypeIsNamed(symbol));
    namedByLanguage.set(language, named);
  }
  return named;
}

/**
 * Copies the tree. Each cursor property read crosses into WASM, so few are read: type and field
 * ids for every node, the start offset of leaves, the end offset of named leaves only (an anonymous
 * token's text is its type, so its end follows from its start). A parent's range is that of its
 * children; rows and columns come from the source's line starts. `source` must be the parsed text
 * with `\n` line breaks. With `fastCursor`, the walk bypasses web-tree-sitter's cursor wrapper (see
 * tree-walk.ts); everything read from the tree object itself is read before the walk starts.
 */
export function copyTree(tree: Tree, source: string, maxNodes: number, fastCursor?: CursorExports): CopiedTree {
  const language = tree.language;
  const typeNames = language.types;
  const namedBySymbol = namedSymbols(language);
  const isNamed = (symbol: number): boolean => symbol === ERROR_SYMBOL || namedBySymbol[symbol] === true;
  const fieldNames = language.fields;
  const checkMissing = tree.rootNode.hasError;
  const starts = lineStarts(source);
  const setPositions = (node: PyNode, startIndex: number, endIndex: number): void => {
    node.startIndex = startIndex;
    node.endIndex = endIndex;
    node.startRow = rowOf(starts, startIndex);
    node.startCol = startIndex - starts[node.startRow];
    node.endRow = rowOf(starts, endIndex);
    node.endCol = endIndex - starts[node.endRow];
  };
  const cursor = walkTree(tree, fastCursor);
  const makeNode = (symbol: number): PyNode => {
    const named = isNamed(symbol);
    return {
      type: symbol === ERROR_SYMBOL ? 'ERROR' : typeNames[symbol] ?? 'ERROR',
      named,
      missing: checkMissing && cursor.isMissing(),
      field: fieldNames[cursor.fieldId()] ?? null,
      startRow: 0,
      startCol: 0,
      endRow: 0,
      endCol: 0,
      startIndex: 0,
      endIndex: 0,
      children: [],
    };
  };
  const positionLeaf = (node: PyNode): void => {
    const startIndex = cursor.startIndex();
    const endIndex = node.missing ? startIndex : node.named ? cursor.endIndex() : startIndex + node.type.length;
    setPositions(node, startIndex, endIndex);
  };
  /** Called when all children of `node` are copied. */
  const positionParent = (node: PyNode, fallback: number): void => {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    if (first && last) setPositions(node, first.startIndex, last.endIndex);
    else setPositions(node, fallback, fallback);
  };
  const root = makeNode(cursor.typeId());
  const stack: PyNode[] = [root];
  let count = 1;
  let truncated = false;
  let lastEnd = 0;
  const finish = (): CopiedTree => {
    while (stack.length > 0) positionParent(stack.pop() as PyNode, lastEnd);
    return { root, truncated };
  };
  try {
    if (!cursor.gotoFirstChild()) return finish();
    for (;;) {
      const parent = stack[stack.length - 1];
      const symbol = cursor.typeId();
      if (!SKIPPED_TYPES.has(typeNames[symbol])) {
        if (++count > maxNodes) {
          truncated = true;
          // Drop the statement being copied so the analysis never sees half of it.
          if (stack.length > 1) {
            stack.length = 1;
            root.children.pop();
          }
          break;
        }
        const node = makeNode(symbol);
        parent.children.push(node);
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          continue;
        }
        positionLeaf(node);
        lastEnd = node.endIndex;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) return finish();
        positionParent(stack.pop() as PyNode, lastEnd);
      }
    }
    return finish();
  } finally {
    cursor.delete();
  }
}

export function childByField(node: PyNode, field: string): PyNode | undefined {
  return node.children.find((child) => child.field === field);
}

export function childrenByField(node: PyNode, field: string): PyNode[] {
  return node.children.filter((child) => child.field === field);
}

export function namedChildren(node: PyNode): PyNode[] {
  return node.children.filter((child) => child.named);
}

export function hasToken(node: PyNode, token: string): boolean {
  return node.children.some((child) => !child.named && child.type === token);
}
