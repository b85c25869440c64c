// Messages and exit codes of issue 10's "clearer messages" and "honest exits", through the built
// CLI: metadata of the wrong type, duplicate cell ids, an empty notebook, a corrupt store under a
// read-only verb, and --out files that are written whole or not at all.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertUsageError, ensureBuilt, nbprov, removeWorkspace, tempWorkspace } from './helpers';

let ws: string;
before(() => {
  ensureBuilt();
  ws = tempWorkspace('honest');
});
after(() => removeWorkspace(ws));

function notebook(name: string, cells: unknown[], metadata: Record<string, unknown> = {}): void {
  writeFileSync(path.join(ws, name), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells }));
}
const code = (id: string | number | undefined, source: string, metadata: Record<string, unknown> = {}) => ({ cell_type: 'code', ...(id === undefined ? {} : { id }), metadata, source, outputs: [], execution_count: null });

describe('notebook metadata and cell ids', () => {
  test('a numeric language_info.name or vscode.languageId names the field and the fix, in every verb', () => {
    notebook('lang.ipynb', [code('a', 'x = 1')], { language_info: { name: 5 } });
    notebook('cell-lang.ipynb', [code('a', 'x = 1', { vscode: { languageId: 7 } })]);
    for (const args of [['analyze', 'lang.ipynb'], ['lineage', 'lang.ipynb', 'x'], ['stale', 'lang.ipynb'], ['tag', 'lang.ipynb', 'x', 'param']]) {
      assertUsageError(nbprov(args, ws), /lang\.ipynb: the notebook metadata has "language_info\.name" that is a number, not a string; set it to a language name/);
    }
    assertUsageError(nbprov(['dependents', 'cell-lang.ipynb', '--cell', '0'], ws), /cell-lang\.ipynb: cell 0's metadata has "vscode\.languageId" that is a number/);
  });

  test('duplicate cell ids name the notebook and both cells', () => {
    notebook('dup.ipynb', [code('a', 'x = 1'), code('b', 'y = 2'), code('a', 'z = x')]);
    const line = assertUsageError(nbprov(['lineage', 'dup.ipynb', 'z'], ws), /dup\.ipynb: cells 0 and 2 have the same id "a"/);
    assert.match(line, /give one of them a new "id"/);
    // A generated id (cell-<index>) colliding with a real one is a duplicate too.
    notebook('dup-generated.ipynb', [code(undefined, 'x = 1'), code('cell-0', 'y = 2')]);
    assertUsageError(nbprov(['analyze', 'dup-generated.ipynb'], ws), /cells 0 and 1 have the same id "cell-0"/);
  });

  test('a cell id that is not a string is refused with the fix', () => {
    notebook('id-number.ipynb', [code(3, 'x = 1')]);
    assertUsageError(nbprov(['analyze', 'id-number.ipynb'], ws), /cell 0 has an "id" that is a number, not a string/);
  });

  test('an empty notebook says it has no cells, not "0 to -1"', () => {
    notebook('empty.ipynb', []);
    const line = assertUsageError(nbprov(['dependents', 'empty.ipynb', '--cell', '0'], ws), /empty\.ipynb has no cells/);
    assert.doesNotMatch(line, /-1/);
    assert.doesNotMatch(assertUsageError(nbprov(['tag', 'empty.ipynb', '--cell', '0', 'training'], ws), /no cells/), /-1/);
  });
});

describe('a corrupt store under a read-only verb', () => {
  test('trials exits 2 naming the file it was moved to (not "no trials" with exit 0); the next call says there is no store', () => {
    const dir = tempWorkspace('corrupt');
    try {
      writeFileSync(path.join(dir, '.nbprov', 'store.sqlite'), 'this is not a database');
      const line = assertUsageError(nbprov(['trials'], dir), /store at .*store\.sqlite is corrupt \(not an SQLite database\) and was moved to .*store\.sqlite\.corrupt-/);
      assert.match(line, /no answer/);
      const moved = readdirSync(path.join(dir, '.nbprov')).filter((f) => f.startsWith('store.sqlite.corrupt-'));
      assert.equal(moved.length, 1);
      assert.equal(readFileSync(path.join(dir, '.nbprov', moved[0]), 'utf8'), 'this is not a database', 'moved aside, never deleted');
      assertUsageError(nbprov(['trials'], dir), /no nbprov store/);
    } finally {
      removeWorkspace(dir);
    }
  });
});

describe('--out files', () => {
  test('an export to a missing folder leaves nothing and says so; an existing file keeps its mode and its symlink', () => {
    const dir = tempWorkspace('out');
    try {
      writeFileSync(path.join(dir, '.nbprov', 'store.sqlite'), '');
      assertUsageError(nbprov(['export', '--out', 'nowhere/e.json'], dir), /cannot write nowhere\/e\.json \(no such folder, ENOENT\); pick a writable path; nothing was written/);
      assert.equal(existsSync(path.join(dir, 'nowhere')), false);
      mkdirSync(path.join(dir, 'real'));
      writeFileSync(path.join(dir, 'real', 'e.json'), 'old');
      chmodSync(path.join(dir, 'real', 'e.json'), 0o600);
      symlinkSync(path.join('real', 'e.json'), path.join(dir, 'link.json'));
      const run = nbprov(['export', '--out', 'link.json'], dir);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(lstatSync(path.join(dir, 'link.json')).isSymbolicLink(), 'the link stays a link');
      assert.match(readFileSync(path.join(dir, 'real', 'e.json'), 'utf8'), /"trials"/);
      assert.equal(statSync(path.join(dir, 'real', 'e.json')).mode & 0o777, 0o600);
      assert.deepEqual(readdirSync(path.join(dir, 'real')), ['e.json'], 'no temporary file left');
      assertUsageError(nbprov(['export', '--out', 'real'], dir), /cannot write real: it is a directory/);
    } finally {
      removeWorkspace(dir);
    }
  });
});

describe('a requested trial', () => {
  test('run --trial NAME on a notebook with no tagged variables exits 2 saying the run was recorded but the trial not saved', () => {
    const dir = tempWorkspace('requested');
    try {
      writeFileSync(path.join(dir, 'plain.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', language: 'python' } }, cells: [code('a', 'x = 1')] }));
      const refused = nbprov(['run', 'plain.ipynb', '--trial', 'wanted', '--json'], dir, 180_000);
      assert.equal(refused.code, 2, refused.stderr);
      // Progress lines come first on stderr; the error is the last line.
      const last = refused.stderr.trim().split('\n').pop()!;
      assert.match(last, /^nbprov: the run was recorded but the requested trial was not saved: plain\.ipynb has no tagged variables/);
      assert.doesNotMatch(refused.stderr, /internal error|\n\s+at /);
      // Without --trial the same run is a success with a note: a trial was not asked for.
      const run = nbprov(['run', 'plain.ipynb'], dir, 180_000);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stderr, /note: no trial saved/);
    } finally {
      removeWorkspace(dir);
    }
  });
});
