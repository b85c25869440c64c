/**
 * The few cursor operations `copyTree` needs, two ways.
 *
 * web-tree-sitter's public TreeCursor copies its four-word state into WASM memory and back on
 * every call (eight DataView accesses plus a type-string switch each), which costs about five
 * times more than the walk itself: copying a 100-line cell took 1.5 ms, the parse 1.1 ms. Its
 * `*_wasm` exports keep the cursor in a transfer buffer between calls, so when nothing else
 * touches web-tree-sitter during a walk the cursor can stay there and be moved with bare WASM
 * calls. That protocol is internal to web-tree-sitter (checked against 0.25), so it is used only
 * when every export is present, and the public cursor remains the fallback; a test holds both
 * walks to the same copy.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';

export interface TreeWalk {
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  typeId(): number;
  fieldId(): number;
  startIndex(): number;
  endIndex(): number;
  isMissing(): boolean;
  /** Frees the cursor; the walk must not be used afterwards. */
  delete(): void;
}

/** The exports of web-tree-sitter's Emscripten module used here; each takes the tree's address. */
interface CursorExports {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
}

const EXPORT_NAMES: (keyof CursorExports)[] = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_delete_wasm',
];

/** The cursor exports of an initialised Emscripten module object, or undefined when any is missing. */
export function cursorExports(module: object | undefined): CursorExports | undefined {
  if (!module) return undefined;
  const candidate = module as Record<string, unknown>;
  return EXPORT_NAMES.every((name) => typeof candidate[name] === 'function') ? (module as CursorExports) : undefined;
}

/** The WASM address of a tree, kept by web-tree-sitter at index 0 of its Tree object. */
function treeAddress(tree: Tree): number | undefined {
  const address = (tree as unknown as Record<number, unknown>)[0];
  return typeof address === 'number' && address !== 0 ? address : undefined;
}

class PublicCursorWalk implements TreeWalk {
  constructor(private readonly cursor: TreeCursor) {}
  gotoFirstChild(): boolean {
    return this.cursor.gotoFirstChild();
  }
  gotoNextSibling(): boolean {
    return this.cursor.gotoNextSibling();
  }
  gotoParent(): boolean {
    return this.cursor.gotoParent();
  }
  typeId(): number {
    return this.cursor.nodeTypeId;
  }
  fieldId(): number {
    return this.cursor.currentFieldId;
  }
  startIndex(): number {
    return this.cursor.startIndex;
  }
  endIndex(): number {
    return this.cursor.endIndex;
  }
  isMissing(): boolean {
    return this.cursor.nodeIsMissing;
  }
  delete(): void {
    this.cursor.delete();
  }
}

/** A cursor living in web-tree-sitter's transfer buffer: valid only while no other web-tree-sitter call runs. */
class TransferBufferWalk implements TreeWalk {
  constructor(private readonly c: CursorExports, private readonly tree: number) {}
  gotoFirstChild(): boolean {
    return this.c._ts_tree_cursor_goto_first_child_wasm(this.tree) === 1;
  }
  gotoNextSibling(): boolean {
    return this.c._ts_tree_cursor_goto_next_sibling_wasm(this.tree) === 1;
  }
  gotoParent(): boolean {
    return this.c._ts_tree_cursor_goto_parent_wasm(this.tree) === 1;
  }
  typeId(): number {
    return this.c._ts_tree_cursor_current_node_type_id_wasm(this.tree);
  }
  fieldId(): number {
    return this.c._ts_tree_cursor_current_field_id_wasm(this.tree);
  }
  startIndex(): number {
    return this.c._ts_tree_cursor_start_index_wasm(this.tree);
  }
  endIndex(): number {
    return this.c._ts_tree_cursor_end_index_wasm(this.tree);
  }
  isMissing(): boolean {
    return this.c._ts_tree_cursor_current_node_is_missing_wasm(this.tree) === 1;
  }
  delete(): void {
    this.c._ts_tree_cursor_delete_wasm(this.tree);
  }
}

/**
 * A walk from the root of `tree`. With `exports`, the fast walk: the caller must make no other
 * web-tree-sitter call (not even a property read of a tree or node) until `delete()`.
 */
export function walkTree(tree: Tree, exports?: CursorExports): TreeWalk {
  const address = exports ? treeAddress(tree) : undefined;
  // `walk()` leaves the new cursor in the transfer buffer; its JS wrapper is then simply dropped
  // (it owns nothing: the cursor's memory is freed through the buffer by `delete()`).
  const cursor = tree.walk();
  return exports && address !== undefined ? new TransferBufferWalk(exports, address) : new PublicCursorWalk(cursor);
}

export type { CursorExports };
