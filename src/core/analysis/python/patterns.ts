/** Names bound by assignment targets and `match` patterns. */
import type { PyNode } from './syntax-tree';

const DESTRUCTURING = new Set([
  'pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern',
  'list_splat', 'as_pattern_target', 'expression_list',
]);

/** Identifiers a target binds (`a`, `a, *b`, `(x, [y, z])`); attribute/subscript targets bind nothing. */
export function targetIdentifiers(target: PyNode): PyNode[] {
  const out: PyNode[] = [];
  const stack = [target];
  while (stack.length > 0) {
    const node = stack.pop() as PyNode;
    if (node.type === 'identifier') out.push(node);
    else if (DESTRUCTURING.has(node.type)) {
      for (let i = node.children.length - 1; i >= 0; i -= 1) if (node.children[i].named) stack.push(node.children[i]);
    }
  }
  return out;
}

export interface PatternNames {
  /** Identifiers a pattern binds when it matches (capture patterns, `as`, `*rest`, `**kw`). */
  captures: PyNode[];
  /** Expressions a pattern reads: class names and dotted value patterns (`Color.RED`). */
  reads: PyNode[];
}

const CAPTURE_PARENTS = new Set(['case_pattern', 'keyword_pattern']);

export function matchPatternNames(pattern: PyNode, source: string): PatternNames {
  const captures: PyNode[] = [];
  const reads: PyNode[] = [];
  const stack: { node: PyNode; parent: PyNode | null }[] = [{ node: pattern, parent: null }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop() as { node: PyNode; parent: PyNode | null };
    const named = node.children.filter((child) => child.named);
    switch (node.type) {
      case 'dotted_name':
        if (named.length === 1 && parent && CAPTURE_PARENTS.has(parent.type)) {
          if (named[0].type === 'identifier') captures.push(named[0]);
        } else if (named[0]) reads.push(named[0]);
        continue;
      case 'identifier':
        // `as` targets, `*rest`, `**kw`; the keyword of `x=a` is skipped below.
        captures.push(node);
        continue;
      case 'keyword_pattern':
        for (const child of named.slice(1).reverse()) stack.push({ node: child, parent: node });
        continue;
      case 'class_pattern': {
        const [cls, ...args] = named;
        if (cls?.type === 'dotted_name') {
          const root = cls.children.find((child) => child.named);
          if (root) reads.push(root);
        }
        for (const child of args.reverse()) stack.push({ node: child, parent: node });
        continue;
      }
      case 'dict_pattern':
        for (const child of [...named].reverse()) {
          if (child.field === 'key') {
            if (child.type === 'dotted_name' && child.children[0]) reads.push(child.children[0]);
          } else stack.push({ node: child, parent: node });
        }
        continue;
      default:
        for (const child of [...named].reverse()) stack.push({ node: child, parent: node });
    }
  }
  return { captures: captures.filter((id) => source.slice(id.startIndex, id.endIndex) !== '_'), reads };
}

/** True when a case pattern always matches (`case _:` or a bare capture `case x:`). */
export function isIrrefutable(casePattern: PyNode): boolean {
  const named = casePattern.children.filter((child) => child.named);
  if (named.length === 0) return true;
  if (named.length !== 1) return false;
  const only = named[0];
  return only.type === 'dotted_name' && only.children.filter((child) => child.named).length === 1;
}
