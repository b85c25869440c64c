// Port race: concurrent `nbprov run`s each start their own Jupyter Server. The port used to be
// chosen in nbprov (bind 0, close) and bound later by the server, so a concurrent run could take
// it in between ("port … is not available"). Now the server binds port 0 itself and reports the
// port: these runs, all started at once against real kernels, must all succeed.
// NBPROV_HARDENING_LONG=1 runs more rounds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, ensureBuilt, removeWorkspace, tempWorkspace, writeNotebook } from '../cli/helpers';

const RUNS = 6;
const ROUNDS = process.env.NBPROV_HARDENING_LONG ? 4 : 1;
let dirs: string[] = [];

before(() => {
  ensureBuilt();
  dirs = Array.from({ length: RUNS }, (_, i) => {
    const dir = tempWorkspace(`race${i}`);
    writeNotebook(dir, 'nb.ipynb', [`x = ${i}`, 'y = x * 2'], { nbprov: { variables: { y: 'metric' } } });
    return dir;
  });
});
after(() => dirs.forEach(removeWorkspace));

function run(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'nbprov.js'), 'run', 'nb.ipynb', '--json'], { cwd: dir, env: { ...process.env, NBPROV_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test(`${RUNS} concurrent runs × ${ROUNDS} round(s), each with its own server and kernel, all succeed`, async () => {
  let failures = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const results = await Promise.all(dirs.map(run));
    results.forEach((result, i) => {
      const ok = result.code === 0 && JSON.parse(result.stdout).tagged.y.value === i * 2;
      if (!ok) failures++;
      assert.doesNotMatch(result.stderr, /not available|already in use/i);
      assert.equal(result.code, 0, `run ${i} (round ${round}) exited ${result.code}: ${result.stderr}`);
      assert.equal(JSON.parse(result.stdout).tagged.y.value, i * 2);
    });
  }
  console.log(`port race: ${RUNS * ROUNDS} concurrent runs, failures: ${failures}`);
});

test('the server binds its port itself and kernels use Unix sockets: nothing chooses a port for another process to bind', async () => {
  const { readFileSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { startLocalJupyterServer } = await import('../../src/kernel/localServer');
  const server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-port-')) });
  try {
    const args = readFileSync(`/proc/${server.pid}/cmdline`, 'latin1').split('\0');
    assert.ok(args.includes('--ServerApp.port=0'), args.join(' '));
    const port = Number(new URL(server.baseUrl).port);
    // The reported port is the one the server listens on: /proc/net/tcp lists it in state LISTEN (0A).
    const listening = readFileSync('/proc/net/tcp', 'latin1').split('\n').some((line) => {
      const [, local, , state] = line.trim().split(/\s+/);
      return state === '0A' && local?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`);
    });
    assert.ok(port > 0 && listening, `port ${port} is listening`);
    // Kernels choose no TCP ports either: they use Unix sockets in the server's private folder.
    const { JupyterServerClient } = await import('../../src/kernel/jupyterServerClient');
    const client = await JupyterServerClient.connectRemote({ url: server.baseUrl, token: server.token });
    try {
      const probe = 'from ipykernel.kernelapp import IPKernelApp as A; import os, stat; a = A.instance(); d = os.path.dirname(a.connection_file); print(a.transport, oct(stat.S_IMODE(os.stat(d).st_mode)), os.path.basename(d))';
      const [transport, mode, folder] = (await client.execute(probe)).stdout.trim().split(' ');
      assert.equal(transport, 'ipc');
      assert.equal(Number(mode) & 0o077, 0, `the sockets' folder is private (${mode})`);
      assert.match(folder, /^nbprov-runtime-/);
    } finally {
      await client.dispose();
    }
  } finally {
    await server.dispose();
  }
});
