/** Literal values of Python expressions: numbers, strings, booleans, None, and containers of them. */
import type { LiteralValue } from '../facts';
import { namedChildren, type PyNode } from './syntax-tree';

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '',
};

function decodeEscapes(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (whole, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]+$/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    return whole;
  });
}

/** The value of a plain string literal (no f-string interpolation, not bytes); undefined otherwise. */
export function stringLiteral(node: PyNode, source: string): string | undefined {
  if (node.type === 'concatenated_string') {
    const parts = namedChildren(node).map((part) => stringLiteral(part, source));
    return parts.every((part): part is string => part !== undefined) ? parts.join('') : undefined;
  }
  if (node.type !== 'string' || node.children.some((child) => child.type === 'interpolation')) return undefined;
  const start = node.children[0];
  const end = node.children[node.children.length - 1];
  if (!start || start.type !== 'string_start' || !end || end.type !== 'string_end') return undefined;
  const prefix = source.slice(start.startIndex, start.endIndex).replace(/['"]/g, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  const body = source.slice(start.endIndex, end.startIndex);
  return prefix.includes('r') ? body : decodeEscapes(body);
}

function numberLiteral(text: string, type: string): number | string | undefined {
  const clean = text.replace(/_/g, '');
  if (type === 'integer') {
    if (/[jJ]$/.test(clean)) return undefined;
    const value = /^0[xob]/i.test(clean) ? Number(clean.toLowerCase()) : Number(clean.replace(/^0+(?=\d)/, ''));
    if (!Number.isFinite(value)) return undefined;
    return Number.isSafeInteger(value) ? value : text;
  }
  if (/[jJ]$/.test(clean)) return undefined;
  const value = Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

const MAX_CONTAINER_ITEMS = 1000;

/** The literal value of an expression, or undefined when it is not a literal. */
export function literalValue(node: PyNode, source: string, depth = 0): LiteralValue | undefined {
  if (depth > 50) return undefined;
  switch (node.type) {
    case 'integer':
    case 'float':
      return numberLiteral(source.slice(node.startIndex, node.endIndex), node.type);
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'string':
    case 'concatenated_string':
      return stringLiteral(node, source);
    case 'parenthesized_expression': {
      const inner = namedChildren(node);
      return inner.length === 1 ? literalValue(inner[0], source, depth + 1) : undefined;
    }
    case 'unary_operator': {
      const operator = node.children.find((child) => child.field === 'operator');
      const argument = node.children.find((child) => child.field === 'argument');
      if (!argument || (argument.type !== 'integer' && argument.type !== 'float')) return undefined;
      const value = literalValue(argument, source, depth + 1);
      if (typeof value !== 'number') return undefined;
      const op = operator ? source.slice(operator.startIndex, operator.endIndex) : '';
      return op === '-' ? -value : op === '+' ? value : undefined;
    }
    case 'list':
    case 'tuple': {
      const items = namedChildren(node);
      if (items.length > MAX_CONTAINER_ITEMS) return undefined;
      const values: LiteralValue[] = [];
      for (const item of items) {
        const value = literalValue(item, source, depth + 1);
        if (value === undefined) return undefined;
        values.push(value);
      }
      return values;
    }
    case 'dictionary': {
      const pairs = namedChildren(node);
      if (pairs.length > MAX_CONTAINER_ITEMS) return undefined;
      const out: { [k: string]: LiteralValue } = {};
      for (const pair of pairs) {
        if (pair.type !== 'pair') return undefined;
        const keyNode = pair.children.find((child) => child.field === 'key');
        const valueNode = pair.children.find((child) => child.field === 'value');
        if (!keyNode || !valueNode) return undefined;
        const key = literalValue(keyNode, source, depth + 1);
        const value = literalValue(valueNode, source, depth + 1);
        if (key === undefined || value === undefined || (typeof key === 'object' && key !== null)) return undefined;
        out[String(key)] = value;
      }
      return out;
    }
    default:
      return undefined;
  }
}
