/**
 * Lexical scopes below the cell level and the "definitely bound so far" bookkeeping at the cell
 * level. The cell itself has no Scope object: a name that no inner scope declares is a cell-level
 * (global) name, and whether reading it is a use depends on DefiniteBindings.
 */
import ts from 'typescript';
import { boundNames } from './syntax';

/** Compiler API functions bound once (each `ts.X` access is a module getter call). */
const {
  forEachChild,
  isCaseBlock,
  isCaseOrDefaultClause,
  isCatchClause,
  isClassDeclaration,
  isClassLike,
  isEnumDeclaration,
  isFunctionDeclaration,
  isFunctionLike,
  isStatement,
  isTypeNode,
  isVariableDeclarationList,
  isVariableStatement,
} = ts;

const NodeFlags = ts.NodeFlags;

export type ScopeKind = 'function' | 'block' | 'class';

export class Scope {
  readonly names = new Set<string>();
  readonly params = new Set<string>();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
  ) {}

  /** The innermost scope that declares `name`, or undefined for a cell-level name. */
  resolve(name: string): Scope | undefined {
    if (this.names.has(name)) return this;
    return this.parent?.resolve(name);
  }
}

/** Declares what a block's own statements bind lexically: `let`, `const`, classes, functions, enums. */
export function declareLexical(scope: Scope, statements: readonly ts.Statement[]): void {
  for (const statement of statements) {
    if (isVariableStatement(statement)) {
      if (!isVarList(statement.declarationList)) declareList(scope, statement.declarationList);
    } else if (
      (isFunctionDeclaration(statement) || isClassDeclaration(statement) || isEnumDeclaration(statement)) &&
      statement.name
    ) {
      scope.names.add(statement.name.text);
    }
  }
}

export function declareList(scope: Scope, list: ts.VariableDeclarationList): void {
  for (const declaration of list.declarations) {
    for (const name of boundNames(declaration.name)) scope.names.add(name);
  }
}

export function isVarList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & NodeFlags.BlockScoped) === 0;
}

/**
 * Declares the `var`s of a function body (hoisted to the function), without entering nested
 * functions or classes. Iterative so deep nesting cannot overflow the stack.
 */
export function declareHoistedVars(scope: Scope, body: ts.Node): void {
  const pending: ts.Node[] = [body];
  while (pending.length > 0) {
    const node = pending.pop() as ts.Node;
    if (isVariableDeclarationList(node) && isVarList(node)) declareList(scope, node);
    forEachChild(node, (child) => {
      if (isFunctionLike(child) || isClassLike(child) || isTypeNode(child)) return;
      if (isStatement(child) || isVariableDeclarationList(child) || isCaseBlock(child) || isCaseOrDefaultClause(child) || isCatchClause(child)) {
        pending.push(child);
      }
    });
  }
}

/**
 * Names definitely bound so far, for the whole cell and for the current top-level statement.
 * Bindings inside a branch (an `if` arm, a loop body, a callback) are rolled back when the branch
 * ends, through a journal, so a branch costs only what it binds.
 */
export class DefiniteBindings {
  readonly cell = new Set<string>();
  readonly statement = new Set<string>();
  private readonly journal: { set: Set<string>; name: string }[] = [];

  startStatement(): void {
    this.statement.clear();
    this.journal.length = 0;
  }

  bind(name: string): void {
    for (const set of [this.cell, this.statement]) {
      if (!set.has(name)) {
        set.add(name);
        this.journal.push({ set, name });
      }
    }
  }

  /** Runs `body` as a branch; returns what it bound (already rolled back). */
  branch(body: () => void): { set: Set<string>; name: string }[] {
    const mark = this.journal.length;
    body();
    const bound = this.journal.splice(mark);
    for (const entry of bound) entry.set.delete(entry.name);
    return bound;
  }

  /** Re-binds what every one of several alternative branches bound (`if`/`else`, `a ? b : c`). */
  bindCommon(alternatives: { set: Set<string>; name: string }[][]): void {
    if (alternatives.length === 0) return;
    const [first, ...rest] = alternatives;
    const keysOf = (bound: { set: Set<string>; name: string }[]): Set<string> =>
      new Set(bound.map((entry) => `${entry.set === this.cell ? 'c' : 's'}:${entry.name}`));
    const others = rest.map(keysOf);
    for (const entry of first) {
      const key = `${entry.set === this.cell ? 'c' : 's'}:${entry.name}`;
      if (others.every((keys) => keys.has(key)) && !entry.set.has(entry.name)) {
        entry.set.add(entry.name);
        this.journal.push(entry);
      }
    }
  }
}
