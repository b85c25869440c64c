/**
 * Activation time of the extension before first use (issue 8 target: ≤ 50 ms): the packaged,
 * minified dist/extension.js is loaded in a fresh Node process — as the extension host does — and
 * its activate() is called; the time to load the code plus the time activate() takes is what the
 * editor waits for. The bench only: the `vscode` module is a stand-in whose every API call returns
 * a disposable no-op (a configuration read returns its default), so what is timed is the
 * extension's own code. Each round is a new process, so the module cache is cold every time.
 * The end-to-end tests see the real editor: the extension logs its activate() duration there.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROUNDS = 15;
const TARGET_MS = 50;
const ROOT = path.join(__dirname, '..');

/**
 * The names the real `vscode` module exports, from its type declarations: a bundle copies the
 * module's own properties (esbuild's ESM interop), so each must exist on the stand-in.
 */
function vscodeExportNames(): string[] {
  const types = readFileSync(require.resolve('@types/vscode/index.d.ts', { paths: [ROOT] }), 'utf8');
  return [...new Set([...types.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]))];
}

/** A `vscode` module where anything is callable, constructible and disposable. */
const vscodeStandIn = (names: string[]) => `
const noop = () => undefined;
function stub(name) {
  const fn = function () {};
  const assigned = new Map();
  return new Proxy(fn, {
    set(_t, key, value) {
      assigned.set(key, value);
      return true;
    },
    get(_t, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'dispose') return noop;
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'toString') return () => name;
      if (key === 'get') return (_k, fallback) => fallback;
      if (key === 'isTrusted') return true;
      if (key === 'workspaceFolders') return [];
      if (key === 'notebookDocuments' || key === 'visibleNotebookEditors' || key === 'all') return [];
      return stub(name + '.' + String(key));
    },
    apply: () => stub(name + '()'),
    construct: () => stub('new ' + name),
  });
}
module.exports = {};
for (const name of ${JSON.stringify(names)}) module.exports[name] = stub(name);
`;

const ROUND_SCRIPT = `
const path = require('node:path');
const Module = require('node:module');
const bundle = process.argv[2];
const vscode = require(path.join(__dirname, 'vscode-stand-in.js'));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? path.join(__dirname, 'vscode-stand-in.js') : resolve.call(this, request, ...rest);
};
const packageJSON = require(process.argv[3]);
const extensionPath = path.dirname(path.dirname(bundle));
const memento = { get: (_k, d) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
const context = {
  subscriptions: [],
  extension: { id: 'nbprov.nbprov', packageJSON, extensionPath, extensionUri: vscode.Uri.file(extensionPath) },
  extensionPath,
  extensionUri: vscode.Uri.file(extensionPath),
  globalState: memento,
  workspaceState: memento,
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: vscode.EventEmitter },
  storageUri: undefined,
  globalStorageUri: vscode.Uri.file(extensionPath),
  logUri: vscode.Uri.file(extensionPath),
  extensionMode: 1,
  asAbsolutePath: (p) => path.join(extensionPath, p),
};
(async () => {
  const t0 = performance.now();
  const extension = require(bundle);
  const t1 = performance.now();
  await extension.activate(context);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1 }));
  process.exit(0);
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

export function benchActivation(): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'nbprov-bench-activation-'));
  try {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--package'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NBPROV_BUILD_OUTDIR: path.join(dir, 'dist') } });
    if (build.status !== 0) throw new Error(`packaged build failed: ${build.stderr}`);
    const runner = path.join(dir, 'runner');
    mkdirSync(runner);
    writeFileSync(path.join(runner, 'vscode-stand-in.js'), vscodeStandIn(vscodeExportNames()));
    writeFileSync(path.join(runner, 'round.js'), ROUND_SCRIPT);
    const bundle = path.join(dir, 'dist', 'extension.js');
    const rounds: Array<{ loadMs: number; activateMs: number }> = [];
    for (let i = 0; i < ROUNDS; i++) {
      const round = spawnSync(process.execPath, [path.join(runner, 'round.js'), bundle, path.join(ROOT, 'package.json')], { encoding: 'utf8' });
      if (round.status !== 0) throw new Error(`activation round failed: ${round.stderr.split('\n')[0]}`);
      rounds.push(JSON.parse(round.stdout) as { loadMs: number; activateMs: number });
    }
    const total = rounds.map((r) => r.loadMs + r.activateMs).sort((a, b) => a - b);
    const load = rounds.map((r) => r.loadMs).sort((a, b) => a - b);
    const activate = rounds.map((r) => r.activateMs).sort((a, b) => a - b);
    const p50 = (xs: number[]) => quantile(xs, 0.5).toFixed(1);
    console.log(`extension activation before first use (packaged bundle, ${ROUNDS} cold Node processes): load p50 ${p50(load)} ms + activate() p50 ${p50(activate)} ms`);
    console.log(`  load + activate: p50 ${p50(total)} ms, p95 ${quantile(total, 0.95).toFixed(1)} ms, max ${total[total.length - 1].toFixed(1)} ms (target ≤ ${TARGET_MS} ms: ${quantile(total, 0.95) <= TARGET_MS ? 'met' : 'MISSED'})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
