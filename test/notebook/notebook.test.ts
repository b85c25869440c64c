import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NbprovError } from '../../src/core/errors';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../src/core/notebook/ipynb';
import { savedHistory } from '../../src/core/notebook/savedHistory';
import { applyNotebookEdits } from '../../src/core/notebook/ipynbEdits';
import {
  TagError,
  cellStage,
  parametersCellIndex,
  tagCellStage,
  tagVariable,
  untagCellStage,
  untagVariable,
  variableTags,
} from '../../src/core/notebook/tags';
import type { Notebook } from '../../src/core/notebook/ipynb';
import type { NotebookEdit } from '../../src/core/notebook/view';

/** The notebook after `edits`, applied to its text and read back. */
const edited = (n: Notebook, edits: NotebookEdit[]) => parseNotebook(applyNotebookEdits(n.text, edits, n.path), n.path);

function nb(cells: object[], metadata: object = {}) {
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata, cells });
}
const code = (source: string | string[], extra: object = {}) => ({ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null, ...extra });

describe('parseNotebook', () => {
  test('joins list sources and keeps ids, counts and tags', () => {
    const n = parseNotebook(nb([code(['a = 1\n', 'b = a'], { id: 'c1', execution_count: 3, metadata: { tags: ['parameters'] } }), { cell_type: 'markdown', source: '# hi', metadata: {} }]), 'x.ipynb');
    assert.equal(n.cells.length, 2);
    assert.deepEqual(
      { id: n.cells[0].id, source: n.cells[0].source, count: n.cells[0].executionCount, tags: n.cells[0].tags, language: n.cells[0].language },
      { id: 'c1', source: 'a = 1\nb = a', count: 3, tags: ['parameters'], language: 'python' },
    );
    assert.equal(n.cells[1].cellType, 'markdown');
    assert.equal(n.cells[1].language, null);
  });

  test('cells without ids get positional ids', () => {
    const n = parseNotebook(nb([code('x'), code('y')]), 'x.ipynb');
    assert.deepEqual(n.cells.map((c) => c.id), ['cell-0', 'cell-1']);
  });

  test('language comes from the kernelspec and per-cell VS Code language ids', () => {
    const n = parseNotebook(nb([code('let a = 1'), code('x = 1', { metadata: { vscode: { languageId: 'python' } } })], { kernelspec: { name: 'tslab', language: 'typescript' } }), 'x.ipynb');
    assert.deepEqual(n.cells.map((c) => c.language), ['typescript', 'python']);
  });

  const bad: [string, string, RegExp][] = [
    ['invalid JSON', '{"cells": [', /not valid JSON/],
    ['binary garbage', '\u0000\u0001\u0002PK', /NUL character \(at character 0\), so it is a binary or damaged file/],
    ['a string nbformat', '{"nbformat": "4", "cells": []}', /"nbformat" that is a string, not the number 4/],
    ['a numeric language_info.name', nb([code('x')], { language_info: { name: 5 } }), /"language_info\.name" that is a number, not a string/],
    ['a list as kernelspec', nb([code('x')], { kernelspec: ['python3'] }), /"kernelspec" that is a list, not an object/],
    ['an object as a cell\'s vscode.languageId', nb([code('x', { metadata: { vscode: { languageId: {} } } })]), /cell 0's metadata has "vscode\.languageId" that is an object/],
    ['duplicate cell ids', nb([code('x', { id: 'a' }), code('y', { id: 'a' })]), /cells 0 and 1 have the same id "a"/],
    ['a JSON array', '[1,2]', /not a notebook/],
    ['no nbformat', '{"cells": []}', /no "nbformat"/],
    ['nbformat 3', '{"nbformat": 3, "worksheets": []}', /nbformat 3.*nbformat 4/],
    ['no cells', '{"nbformat": 4, "nbformat_minor": 2, "metadata": {}}', /no "cells"/],
    ['a cell without type', nb([{ source: 'x' }]), /cell 0 has no "cell_type"/],
    ['a non-string source', nb([{ cell_type: 'code', source: 5 }]), /neither a string nor a list/],
    ['a fractional execution count', nb([code('x', { execution_count: 1.5 })]), /not an integer/],
  ];
  for (const [name, text, pattern] of bad) {
    test(`rejects ${name} with a one-line NbprovError`, () => {
      assert.throws(
        () => parseNotebook(text, 'bad.ipynb'),
        (err: unknown) => err instanceof NotebookFormatError && err instanceof NbprovError && pattern.test(err.message) && !err.message.includes('\n'),
      );
    });
  }

  test('round-trips unknown fields', () => {
    const text = nb([code('x = 1', { id: 'a', custom: { keep: true } })], { something: [1, 2] });
    const n = parseNotebook(text, 'x.ipynb');
    const again = JSON.parse(serializeNotebook(n));
    assert.deepEqual(again.cells[0].custom, { keep: true });
    assert.deepEqual(again.metadata.something, [1, 2]);
  });

  test('parses a 2,000-cell notebook with a 10 MB cell quickly', () => {
    const cells = Array.from({ length: 2000 }, (_, i) => code(`x${i} = ${i}`));
    cells.push(code('s = "' + 'a'.repeat(10 * 1024 * 1024) + '"'));
    const started = performance.now();
    const n = parseNotebook(nb(cells), 'big.ipynb');
    assert.equal(n.cells.length, 2001);
    assert.ok(performance.now() - started < 5000);
  });
});

describe('tags in notebook metadata', () => {
  test('variable tags are written to metadata.nbprov.variables and read back', () => {
    let n = parseNotebook(nb([code('auc = 1')]), 'x.ipynb');
    n = edited(n, tagVariable(n, 'auc', 'metric'));
    n = edited(n, tagVariable(n, 'n_estimators', 'Parameter'));
    assert.deepEqual(variableTags(n), { auc: 'metric', n_estimators: 'param' });
    assert.deepEqual((n.raw.metadata as { nbprov: unknown }).nbprov, { variables: { auc: 'metric', n_estimators: 'param' } });
    assert.deepEqual(tagVariable(n, 'auc', 'metric'), [], 'the same tag again changes nothing');
    n = edited(n, untagVariable(n, 'auc'));
    assert.deepEqual(variableTags(n), { n_estimators: 'param' });
    assert.throws(
      () => untagVariable(n, 'auc'),
      (e: unknown) => e instanceof TagError && e.code === 'tag-variable-not-tagged' && (e.data as { tagged: string[] }).tagged.includes('n_estimators'),
    );
  });

  test('free-text roles are kept, bad names and roles are refused with their code', () => {
    let n = parseNotebook(nb([code('x = 1')]), 'x.ipynb');
    n = edited(n, tagVariable(n, 'größe', 'feature set'));
    assert.deepEqual(variableTags(n), { größe: 'feature set' });
    assert.throws(() => tagVariable(n, 'not a name', 'metric'), (e: unknown) => e instanceof TagError && e.code === 'tag-invalid-variable');
    assert.throws(() => tagVariable(n, 'x', '  '), (e: unknown) => e instanceof TagError && e.code === 'tag-invalid-role');
    assert.throws(() => tagVariable(n, 'x', 'two\nlines'), TagError);
  });

  test('a cell has one stage tag; other tags are untouched', () => {
    let n = parseNotebook(nb([code('x = 1', { metadata: { tags: ['parameters'] } })]), 'x.ipynb');
    n = edited(n, tagCellStage(n, 0, 'data reading'));
    n = edited(n, tagCellStage(n, 0, 'evaluation'));
    assert.deepEqual(n.cells[0].tags, ['parameters', 'stage:evaluation']);
    assert.equal(cellStage(n.cells[0].tags), 'evaluation');
    assert.deepEqual((n.raw.cells[0].metadata as { tags: string[] }).tags, ['parameters', 'stage:evaluation']);
    n = edited(n, untagCellStage(n, 0));
    assert.deepEqual(n.cells[0].tags, ['parameters']);
    assert.deepEqual(untagCellStage(n, 0), [], 'no stage: no edit');
    assert.equal(parametersCellIndex(n), 0);
  });

  test('a cell index out of range names the valid range', () => {
    const n = parseNotebook(nb([code('x = 1')]), 'x.ipynb');
    assert.throws(() => tagCellStage(n, 4, 'evaluation'), /cell 4 is out of range: the notebook has 1 cell \(0 to 0\)/);
    const empty = parseNotebook(nb([]), 'x.ipynb');
    assert.throws(
      () => tagCellStage(empty, 0, 'evaluation'),
      (e: unknown) => e instanceof TagError && e.code === 'tag-cell-out-of-range' && /the notebook has no cells/.test(e.message),
    );
  });
});

describe('savedHistory', () => {
  test('orders by saved execution count and reports cells that did not run', () => {
    const n = parseNotebook(nb([code('a = 1', { execution_count: 2 }), { cell_type: 'markdown', source: '', metadata: {} }, code('b = 2', { execution_count: 1 }), code('c = 3')]), 'x.ipynb');
    const h = savedHistory(n);
    assert.equal(h.order, 'execution-count');
    assert.deepEqual(h.executions.map((e) => e.cellIndex), [2, 0]);
    assert.deepEqual(h.notRun, [3]);
  });

  test('a notebook without counts is read top to bottom', () => {
    const n = parseNotebook(nb([code('a = 1'), code('b = a')]), 'x.ipynb');
    const h = savedHistory(n);
    assert.equal(h.order, 'notebook');
    assert.deepEqual(h.executions.map((e) => e.code), ['a = 1', 'b = a']);
  });
});
