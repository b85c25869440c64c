// Bundles the CLI and the extension with esbuild and copies the WASM files they load at run time
// (sql.js, web-tree-sitter, tree-sitter-python) and the kernel recorder next to the bundles, so a
// packaged extension never reaches for node_modules or the network.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

// `--package` (scripts/package.mjs): minified bundles without source maps, as the .vsix ships them;
// `--outdir DIR` writes them somewhere other than dist/.
const forPackage = process.argv.includes('--package');

const require = createRequire(import.meta.url);
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const outdirArg = process.argv.indexOf('--outdir');
const dist = outdirArg > 0 ? path.resolve(process.argv[outdirArg + 1]) : path.join(root, 'dist');
mkdirSync(path.join(dist, 'wasm'), { recursive: true });

const wasmFiles = {
  'sql-wasm.wasm': require.resolve('sql.js/dist/sql-wasm.wasm'),
  'tree-sitter.wasm': require.resolve('web-tree-sitter/tree-sitter.wasm'),
  'tree-sitter-python.wasm': require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
};
for (const [name, from] of Object.entries(wasmFiles)) copyFileSync(from, path.join(dist, 'wasm', name));

const kernelAssets = path.join(root, 'src', 'kernel', 'python');
if (existsSync(kernelAssets)) {
  mkdirSync(path.join(dist, 'python'), { recursive: true });
  for (const f of readdirSync(kernelAssets)) if (f.endsWith('.py')) copyFileSync(path.join(kernelAssets, f), path.join(dist, 'python', f));
}

// web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks: bundle its CJS build.
const alias = { 'web-tree-sitter': require.resolve('web-tree-sitter') };
const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: !forPackage, minify: forPackage, logLevel: 'warning', alias };
const entries = [
  { entryPoints: [path.join(root, 'src/cli/bin.ts')], outfile: path.join(dist, 'cli.js') },
];
if (existsSync(path.join(root, 'src/extension/extension.ts'))) {
  entries.push({ entryPoints: [path.join(root, 'src/extension/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'] });
}
await Promise.all(entries.map((e) => build({ ...common, ...e })));
