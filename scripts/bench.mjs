// Bundles bench/index.ts like the shipped CLI (the tsx loader would distort per-cell timings)
// and runs it; arguments select sections (their names are in bench/index.ts). Expects `npm run
// build` first (the bench loads dist/ts-analyzer.js and dist/lazy/, and runs dist/cli.js).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { dist, nodeBundle, root } from './bundle-options.mjs';

const outfile = path.join(dist, 'bench.js');
await build({ ...nodeBundle(), entryPoints: [path.join(root, 'bench', 'index.ts')], outfile, external: ['playwright-core'] });
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
