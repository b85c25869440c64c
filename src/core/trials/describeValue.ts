import type { ValueSummary } from '../records';
import { hashState, sampledCount } from '../valuePatches';
import { formatNumber, summaryNumber } from './numbers';

function shortType(type: string): string {
  const parts = type.split('.');
  return parts[parts.length - 1] || type;
}

/** A short, one-glance description of a recorded value for tables and chart labels. */
export function describeValue(value: ValueSummary): string {
  const n = summaryNumber(value);
  // A float that happens to be whole still reads as a float (5.0, not 5), as Python shows it.
  if (n !== undefined) return value.type === 'float' && Number.isInteger(n) ? `${formatNumber(n)}.0` : formatNumber(n);
  if (value.value !== undefined && !value.hash) return value.repr;
  const details: string[] = [];
  if (value.shape) details.push(`(${value.shape.join(', ')})`);
  else if (value.length !== undefined) details.push(`len ${value.length}`);
  if (typeof value.dtype === 'string') details.push(value.dtype);
  if (value.hash) details.push(`#${value.hash.slice(0, 8)}`);
  const note = hashNote(value);
  if (note) details.push(note);
  return details.length ? `${shortType(value.type)} ${details.join(' ')}` : value.repr;
}

/**
 * For a large value without its content hash (`ValueSummary.deferred`): `hash pending` (the
 * kernel was still hashing it when it was read), or `hash never computed` (a later cell changed it
 * before it was hashed). Undefined for every other value.
 */
export function hashNote(value: Pick<ValueSummary, 'hash' | 'deferred'>): string | undefined {
  const state = hashState(value);
  if (state === 'pending') return 'hash pending';
  if (state === 'abandoned') return 'hash never computed (changed before it was hashed)';
  return undefined;
}

const STATS_ORDER = ['min', 'max', 'mean', 'std', 'nulls', 'numericColumns'];
const STATS_LABELS: Record<string, string> = { numericColumns: 'numeric columns' };

/** Four significant digits (statistics are a glance, not a value to copy); whole numbers as they are. */
function statNumber(n: unknown): string {
  if (n === null || n === undefined) return '—';
  if (typeof n !== 'number') return String(n);
  if (!Number.isFinite(n) || Number.isInteger(n)) return formatNumber(n);
  return formatNumber(Number(n.toPrecision(4)));
}

/**
 * The value's statistics in one line, `min 0, max 1, mean 0.5 (sample of 65,536 elements)`: a
 * sampled set says so (`stats.sampled`). Undefined without statistics.
 */
export function statsText(value: Pick<ValueSummary, 'stats'>): string | undefined {
  const stats = value.stats;
  if (!stats) return undefined;
  const keys = Object.keys(stats).filter((k) => k !== 'sampled');
  keys.sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const parts = keys.map((k) => `${STATS_LABELS[k] ?? k} ${statNumber(stats[k])}`);
  if (!parts.length) return undefined;
  const sampled = sampledCount(value);
  return sampled === undefined ? parts.join(', ') : `${parts.join(', ')} (sample of ${sampled.toLocaleString('en-US')} elements)`;
}

function rank(key: string): number {
  const i = STATS_ORDER.indexOf(key);
  return i < 0 ? STATS_ORDER.length : i;
}
