import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { JupyterAuthError, JupyterServerUnreachableError, PythonNotFoundError } from '../../src/kernel/errors';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import { freePort, startLocalJupyterServer, type LocalJupyterServer } from '../../src/kernel/localServer';
import { findJupyterPython } from '../../src/kernel/pythonDiscovery';
import { assertIdentifier, pythonJsonArgument } from '../../src/kernel/recorderAsset';

/** The pyenv python3 on PATH has no Jupyter; /usr/bin/python3 has. */
function pythonWithoutJupyter(): string {
  return execFileSync('bash', ['-lc', 'command -v python3'], { encoding: 'utf8' }).trim();
}

describe('finding Python and reaching servers', { timeout: 120_000 }, () => {
  let server: LocalJupyterServer;
  before(async () => {
    server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-conn-')) });
  });
  after(async () => {
    await server?.dispose();
  });

  test('NBPROV_PYTHON without jupyter_server/ipykernel gives a typed error saying what to install', async () => {
    const python = pythonWithoutJupyter();
    const lacks = execFileSync(python, ['-c', 'import importlib.util as u; print(u.find_spec("jupyter_server") is None)'], { encoding: 'utf8' }).trim();
    assert.equal(lacks, 'True', `${python} unexpectedly has jupyter_server`);
    await assert.rejects(findJupyterPython({ env: { ...process.env, NBPROV_PYTHON: python } }), (error: unknown) => {
      assert.ok(error instanceof PythonNotFoundError);
      assert.match(error.message, /lacks jupyter_server and ipykernel/);
      assert.match(error.message, /apt-get install python3-jupyter-server python3-ipykernel/);
      assert.match(error.message, /pip install jupyter_server ipykernel/);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
    await assert.rejects(findJupyterPython({ python: '/nonexistent/python3' }), /\/nonexistent\/python3 \(given with --python\): not found/);
  });

  test('without an explicit choice the first Python with Jupyter is found', async () => {
    const env = { ...process.env };
    delete env.NBPROV_PYTHON;
    const found = await findJupyterPython({ env });
    assert.equal(found.path, '/usr/bin/python3');
    assert.match(found.jupyterServerVersion, /^\d+\./);
  });

  test('a server that does not answer gives a typed error within the bound', async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(JupyterServerClient.connectRemote({ url: `http://127.0.0.1:${port}/`, token: 'x', timeoutMs: 3000 }), (error: unknown) => {
      assert.ok(error instanceof JupyterServerUnreachableError);
      assert.match(error.message, /unreachable \(ECONNREFUSED\)/);
      return true;
    });
    assert.ok(Date.now() - started < 10_000);
    await assert.rejects(JupyterServerClient.connectRemote({ url: 'not a url' }), JupyterServerUnreachableError);
  });

  test('a rejected token gives a typed error naming NBPROV_JUPYTER_TOKEN', async () => {
    await assert.rejects(JupyterServerClient.connectRemote({ url: server.baseUrl, token: 'wrong-token' }), (error: unknown) => {
      assert.ok(error instanceof JupyterAuthError);
      assert.match(error.message, /rejected the token \(HTTP 403\).*NBPROV_JUPYTER_TOKEN/);
      return true;
    });
  });

  test('a remote server with the right token runs code', async () => {
    const client = await JupyterServerClient.connectRemote({ url: server.baseUrl.replace(/\/$/, ''), token: server.token });
    try {
      const result = await client.execute('print(6 * 7)');
      assert.equal(result.stdout, '42\n');
      assert.equal((await client.info()).language, 'python');
    } finally {
      await client.dispose();
    }
  });

  test('parameters travel as JSON data and names are validated as identifiers', () => {
    assert.equal(pythonJsonArgument({ a: 'x"\n\\' }), '__import__("json").loads("{\\"a\\":\\"x\\\\\\"\\\\n\\\\\\\\\\"}")');
    assert.doesNotThrow(() => assertIdentifier('df_2'));
    assert.throws(() => assertIdentifier('x; import os'), /is not a Python variable name/);
    assert.throws(() => assertIdentifier('class'), /is not a Python variable name/);
  });
});
