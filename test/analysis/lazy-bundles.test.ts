/**
 * The built CLI loads the TypeScript analyser (dist/ts-analyzer.js) and the large packages of
 * plots and the kernel client (dist/lazy/) only when a command needs them: `--help` and Python
 * analysis load none of them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, ROOT } from '../cli/helpers';

const DIST = path.join(ROOT, 'dist');
let dir: string;

before(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'nbprov-lazy-'));
  // Preloaded into the CLI process: at exit, lists the bundle files it loaded.
  writeFileSync(path.join(dir, 'record-loaded.js'), "process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_OUT, JSON.stringify(Object.keys(require.cache))));");
  const notebook = (language: string, source: string) =>
    JSON.stringify({ cells: [{ cell_type: 'code', id: 'a', metadata: {}, execution_count: 1, outputs: [], source }], metadata: { kernelspec: { name: language, language, display_name: language } }, nbformat: 4, nbformat_minor: 5 });
  writeFileSync(path.join(dir, 'py.ipynb'), notebook('python', 'x = y + 1'));
  writeFileSync(path.join(dir, 'ts.ipynb'), notebook('typescript', 'const x: number = y + 1;'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The dist/ files (relative) a CLI call loaded besides cli.js. */
function loadedBundles(args: string[]): string[] {
  const out = path.join(dir, 'loaded.json');
  const result = spawnSync(process.execPath, ['--require', path.join(dir, 'record-loaded.js'), path.join(DIST, 'cli.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, LOADED_OUT: out },
  });
  assert.equal(result.status, 0, result.stderr);
  const files = JSON.parse(readFileSync(out, 'utf8')) as string[];
  return files.filter((f) => f.startsWith(DIST + path.sep) && f !== path.join(DIST, 'cli.js')).map((f) => path.relative(DIST, f));
}

describe('the built CLI loads large parts on first use', () => {
  test('--help loads no other bundle', () => {
    assert.deepEqual(loadedBundles(['--help']), []);
  });

  test('analysing a Python notebook loads no other bundle', () => {
    assert.deepEqual(loadedBundles(['analyze', 'py.ipynb', '--json']), []);
  });

  test('analysing a TypeScript notebook loads the TypeScript analyser, and only that', () => {
    assert.deepEqual(loadedBundles(['analyze', 'ts.ipynb', '--json']), ['ts-analyzer.js']);
  });
});
