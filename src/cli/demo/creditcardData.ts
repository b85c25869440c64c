/**
 * Synthetic credit-card-fraud data in the shape of the well-known Kaggle set (Time, V1…V28,
 * Amount, Class), generated deterministically from a seed so every demo run reads the same CSV.
 * Fraud rows are shifted on a few components, so a classifier can learn them but not perfectly.
 */

/** mulberry32: small, fast, good-enough PRNG for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
  const random = prng(seed);
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
