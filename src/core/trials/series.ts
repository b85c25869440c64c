import { formatCsv } from '../../shared/csv';
import type { ValuesRow } from '../../shared/cli';
import type { JsonValue, Trial } from '../records';
import { rankByCloseness } from './closest';
import { UnknownVariableError } from './errors';

/** One trial's value of the variable: the `nbprov values --json` row, defined in src/shared. */
export type SeriesRow = ValuesRow;

export interface ValueSeries {
  variable: string;
  /** Oldest trial first (ties by trial id). */
  rows: SeriesRow[];
}

/** The shape of a stored tagged-value row (the store's `trialValueSeries` rows satisfy it). */
export interface StoredValueRow {
  trialId: string;
  trialName: string | null;
  notebookPath?: string;
  createdAt: string;
  role: string;
  type: string;
  repr: string;
  value?: JsonValue;
  hash?: string;
  deferred?: 'pending' | 'abandoned';
}

/** Oldest first by creation time (parsed once per row), ties and unparsable times by trial id. */
function sortByTrialTime(rows: SeriesRow[]): SeriesRow[] {
  const keyed = rows.map((row) => ({ row, time: Date.parse(row.createdAt) }));
  keyed.sort((x, y) => {
    if (x.time !== y.time && !Number.isNaN(x.time) && !Number.isNaN(y.time)) return x.time - y.time;
    return x.row.trialId < y.row.trialId ? -1 : x.row.trialId > y.row.trialId ? 1 : 0;
  });
  return keyed.map((k) => k.row);
}

function toSeriesRow(row: StoredValueRow): SeriesRow {
  const out: SeriesRow = {
    trial: row.trialName ?? row.trialId,
    trialId: row.trialId,
    ...(row.notebookPath !== undefined ? { notebook: row.notebookPath } : {}),
    createdAt: row.createdAt,
    value: row.value === undefined ? null : row.value,
    repr: row.repr,
    type: row.type,
    role: row.role,
  };
  if (row.hash) out.hash = row.hash;
  else if (row.deferred) out.deferred = row.deferred;
  return out;
}

/**
 * A variable's series from stored rows. An empty `rows` means the variable is tagged nowhere:
 * UnknownVariableError lists `taggedVariables`, closest to `variable` first.
 */
export function seriesFromRows(variable: string, rows: readonly StoredValueRow[], taggedVariables: Iterable<string>): ValueSeries {
  if (!rows.length) throw new UnknownVariableError(variable, rankByCloseness(variable, taggedVariables));
  return { variable, rows: sortByTrialTime(rows.map(toSeriesRow)) };
}

/** A variable's values across trials, oldest trial first. Trials that did not tag it are skipped. */
export function valueSeries(trials: readonly Trial[], variable: string): ValueSeries {
  const rows: StoredValueRow[] = [];
  for (const trial of trials) {
    const v = Object.prototype.hasOwnProperty.call(trial.tagged, variable) ? trial.tagged[variable] : undefined;
    if (v) rows.push({ trialId: trial.id, trialName: trial.name, notebookPath: trial.notebookPath, createdAt: trial.createdAt, role: v.role, type: v.type, repr: v.repr, value: v.value, hash: v.hash, deferred: v.deferred });
  }
  if (!rows.length) {
    const tagged = new Set<string>();
    for (const trial of trials) for (const name of Object.keys(trial.tagged)) tagged.add(name);
    throw new UnknownVariableError(variable, rankByCloseness(variable, tagged));
  }
  return seriesFromRows(variable, rows, []);
}

/** A JSON value as one CSV cell: strings as themselves, null empty, anything else as JSON. */
export function csvCell(value: JsonValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** The series as CSV (cells quoted as needed and safe from formula injection: see core/csv.ts). */
export function seriesToCsv(series: ValueSeries): string {
  return formatCsv(
    series.rows.map((row) => ({
      trial: row.trial,
      trial_id: row.trialId,
      notebook: row.notebook ?? '',
      created_at: row.createdAt,
      variable: series.variable,
      value: csvCell(row.value),
      repr: row.repr,
      type: row.type,
      hash: row.hash ?? '',
    })),
    ['trial', 'trial_id', 'notebook', 'created_at', 'variable', 'value', 'repr', 'type', 'hash'],
  ) + '\n';
}

/**
 * A value as a table or chart shows it: the number, or the repr led by a short content hash, so
 * two different frames with the same repr are told apart even when the repr is cut to fit.
 */
export function rowText(row: Pick<SeriesRow, 'value' | 'repr' | 'hash' | 'deferred'>, format: (n: number) => string = String): string {
  if (typeof row.value === 'number') return format(row.value);
  if (row.hash) return `#${row.hash.slice(0, 8)} ${row.repr}`;
  // Without a hash, two large values with the same repr may differ: the row says so first.
  if (row.deferred === 'pending') return `(hash pending) ${row.repr}`;
  if (row.deferred === 'abandoned') return `(hash never computed) ${row.repr}`;
  return row.repr;
}
