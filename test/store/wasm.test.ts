import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { openStore, SCHEMA_VERSION } from '../../src/core/store';
import { loadSqlJs, locateSqlWasm } from '../../src/core/store/sqljs';
import { tempWorkspace } from './fixtures';

describe('sql.js WASM loading', () => {
  test('an explicit wasmDir is looked at first', (t) => {
    const dir = tempWorkspace(t);
    const packaged = require.resolve('sql.js/dist/sql-wasm.wasm');
    copyFileSync(packaged, path.join(dir, 'sql-wasm.wasm'));
    assert.equal(locateSqlWasm(dir), path.join(dir, 'sql-wasm.wasm'));
  });

  test('without a wasmDir (or with one lacking the file) the installed package is used', (t) => {
    const packaged = require.resolve('sql.js/dist/sql-wasm.wasm');
    assert.equal(locateSqlWasm(), packaged);
    assert.equal(locateSqlWasm(tempWorkspace(t)), packaged);
  });

  test('the module is loaded once per WASM file and a store opens with it', async (t) => {
    assert.equal(loadSqlJs(), loadSqlJs());
    const store = await openStore(tempWorkspace(t), { wasmDir: path.dirname(require.resolve('sql.js/dist/sql-wasm.wasm')) });
    assert.equal(store.stats().schemaVersion, SCHEMA_VERSION);
    store.close();
  });
});
