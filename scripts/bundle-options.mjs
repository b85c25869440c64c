// esbuild options shared by the shipped bundles (scripts/build.mjs) and the benchmark bundle
// (scripts/bench.mjs), so both load the TypeScript analyser and the large packages the same way.
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
export const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
/** Where bundles go: dist/, or NBPROV_BUILD_OUTDIR (the .vsix is built in a staging folder). */
export const dist = process.env.NBPROV_BUILD_OUTDIR ? path.resolve(process.env.NBPROV_BUILD_OUTDIR) : path.join(root, 'dist');

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

/**
 * Packages only some commands need (plots, the kernel client), each bundled on its own as
 * dist/lazy/<name>.js and loaded on first use of one of its exports: `nbprov --help` or a
 * Python-only analysis never evaluates them.
 */
export const LAZY_PACKAGES = ['linkedom', '@jupyterlab/services', 'ws'];
const LAZY_DIR = 'lazy';
const lazyFileName = (name) => `${name.replace(/^@/, '').replace(/\//g, '+')}.js`;

const base = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };

/** Bundles each lazy package into dist/lazy/ (call before bundling what imports them). */
export async function buildLazyPackages(build, options = {}) {
  mkdirSync(path.join(dist, LAZY_DIR), { recursive: true });
  await Promise.all(
    LAZY_PACKAGES.map((name) =>
      build({
        ...base,
        ...options,
        stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: root, sourcefile: `lazy-${lazyFileName(name)}` },
        outfile: path.join(dist, LAZY_DIR, lazyFileName(name)),
      }),
    ),
  );
}

/**
 * Replaces each lazy package with a stub whose exports are getters that require its bundle on
 * first access (esbuild reads imported names as properties at the point of use, so an import at
 * the top of a module loads nothing). Export names are read from the built bundles.
 */
export function lazyPackagesPlugin() {
  const stubs = new Map();
  for (const name of LAZY_PACKAGES) {
    const file = path.join(dist, LAZY_DIR, lazyFileName(name));
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
    const names = Object.keys(require(file)).filter((key) => key !== 'default' && key !== '__esModule');
    stubs.set(
      name,
      [
        'let loaded;',
        `const load = () => (loaded ??= require(${JSON.stringify(`./${LAZY_DIR}/${lazyFileName(name)}`)}));`,
        'Object.defineProperty(exports, "__esModule", { value: true });',
        'Object.defineProperty(exports, "default", { enumerable: true, get: () => { const m = load(); return m && m.__esModule ? m.default : m; } });',
        `for (const name of ${JSON.stringify(names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
      ].join('\n'),
    );
  }
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.namespace === 'lazy-package') return { path: args.path, external: true };
        return stubs.has(args.path) ? { path: args.path, namespace: 'lazy-package' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => ({ contents: stubs.get(args.path), loader: 'js' }));
    },
  };
}

/** Options of every bundle that runs nbprov code (call after buildLazyPackages). */
export function nodeBundle() {
  return {
    ...base,
    // web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks: bundle its CJS build.
    alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
    plugins: [lazyTypeScriptAnalyzer, lazyPackagesPlugin()],
  };
}

/** The TypeScript analyser as a bundle of its own (see lazyTypeScriptAnalyzer). */
export const tsAnalyzerEntry = {
  entryPoints: [path.join(analysisDir, 'typescript', 'index.ts')],
  outfile: path.join(dist, TS_ANALYZER_BUNDLE),
};
