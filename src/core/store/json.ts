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
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === MARKER) return Number((v as Record<string, unknown>)[MARKER]);
    }
    return v;
  }) as T;
}

export function encodeOptionalJson(value: unknown): string | null {
  return value === undefined ? null : encodeJson(value);
}
