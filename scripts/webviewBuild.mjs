// The webview panels' bundles (src/webview → <outdir>/<panel>.js, iife for the browser) and their
// stylesheet. Used by build.mjs and by the browser tests, so both load the same files.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
export const WEBVIEW_PANELS = ['lineage', 'trialDiff', 'acrossTrials'];

export async function buildWebviews(outdir) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: WEBVIEW_PANELS.map((name) => path.join(root, 'src', 'webview', `${name}.ts`)),
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(path.join(root, 'src', 'webview', 'panels.css'), path.join(outdir, 'panels.css'));
}
