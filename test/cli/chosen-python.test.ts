// The chosen interpreter runs the kernel (issue 12): with --python or NBPROV_PYTHON pointing at a
// second interpreter (a real venv with the system's site packages, so ipykernel is importable),
// the kernel runs on it whatever Debian's python3 kernelspec names, the recorded environment is the
// kernel's own sys.executable, and the run says which interpreter ran. Real kernel.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, ensureBuilt, nbprov, nbprovJson, parseSingleJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;
let venvPython: string;

/** The interpreter the saved trial's environment says ran its kernel. */
function trialExecutable(trial: string): string | undefined {
  const doc = nbprovJson(['export', '--format', 'json'], ws);
  return doc.trials.find((t: { name: string }) => t.name === trial)?.environment?.executable;
}

// The run gets a temporary folder of its own, so other tests' servers running meanwhile do not count.
let runTmp: string;
const privateSpecDirs = () => readdirSync(runTmp).filter((f) => f.startsWith('nbprov-kernels-'));

before(() => {
  ensureBuilt();
  ws = tempWorkspace('chosen-python');
  const venv = path.join(ws, 'venv');
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', '--without-pip', venv]);
  venvPython = path.join(venv, 'bin', 'python');
  runTmp = path.join(ws, 'tmp');
  mkdirSync(runTmp);
  writeNotebook(ws, 'which.ipynb', ['import sys\nexe = sys.executable'], { nbprov: { variables: { exe: 'metric' } } });
});
after(() => removeWorkspace(ws));

describe('the chosen interpreter runs the kernel', () => {
  test('--python on a venv: the kernel is the venv, the store records it, the run says so', () => {
    const specsBefore = privateSpecDirs();
    const result = nbprov(['run', 'which.ipynb', '--python', venvPython, '--trial', 'venv', '--json'], ws, 180_000, { TMPDIR: runTmp });
    assert.equal(result.code, 0, result.stderr);
    const doc = parseSingleJson(result.stdout) as { tagged: { exe: { value: string } } };
    assert.equal(doc.tagged.exe.value, venvPython, 'the notebook itself sees the venv');
    assert.equal(trialExecutable('venv'), venvPython, 'the recorded environment is the kernel\'s');
    assert.match(result.stderr, new RegExp(`kernel: ${venvPython.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(Python [0-9.]+, from --python\\), instead of /usr/bin/python3 named by the installed kernelspec "python3"`));
    assert.deepEqual(privateSpecDirs(), specsBefore, 'the private kernelspec directory is removed');
  });

  test('a relative --python path works from the notebook\'s folder too', () => {
    const result = nbprov(['run', 'which.ipynb', '--python', path.join('venv', 'bin', 'python'), '--trial', 'relative', '--json'], ws, 180_000);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(trialExecutable('relative'), venvPython);
  });

  test('NBPROV_PYTHON does the same; without a choice the system kernelspec runs', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NBPROV_PYTHON: venvPython };
    delete env.NBPROV_DEBUG;
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nbprov.js'), 'run', 'which.ipynb', '--trial', 'from-env'], { cwd: ws, env, encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /from NBPROV_PYTHON/);
    assert.equal(trialExecutable('from-env'), venvPython);

    const plain = nbprov(['run', 'which.ipynb', '--trial', 'system'], ws, 180_000);
    assert.equal(plain.code, 0, plain.stderr);
    const system = trialExecutable('system');
    assert.ok(system && system !== venvPython && existsSync(system), `the system kernel ran: ${system}`);
    assert.doesNotMatch(plain.stderr, /^kernel: /m);
  });

  test('a venv found first on PATH but not chosen: the installed kernelspec runs the kernel, and the run says so', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${path.dirname(venvPython)}${path.delimiter}${process.env.PATH ?? ''}` };
    delete env.NBPROV_PYTHON;
    delete env.NBPROV_DEBUG;
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'nbprov.js'), 'run', 'which.ipynb', '--trial', 'on-path'], { cwd: ws, env, encoding: 'utf8', timeout: 180_000 });
    assert.equal(run.status, 0, run.stderr);
    const ran = trialExecutable('on-path');
    assert.ok(ran && ran !== venvPython, `the installed kernelspec ran: ${ran}`);
    const venvPython3 = path.join(path.dirname(venvPython), 'python3');
    assert.ok(run.stderr.includes(`kernel: ${ran} (Python `) && run.stderr.includes(`not ${venvPython3} found for the server; pass --python ${venvPython3}`), run.stderr);
  });
});
