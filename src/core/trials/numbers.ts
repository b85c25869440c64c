import type { ValueSummary } from '../records';
import { numericValue } from '../../shared/chart/numbers';

export { numericValue, formatNumber } from '../../shared/chart/numbers';

export function summaryNumber(summary: Pick<ValueSummary, 'value' | 'type'>): number | undefined {
  return numericValue(summary.value, summary.type);
}
