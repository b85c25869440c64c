import type { ValueSummary } from '../records';

interface DefiningOperation {
  executionId: string;
  defines: readonly string[];
  /** The names the lineage needs from the operation (SliceOperation.needed); all of `defines` when absent or empty. */
  needed?: readonly string[];
}

export interface OperationValues {
  /** One recorded value per needed name, each the name's own, in the operation's order of names. */
  values: ValueSummary[];
  /** The one to show when there is room for one: `preferred`'s, else the first. */
  value?: ValueSummary;
}

/**
 * The recorded values each operation produced, one per name. A value is what the name held when
 * its cell finished, so it belongs to the last operation of that execution defining the name. Only
 * the names the lineage needs from an operation count: in the lineage of `f1`, `from sklearn.metrics
 * import f1_score, roc_auc_score` produced `f1_score`, never `roc_auc_score`.
 */
export function recordedValues(
  operations: readonly DefiningOperation[],
  valuesOf: (executionId: string) => readonly ValueSummary[],
  preferred: string,
): OperationValues[] {
  const lastDefinition = new Map<string, number>();
  operations.forEach((op, i) => op.defines.forEach((name) => lastDefinition.set(`${op.executionId}\u0000${name}`, i)));
  return operations.map((op, i) => {
    const names = op.needed?.length ? op.defines.filter((n) => op.needed!.includes(n)) : op.defines;
    const values: ValueSummary[] = [];
    for (const name of new Set(names)) {
      if (lastDefinition.get(`${op.executionId}\u0000${name}`) !== i) continue;
      const value = valuesOf(op.executionId).find((v) => v.name === name);
      if (value) values.push(value);
    }
    const value = values.find((v) => v.name === preferred) ?? values[0];
    return value ? { values, value } : { values };
  });
}
