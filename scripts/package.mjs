// `npm run package [-- --out FILE]`: builds the .vsix (default nbprov.vsix in the repository root).
// The minified bundles are built into a staging folder, not dist/, so packaging never rewrites the
// bundles that tests running at the same time are using. vsce packs the staging folder; what goes
// in is decided by .vscodeignore, and the list of packed files is printed.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, 'nbprov.vsix'));

function run(command, args, cwd, env = process.env) {
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: ${path.basename(command)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

const stage = mkdtempSync(path.join(os.tmpdir(), 'nbprov-vsix-'));
try {
  run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--package'], root, { ...process.env, NBPROV_BUILD_OUTDIR: path.join(stage, 'dist') });
  for (const file of ['package.json', 'README.md', 'LICENSE', '.vscodeignore']) {
    if (existsSync(path.join(root, file))) copyFileSync(path.join(root, file), path.join(stage, file));
  }
  if (existsSync(path.join(root, 'media'))) cpSync(path.join(root, 'media'), path.join(stage, 'media'), { recursive: true });
  const vsce = path.join(root, 'node_modules', '.bin', 'vsce');
  run(vsce, ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], stage);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
