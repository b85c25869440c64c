// esbuild options shared by the shipped bundles (scripts/build.mjs) and the benchmark bundle
// (scripts/bench.mjs), so both load the TypeScript analyser the same way.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
export const dist = path.join(root, 'dist');

/** The TypeScript analyser's own bundle, next to the bundles that load it on first use. */
export const TS_ANALYZER_BUNDLE = 'ts-analyzer.js';
const analysisDir = path.join(root, 'src', 'core', 'analysis');

/**
 * Leaves `require('./typescript')` in src/core/analysis/script.ts unbundled, pointing at
 * dist/ts-analyzer.js: the TypeScript compiler (10 MB) then loads only when a JS/TS cell is analysed.
 */
export const lazyTypeScriptAnalyzer = {
  name: 'lazy-typescript-analyzer',
  setup(build) {
    build.onResolve({ filter: /^\.\/typescript$/ }, (args) => {
      if (args.kind !== 'require-call' || args.importer !== path.join(analysisDir, 'script.ts')) return undefined;
      return { path: `./${TS_ANALYZER_BUNDLE}`, external: true };
    });
  },
};

export const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  // web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks: bundle its CJS build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  plugins: [lazyTypeScriptAnalyzer],
};

/** The TypeScript analyser as a bundle of its own (see lazyTypeScriptAnalyzer). */
export const tsAnalyzerEntry = {
  entryPoints: [path.join(analysisDir, 'typescript', 'index.ts')],
  outfile: path.join(dist, TS_ANALYZER_BUNDLE),
};
