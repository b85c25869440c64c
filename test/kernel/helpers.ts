import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';

/** One real Jupyter Server + python3 kernel in a fresh temporary directory. */
export async function startKernel(): Promise<{ client: JupyterServerClient; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-kernel-'));
  const client = await JupyterServerClient.startLocal({ rootDir: dir }, { kernelName: 'python3' });
  return { client, dir };
}

export const KERNEL_TEST_TIMEOUT = 120_000;
