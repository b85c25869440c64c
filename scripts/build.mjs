// Bundles the CLI and the extension with esbuild and copies the WASM files they load at run time
// (sql.js, web-tree-sitter, tree-sitter-python) and the kernel recorder next to the bundles, so a
// packaged extension never reaches for node_modules or the network. The TypeScript analyser is a
// bundle of its own that both load only when a JS/TS cell is analysed, and the large packages only
// some commands use (plots, the kernel client) load on first use too (see bundle-options.mjs).
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildLazyPackages, dist, nodeBundle, root, tsAnalyzerEntry } from './bundle-options.mjs';
import { buildWebviews } from './webviewBuild.mjs';

// `--package` (scripts/package.mjs): minified bundles without source maps, as the .vsix ships them
// (NBPROV_BUILD_OUTDIR, read by bundle-options.mjs, puts them somewhere other than dist/).
const forPackage = process.argv.includes('--package');

const require = createRequire(import.meta.url);
mkdirSync(path.join(dist, 'wasm'), { recursive: true });

const wasmFiles = {
  'sql-wasm.wasm': require.resolve('sql.js/dist/sql-wasm.wasm'),
  'tree-sitter.wasm': require.resolve('web-tree-sitter/tree-sitter.wasm'),
  'tree-sitter-python.wasm': require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
};
for (const [name, from] of Object.entries(wasmFiles)) copyFileSync(from, path.join(dist, 'wasm', name));

const kernelAssets = path.join(root, 'src', 'kernel', 'python');
if (existsSync(kernelAssets)) {
  // The server launcher and the recorder package (a folder of modules); stale files of an older layout go.
  rmSync(path.join(dist, 'python'), { recursive: true, force: true });
  cpSync(kernelAssets, path.join(dist, 'python'), { recursive: true, filter: (from) => !from.includes('__pycache__') });
}

await buildLazyPackages(build, { sourcemap: !forPackage, minify: forPackage });
const common = { ...nodeBundle(), sourcemap: !forPackage, minify: forPackage };
const entries = [
  { entryPoints: [path.join(root, 'src/cli/bin.ts')], outfile: path.join(dist, 'cli.js') },
  tsAnalyzerEntry,
];
if (existsSync(path.join(root, 'src/extension/extension.ts'))) {
  // The extension is two bundles: extension.js (activation: registrations only, small) and
  // engine.js (store, analysers, features), which extension.js loads on first use. Parsing the
  // engine (the TypeScript compiler alone is megabytes) at activation would slow the editor.
  const engineApart = {
    name: 'engine-apart',
    setup(b) {
      b.onResolve({ filter: /^\.\/engine$/ }, () => ({ path: './engine.js', external: true }));
    },
  };
  entries.push({ entryPoints: [path.join(root, 'src/extension/extension.ts')], outfile: path.join(dist, 'extension.js'), external: ['vscode'], plugins: [...common.plugins, engineApart], supported: { 'dynamic-import': false } });
  if (existsSync(path.join(root, 'src/extension/engine.ts'))) {
    entries.push({ entryPoints: [path.join(root, 'src/extension/engine.ts')], outfile: path.join(dist, 'engine.js'), external: ['vscode'] });
  }
}
await Promise.all(entries.map((e) => build({ ...common, ...e })));

// Webview panels (src/webview): browser bundles and their stylesheet, the only files a panel may load.
await buildWebviews(path.join(dist, 'webview'));
