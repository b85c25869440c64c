import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { COMMANDS } from '../../src/extension/commands';
import { notebookKernelContextValue } from '../../src/extension/kernel/ids';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } };
  contributes: { menus?: Record<string, { command: string; when?: string }[]> };
};

describe("the kernel's package.json contributions", () => {
  test('the restart button shows in the notebook toolbar exactly while "nbprov: Python" is the kernel', () => {
    const entry = pkg.contributes.menus?.['notebook/toolbar']?.find((m) => m.command === COMMANDS.restartKernel.id);
    assert.ok(entry, 'nbprov.restartKernel is in notebook/toolbar');
    // VS Code sets notebookKernel to `<publisher>.<name>/<controller id>`.
    assert.equal(entry.when, `notebookKernel == '${notebookKernelContextValue(`${pkg.publisher}.${pkg.name}`)}'`);
  });

  test('untrusted workspaces: limited support, and the settings that choose what runs are not taken from the workspace', () => {
    assert.equal(pkg.capabilities?.untrustedWorkspaces?.supported, 'limited');
    assert.deepEqual(pkg.capabilities?.untrustedWorkspaces?.restrictedConfigurations?.sort(), ['nbprov.jupyter.serverUrl', 'nbprov.python.interpreter']);
  });
});
