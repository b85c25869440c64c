// Runs every *.test.ts under test/ with Node's own test runner (through tsx).
// Node 20's runner has no glob support, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const only = process.argv.slice(2);
function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}
let files = collect(path.join(root, 'test')).sort();
// Matched against the path inside the repository, so a folder named like a test (a work tree called e2e) selects nothing extra.
if (only.length) files = files.filter((f) => only.some((o) => path.relative(root, f).includes(o)));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const result = spawnSync(tsx, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
