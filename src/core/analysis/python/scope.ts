/**
 * Python scopes: which names are local to a function (decided statically, for the whole body, as
 * CPython does), and how a name read in some scope resolves.
 */
import { targetIdentifiers, matchPatternNames } from './patterns';
import { childByField, type PyNode } from './syntax-tree';

export type ScopeKind = 'module' | 'class' | 'function' | 'lambda' | 'comprehension';

/** What one top-level `def`/`class` collects while its body is walked. */
export interface FunctionCollector {
  kind: 'function' | 'class';
  name: string;
  params: string[];
  /** The top-level function's own scope (for `mutatedParams`); null for classes. */
  rootScope: Scope | null;
  freeVariables: Map<string, number>;
  globalWrites: Map<string, number>;
  mutatedGlobals: Map<string, number>;
  mutatedParams: Map<string, number>;
  callees: Map<string, number>;
  /** Locals of the function's own scope → names whose objects they may hold (for mutatedParams/mutatedGlobals through aliases). */
  localShares: Map<string, Set<string>>;
  /** The body yields: a call returns a generator. */
  generator?: boolean;
}

export interface Scope {
  kind: ScopeKind;
  parent: Scope | null;
  /** Names bound anywhere in a function/lambda/comprehension scope (parameters included). */
  locals: Set<string>;
  params: Set<string>;
  globals: Set<string>;
  nonlocals: Set<string>;
  /** Class bodies: names bound so far. */
  classBound: Set<string>;
  owner: FunctionCollector | null;
  /** Code in this scope runs later (inside a `def`), not when the cell runs. */
  deferred: boolean;
}

export function makeScope(kind: ScopeKind, parent: Scope | null, owner: FunctionCollector | null): Scope {
  return {
    kind,
    parent,
    locals: new Set(),
    params: new Set(),
    globals: new Set(),
    nonlocals: new Set(),
    classBound: new Set(),
    owner,
    deferred: kind === 'function' || (parent?.deferred ?? false),
  };
}

export type Resolution =
  | { kind: 'global'; deferred: boolean }
  | { kind: 'local'; scope: Scope };

export function resolveName(name: string, from: Scope): Resolution {
  let crossedFunction = false;
  for (let scope: Scope | null = from; scope; scope = scope.parent) {
    switch (scope.kind) {
      case 'module':
        return { kind: 'global', deferred: crossedFunction };
      case 'class':
        // A class body's names are visible only to the body itself, not to nested scopes.
        if (scope === from && scope.classBound.has(name)) return { kind: 'local', scope };
        break;
      case 'function':
      case 'lambda':
        if (scope.globals.has(name)) return { kind: 'global', deferred: crossedFunction || scope.kind === 'function' };
        if (!scope.nonlocals.has(name) && scope.locals.has(name)) return { kind: 'local', scope };
        crossedFunction ||= scope.kind === 'function';
        break;
      case 'comprehension':
        if (scope.locals.has(name)) return { kind: 'local', scope };
        break;
    }
  }
  return { kind: 'global', deferred: crossedFunction };
}

/** The scope a walrus binds in: the nearest enclosing scope that is not a comprehension. */
export function walrusScope(from: Scope): Scope {
  let scope = from;
  while (scope.kind === 'comprehension' && scope.parent) scope = scope.parent;
  return scope;
}

const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/**
 * Names a function body binds, and its `global`/`nonlocal` declarations. Nested function and class
 * bodies are not entered (only their names bind here); comprehensions contribute walrus targets only.
 */
export function scanFunctionBody(body: PyNode, source: string, scope: Scope): void {
  const text = (node: PyNode): string => source.slice(node.startIndex, node.endIndex);
  const bind = (target: PyNode | undefined): void => {
    if (target) for (const id of targetIdentifiers(target)) scope.locals.add(text(id));
  };
  const stack: { node: PyNode; inComprehension: boolean }[] = [{ node: body, inComprehension: false }];
  while (stack.length > 0) {
    const { node, inComprehension } = stack.pop() as { node: PyNode; inComprehension: boolean };
    const push = (child: PyNode | undefined, comp = inComprehension): void => {
      if (child) stack.push({ node: child, inComprehension: comp });
    };
    if (node.type === 'named_expression') bind(childByField(node, 'name'));
    if (inComprehension) {
      if (node.type !== 'lambda') for (const child of node.children) if (child.named) push(child);
      continue;
    }
    switch (node.type) {
      case 'function_definition':
      case 'class_definition':
        bind(childByField(node, 'name'));
        continue;
      case 'lambda':
        continue;
      case 'global_statement':
      case 'nonlocal_statement': {
        const declared = node.type === 'global_statement' ? scope.globals : scope.nonlocals;
        for (const child of node.children) if (child.type === 'identifier') declared.add(text(child));
        continue;
      }
      case 'assignment':
      case 'augmented_assignment':
      case 'for_statement':
        bind(childByField(node, 'left'));
        break;
      case 'as_pattern_target':
        bind(node);
        break;
      case 'except_clause': {
        const alias = childByField(node, 'alias');
        if (alias) bind(alias);
        break;
      }
      case 'delete_statement':
        for (const child of node.children) if (child.named) bind(child);
        break;
      case 'import_statement':
      case 'import_from_statement':
        for (const name of importedNames(node, source)) scope.locals.add(name);
        continue;
      case 'case_clause':
        for (const child of node.children) {
          if (child.type === 'case_pattern') for (const id of matchPatternNames(child, source).captures) scope.locals.add(text(id));
        }
        break;
      case 'type_alias_statement': {
        const left = childByField(node, 'left');
        const id = left?.children.find((child) => child.type === 'identifier');
        if (id) scope.locals.add(text(id));
        break;
      }
    }
    for (const child of node.children) if (child.named) push(child, COMPREHENSIONS.has(child.type));
  }
  for (const name of [...scope.globals, ...scope.nonlocals]) scope.locals.delete(name);
}

/** Names an import statement binds: `import a.b` → a, `import a.b as c` → c, `from m import x as y` → y. */
export function importedNames(node: PyNode, source: string): string[] {
  const text = (n: PyNode): string => source.slice(n.startIndex, n.endIndex);
  const names: string[] = [];
  for (const child of node.children) {
    if (child.field !== 'name') continue;
    if (child.type === 'aliased_import') {
      const alias = childByField(child, 'alias');
      if (alias) names.push(text(alias));
    } else if (child.type === 'dotted_name') {
      const first = child.children.find((part) => part.type === 'identifier');
      if (first) names.push(node.type === 'import_statement' ? text(first) : text(child));
    }
  }
  return names;
}
