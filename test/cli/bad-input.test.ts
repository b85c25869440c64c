// Bad input through the built CLI: every user error is exit 2 with one `nbprov:` line on stderr,
// no stack trace and an empty stdout; broken cells give partial results; huge notebooks finish.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAUD_NOTEBOOK, assertUsageError, ensureBuilt, nbprov, nbprovJson, removeWorkspace, tempWorkspace, writeNotebook } from './helpers';

let ws: string;

before(() => {
  ensureBuilt();
  ws = tempWorkspace('bad');
  copyFileSync(FRAUD_NOTEBOOK, path.join(ws, 'fraud.ipynb'));
});
after(() => removeWorkspace(ws));

describe('unreadable notebooks', () => {
  test('not JSON', () => {
    writeFileSync(path.join(ws, 'broken.ipynb'), '{"cells": [ not json');
    assertUsageError(nbprov(['analyze', 'broken.ipynb', '--json'], ws), /broken\.ipynb.*not valid JSON/);
  });

  test('nbformat 3 names the version and the conversion', () => {
    writeFileSync(path.join(ws, 'v3.ipynb'), JSON.stringify({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [] }] }));
    assertUsageError(nbprov(['lineage', 'v3.ipynb', 'x', '--json'], ws), /nbformat 3.*nbconvert/);
  });

  test('binary garbage', () => {
    writeFileSync(path.join(ws, 'garbage.ipynb'), Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x89]), randomBytes(20_000)]));
    assertUsageError(nbprov(['analyze', 'garbage.ipynb', '--json'], ws), /garbage\.ipynb/);
  });

  test('missing file', () => {
    assertUsageError(nbprov(['analyze', 'nowhere.ipynb', '--json'], ws), /nowhere\.ipynb.*no such file/);
    assertUsageError(nbprov(['dependents', 'nowhere.ipynb', '--cell', '1', '--json'], ws), /nowhere\.ipynb/);
  });
});

describe('bad arguments', () => {
  test('unknown variable suggests the close names', () => {
    const line = assertUsageError(nbprov(['lineage', 'fraud.ipynb', 'acu', '--json'], ws), /acu/);
    assert.match(line, /auc/);
  });

  test('cell index out of range names the valid range', () => {
    assertUsageError(nbprov(['dependents', 'fraud.ipynb', '--cell', '99', '--json'], ws), /99.*out of range.*0 to 7/);
  });

  test('a cell index that is not a number, and a markdown cell', () => {
    assertUsageError(nbprov(['dependents', 'fraud.ipynb', '--cell', 'abc', '--json'], ws), /--cell/);
    assertUsageError(nbprov(['dependents', 'fraud.ipynb', '--cell', '0', '--json'], ws), /markdown/);
  });

  test('unknown command suggests the closest', () => {
    assertUsageError(nbprov(['lineag', 'fraud.ipynb', 'auc'], ws), /unknown command "lineag".*lineage/);
  });

  test('unknown flag, and a missing argument', () => {
    assertUsageError(nbprov(['analyze', 'fraud.ipynb', '--bogus', '--json'], ws), /--bogus/);
    assertUsageError(nbprov(['lineage', 'fraud.ipynb', '--json'], ws), /VARIABLE/);
    assertUsageError(nbprov(['dependents', 'fraud.ipynb', '--json'], ws), /--cell/);
  });

  test('trial verbs in a workspace with no store say how to record one', () => {
    const empty = tempWorkspace('empty');
    try {
      assertUsageError(nbprov(['trials', '--json'], empty), /no nbprov store.*nbprov run/);
      assertUsageError(nbprov(['values', 'auc', '--json'], empty), /no nbprov store/);
    } finally {
      removeWorkspace(empty);
    }
  });
});

describe('broken and huge cells', () => {
  test('a syntax error gives partial facts plus a diagnostic, exit 0', () => {
    writeNotebook(ws, 'syntax.ipynb', [
      { source: 'a = 1', count: 1 },
      { source: 'b = a +\nc = 2\nd = a * 2', count: 2 },
      { source: 'e = d + 1', count: 3 },
    ]);
    const doc = nbprovJson(['analyze', 'syntax.ipynb'], ws);
    assert.deepEqual(doc.cells[0].defines, ['a']);
    assert.deepEqual(doc.cells[0].diagnostics, []);
    const broken = doc.cells[1];
    assert.ok(broken.diagnostics.some((d: { severity: string; line: number }) => d.severity === 'error' && d.line === 1), JSON.stringify(broken.diagnostics));
    assert.ok(broken.defines.includes('d'), 'statements after the error are still analysed');
    assert.deepEqual(broken.uses, ['a']);
    assert.deepEqual(doc.cells[2].defines, ['e']);
    // Lineage still works across the broken cell.
    assert.deepEqual(nbprovJson(['lineage', 'syntax.ipynb', 'e'], ws).cells, [0, 1, 2]);
  });

  test('a 10 MB cell of code: the statements within the analysis bounds, saying what it analysed', () => {
    const lines = ["s = 'x'"];
    for (let i = 0; lines.join('\n').length < 10_000_000 && i < 1_000_000; i += 1000) {
      for (let j = i; j < i + 1000; j++) lines.push(`v${j} = s + '${'a'.repeat(20)}' + str(${j})`);
    }
    writeNotebook(ws, 'huge-code.ipynb', ['a = 1', lines.join('\n'), 'b = v7 + s']);
    const doc = nbprovJson(['analyze', 'huge-code.ipynb'], ws, 120_000);
    const huge = doc.cells[1];
    assert.ok(huge.defines.includes('s') && huge.defines.includes('v7'));
    assert.ok(huge.defines.length < lines.length);
    assert.deepEqual(
      huge.diagnostics.map((d: { severity: string; message: string }) => [d.severity, d.message.replace(/\d+ lines/, 'N lines')]),
      [['warning', 'cell too large: analysed the first N lines only (limit 10000 parser steps)']],
    );
    assert.deepEqual(doc.cells[2].uses, ['v7', 's']);
    // A name bound past the analysed lines: lineage says the cell was too large, not "unknown".
    const missing = nbprov(['lineage', 'huge-code.ipynb', `v${lines.length - 2}`], ws, 120_000);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cell 1 \(analysed the first \d+ of its \d+ lines; limit 10000 parser steps\) was too large to analyse, so it may be defined there/);
  });

  test('a 10 MB string literal cell: lineage completes', () => {
    writeNotebook(ws, 'huge-literal.ipynb', ['a = 1', `s = '${'a'.repeat(10_000_000)}'\nt = s[:3]`, 'b = t + str(a)']);
    const result = nbprov(['lineage', 'huge-literal.ipynb', 'b', '--json'], ws, 30_000);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).cells, [0, 1, 2]);
  });

  test('2,000 cells: lineage and dependents over the whole chain', () => {
    const cells = ['v0 = 0', ...Array.from({ length: 1999 }, (_, i) => `v${i + 1} = v${i} + 1`)];
    writeNotebook(ws, 'many.ipynb', cells);
    const lineage = nbprovJson(['lineage', 'many.ipynb', 'v1999'], ws, 30_000);
    assert.equal(lineage.cells.length, 2000);
    assert.deepEqual(lineage.cells.slice(0, 3), [0, 1, 2]);
    assert.equal(lineage.cells.at(-1), 1999);
    const deps = nbprovJson(['dependents', 'many.ipynb', '--cell', '1000'], ws, 30_000);
    assert.equal(deps.dependents.length, 999);
    assert.equal(deps.dependents[0], 1001);
  });
});
