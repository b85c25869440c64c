/**
 * Where the value of a Python expression may come from, for lineage's may-alias analysis: which
 * names' objects it may be or view (`share`), which names' elements it may hold (`copy`), which
 * names' objects it holds as elements (`contains`). Judged from syntax and the call tables alone;
 * anything unknown shares with every name it mentions, so the answer errs on the side of sharing.
 */
import type { ValueFlow } from '../facts';
import {
  COPY_BUILTINS, COPY_METHODS, COPYING_MODULE_FUNCTIONS, DEEP_COPIES, ELEMENT_BUILTINS, ITERATOR_BUILTINS, ITERATOR_METHODS,
  ITERATOR_MODULE_FUNCTIONS, ITERATOR_MODULES, PURE_BUILTINS, SHARING_MODULE_FUNCTIONS, VIEW_METHODS, isPureModule,
} from '../call-rules';
import { methodEffect, type CompiledMutationRules } from '../mutation-rules';
import { stringLiteral } from './literals';
import { childByField, namedChildren, type PyNode } from './syntax-tree';

export interface FlowContext {
  source: string;
  rules: CompiledMutationRules;
  /** A name that is a module or an unshadowed builtin in this cell. */
  isModuleOrBuiltin(name: string): boolean;
}

export type ExpressionFlow = ValueFlow;

const MAX_DEPTH = 200;
const IMMUTABLE_LITERALS = new Set(['integer', 'float', 'true', 'false', 'none', 'ellipsis']);
const DISPLAYS = new Set(['list', 'tuple', 'set', 'dictionary', 'expression_list', 'pair']);
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension']);

export function freshFlow(): ExpressionFlow {
  return { share: [], copy: [], contains: [] };
}

/** Every name whose object the value may reach: the roots of an argument passed somewhere. */
export function flowRoots(flow: ExpressionFlow): string[] {
  return unique([...flow.share, ...flow.contains, ...flow.copy]);
}

/** The flow of one element of a value (loop variable, unpacking target). */
export function elementFlow(flow: ExpressionFlow): ExpressionFlow {
  const element: ExpressionFlow = { share: flowRoots(flow), copy: [], contains: [] };
  if (flow.calls) element.calls = flow.calls;
  return element;
}

export function mergeFlow(into: ExpressionFlow, other: ExpressionFlow): ExpressionFlow {
  const merged: ExpressionFlow = {
    share: unique([...into.share, ...other.share]),
    copy: unique([...into.copy, ...other.copy]),
    contains: unique([...into.contains, ...other.contains]),
  };
  const calls = unique([...(into.calls ?? []), ...(other.calls ?? [])]);
  if (calls.length > 0) merged.calls = calls;
  if (into.iterator || other.iterator) merged.iterator = true;
  if (into.immutable && other.immutable) merged.immutable = true;
  if (into.text !== undefined && into.text === other.text) merged.text = into.text;
  return merged;
}

