/**
 * The facts cache in the store: reused by a new process (a fresh analyser) instead of re-parsing,
 * read but never changed by read-only queries, staged by callers that save anyway and carried to
 * disk by their next save, and merged by union when two processes save.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ANALYZER_VERSION, createAnalyzer } from '../../src/core/analysis';
import { emptyFacts } from '../../src/core/analysis/facts';
import { parseNotebook } from '../../src/core/notebook/ipynb';
import { notebookLineage } from '../../src/core/notebookLineage';
import { openStore, storePath } from '../../src/core/store';
import { execution, NOTEBOOK, session, tempWorkspace } from './fixtures';

const version = String(ANALYZER_VERSION);
const notebook = parseNotebook(JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 }), NOTEBOOK);

async function recordedWorkspace(t: Parameters<typeof tempWorkspace>[0], codes: string[]): Promise<string> {
  const ws = tempWorkspace(t);
  const store = await openStore(ws);
  store.addSession(session('s1'));
  codes.forEach((code, i) => store.addExecution(execution(`e${i}`, { code, cellId: `c${i}`, cellIndex: i, startedAt: `2024-05-01T10:00:0${i}.000Z` })));
  await store.save();
  store.close();
  return ws;
}

describe('facts cached in the store', () => {
  test('a fresh analyser takes facts from the store instead of analysing the code', async (t) => {
    const ws = tempWorkspace(t);
    const store = await openStore(ws);
    // Facts no analyser would produce for this code: seeing them back proves they were not recomputed.
    store.putFacts({ language: 'python', analyzerVersion: version, code: 'a = 1' }, { ...emptyFacts('python'), defines: ['from_the_store'] });
    store.putFacts({ language: 'python', analyzerVersion: '1', code: 'b = 1' }, { ...emptyFacts('python'), defines: ['stale_version'] });
    const analyzer = await createAnalyzer();
    assert.deepEqual(analyzer.analyze('a = 1', 'python', store).defines, ['from_the_store']);
    assert.deepEqual(analyzer.analyze('a = 1', 'javascript', store).defines, ['a'], 'the language is part of the key');
    assert.deepEqual(analyzer.analyze('b = 1', 'python', store).defines, ['b'], 'facts of another analyser version are not reused');
    assert.deepEqual(store.getFacts({ language: 'python', analyzerVersion: version, code: 'b = 1' })?.defines, ['b'], 'new facts are put in the store');
    store.close();
  });

  test('a lineage query reads facts from the store and never changes it', async (t) => {
    const ws = await recordedWorkspace(t, ['x = 1', 'y = x + 1', 'z = y * 2']);
    const file = storePath(ws);
    const before = { bytes: readFileSync(file), mtimeMs: statSync(file).mtimeMs };
    const reader = await openStore(ws);
    reader.putFacts({ language: 'python', analyzerVersion: version, code: 'z = y * 2' }, { ...emptyFacts('python'), defines: ['from_the_store'] });
    await reader.save();
    const saved = readFileSync(file);

    const lineage = notebookLineage({ notebook, notebookKey: NOTEBOOK, store: reader, analyzer: await createAnalyzer() });
    assert.deepEqual(lineage.graph.executions.map((e) => e.changes), [['x'], ['y'], ['from_the_store']]);
    assert.equal(reader.stats().facts, 1, 'facts computed by a query are not put in the store');
    assert.equal(reader.hasUnsavedChanges, false);
    reader.close();
    assert.notDeepEqual(saved, before.bytes);
    assert.deepEqual(readFileSync(file), saved, 'a query does not write the store');
  });

  test('with keepFacts, a lineage query stages its facts and the next save carries them', async (t) => {
    const ws = await recordedWorkspace(t, ['x = 1', 'y = x + 1', 'z = y * 2']);
    const file = storePath(ws);
    const before = readFileSync(file);
    const writer = await openStore(ws);
    notebookLineage({ notebook, notebookKey: NOTEBOOK, store: writer, analyzer: await createAnalyzer(), keepFacts: true });
    assert.equal(writer.stats().facts, 3);
    assert.deepEqual(readFileSync(file), before, 'staged only: nothing written yet');
    await writer.save();
    writer.close();
    const next = await openStore(ws);
    assert.equal(next.stats().facts, 3);
    assert.deepEqual(next.getFacts({ language: 'python', analyzerVersion: version, code: 'y = x + 1' })?.uses, ['x']);
    next.close();
  });

  test('non-finite numbers in facts survive the store', async (t) => {
    const store = await openStore(tempWorkspace(t));
    const key = { language: 'python' as const, analyzerVersion: version, code: 'f(x)' };
    const call = { callee: 'f', argNames: [null], keywordNames: {}, literalArgs: { '0': Infinity, k: [NaN, -Infinity] }, line: 1 };
    const operation = { index: 0, kind: 'expression' as const, span: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 4 }, code: 'f(x)', defines: [], uses: [], mutates: [], deletes: [], calls: [call] };
    store.putFacts(key, { ...emptyFacts('python'), operations: [operation] });
    assert.deepEqual(store.getFacts(key)?.operations[0].calls[0].literalArgs, { '0': Infinity, k: [NaN, -Infinity] });
    store.close();
  });

  test('two processes that save facts concurrently keep both sets', async (t) => {
    const ws = await recordedWorkspace(t, ['x = 1']);
    const first = await openStore(ws);
    const second = await openStore(ws);
    const analyzer = await createAnalyzer();
    analyzer.analyze('p = 1', 'python', first);
    (await createAnalyzer()).analyze('q = 2', 'python', second);
    await first.save();
    await second.save();
    first.close();
    second.close();
    const merged = await openStore(ws);
    assert.deepEqual(
      ['p = 1', 'q = 2'].map((code) => merged.getFacts({ language: 'python', analyzerVersion: version, code })?.defines),
      [['p'], ['q']],
    );
    merged.close();
  });
});
