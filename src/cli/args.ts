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
    const message = err instanceof Error ? err.message.replace(/\.?\s*$/, '') : String(err);
    throw new UsageError(`${message}; see: nbprov ${command} --help`);
  }
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
