// The recorder package is installed by executing its modules in RECORDER_MODULES order, so a
// module may only import modules listed before it, and every module in the folder must be listed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RECORDER_MODULES, recorderSourcePath } from '../../src/kernel/recorderAsset';

const folder = recorderSourcePath();

test('every module in the recorder folder is in the install order, and only those', () => {
  const onDisk = readdirSync(folder).filter((f) => f.endsWith('.py')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(onDisk, [...RECORDER_MODULES].sort());
});

test('each recorder module imports only modules installed before it', () => {
  RECORDER_MODULES.forEach((module, index) => {
    const source = readFileSync(path.join(folder, `${module}.py`), 'utf8');
    const imported = [...source.matchAll(/^\s*from \.(\w*) import/gm)].map((m) => m[1]);
    assert.ok(!/^\s*from \. import/m.test(source), `${module}.py: import modules by name (from .name import …)`);
    for (const name of imported) {
      const at = RECORDER_MODULES.indexOf(name as (typeof RECORDER_MODULES)[number]);
      assert.ok(at >= 0 && at < index, `${module}.py imports .${name}, which is not installed before it`);
    }
  });
});
