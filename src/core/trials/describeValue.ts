import type { ValueSummary } from '../records';
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
  return details.length ? `${shortType(value.type)} ${details.join(' ')}` : value.repr;
}
