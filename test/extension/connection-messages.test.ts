import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { editorError, resolveInterpreter } from '../../src/extension/kernel/connection';
import { JupyterAuthError, JupyterServerUnreachableError, PythonNotFoundError } from '../../src/kernel/errors';

describe("the kernel layer's errors name the editor's fixes", () => {
  const discovery = new PythonNotFoundError(
    'No Python with jupyter_server and ipykernel: python3 (on PATH, Python 3.11.2) lacks jupyter_server; /usr/bin/python3 (system, Python 3.11.2) lacks jupyter_server. To fix, install them …',
  );

  test('discovery found no Python: the Debian packages and the setting, with what was tried', () => {
    const message = editorError(discovery, { serverUrl: '', pythonInterpreter: '' }).message;
    assert.match(message, /^No Python with jupyter_server and ipykernel was found \(python3 \(on PATH, Python 3\.11\.2\) lacks jupyter_server; /);
    assert.match(message, /apt-get install python3-jupyter-server python3-ipykernel/);
    assert.match(message, /set nbprov\.python\.interpreter/);
    assert.doesNotMatch(message, /--python|NBPROV_PYTHON/);
  });

  test('a refused token names the command, never an environment variable', () => {
    const message = editorError(new JupyterAuthError('rejected the token (HTTP 403): pass the server\'s token with NBPROV_JUPYTER_TOKEN'), { serverUrl: 'https://hub.example.org/user/me/', pythonInterpreter: '' }).message;
    assert.equal(message, 'The Jupyter Server at https://hub.example.org/user/me/ refused the token: run "nbprov: Set Jupyter Server Token…" (nbprov.setServerToken) and enter the server\'s token.');
  });

  test('an unreachable remote server points at the URL setting; other errors pass through', () => {
    assert.match(editorError(new JupyterServerUnreachableError('Jupyter Server at http://x:1/ is unreachable (ECONNREFUSED): check the URL'), { serverUrl: 'http://x:1/', pythonInterpreter: '' }).message, /\(setting nbprov\.jupyter\.serverUrl\)\.$/);
    const other = new Error('boom');
    assert.equal(editorError(other, { serverUrl: '', pythonInterpreter: '' }), other);
  });
});

describe('the interpreter setting', () => {
  test('~ and ${workspaceFolder} are expanded; anything else is taken as written', () => {
    assert.equal(resolveInterpreter('${workspaceFolder}/.venv/bin/python', '/w/proj', '/home/me'), '/w/proj/.venv/bin/python');
    assert.equal(resolveInterpreter(' ~/miniconda/bin/python3 ', undefined, '/home/me'), '/home/me/miniconda/bin/python3');
    assert.equal(resolveInterpreter('python3', '/w', '/home/me'), 'python3');
    assert.equal(resolveInterpreter('/opt/x~y/python', '/w', '/home/me'), '/opt/x~y/python');
    assert.equal(resolveInterpreter('', '/w', '/home/me'), '');
  });
});
