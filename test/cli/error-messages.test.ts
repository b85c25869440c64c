// Errors as data: src/core words no front end's command; the CLI maps each code to its own fix.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cliErrorMessage } from '../../src/cli/errorMessages';
import { NbprovError, coreErrorCodes, isCoreError } from '../../src/core/errors';
import { UnknownVariableError } from '../../src/core/lineage/errors';
import { NotebookError } from '../../src/core/notebook/errors';
import { StoreBusyError } from '../../src/core/store/errors';
import { NoRecordedSessionError, NoTaggedVariablesError, UnknownTrialError, UnknownVariableError as NotTaggedError } from '../../src/core/trials/errors';
import { KernelDiedError } from '../../src/kernel/errors';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Source text without comments (line and block), good enough for string literals in this code base. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

describe('core errors are data', () => {
  test('no message in src/core names an nbprov command', () => {
    const verbs = ['run', 'analyze', 'lineage', 'dependents', 'stale', 'tag', 'trials', 'trial', 'diff', 'values', 'plot', 'export', 'demo'];
    const pattern = new RegExp(`nbprov (${verbs.join('|')})\\b`);
    const offenders = sources(path.join(ROOT, 'src', 'core')).filter((f) => pattern.test(withoutComments(readFileSync(f, 'utf8'))));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)), []);
  });

  test('errors carry their code and data', () => {
    const err = new UnknownVariableError('acu', ['auc']);
    assert.ok(isCoreError(err));
    assert.equal(err.code, 'unknown-variable');
    assert.deepEqual(err.data, { variable: 'acu', suggestions: ['auc'] });
    assert.ok(coreErrorCodes.includes('notebook-invalid-utf8'));
    const kernel = new KernelDiedError('the kernel died');
    assert.ok(kernel instanceof NbprovError && !isCoreError(kernel) && kernel.code === 'kernel-died');
    assert.equal(new NbprovError('plain').code, 'failed');
  });
});

describe('the CLI words the fix', () => {
  const cwd = '/work/here';
  const cases: [NbprovError, RegExp][] = [
    [new UnknownVariableError('acu', ['auc']), /^Unknown variable 'acu'.*Did you mean 'auc'\? Run `nbprov analyze NOTEBOOK` to list the names each cell defines\.$/],
    [new NoRecordedSessionError('fraud.ipynb'), /no recorded session.*run it first with: nbprov run fraud\.ipynb$/],
    [new NoTaggedVariablesError('fraud.ipynb'), /`nbprov tag fraud\.ipynb VAR ROLE` or `nbprov tag fraud\.ipynb --accept-suggested`$/],
    [new UnknownTrialError('basline', ['baseline']), /did you mean "baseline"\? \(`nbprov trials` lists them\)$/],
    [new UnknownTrialError('x', []), /`nbprov trials` lists the saved trials \(`nbprov run NB` saves one\)$/],
    [new NotTaggedError('auc', []), /tag one with `nbprov tag NB VAR ROLE` and run again$/],
    [new NotebookError('notebook-not-found', { path: 'nb.ipynb' }, 'nb.ipynb: no such file'), /^nb\.ipynb: no such file; check the path \(relative paths start from \/work\/here\)$/],
    [new NotebookError('notebook-unsupported-nbformat', { path: 'v3.ipynb', nbformat: 3, supported: 4 }, 'x'), /nbformat 3.*jupyter nbconvert --to notebook --nbformat 4/],
  ];
  for (const [err, pattern] of cases) {
    test(`${err.code}`, () => assert.match(cliErrorMessage(err, { cwd }), pattern));
  }

  test('errors without a command to name keep their own message', () => {
    const busy = new StoreBusyError('/w/.nbprov/store.sqlite', '/w/.nbprov/store.sqlite.lock');
    assert.equal(cliErrorMessage(busy, { cwd }), busy.message);
    assert.equal(cliErrorMessage(new KernelDiedError('the kernel died; restart it'), { cwd }), 'the kernel died; restart it');
  });
});
