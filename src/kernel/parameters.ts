/**
 * Papermill-style parameters: `--param name=value` values become a Python cell of literal
 * assignments. Names are validated as identifiers and values are serialised to Python literals
 * from JSON data, so no user text is ever spliced into kernel code.
 */
import { NbprovError, UsageError } from '../core/errors';
import { isIdentifier } from '../core/notebook/tags';
import type { JsonValue } from '../core/records';

const PYTHON_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

export interface Parameter {
  name: string;
  value: JsonValue;
  /** The Python literal assigned in the injected cell. */
  python: string;
}

/** A decimal literal with a point or exponent is a Python float even when whole (`3.0`), which JSON cannot say. */
const FLOAT_LITERAL = /^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/;

/** Parses `name=value`: JSON values (numbers, quoted strings, lists, …), True/False/None, else the raw text as a string. */
export function parseParam(spec: string): Parameter {
  const [name, value] = parseParamValue(spec);
  const raw = spec.slice(spec.indexOf('=') + 1).trim();
  const python = typeof value === 'number' && FLOAT_LITERAL.test(raw) ? pythonFloat(value) : pythonLiteral(value);
  return { name, value, python };
}

function pythonFloat(value: number): string {
  const text = JSON.stringify(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

function parseParamValue(spec: string): [string, JsonValue] {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--param takes name=value, got "${spec}" (for example --param n_estimators=200)`);
  const name = spec.slice(0, eq).trim();
  const raw = spec.slice(eq + 1);
  if (!isIdentifier(name) || PYTHON_KEYWORDS.has(name)) throw new UsageError(`--param ${name}: "${name}" is not a Python variable name`);
  if (raw === 'True' || raw === 'False') return [name, raw === 'True'];
  if (raw === 'None') return [name, null];
  try {
    return [name, JSON.parse(raw) as JsonValue];
  } catch {
    return [name, raw];
  }
}

export function pythonLiteral(value: JsonValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NbprovError(`parameter value ${value} is not a finite number`);
    return JSON.stringify(value);
  }
  // A JSON string literal is a valid Python string literal with the same meaning.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`).join(', ')}}`;
}

export function pythonParametersCell(params: readonly Parameter[]): string {
  return ['# Parameters injected by nbprov run', ...params.map((p) => `${p.name} = ${p.python}`)].join('\n') + '\n';
}
