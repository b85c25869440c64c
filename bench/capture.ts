/**
 * Overhead of capture on one real kernel: a pure-Python-loop notebook and a small
 * pandas/sklearn notebook (the demo's shape), each run with and without the recorder,
 * alternating to cancel noise. Prints run-time ratios, the kernel time the hooks add per cell,
 * and the JSON size of an execution record.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExecutionRecord } from '../src/core/records';
import { JupyterServerClient } from '../src/kernel/jupyterServerClient';
import type { KernelClient } from '../src/kernel/kernelClient';
import { toExecutionRecord } from '../src/kernel/recordConversion';
import { RecorderSession, uninstallRecorder } from '../src/kernel/recorderSession';

const ROUNDS = 7;

const loopNotebook = [
  'total = 0\nfor i in range(1_500_000):\n    total += i * i',
  'words = {}\nfor i in range(300_000):\n    key = i % 97\n    words[key] = words.get(key, 0) + 1',
  'walk = [0.0]\nfor i in range(50_000):\n    walk.append(walk[-1] * 0.5 + (i % 7))\nwalk_len = len(walk)',
  'primes = [n for n in range(2, 60_000) if all(n % d for d in range(2, int(n ** 0.5) + 1))]',
];

function demoNotebook(dir: string): string[] {
  const csv = JSON.stringify(path.join(dir, 'transactions.csv'));
  return [
    'import numpy as np\nimport pandas as pd\nfrom sklearn.decomposition import PCA\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\nfrom sklearn.metrics import roc_auc_score, f1_score\nseed = 7\nn_rows = 20_000',
    `rng = np.random.default_rng(seed)\nX = rng.normal(size=(n_rows, 28))\ny = (X[:, 0] + 0.5 * X[:, 1] + rng.normal(scale=2.0, size=n_rows) > 3.2).astype(int)\nraw = pd.DataFrame(X, columns=[f"V{i}" for i in range(28)])\nraw["Amount"] = rng.gamma(2.0, 50.0, size=n_rows)\nraw["Class"] = y\nraw.to_csv(${csv}, index=False)`,
    `data = pd.read_csv(${csv})\ndata["Amount"] = np.log1p(data["Amount"])`,
    'features = PCA(n_components=10, random_state=seed).fit_transform(data.drop(columns=["Class"]))\nlabels = data["Class"].to_numpy()',
    'fraud = np.flatnonzero(labels == 1)\nnormal = rng.choice(np.flatnonzero(labels == 0), size=len(fraud) * 3, replace=False)\nkeep = np.concatenate([fraud, normal])\nXs, ys = features[keep], labels[keep]',
    'X_train, X_test, y_train, y_test = train_test_split(Xs, ys, test_size=0.3, random_state=seed, stratify=ys)',
    'model = LogisticRegression(C=1.0, max_iter=500)\nmodel.fit(X_train, y_train)',
    'scores = model.predict_proba(X_test)[:, 1]\nauc = roc_auc_score(y_test, scores)\nf1 = f1_score(y_test, scores > 0.5)',
  ];
}

interface RunTiming {
  totalMs: number;
  records: ExecutionRecord[];
}

async function runOnce(client: KernelClient, cells: string[], session: RecorderSession | null): Promise<RunTiming> {
  if (session) await session.collect();
  const started = performance.now();
  for (const code of cells) {
    const result = await client.execute(code);
    if (result.status !== 'ok') throw new Error(`bench cell failed: ${result.error?.ename}: ${result.error?.evalue}`);
  }
  const totalMs = performance.now() - started;
  if (!session) return { totalMs, records: [] };
  const batch = await session.collect();
  const records = batch.records.map((raw, i) => toExecutionRecord(raw, batch.sessionId ?? 's', { notebookPath: 'bench.ipynb', cellId: `c${i}`, cellIndex: i }));
  return { totalMs, records };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(client: KernelClient, name: string, cells: string[]): Promise<void> {
  const session = new RecorderSession(client, 'bench.ipynb');
  const withMs: number[] = [];
  const withoutMs: number[] = [];
  const hookMs: number[] = [];
  const sizes: number[] = [];
  await runOnce(client, cells, null); // warm-up: imports, caches
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
    for (const mode of order) {
      if (mode === 'with') {
        await session.install();
        const run = await runOnce(client, cells, session);
        withMs.push(run.totalMs);
        const raw = run.records;
        for (const record of raw) sizes.push(Buffer.byteLength(JSON.stringify(record)));
      } else {
        await uninstallRecorder(client);
        withoutMs.push((await runOnce(client, cells, null)).totalMs);
      }
    }
  }
  await session.install();
  const lastRun = await runOnce(client, cells, session);
  const collectStart = performance.now();
  await session.collect();
  const emptyCollectMs = performance.now() - collectStart;
  for (const record of lastRun.records) hookMs.push(record.durationMs >= 0 ? 0 : 0);
  const batchForHooks = await (async () => {
    await runOnce(client, cells, null);
    return session.collect();
  })();
  for (const raw of batchForHooks.records) hookMs.push(raw.recorderMs);
  const perCell = hookMs.filter((v) => v > 0);
  const ratio = median(withMs) / median(withoutMs);
  console.log(`${name}: ${cells.length} cells, median of ${ROUNDS} alternating runs`);
  console.log(`  without recorder ${median(withoutMs).toFixed(1)} ms, with recorder ${median(withMs).toFixed(1)} ms, ratio ${ratio.toFixed(3)}x`);
  console.log(`  hook time per cell (last run): ${batchForHooks.records.map((r) => r.recorderMs.toFixed(1)).join(', ')} ms`);
  console.log(`  kernel time added by the hooks per cell: mean ${(perCell.reduce((a, b) => a + b, 0) / Math.max(1, perCell.length)).toFixed(2)} ms, max ${Math.max(0, ...perCell).toFixed(2)} ms`);
  console.log(`  execution record JSON: mean ${Math.round(sizes.reduce((a, b) => a + b, 0) / Math.max(1, sizes.length))} B, max ${Math.max(0, ...sizes)} B; an empty collect round trip ${emptyCollectMs.toFixed(1)} ms`);
}

export async function benchCapture(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-bench-'));
  const client = await JupyterServerClient.startLocal({ rootDir: dir }, { kernelName: 'python3' });
  try {
    await measure(client, 'pure-Python loop notebook', loopNotebook);
    await measure(client, 'pandas/sklearn demo notebook', demoNotebook(dir));
  } finally {
    await client.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchCapture().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
