import { formatCsv } from '../../shared/csv';
import type { ExportDocument } from '../../shared/cli';
import type { ExecutionRecord, Trial } from '../records';
import { UnknownExportFormatError } from './errors';
import { toProvJson, type ProvInput } from './exportProv';
import { csvCell } from './series';

export type ExportFormat = 'json' | 'csv' | 'prov-json';

export interface StoreExport {
  trials: readonly Trial[];
  executions?: readonly ExecutionRecord[];
  /** For PROV-JSON: reads and derivations from lineage, and the notebooks' cell stages (see ProvInput). */
  lineage?: ProvInput['lineage'];
  stages?: ProvInput['stages'];
}

const CSV_COLUMNS = ['trial_id', 'trial_name', 'notebook', 'created_at', 'variable', 'role', 'type', 'value', 'repr', 'hash', 'shape'] as const;

/** One row per trial × tagged variable. */
export function trialsToCsv(trials: readonly Trial[]): string {
  const rows = trials.flatMap((trial) =>
    Object.entries(trial.tagged).map(([variable, v]) => ({
      trial_id: trial.id,
      trial_name: trial.name ?? '',
      notebook: trial.notebookPath,
      created_at: trial.createdAt,
      variable,
      role: v.role,
      type: v.type,
      value: csvCell(v.value),
      repr: v.repr,
      hash: v.hash ?? '',
      shape: v.shape ? JSON.stringify(v.shape) : '',
    })),
  );
  return `${formatCsv(rows, CSV_COLUMNS)}\n`;
}

/** The store's trials (and executions) as JSON, CSV or W3C PROV-JSON text. */
export function exportStore(data: StoreExport, format: ExportFormat | string): string {
  switch (format) {
    case 'json': {
      const document: ExportDocument = { format: 'nbprov-export', version: 1, trials: [...data.trials], executions: [...(data.executions ?? [])] };
      return `${JSON.stringify(document, null, 2)}\n`;
    }
    case 'csv':
      return trialsToCsv(data.trials);
    case 'prov-json':
      return `${JSON.stringify(toProvJson(data), null, 2)}\n`;
    default:
      throw new UnknownExportFormatError(format);
  }
}
