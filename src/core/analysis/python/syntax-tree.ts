/**
 * A plain-JavaScript copy of a tree-sitter tree. Reading node properties through the WASM boundary
 * is slow, so the tree is copied once with a cursor (iteratively: deep nesting cannot overflow the
 * stack) and the analysis walks the copy.
 */
import type { Tree } from 'web-tree-sitter';

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

export function copyTree(tree: Tree, maxNodes: number): CopiedTree {
  const cursor = tree.walk();
  const makeNode = (): PyNode => ({
    type: cursor.nodeType,
    named: cursor.nodeIsNamed,
    missing: cursor.nodeIsMissing,
    field: cursor.currentFieldName,
    startRow: cursor.startPosition.row,
    startCol: cursor.startPosition.column,
    endRow: cursor.endPosition.row,
    endCol: cursor.endPosition.column,
    startIndex: cursor.startIndex,
    endIndex: cursor.endIndex,
    children: [],
  });
  const root = makeNode();
  const stack: PyNode[] = [root];
  let count = 1;
  let truncated = false;
  try {
    if (!cursor.gotoFirstChild()) return { root, truncated };
    for (;;) {
      const parent = stack[stack.length - 1];
      if (!SKIPPED_TYPES.has(cursor.nodeType)) {
        if (++count > maxNodes) {
          truncated = true;
          // Drop the statement being copied so the analysis never sees half of it.
          if (stack.length > 1) root.children.pop();
          break;
        }
        const node = makeNode();
        parent.children.push(node);
        if (cursor.gotoFirstChild()) {
          stack.push(node);
          continue;
        }
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || stack.length === 1) return { root, truncated };
        stack.pop();
      }
    }
    return { root, truncated };
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