export function expressionFlow(node: PyNode | undefined, context: FlowContext, depth = 0): ExpressionFlow {
  if (!node) return freshFlow();
  const text = (n: PyNode) => context.source.slice(n.startIndex, n.endIndex);
  if (depth > MAX_DEPTH) return { share: identifiersIn(node, context.source), copy: [], contains: [] };
  const sub = (n: PyNode | undefined) => expressionFlow(n, context, depth + 1);
  if (IMMUTABLE_LITERALS.has(node.type)) return { ...freshFlow(), immutable: true };
  switch (node.type) {
    case 'identifier': {
      const name = text(node);
      if (name === 'None' || name === 'True' || name === 'False') return { ...freshFlow(), immutable: true };
      return context.isModuleOrBuiltin(name) ? freshFlow() : { share: [name], copy: [], contains: [], textFrom: name };
    }
    case 'string':
    case 'concatenated_string': {
      const value = stringLiteral(node, context.source);
      return value === undefined ? { ...freshFlow(), immutable: true } : { ...freshFlow(), immutable: true, text: value };
    }
    case 'parenthesized_expression':
    case 'named_expression':
    case 'await':
      return sub(node.type === 'named_expression' ? childByField(node, 'value') : namedChildren(node)[0]);
    case 'attribute':
    case 'subscript': {
      const root = chainRootName(node, context.source);
      if (root === undefined) return sub(childByField(node, node.type === 'attribute' ? 'object' : 'value'));
      if (context.isModuleOrBuiltin(root)) return freshFlow();
      if (node.type === 'subscript') {
        const indices = node.children.filter((child) => child.field === 'subscript');
        // Fancy and boolean indexing (`a[[0, 1]]`, `a[a > 0]`, `df[['x', 'y']]`) copy; slices view arrays but copy lists.
        if (indices.length > 0 && indices.every(isCopyingIndex)) return { share: [], copy: [root], contains: [] };
        const value = childByField(node, 'value');
        if (value?.type === 'identifier' && indices.length > 0 && indices.every((index) => index.type === 'slice')) {
          return { share: [root], copy: [], contains: [], sliceOf: root };
        }
      }
      return { share: [root], copy: [], contains: [] };
    }
    case 'binary_operator':
    case 'unary_operator': {
      const parts = namedChildren(node).filter((child) => child.field !== 'operator').map(sub);
      if (parts.every((part) => part.immutable)) return { ...freshFlow(), immutable: true };
      return { share: [], copy: unique(parts.flatMap(flowRoots)), contains: [] };
    }
    case 'comparison_operator':
    case 'not_operator':
      return freshFlow();
    case 'boolean_operator':
    case 'conditional_expression':
      return namedChildren(node).map(sub).reduce(mergeFlow, freshFlow());
    case 'lambda':
    case 'interpolation':
      return freshFlow();
    case 'generator_expression':
      return { share: identifiersIn(node, context.source), copy: [], contains: [], iterator: true };
    case 'call':
      return callFlow(node, context, sub);
    default:
      if (DISPLAYS.has(node.type)) {
        const parts = namedChildren(node).map((child) => (child.type === 'list_splat' || child.type === 'dictionary_splat' ? elementFlow(sub(namedChildren(child)[0])) : sub(child)));
        if (node.type === 'pair') return parts.reduce(mergeFlow, freshFlow());
        const flow: ExpressionFlow = { share: [], copy: [], contains: unique(parts.flatMap(flowRoots)) };
        if (node.type === 'list' || node.type === 'tuple' || node.type === 'expression_list') flow.sequence = true;
        return flow;
      }
      if (COMPREHENSIONS.has(node.type)) {
        const flow: ExpressionFlow = { share: [], copy: [], contains: identifiersIn(node, context.source) };
        if (node.type === 'list_comprehension') flow.sequence = true;
        return flow;
      }
      return { share: identifiersIn(node, context.source), copy: [], contains: [] };
  }
}

function callFlow(node: PyNode, context: FlowContext, sub: (n: PyNode | undefined) => ExpressionFlow): ExpressionFlow {
  const fn = childByField(node, 'function');
  const args = childByField(node, 'arguments');
  const argumentNodes = args?.type === 'generator_expression' ? [args] : namedChildren(args ?? ({ children: [] } as unknown as PyNode));
  const argumentRoots = unique(argumentNodes.flatMap((arg) => flowRoots(sub(arg.type === 'keyword_argument' ? childByField(arg, 'value') : arg))));
  const text = (n: PyNode) => context.source.slice(n.startIndex, n.endIndex);
  if (!fn) return { share: argumentRoots, copy: [], contains: [] };
  if (fn.type === 'identifier') {
    const name = text(fn);
    if (context.isModuleOrBuiltin(name)) {
      if (PURE_BUILTINS.has(name)) return freshFlow();
      if (COPY_BUILTINS.has(name)) {
        const flow: ExpressionFlow = { share: [], copy: argumentRoots, contains: [] };
        if (name === 'list' || name === 'tuple' || name === 'sorted') flow.sequence = true;
        return flow;
      }
      if (name === 'str' && argumentNodes.length === 1 && argumentNodes[0].type === 'identifier') return { ...freshFlow(), immutable: true, textFrom: text(argumentNodes[0]) };
      if (ITERATOR_BUILTINS.has(name)) return { share: argumentRoots, copy: [], contains: [], iterator: true };
      if (ELEMENT_BUILTINS.has(name)) return { share: argumentRoots, copy: [], contains: [] };
    }
    if (DEEP_COPIES.has(name)) return freshFlow();
    if (PATH_CONSTRUCTORS.has(name)) return pathFlow(argumentNodes, context) ?? { share: argumentRoots, copy: [], contains: [], calls: [name] };
    return { share: argumentRoots, copy: [], contains: [], calls: [name] };
  }
  if (fn.type !== 'attribute') return { share: argumentRoots, copy: [], contains: [] };
  const method = childByField(fn, 'attribute');
  const methodName = method ? text(method) : '';
  const object = childByField(fn, 'object');
  const root = object ? chainRootName(object, context.source) : undefined;
  if (root !== undefined && context.isModuleOrBuiltin(root) && isPureModule(root)) {
    if (DEEP_COPIES.has(methodName)) return freshFlow();
    if (PATH_CONSTRUCTORS.has(methodName)) return pathFlow(argumentNodes, context) ?? freshFlow();
    const dottedCallee = context.source.slice(fn.startIndex, fn.endIndex);
    if (dottedCallee === 'os.path.join') {
      const parts = argumentNodes.map((arg) => stringLiteral(arg, context.source));
      if (parts.length > 0 && parts.every((part): part is string => part !== undefined)) return { ...freshFlow(), immutable: true, text: joinPath(parts) };
      return { ...freshFlow(), immutable: true };
    }
    const dotted = object ? context.source.slice(object.startIndex, object.endIndex) : root;
    if (ITERATOR_MODULES.has(dotted) || ITERATOR_MODULE_FUNCTIONS.has(methodName)) return { share: argumentRoots, copy: [], contains: [], iterator: true };
    if (SHARING_MODULE_FUNCTIONS.has(methodName)) return { share: argumentRoots, copy: [], contains: [] };
    if (COPYING_MODULE_FUNCTIONS.has(methodName)) return { share: [], copy: argumentRoots, contains: [] };
    return freshFlow();
  }
  if (root !== undefined && context.isModuleOrBuiltin(root)) return { share: argumentRoots, copy: [], contains: [] };
  const receiver = object ? sub(object) : freshFlow();
  const receiverRoots = flowRoots(receiver);
  if (ITERATOR_METHODS.has(methodName)) return { share: receiverRoots, copy: [], contains: [], iterator: true };
  if (VIEW_METHODS.has(methodName)) return { share: receiverRoots, copy: [], contains: [] };
  if (COPY_METHODS.has(methodName)) return { share: [], copy: receiverRoots, contains: [] };
  if (DEEP_COPIES.has(methodName)) return freshFlow();
  const known = context.rules.nonMutating.has(methodName) || context.rules.mutating.has(methodName) || context.rules.inplaceKeyword.has(methodName);
  if (known && methodEffect(context.rules, methodName, undefined) === 'none' && !context.rules.inplaceKeyword.has(methodName)) {
    return receiver.immutable ? { ...freshFlow(), immutable: true } : freshFlow();
  }
  // Mutating methods may return the receiver (`fit` returns self) or an element (`pop`); unknown ones anything.
  return { share: unique([...receiverRoots, ...(known ? [] : argumentRoots)]), copy: [], contains: [] };
}

