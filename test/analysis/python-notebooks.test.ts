/**
 * Smoke test on real notebooks: every code cell of a handful of scikit-learn example notebooks
 * (Debian's python-sklearn-doc) analyses without a throw and without error diagnostics.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { analyzer } from './python-helpers';

const DOCS = '/usr/share/doc/python-sklearn-doc/html/_downloads';
const NOTEBOOKS = 12;

function findNotebooks(): string[] {
  if (!existsSync(DOCS)) return [];
  const found: string[] = [];
  for (const dir of readdirSync(DOCS).sort()) {
    const full = path.join(DOCS, dir);
    if (!statSync(full).isDirectory()) continue;
    for (const name of readdirSync(full)) if (/\.ipynb(\.gz)?$/.test(name)) found.push(path.join(full, name));
  }
  return found.slice(0, NOTEBOOKS);
}

function codeCells(file: string): string[] {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const notebook = JSON.parse(text) as { cells: { cell_type: string; source: string | string[] }[] };
  return notebook.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

const notebooks = findNotebooks();

describe('python analysis: real scikit-learn notebooks', () => {
  if (notebooks.length === 0) {
    test('scikit-learn example notebooks', { skip: `${DOCS} not found (install Debian's python-sklearn-doc)` }, () => undefined);
    return;
  }
  for (const file of notebooks) {
    test(path.basename(file), async () => {
      const python = await analyzer();
      const cells = codeCells(file);
      assert.ok(cells.length > 0);
      let imports = 0;
      for (const [index, code] of cells.entries()) {
        const facts = python.analyze(code);
        const errors = facts.diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(errors, [], `cell ${index} of ${path.basename(file)}:\n${code}`);
        assert.equal(facts.operations.length > 0, code.trim().length > 0 && !/^(\s*#.*\n?)*\s*$/.test(code));
        imports += facts.imports.length;
      }
      assert.ok(imports > 0, 'an example notebook imports something');
    });
  }
});
