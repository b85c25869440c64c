import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NbprovError } from '../../src/core/errors';
import * as kernelErrors from '../../src/kernel/errors';

describe('kernel errors', () => {
  const classes = Object.entries(kernelErrors).filter(([, value]) => typeof value === 'function') as [string, new (message: string) => kernelErrors.KernelLayerError][];

  test('every kernel error class is an NbprovError (one line, exit 2 in the CLI) and keeps its code', () => {
    const concrete = classes.filter(([name]) => name !== 'KernelLayerError');
    assert.ok(concrete.length >= 10, `found only ${concrete.map(([n]) => n).join(', ')}`);
    for (const [name, ErrorClass] of concrete) {
      const error = new ErrorClass('something failed: fix it');
      assert.ok(error instanceof NbprovError, `${name} is not an NbprovError`);
      assert.ok(error instanceof kernelErrors.KernelLayerError, `${name} is not a KernelLayerError`);
      assert.equal(error.name, name);
      assert.equal(error.message, 'something failed: fix it');
      assert.match(error.code, /^[a-z]+(-[a-z]+)*$/, `${name} has no code`);
    }
    assert.equal(new kernelErrors.KernelDiedError('x').code, 'kernel-died');
    assert.equal(new kernelErrors.PythonNotFoundError('x').code, 'python-not-found');
  });
});
