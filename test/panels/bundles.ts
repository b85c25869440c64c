/** The webview bundles built once per test file into a temporary folder (the same build as npm run build). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWebviews } from '../../scripts/webviewBuild.mjs';

let built: Promise<string> | undefined;

export function webviewBundles(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-webview-'));
    await buildWebviews(dir);
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  })();
  return built;
}