const PATH_CONSTRUCTORS = new Set(['Path', 'PurePath', 'PosixPath']);

/** `Path("a.txt")` is that path; `Path(p)` is `p`'s path; other forms are unknown (undefined). */
function pathFlow(args: PyNode[], context: FlowContext): ExpressionFlow | undefined {
  if (args.length !== 1) return undefined;
  const literal = stringLiteral(args[0], context.source);
  if (literal !== undefined) return { ...freshFlow(), immutable: true, text: literal };
  if (args[0].type === 'identifier') return { ...freshFlow(), immutable: true, textFrom: context.source.slice(args[0].startIndex, args[0].endIndex) };
  return undefined;
}

function joinPath(parts: string[]): string {
  let joined = '';
  for (const part of parts) joined = part.startsWith('/') || joined === '' ? part : joined.endsWith('/') ? joined + part : `${joined}/${part}`;
  return joined;
}

const COPYING_INDEX_TYPES = new Set(['list', 'list_comprehension', 'comparison_operator', 'not_operator']);

/** An index that makes numpy and pandas copy: a list of positions or labels, a boolean mask built by comparison. */
function isCopyingIndex(index: PyNode): boolean {
  if (COPYING_INDEX_TYPES.has(index.type)) return true;
  if (index.type === 'parenthesized_expression') return namedChildren(index).every(isCopyingIndex);
  // `(a > 0) & (a < 5)`, `~(a > 0)`
  if (index.type === 'binary_operator' || index.type === 'unary_operator') {
    const operands = namedChildren(index).filter((child) => child.field !== 'operator');
    return operands.length > 0 && operands.every(isCopyingIndex);
  }
  return false;
}

/** The name at the root of `a.b[c].d` (through attributes, subscripts and parentheses); undefined through calls. */
export function chainRoot(node: PyNode | undefined): PyNode | undefined {
  let current = node;
  while (current) {
    switch (current.type) {
      case 'identifier':
        return current;
      case 'attribute':
        current = childByField(current, 'object');
        break;
      case 'subscript':
        current = childByField(current, 'value');
        break;
      case 'parenthesized_expression': {
        const inner = namedChildren(current);
        current = inner.length === 1 ? inner[0] : undefined;
        break;
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The root name of `a.b[c].d`, through attributes, subscripts and parentheses. */
export function chainRootName(node: PyNode, source: string): string | undefined {
  const root = chainRoot(node);
  return root ? source.slice(root.startIndex, root.endIndex) : undefined;
}

/** Identifiers read in an expression (not attribute names or keyword names), in order. */
export function identifiersIn(node: PyNode, source: string): string[] {
  const names: string[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop() as PyNode;
    if (current.type === 'identifier') {
      if (current.field !== 'attribute' && current.field !== 'name') names.push(source.slice(current.startIndex, current.endIndex));
      continue;
    }
    for (let i = current.children.length - 1; i >= 0; i--) if (current.children[i].named) stack.push(current.children[i]);
  }
  return unique(names);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
