import type { ValueSummary } from '../records';

interface DefiningOperation {
  executionId: string;
  defines: readonly string[];
}

/**
 * The recorded value each operation produced. A value is what the name held when its cell
 * finished, so it belongs to the last operation of that execution defining the name; `preferred`
 * (the variable being explained) wins when an operation defines several names.
 */
export function recordedValues(
  operations: readonly DefiningOperation[],
  valuesOf: (executionId: string) => readonly ValueSummary[],
  preferred: string,
): (ValueSummary | undefined)[] {
  const lastDefinition = new Map<string, number>();
  operations.forEach((op, i) => op.defines.forEach((name) => lastDefinition.set(`${op.executionId}\u0000${name}`, i)));
  return operations.map((op, i) => {
    const candidates = [...op.defines].sort((a, b) => Number(b === preferred) - Number(a === preferred));
    for (const name of candidates) {
      if (lastDefinition.get(`${op.executionId}\u0000${name}`) !== i) continue;
      const value = valuesOf(op.executionId).find((v) => v.name === name);
      if (value) return value;
    }
    return undefined;
  });
}
