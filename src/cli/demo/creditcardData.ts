/**
 * Synthetic credit-card-fraud data in the shape of the well-known Kaggle set (Time, V1…V28,
 * Amount, Class), generated deterministically from a seed so every demo run reads the same CSV.
 * Fraud rows are shifted on a few components, so a classifier can learn them but not perfectly.
 */
import { mulberry32 } from '../../core/seededRandom';

function normal(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface CreditCardDataOptions {
  rows?: number;
  fraudRate?: number;
  seed?: number;
}

const FRAUD_SHIFT: Record<number, number> = { 1: -1.6, 3: 1.3, 4: 1.1, 10: -1.2, 12: -1.4, 14: -1.8, 17: -1.0 };

export function creditCardCsv({ rows = 8000, fraudRate = 0.03, seed = 20231 }: CreditCardDataOptions = {}): string {
  const random = mulberry32(seed);
  const gauss = normal(random);
  const header = ['Time', ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`), 'Amount', 'Class'];
  const lines = [header.join(',')];
  let time = 0;
  for (let r = 0; r < rows; r++) {
    const fraud = random() < fraudRate;
    time += Math.floor(random() * 20);
    const fields: string[] = [String(time)];
    for (let v = 1; v <= 28; v++) {
      const shift = fraud ? (FRAUD_SHIFT[v] ?? 0) : 0;
      fields.push((gauss() * (fraud ? 1.6 : 1) + shift).toFixed(5));
    }
    const amount = Math.exp(gauss() * 1.1 + (fraud ? 4.2 : 3.6));
    fields.push(amount.toFixed(2), fraud ? '1' : '0');
    lines.push(fields.join(','));
  }
  return lines.join('\n') + '\n';
}
