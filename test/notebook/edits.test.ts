// NotebookEdits applied to .ipynb text: only the edited values change, in the file's own layout,
// and every other byte (indentation, key order, big integers, escapes, non-ASCII, line endings) stays.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { NotebookError } from '../../src/core/notebook/errors';
import { parseNotebook, type Notebook } from '../../src/core/notebook/ipynb';
import { applyNotebookEdits } from '../../src/core/notebook/ipynbEdits';
import { withCellTags, withVariableTags } from '../../src/core/notebook/metadataEdits';
import { plainNotebookView } from '../../src/core/notebook/plainView';
import { acceptSuggestions, tagCellStage, tagVariable, untagCellStage, untagVariable, variableTags, withEdits } from '../../src/core/notebook/tags';
import type { NotebookEdit } from '../../src/core/notebook/view';
import { mulberry32 } from '../../src/core/seededRandom';

const ROOT = path.resolve(__dirname, '..', '..');
const REAL = path.join(ROOT, 'test', 'fixtures', 'real');
const realNotebooks = [
  ...readdirSync(REAL).filter((f) => f.endsWith('.ipynb')).map((f) => path.join(REAL, f)),
  path.join(ROOT, 'examples', 'fraud', 'fraud.ipynb'),
];

const apply = (n: Notebook, edits: NotebookEdit[]) => applyNotebookEdits(n.text, edits, n.path);
const reparse = (n: Notebook, edits: NotebookEdit[]) => parseNotebook(apply(n, edits), n.path);

/** The original text's bytes outside the one changed region: [prefix, suffix] lengths in common. */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { prefix, suffix };
}

/** Asserts `after` is `before` with one insertion and nothing else changed; returns the inserted text. */
function insertedText(before: string, after: string): string {
  const { prefix, suffix } = commonEnds(before, after);
  assert.equal(prefix + suffix, before.length, 'only an insertion: every original byte is kept, in order');
  return after.slice(prefix, after.length - suffix);
}

