/**
 * JSON for store columns. Plain JSON turns NaN and ±Infinity into null; the store keeps them by
 * writing non-finite numbers as `{"$nonfinite": "NaN" | "Infinity" | "-Infinity"}`.
 * (Capture already spells non-finite scalar values as strings; this guards everything else,
 * e.g. summary statistics computed in JavaScript.)
 */
const MARKER = '$nonfinite';

export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { [MARKER]: String(v) } : v));
}

export function decodeJson<T>(text: string): T {
  return restoreNonFinite(JSON.parse(text)) as T;
}

/** Turns the non-finite markers in already-parsed JSON back into numbers (in place where possible). */
export function restoreNonFinite(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreNonFinite(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === MARKER) return Number(record[MARKER]);
  for (const key of keys) record[key] = restoreNonFinite(record[key]);
  return record;
}

export function encodeOptionalJson(value: unknown): string | null {
  return value === undefined ? null : encodeJson(value);
}
