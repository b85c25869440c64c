import type { Store } from '../core/store';
import { seriesFromRows, type ValueSeries } from '../core/trials';

/** A variable's values across every trial of the store (or of one notebook), oldest first. */
export function loadSeries(store: Store, variable: string, notebookPath?: string): ValueSeries {
  const rows = store.trialValueSeries(variable, notebookPath ? { notebookPath } : {});
  const tagged = rows.length ? [] : store.listTrials(notebookPath).flatMap((t) => Object.keys(t.tagged));
  return seriesFromRows(variable, rows, tagged);
}
