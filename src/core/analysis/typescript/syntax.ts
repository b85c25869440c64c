/** Small, stateless readings of TypeScript syntax nodes: names, chains, literals, spans. */
import ts from 'typescript';
import type { LiteralValue, SourceSpan } from '../facts';

/** Compiler API functions bound once (each `ts.X` access is a module getter call). */
const {
  canHaveModifiers,
  getModifiers,
  isArrayLiteralExpression,
  isAwaitExpression,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isIdentifier,
  isNoSubstitutionTemplateLiteral,
  isNumericLiteral,
  isObjectLiteralExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isStringLiteral,
} = ts;

/**
 * The syntax kinds used here, copied into a small object: `ts.SyntaxKind` is reached through a
 * module getter and is a large dictionary-mode enum, which made lookups dominate the walk.
 */
const SyntaxKind = {
  AsExpression: ts.SyntaxKind.AsExpression,
  FalseKeyword: ts.SyntaxKind.FalseKeyword,
  ImportKeyword: ts.SyntaxKind.ImportKeyword,
  MinusToken: ts.SyntaxKind.MinusToken,
  NonNullExpression: ts.SyntaxKind.NonNullExpression,
  NullKeyword: ts.SyntaxKind.NullKeyword,
  NumericLiteral: ts.SyntaxKind.NumericLiteral,
  ParenthesizedExpression: ts.SyntaxKind.ParenthesizedExpression,
  PlusToken: ts.SyntaxKind.PlusToken,
  SatisfiesExpression: ts.SyntaxKind.SatisfiesExpression,
  ThisKeyword: ts.SyntaxKind.ThisKeyword,
  TrueKeyword: ts.SyntaxKind.TrueKeyword,
  TypeAssertionExpression: ts.SyntaxKind.TypeAssertionExpression,
} as const;

/** Strips wrappers that do not change which value an expression denotes: `(x)`, `x!`, `x as T`, `<T>x`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let current = expr;
  for (;;) {
    switch (current.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        current = (current as ts.ParenthesizedExpression).expression;
        break;
      default:
        return current;
    }
  }
}

/** `a.b.c` (optional chaining included) as its parts, or undefined when the chain is not names only. */
export function dottedParts(expr: ts.Expression): string[] | undefined {
  const parts: string[] = [];
  let current = unwrap(expr);
  while (isPropertyAccessExpression(current)) {
    if (!isIdentifier(current.name)) return undefined;
    parts.push(current.name.text);
    current = unwrap(current.expression);
  }
  if (isIdentifier(current)) parts.push(current.text);
  else if (current.kind === SyntaxKind.ThisKeyword) parts.push('this');
  else return undefined;
  return parts.reverse();
}

export function dottedName(expr: ts.Expression): string | undefined {
  return dottedParts(expr)?.join('.');
}

/**
 * The variable whose object an access chain reaches into: `x` for `x.a[i].b`. Undefined when the
 * chain starts at a call, `this`, or any other expression.
 */
export function rootIdentifier(expr: ts.Expression): ts.Identifier | undefined {
  let current = unwrap(expr);
  while (isPropertyAccessExpression(current) || isElementAccessExpression(current)) {
    current = unwrap(current.expression);
  }
  return isIdentifier(current) ? current : undefined;
}

/** `'m'` for `require('m')` or `import('m')` (possibly awaited), with the call itself. */
export function moduleCall(expr: ts.Expression): { module: string; call: ts.CallExpression } | undefined {
  let current = unwrap(expr);
  if (isAwaitExpression(current)) current = unwrap(current.expression);
  if (!isCallExpression(current) || current.arguments.length < 1) return undefined;
  const isImport = current.expression.kind === SyntaxKind.ImportKeyword;
  const isRequire = isIdentifier(current.expression) && current.expression.text === 'require';
  if (!isImport && !isRequire) return undefined;
  const module = stringValue(current.arguments[0]);
  return module === undefined ? undefined : { module, call: current };
}

/** The text of a string literal or of a template without substitutions. */
export function stringValue(expr: ts.Expression): string | undefined {
  const inner = unwrap(expr);
  if (isStringLiteral(inner) || isNoSubstitutionTemplateLiteral(inner)) return inner.text;
  return undefined;
}

const MAX_LITERAL_DEPTH = 32;

/** The value of an expression built only from literals (JSON-like), or undefined. */
export function literalValue(expr: ts.Expression, depth = 0): LiteralValue | undefined {
  if (depth > MAX_LITERAL_DEPTH) return undefined;
  const node = unwrap(expr);
  const text = stringValue(node);
  if (text !== undefined) return text;
  switch (node.kind) {
    case SyntaxKind.NumericLiteral:
      return numberValue(node as ts.NumericLiteral);
    case SyntaxKind.TrueKeyword:
      return true;
    case SyntaxKind.FalseKeyword:
      return false;
    case SyntaxKind.NullKeyword:
      return null;
    default:
      break;
  }
  if (isPrefixUnaryExpression(node) && isNumericLiteral(node.operand)) {
    const value = numberValue(node.operand);
    if (value === undefined) return undefined;
    if (node.operator === SyntaxKind.MinusToken) return -value;
    if (node.operator === SyntaxKind.PlusToken) return value;
    return undefined;
  }
  if (isArrayLiteralExpression(node)) {
    const items: LiteralValue[] = [];
    for (const element of node.elements) {
      const value = literalValue(element, depth + 1);
      if (value === undefined) return undefined;
      items.push(value);
    }
    return items;
  }
  if (isObjectLiteralExpression(node)) {
    const object: { [k: string]: LiteralValue } = {};
    for (const property of node.properties) {
      if (!isPropertyAssignment(property)) return undefined;
      const key = propertyKey(property.name);
      const value = literalValue(property.initializer, depth + 1);
      if (key === undefined || value === undefined) return undefined;
      object[key] = value;
    }
    return object;
  }
  return undefined;
}

function numberValue(node: ts.NumericLiteral): number | undefined {
  const value = Number(node.text.replace(/_/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name)) return name.text;
  return undefined;
}

export function spanOf(node: ts.Node, sourceFile: ts.SourceFile): SourceSpan {
  const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd());
  return { startLine: start.line + 1, startColumn: start.character, endLine: end.line + 1, endColumn: end.character };
}

export function lineOf(node: ts.Node, sourceFile: ts.SourceFile): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

const MAX_CODE_LENGTH = 2000;

/** Source text of a node, cut to a bounded length so huge statements do not bloat the facts. */
export function codeOf(node: ts.Node, sourceFile: ts.SourceFile): string {
  const start = node.getStart(sourceFile);
  const end = node.getEnd();
  if (end - start <= MAX_CODE_LENGTH) return sourceFile.text.slice(start, end);
  return `${sourceFile.text.slice(start, start + MAX_CODE_LENGTH)}…`;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return canHaveModifiers(node) && (getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** Names a binding pattern (or plain identifier) binds, in source order. */
export function boundNames(name: ts.BindingName): string[] {
  const names: string[] = [];
  const pending: ts.BindingName[] = [name];
  while (pending.length > 0) {
    const current = pending.pop() as ts.BindingName;
    if (isIdentifier(current)) {
      if (current.text) names.push(current.text);
      continue;
    }
    const elements = current.elements as ts.NodeArray<ts.ArrayBindingElement>;
    for (let i = elements.length - 1; i >= 0; i--) {
      const element = elements[i];
      if (isBindingElement(element)) pending.push(element.name);
    }
  }
  return names;
}
