/** The spellings capture uses for non-finite floats (JSON has none). */
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function isFloatType(type: string | undefined): boolean {
  return !!type && /float|double|decimal/i.test(type);
}

/**
 * The number a recorded value stands for, NaN and ±Infinity included, or undefined when it is not
 * a number. Booleans are not numbers here (a changed flag is not a delta).
 */
export function numericValue(value: unknown, type?: string): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && Object.prototype.hasOwnProperty.call(NON_FINITE, value) && (type === undefined || isFloatType(type)))
    return NON_FINITE[value];
  return undefined;
}

/** How a number is written in text output: NaN, +∞ and −∞ spelled out, others as JavaScript prints them. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+∞';
  if (n === -Infinity) return '−∞';
  return String(n);
}