describe('edits on real notebooks keep every byte they do not change', () => {
  for (const file of realNotebooks) {
    const name = path.basename(file);
    test(`${name}: a stage tag added and removed gives back the same bytes`, () => {
      const original = readFileSync(file, 'utf8');
      const n = parseNotebook(original, name);
      const cell = n.cells.findIndex((c) => c.cellType === 'code' && !c.tags.some((t) => t.startsWith('stage:')));
      const tagged = reparse(n, tagCellStage(n, cell, 'model training'));
      assert.deepEqual(tagged.cells[cell].tags, [...n.cells[cell].tags, 'stage:model-training']);
      const inserted = insertedText(original, tagged.text);
      assert.match(inserted, /"stage:model-training"/);
      assert.deepEqual(tagged.cells.map((c) => c.source), n.cells.map((c) => c.source));
      const untagged = apply(tagged, untagCellStage(tagged, cell));
      assert.equal(untagged, original);
    });

    test(`${name}: a variable tag is one insertion in the file's layout, and retagging changes only the role`, () => {
      const original = readFileSync(file, 'utf8');
      const n = parseNotebook(original, name);
      const before = variableTags(n);
      const tagged = reparse(n, tagVariable(n, 'zz_seed', 'param'));
      assert.deepEqual(variableTags(tagged), { ...before, zz_seed: 'param' });
      const inserted = insertedText(original, tagged.text);
      // The file's indentation: the new member sits one indent unit deeper than its object.
      const unit = /^\{\r?\n([ \t]+)"/.exec(original)![1];
      assert.ok(inserted.includes(`\n${unit}${unit}`), JSON.stringify(inserted));
      const retagged = apply(tagged, tagVariable(tagged, 'zz_seed', 'random seed'));
      const { prefix, suffix } = commonEnds(tagged.text, retagged);
      assert.equal(tagged.text.slice(prefix, tagged.text.length - suffix), 'param', 'only the role changed');
      if (Object.keys(before).length) assert.equal(apply(tagged, untagVariable(tagged, 'zz_seed')), original);
    });
  }
});

const nbText = (metadata: string, cells: string) => `{\n "cells": [${cells}],\n "metadata": ${metadata},\n "nbformat": 4,\n "nbformat_minor": 5\n}\n`;
const cell = (id: string, metadata = '{}') => `\n  {\n   "cell_type": "code",\n   "execution_count": null,\n   "id": "${id}",\n   "metadata": ${metadata},\n   "outputs": [],\n   "source": "x = 1"\n  }`;

describe('the file layout is followed', () => {
  test('keys are inserted in sorted position when the file sorts them, appended otherwise', () => {
    const sorted = parseNotebook(nbText('{\n  "kernelspec": {},\n  "zeta": 1\n }', cell('a')), 's.ipynb');
    const out = apply(sorted, tagVariable(sorted, 'auc', 'metric'));
    assert.ok(out.indexOf('"nbprov"') > out.indexOf('"kernelspec"') && out.indexOf('"nbprov"') < out.indexOf('"zeta"'), out);
    const unsorted = parseNotebook(nbText('{\n  "zeta": 1,\n  "kernelspec": {}\n }', cell('a')), 'u.ipynb');
    const out2 = apply(unsorted, tagVariable(unsorted, 'auc', 'metric'));
    assert.ok(out2.indexOf('"nbprov"') > out2.indexOf('"kernelspec"'), out2);
  });

  test('an empty metadata object gets a pretty member at the right depth', () => {
    const n = parseNotebook(nbText('{}', cell('a')), 'e.ipynb');
    const out = apply(n, tagVariable(n, 'auc', 'metric'));
    assert.ok(out.includes('"metadata": {\n  "nbprov": {\n   "variables": {\n    "auc": "metric"\n   }\n  }\n },'), out);
    const staged = apply(n, tagCellStage(n, 0, 'evaluation'));
    assert.ok(staged.includes('   "metadata": {\n    "tags": [\n     "stage:evaluation"\n    ]\n   },'), staged);
  });

  for (const [name, indent] of [['two spaces', '  '], ['four spaces', '    '], ['tabs', '\t']] as const) {
    test(`indentation of ${name} is kept`, () => {
      const doc = { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3' } }, cells: [{ cell_type: 'code', id: 'c', metadata: {}, source: 'x', outputs: [], execution_count: null }] };
      const text = JSON.stringify(doc, null, indent);
      const n = parseNotebook(text, 'i.ipynb');
      const out = apply(n, [...tagVariable(n, 'x', 'param'), ...tagCellStage(n, 0, 'evaluation')]);
      const expected = structuredClone(doc) as typeof doc & { metadata: Record<string, unknown>; cells: { metadata: Record<string, unknown> }[] };
      expected.metadata.nbprov = { variables: { x: 'param' } };
      expected.cells[0].metadata.tags = ['stage:evaluation'];
      // JSON.stringify appends keys; the edit inserts them sorted: compare parsed, and the layout by lines.
      assert.deepEqual(JSON.parse(out), expected);
      for (const line of out.split('\n').slice(1, -1)) assert.match(line, new RegExp(`^(${indent === '\t' ? '\\t' : indent})+\\S`), `line ${JSON.stringify(line)}`);
    });
  }

  test('one-line notebooks stay on one line, with their own separators', () => {
    for (const text of [
      '{"cells":[{"cell_type":"code","id":"c","metadata":{},"source":"x","outputs":[],"execution_count":null}],"metadata":{},"nbformat":4,"nbformat_minor":5}',
      '{"cells": [{"cell_type": "code", "id": "c", "metadata": {}, "source": "x", "outputs": [], "execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    ]) {
      const n = parseNotebook(text, 'c.ipynb');
      const out = apply(n, [...tagVariable(n, 'x', 'param'), ...tagVariable(withEdits(n, tagVariable(n, 'x', 'param')), 'y', 'metric'), ...tagCellStage(n, 0, 'evaluation')]);
      assert.ok(!out.includes('\n'), out);
      const compact = text.includes('": ') ? '"metadata": {"nbprov": {"variables": {"x": "param", "y": "metric"}}}' : '"metadata":{"nbprov":{"variables":{"x":"param","y":"metric"}}}';
      assert.ok(out.includes(compact), out);
    }
  });

  test('CRLF line endings and a byte-order mark are kept', () => {
    const text = '\uFEFF' + nbText('{}', cell('a')).replace(/\n/g, '\r\n');
    const n = parseNotebook(text, 'crlf.ipynb');
    const out = apply(n, tagCellStage(n, 0, 'evaluation'));
    assert.ok(out.startsWith('\uFEFF{\r\n'));
    assert.ok(!/[^\r]\n/.test(out), 'every newline is CRLF');
    assert.deepEqual(parseNotebook(out, 'crlf.ipynb').cells[0].tags, ['stage:evaluation']);
  });

  test('non-ASCII is written as the file writes it (raw, or \\u escapes in an ASCII-only file)', () => {
    const raw = parseNotebook(nbText('{"title": "Größe"}', cell('a')), 'raw.ipynb');
    assert.match(apply(raw, tagVariable(raw, 'größe', 'métrique')), /"größe": "métrique"/);
    const escaped = parseNotebook(nbText('{"title": "Gr\\u00f6\\u00dfe"}', cell('a')), 'esc.ipynb');
    const out = apply(escaped, tagVariable(escaped, 'größe', 'métrique'));
    assert.match(out, /"gr\\u00f6\\u00dfe": "m\\u00e9trique"/);
    assert.ok(out.includes('"title": "Gr\\u00f6\\u00dfe"'), 'the existing escapes are untouched');
    assert.deepEqual(variableTags(parseNotebook(out, 'esc.ipynb')), { größe: 'métrique' });
  });
});

describe('what the edits leave alone', () => {
  test('integers above 2^53 and number spellings are kept exactly', () => {
    const text = nbText('{"big": 123456789012345678901234567890, "float": 1.50E+3, "neg": -0.0}', cell('a', '{"seed": 18446744073709551615}'));
    const n = parseNotebook(text, 'big.ipynb');
    const out = apply(n, [...tagVariable(n, 'seed', 'param'), ...tagCellStage(n, 0, 'evaluation')]);
    for (const spelling of ['123456789012345678901234567890', '1.50E+3', '-0.0', '18446744073709551615']) assert.ok(out.includes(spelling), spelling);
  });

  test('other nbprov metadata and invalid variable entries: the entries edited go, the rest stays', () => {
    const n = parseNotebook(nbText('{"nbprov": {"other": [1, 2], "variables": {"a": "metric", "bad name": "x", "b": 5}}}', cell('a')), 'o.ipynb');
    assert.deepEqual(variableTags(n), { a: 'metric' });
    const out = parseNotebook(apply(n, tagVariable(n, 'c', 'param')), 'o.ipynb');
    assert.deepEqual((out.raw.metadata as { nbprov: unknown }).nbprov, { other: [1, 2], variables: { a: 'metric', c: 'param' } });
  });

  test('duplicate keys: the member JSON.parse reads is the one edited, duplicates are removed', () => {
    const n = parseNotebook(nbText('{"nbprov": {"variables": {"a": "metric", "a": "param"}}}', cell('a')), 'd.ipynb');
    assert.deepEqual(variableTags(n), { a: 'param' });
    const out = apply(n, untagVariable(n, 'a'));
    assert.deepEqual(variableTags(parseNotebook(out, 'd.ipynb')), {});
    assert.doesNotMatch(out, /"a": "/);
  });

  test('metadata nested 10,000 deep is skipped without recursion', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const n = parseNotebook(nbText(`{"deep": ${deep}}`, cell('a', `{"deep": ${deep}}`)), 'deep.ipynb');
    const out = apply(n, [...tagVariable(n, 'x', 'param'), ...tagCellStage(n, 0, 'evaluation')]);
    assert.ok(out.includes(deep));
    assert.deepEqual(parseNotebook(out, 'deep.ipynb').cells[0].tags, ['stage:evaluation']);
  });

  test('strings holding braces, quotes and escaped backslashes do not confuse the scanner', () => {
    const tricky = '"source": "a = \\"}{\\\\\\" ]\\\\"';
    const text = nbText('{"x": "\\\\"}', cell('a').replace('"source": "x = 1"', tricky));
    const n = parseNotebook(text, 't.ipynb');
    const out = apply(n, tagCellStage(n, 0, 'evaluation'));
    assert.equal(parseNotebook(out, 't.ipynb').cells[0].source, n.cells[0].source);
    assert.ok(out.includes(tricky));
  });

  test('a cell that is not the one the edit was made for is refused, as data', () => {
    const n = parseNotebook(nbText('{}', cell('a') + ',' + cell('b')), 'm.ipynb');
    const edits = tagCellStage(n, 1, 'evaluation');
    const moved = parseNotebook(nbText('{}', cell('b') + ',' + cell('a')), 'm.ipynb');
    assert.throws(() => applyNotebookEdits(moved.text, edits, 'm.ipynb'), (e: unknown) => e instanceof NotebookError && e.code === 'notebook-changed');
  });

  test('accepting suggestions chains with earlier edits through withEdits', () => {
    const n = parseNotebook(nbText('{}', cell('a')), 'a.ipynb');
    const first = tagVariable(n, 'lr', 'param');
    const view = withEdits(n, first);
    const more = acceptSuggestions(view, [{ name: 'auc', role: 'metric' }]);
    const out = parseNotebook(apply(n, [...first, ...more]), 'a.ipynb');
    assert.deepEqual(variableTags(out), { lr: 'param', auc: 'metric' });
  });
});

describe('one meaning of the edits for every front end', () => {
  test('a plain view (as the editor builds one) and the metadata helpers give what the file edit gives', () => {
    const text = nbText('{"nbprov": {"keep": 1}}', cell('a', '{"tags": ["parameters"], "collapsed": false}') + ',' + cell('b'));
    const file = parseNotebook(text, 'same.ipynb');
    const raw = file.raw;
    const plain = plainNotebookView(
      'same.ipynb',
      raw.cells.map((c) => ({ cellType: 'code' as const, source: file.cells[0].source, languageId: 'python', executionCount: null, id: c.id, tags: c.metadata?.tags })),
      raw.metadata,
    );
    assert.deepEqual(plain.cells.map((c) => [c.id, c.language, c.tags]), file.cells.map((c) => [c.id, c.language, c.tags]));
    const edits = [...tagVariable(plain, 'auc', 'metric'), ...tagCellStage(plain, 0, 'evaluation'), ...untagCellStage(plain, 1)];
    assert.deepEqual(edits, [...tagVariable(file, 'auc', 'metric'), ...tagCellStage(file, 0, 'evaluation')]);
    // The editor applies edits to metadata objects; the CLI to the text: the same notebook results.
    const byText = JSON.parse(apply(file, edits));
    const byMetadata = structuredClone(raw) as typeof raw;
    for (const edit of edits) {
      if (edit.kind === 'variableTags') byMetadata.metadata = withVariableTags(byMetadata.metadata, edit.variables);
      else byMetadata.cells[edit.cellIndex].metadata = withCellTags(byMetadata.cells[edit.cellIndex].metadata, edit.tags);
    }
    assert.deepEqual(byText, byMetadata);
    assert.deepEqual(byText.metadata.nbprov, { keep: 1, variables: { auc: 'metric' } });
    assert.deepEqual(raw.metadata, { nbprov: { keep: 1 } }, 'the helpers copy, never change their input');
  });
});

describe('random edit sequences on real notebooks', () => {
  for (const file of realNotebooks) {
    test(`${path.basename(file)}: 40 random tag edits, then everything put back, give back the same bytes`, () => {
      const original = readFileSync(file, 'utf8');
      const start = parseNotebook(original, 'r.ipynb');
      const next = mulberry32(path.basename(file).length * 7919); // seeded, so a failure replays
      const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
      let n = start;
      for (let step = 0; step < 40; step++) {
        // Stages go on code cells only (a markdown cell is refused).
        const cell = pick(n.cells.filter((c) => c.cellType === 'code')).index;
        const added = Object.keys(variableTags(n)).filter((v) => /^v\d$/.test(v));
        const choice = next();
        const edits =
          choice < 0.4 ? tagCellStage(n, cell, pick(['evaluation', 'data reading', 'model-training', 'ünïcode stage']))
          : choice < 0.6 ? untagCellStage(n, cell)
          : choice < 0.85 || !added.length ? tagVariable(n, `v${Math.floor(next() * 6)}`, pick(['param', 'metric', 'größe']))
          : untagVariable(n, pick(added));
        n = reparse(n, edits);
      }
      const changed = n.text;
      assert.notEqual(changed, original);
      const putBack: NotebookEdit[] = [
        ...n.cells.map((c, i): NotebookEdit => ({ kind: 'cellTags', cellIndex: i, cellId: c.id, tags: [...start.cells[i].tags] })),
        { kind: 'variableTags', variables: variableTags(start) },
      ];
      const back = apply(n, putBack);
      if (Object.keys(variableTags(start)).length) assert.equal(back, original);
      else assert.match(insertedText(original, back), /^,?\s*"nbprov": \{\s*"variables": \{\}\s*\},?\s*$/);
    });
  }
});
