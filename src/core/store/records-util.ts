/** Builds a plain record from untrusted keys (a variable may well be called `__proto__`). */
export function setEntry<V>(target: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
