// Secrets: the local Jupyter Server's token appears in no process's arguments (server, kernel, or
// anything else on the machine), nor in the kernel's environment; a `?token=` in a --server URL is
// used to authenticate and never printed.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { startLocalJupyterServer, type LocalJupyterServer } from '../../src/kernel/localServer';
import { ensureBuilt, nbprov, parseSingleJson, removeWorkspace, tempWorkspace, writeNotebook } from '../cli/helpers';

/** Every readable /proc/PID/<file>, as text with NULs for separators. */
function procFiles(file: 'cmdline' | 'environ'): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.set(Number(entry), readFileSync(`/proc/${entry}/${file}`, 'latin1'));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      queue.push(child);
      found.push(child);
    }
  }
  return found;
}

let server: LocalJupyterServer;
let ws: string;

before(async () => {
  ensureBuilt();
  ws = tempWorkspace('secrets');
  server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-secrets-')) });
});
after(async () => {
  await server?.dispose();
  removeWorkspace(ws);
});

describe('the local server token', () => {
  test('is in no process\'s arguments, and not in the kernel\'s environment', async () => {
    const client = await JupyterServerClient.connectRemote({ url: server.baseUrl, token: server.token });
    try {
      const kernelPid = Number((await client.execute('import os; print(os.getpid())')).stdout.trim());
      const family = descendants(server.pid);
      assert.ok(family.includes(kernelPid), `the kernel ${kernelPid} runs under the server ${server.pid}`);
      const cmdlines = procFiles('cmdline');
      assert.ok(cmdlines.has(server.pid) && cmdlines.has(kernelPid), 'server and kernel command lines were read');
      const leaking = [...cmdlines].filter(([, text]) => text.includes(server.token)).map(([pid]) => pid);
      console.log(`secrets: ${cmdlines.size} command lines read (server ${server.pid}, kernel ${kernelPid}); holding the token: ${leaking.length}`);
      assert.deepEqual(leaking, [], 'no process shows the token in its arguments');
      const kernelEnv = readFileSync(`/proc/${kernelPid}/environ`, 'latin1');
      assert.ok(!kernelEnv.includes(server.token), 'the kernel\'s environment does not hold the token');
      assert.ok(!/JUPYTER_TOKEN=/.test(kernelEnv));
      const seenByKernel = (await client.execute('import os; print(os.environ.get("JUPYTER_TOKEN", "<none>"))')).stdout.trim();
      assert.equal(seenByKernel, '<none>', 'user code in the kernel cannot read the token from its environment');
    } finally {
      await client.dispose();
    }
  });

  test('nbprov run: neither the kernel, its server nor nbprov shows a token argument', () => {
    // The cell runs inside the kernel nbprov started: it reads its own command line, its server's
    // and nbprov's (other nbprov versions may run on a shared machine, so not every process's).
    writeNotebook(ws, 'scan.ipynb', [
      [
        'import os, re',
        'def parent(pid):',
        '    stat = open(f"/proc/{pid}/stat").read()',
        '    return int(stat[stat.rindex(")") + 2:].split()[1])',
        'family = [os.getpid(), os.getppid(), parent(os.getppid())]',
        'leaks = []',
        'for pid in family:',
        '    try:',
        '        args = open(f"/proc/{pid}/cmdline", "rb").read().decode("latin1")',
        '    except OSError:',
        '        continue',
        '    if "ServerApp.token" in args or re.search(r"(?<![0-9a-f])[0-9a-f]{48}(?![0-9a-f])", args):',
        '        leaks.append(pid)',
        'leaked = len(leaks)',
        'checked = len(family)',
        'kernel_env_token = os.environ.get("JUPYTER_TOKEN", "")',
      ].join('\n'),
    ], { nbprov: { variables: { leaked: 'metric', checked: 'metric', kernel_env_token: 'metric' } } });
    const result = nbprov(['run', 'scan.ipynb', '--json'], ws, 180_000);
    assert.equal(result.code, 0, result.stderr);
    const doc = parseSingleJson(result.stdout) as { tagged: Record<string, { value?: unknown }> };
    assert.equal(doc.tagged.checked.value, 3);
    assert.equal(doc.tagged.leaked.value, 0, 'no command line holds the token');
    assert.equal(doc.tagged.kernel_env_token.value, '');
  });
});

describe('a token in a --server URL', () => {
  test('is used to authenticate and never printed', () => {
    writeNotebook(ws, 'remote.ipynb', ['x = 6 * 7'], { nbprov: { variables: { x: 'metric' } } });
    const url = `${server.baseUrl}?token=${server.token}`;
    for (const json of [false, true]) {
      const result = nbprov(['run', 'remote.ipynb', '--server', url, ...(json ? ['--json'] : [])], ws, 180_000);
      assert.equal(result.code, 0, result.stderr.replaceAll(server.token, '<TOKEN>'));
      assert.ok(!result.stdout.includes(server.token) && !result.stderr.includes(server.token), 'the token is not printed');
      if (!json) assert.match(result.stderr, /token=\*\*\*/, 'progress shows the URL redacted');
    }
  });

  test('a wrong token in the URL is refused without printing it', () => {
    const secret = 'f00dfeed'.repeat(6);
    const result = nbprov(['run', 'remote.ipynb', '--server', `${server.baseUrl}?token=${secret}`], ws, 120_000);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /rejected the token/);
    assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret));
  });

  test('an invalid URL holding a token is refused without printing it', () => {
    const secret = 'cafebabe'.repeat(6);
    for (const url of [`ftp://127.0.0.1/?token=${secret}`, `http://[::1/?token=${secret}`]) {
      const result = nbprov(['run', 'remote.ipynb', '--server', url], ws, 60_000);
      assert.equal(result.code, 2, result.stderr);
      assert.ok(!result.stderr.includes(secret) && !result.stdout.includes(secret), result.stderr);
    }
  });
});
