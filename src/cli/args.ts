import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../core/errors';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  workspace: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export interface ParsedArgs<V> {
  values: V;
  positionals: string[];
}

/**
 * Strict parsing through node:util, with parse failures turned into one-line usage errors that
 * point to the command's help.
 */
export function parseCommandArgs<O extends OptionSpec>(command: string, argv: string[], options: O) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return parsed;
  } catch (err) {
    throw new UsageError(`${describeParseError(err)}; see: nbprov ${command} --help`);
  }
}

/** node:util's messages are long and quote oddly; say the same thing in one short clause. */
function describeParseError(err: unknown): string {
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message) ? `option ${option} needs a value` : `option ${option} takes no value`;
  }
  return message.replace(/\.?\s*$/, '');
}

export function requirePositional(command: string, positionals: string[], index: number, what: string): string {
  const value = positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${what}; usage: see nbprov ${command} --help`);
  return value;
}

export function rejectExtraPositionals(command: string, positionals: string[], expected: number): void {
  if (positionals.length > expected) {
    throw new UsageError(`unexpected argument "${positionals[expected]}"; see: nbprov ${command} --help`);
  }
}

export function parseNonNegativeInt(flag: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`${flag} takes a cell index (a whole number ≥ 0), got "${raw}"`);
  return Number(raw);
}
