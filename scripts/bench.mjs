// Bundles bench/index.ts like the shipped CLI (the tsx loader would distort per-cell timings)
// and runs it; arguments select sections: core, lineage, store, trials, capture, roundtrip, activation.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const outfile = path.join(root, 'dist', 'bench.js');
await build({
  entryPoints: [path.join(root, 'bench', 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
});
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
