/**
 * The host-side data of the panels and views, computed from a real sql.js store in a temp dir (and
 * the real Python analyser for lineage): the answers, and the bad inputs — no trials, one trial,
 * nothing in common, a variable never tagged, 10,000 trials.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAnalyzer } from '../../src/core/analysis';
import { UnknownVariableError } from '../../src/core/lineage';
import { parseNotebook } from '../../src/core/notebook/ipynb';
import { variableTags } from '../../src/core/notebook/tags';
import type { NotebookView } from '../../src/core/notebook/view';
import { notebookLineage } from '../../src/core/notebookLineage';
import type { Trial, TrialValue } from '../../src/core/records';
import { openStore, type Store } from '../../src/core/store';
import { buildAcrossTrialsPayload } from '../../src/extension/panels/acrossTrialsPayload';
import { contentSecurityPolicy, panelHtml } from '../../src/extension/panels/html';
import { buildLineagePayload } from '../../src/extension/panels/lineagePayload';
import { buildTrialDiffPayload } from '../../src/extension/panels/trialDiffPayload';
import { tagsData } from '../../src/extension/views/tagsTreeData';
import { fileNodes, keyMetric, notebookNodes, notebookSignature, trialChildren, trialNodes } from '../../src/extension/views/trialsTreeData';
import { parseHostMessage, parseWebviewMessage, PROTOCOL_VERSION } from '../../src/shared/protocol';
import { execution, NOTEBOOK, session, tempWorkspace, trial } from '../store/fixtures';

function v(name: string, role: string, value: TrialValue['value'], extra: Partial<TrialValue> = {}): TrialValue {
  return { name, role, type: typeof value === 'number' ? 'float' : 'str', repr: String(value), value, ...extra };
}

async function storeWith(t: { after(fn: () => void): void }, trials: Trial[] = []): Promise<Store> {
  const store = await openStore(tempWorkspace(t));
  t.after(() => store.close());
  for (const x of trials) store.saveTrial(x);
  return store;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 30, 10, minute)).toISOString();

describe('Across-trials payload', () => {
  it('no trials: an empty state whose next step is saving a trial', async (t) => {
    const result = buildAcrossTrialsPayload(await storeWith(t), 'auc');
    assert.ok('empty' in result);
    assert.equal(result.empty.title, 'No trials yet');
    assert.equal(result.empty.action?.command, 'nbprov.saveTrial');
  });

  it('a variable never tagged: an empty state naming the tagged variables, closest first', async (t) => {
    const store = await storeWith(t, [trial('t1', at(1), { accuracy: v('accuracy', 'metric', 0.9) })]);
    const result = buildAcrossTrialsPayload(store, 'acuracy');
    assert.ok('empty' in result);
    assert.match(result.empty.message, /closest: accuracy/);
    assert.equal(result.empty.action?.command, 'nbprov.tagVariable');
  });

  it('rows oldest first with the trial parameters for the hover, the x values for a scatter, and the candidates (params first)', async (t) => {
    const store = await storeWith(t, [
      trial('t2', at(2), { auc: v('auc', 'metric', 0.8), lr: v('lr', 'param', 0.2), model: v('model', 'model', null, { type: 'Model', repr: 'Model()' }) }, { name: 'second' }),
      trial('t1', at(1), { auc: v('auc', 'metric', 0.7), lr: v('lr', 'param', 0.1) }, { name: 'first' }),
      trial('t3', at(3), { auc: v('auc', 'metric', 'NaN'), lr: v('lr', 'param', 0.3) }, { notebookPath: 'other.ipynb' }),
    ]);
    const result = buildAcrossTrialsPayload(store, 'auc', 'lr');
    assert.ok('payload' in result);
    const p = result.payload;
    assert.deepEqual(p.rows.map((r) => [r.trial, r.value, r.x, r.params.lr, r.notebook]), [
      ['first', 0.7, 0.1, '0.1', NOTEBOOK],
      ['second', 0.8, 0.2, '0.2', NOTEBOOK],
      ['t3', 'NaN', 0.3, '0.3', 'other.ipynb'],
    ]);
    assert.deepEqual(p.candidates, ['lr', 'model']);
    assert.equal(p.role, 'metric');
  });

  it('10,000 trials: every one is a row, in creation order', async (t) => {
    const trials = Array.from({ length: 10_000 }, (_, i) => trial(`t${String(i).padStart(5, '0')}`, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), { loss: v('loss', 'metric', i / 10) }));
    const store = await storeWith(t, trials);
    const result = buildAcrossTrialsPayload(store, 'loss');
    assert.ok('payload' in result);
    assert.equal(result.payload.rows.length, 10_000);
    assert.equal(result.payload.rows[9_999].value, 999.9);
    assert.ok(result.payload.rows.every((r, i) => i === 0 || r.createdAt >= result.payload.rows[i - 1].createdAt));
  });
});

describe('Trial diff payload', () => {
  it('effective parameters, numeric deltas, shapes and hashes, changed hyperparameters, files and packages, the order diff', () => {
    const env = (sk: string) => ({ language: 'python', languageVersion: '3.11.2', packages: { numpy: '1.26.4', 'scikit-learn': sk } });
    const a = trial('a', at(1), {
      acc: v('acc', 'metric', 0.9),
      n: v('n', 'param', 100),
      X: v('X', 'dataset', null, { type: 'numpy.ndarray', repr: 'array', shape: [800, 3], dtype: 'float64', hash: 'aaaa1111' }),
      clf: v('clf', 'model', null, { type: 'RF', repr: 'RF()', params: { n_estimators: 100, max_depth: 3 } }),
    }, { params: { seed: 1 }, environment: env('1.3.0'), files: [{ path: 'data.csv', mode: 'r', kind: 'read', hashBefore: 'h1' }], lineage: { acc: [{ executionId: 'e1', cellId: 'c1', cellIndex: 1, line: 1, code: 'clf = RF(n_estimators=100)', defines: ['clf'] }] } });
    const b = trial('b', at(2), {
      acc: v('acc', 'metric', 0.95),
      n: v('n', 'param', 300),
      X: v('X', 'dataset', null, { type: 'numpy.ndarray', repr: 'array', shape: [900, 3], dtype: 'float64', hash: 'bbbb2222' }),
      clf: v('clf', 'model', null, { type: 'RF', repr: 'RF()', params: { n_estimators: 300, max_depth: 3 } }),
    }, { params: { seed: 1 }, environment: env('1.4.2'), files: [{ path: 'data.csv', mode: 'r', kind: 'read', hashBefore: 'h2' }], lineage: { acc: [{ executionId: 'e1', cellId: 'c1', cellIndex: 1, line: 1, code: 'clf = RF(n_estimators=300)', defines: ['clf'] }] } });
    const p = buildTrialDiffPayload(a, b);
    assert.deepEqual(p.params, [
      { name: 'seed', a: '1 (injected)', b: '1 (injected)', equal: true },
      { name: 'n', a: '100 (notebook)', b: '300 (notebook)', equal: false },
    ]);
    assert.deepEqual(p.values.map((r) => r.name), ['acc', 'X', 'clf'], 'parameters are not listed twice');
    const acc = p.values[0];
    assert.equal(acc.kind, 'number');
    assert.ok(Math.abs((acc.delta?.absolute ?? 0) - 0.05) < 1e-12);
    const X = p.values[1];
    assert.equal(X.kind, 'complex');
    assert.deepEqual([X.a?.shape, X.b?.shape, X.a?.hash, X.changes], ['(800, 3)', '(900, 3)', 'aaaa1111', ['shape']]);
    const clf = p.values[2];
    assert.equal(clf.kind, 'model');
    assert.deepEqual(clf.hyperparameters, [{ name: 'n_estimators', a: '100', b: '300', equal: false }]);
    assert.equal(clf.equal, false);
    assert.equal(clf.note, '1 hyperparameter changed');
    assert.deepEqual(p.files, [{ path: 'data.csv', status: 'changed', a: ['h1'], b: ['h2'] }]);
    assert.deepEqual(p.packages, [{ name: 'scikit-learn', a: '1.3.0', b: '1.4.2', equal: false }]);
    assert.match(p.order, /^-\[cell 1\] clf = RF\(n_estimators=100\)$/m);
    assert.match(p.order, /^\+\[cell 1\] clf = RF\(n_estimators=300\)$/m);
    assert.equal(p.message, undefined);
  });

  it('trials with nothing in common: every value on one side and a message saying how to fix it', () => {
    const p = buildTrialDiffPayload(trial('a', at(1), { x: v('x', 'metric', 1) }), trial('b', at(2), { y: v('y', 'metric', 2) }));
    assert.match(p.message ?? '', /share no tagged variable/);
    assert.deepEqual(p.values.map((r) => [r.name, r.a !== null, r.b !== null]), [['x', true, false], ['y', false, true]]);
  });
});

describe('Trials tree data', () => {
  it('an empty store has no notebook nodes (the view shows its welcome content)', async (t) => {
    assert.deepEqual(notebookNodes(await storeWith(t)), []);
  });

  it('notebooks with counts; trials newest first with name, time and key metric; children parameters first, then files read', async (t) => {
    const store = await storeWith(t, [
      trial('t1', at(1), { auc: v('auc', 'metric', 0.7), lr: v('lr', 'param', 0.1) }, { name: 'first' }),
      trial('t2', at(2), { auc: v('auc', 'metric', 0.8), lr: v('lr', 'param', 0.2), b_loss: v('b_loss', 'metric', 0.3) }, { name: 'second', files: [{ path: 'in.csv', mode: 'r', kind: 'read', hashBefore: 'abcdef0123456789' }, { path: 'out.csv', mode: 'w', kind: 'write' }] }),
      trial('t3', at(3), {}, { notebookPath: 'b.ipynb' }),
    ]);
    assert.deepEqual(notebookNodes(store).map((n) => [n.notebookPath, n.trials]), [['b.ipynb', 1], [NOTEBOOK, 2]]);
    const nodes = trialNodes(store, NOTEBOOK);
    assert.deepEqual(nodes.map((n) => [n.label, n.description]), [['second', '2026-11-30 10:02 · auc 0.8'], ['first', '2026-11-30 10:01 · auc 0.7']]);
    assert.equal(trialNodes(store, 'b.ipynb')[0].description, '2026-11-30 10:03', 'no metric: time only');
    const children = trialChildren(store.getTrial('t2')!);
    assert.deepEqual(children.map((c) => (c.kind === 'value' ? `${c.role}:${c.name}` : `files:${c.count}`)), ['param:lr', 'metric:auc', 'metric:b_loss', 'files:1']);
    assert.deepEqual(fileNodes(store.getTrial('t2')!).map((f) => [f.path, f.description]), [['in.csv', '#abcdef012345']]);
  });

  it('a rename changes the notebook signature (so only that notebook is refreshed); the key metric is the first metric by name', async (t) => {
    const store = await storeWith(t, [trial('t1', at(1), { z: v('z', 'metric', 1), a: v('a', 'metric', 2) })]);
    const before = notebookSignature(trialNodes(store, NOTEBOOK));
    store.renameTrial('t1', 'renamed');
    assert.notEqual(notebookSignature(trialNodes(store, NOTEBOOK)), before);
    assert.deepEqual(keyMetric(store.getTrial('t1')!.tagged), { name: 'a', text: '2.0' });
  });

  it('a non-finite metric and a note survive the one-query listing (listTrialHeads)', async (t) => {
    const store = await storeWith(t, [trial('t1', at(1), { loss: v('loss', 'metric', NaN), lr: v('lr', 'param', 0.1) })]);
    store.setTrialNote('t1', 'baseline <run>');
    const [head] = store.listTrialHeads({ notebookPath: NOTEBOOK });
    assert.ok(Number.isNaN(head.values.loss.value as number));
    assert.deepEqual(head.taggedNames.sort(), ['loss', 'lr']);
    assert.deepEqual(Object.keys(store.listTrialHeads({ roles: ['param'] })[0].values), ['lr']);
    const [node] = trialNodes(store, NOTEBOOK);
    assert.equal(node.description, '2026-11-30 10:01 · loss NaN');
    assert.match(node.tooltip, /note: baseline <run>/);
  });

  it('10,000 trials in one notebook: all listed, newest first', async (t) => {
    const trials = Array.from({ length: 10_000 }, (_, i) => trial(`t${String(i).padStart(5, '0')}`, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), { auc: v('auc', 'metric', i) }));
    const store = await storeWith(t, trials);
    const nodes = trialNodes(store, NOTEBOOK);
    assert.equal(nodes.length, 10_000);
    assert.equal(nodes[0].trialId, 't09999');
    assert.equal(nodes[9_999].trialId, 't00000');
  });
});

const CELLS = ['import math', 'lr = 0.1', 'model = math.sqrt(lr)', 'accuracy = model * 2'];

function notebookText(extraTags: Record<number, string[]> = {}, variables: Record<string, string> = { accuracy: 'metric' }): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python' }, language_info: { name: 'python' }, nbprov: { variables } },
    cells: CELLS.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: { tags: extraTags[i] ?? [] }, execution_count: i + 1, outputs: [] })),
  });
}

describe('Lineage payload (real analyser, recorded history in a real store)', () => {
  it('cells as nodes with their values, edges named by what flows, the target marked, and a re-run upstream cell making its readers stale', async (t) => {
    const analyzer = await createAnalyzer();
    const store = await storeWith(t);
    store.addSession(session('s1'));
    const rec = (id: string, cell: number, count: number, values: TrialValue[] = [], code = CELLS[cell]) =>
      store.addExecution(execution(id, { cellId: `c${cell}`, cellIndex: cell, code, executionCount: count, startedAt: at(count), values }));
    rec('e0', 0, 1);
    rec('e1', 1, 2, [v('lr', 'param', 0.1)]);
    rec('e2', 2, 3, [v('model', 'x', 0.316)]);
    rec('e3', 3, 4, [v('accuracy', 'metric', 0.632)]);
    rec('e4', 1, 5, [v('lr', 'param', 0.5)], 'lr = 0.5');
    const notebook = parseNotebook(notebookText(), NOTEBOOK);
    const lineage = notebookLineage({ notebook, notebookKey: NOTEBOOK, store, analyzer });
    const p = buildLineagePayload(lineage, NOTEBOOK, 'accuracy');
    assert.deepEqual(p.nodes.map((n) => [n.label, n.target, n.stale]), [
      ['cell 0 [1]', false, false],
      ['cell 1 [2]', false, false],
      ['cell 2 [3]', false, true],
      ['cell 3 [4]', true, false],
    ]);
    assert.deepEqual(p.nodes[3].values, [{ name: 'accuracy', type: 'float', repr: '0.632' }]);
    const edges = p.edges.map((e) => `${e.from}->${e.to}:${e.names.join(',')}`).sort();
    assert.deepEqual(edges, ['e0->e2:math', 'e1->e2:lr', 'e2->e3:model']);
    assert.equal(p.history, 'recorded session history');

    const ops = buildLineagePayload(lineage, NOTEBOOK, 'accuracy', { global: false, granularity: 'operation', expandFunctions: false });
    assert.deepEqual(ops.nodes.map((n) => n.code), CELLS);
    assert.equal(ops.nodes[3].label, 'cell 3:1');
    assert.ok(ops.edges.some((e) => e.names.includes('model')));

    const global = buildLineagePayload(lineage, NOTEBOOK, 'lr', { global: true, granularity: 'cell', expandFunctions: false });
    assert.deepEqual(global.nodes.filter((n) => n.target).map((n) => n.executionCount), [2, 5]);

    // Stages (cell id → stage, from the notebook's stage:<name> tags) mark their cells' nodes.
    const staged = buildLineagePayload(lineage, NOTEBOOK, 'accuracy', undefined, new Map([[p.nodes[3].cellId, 'evaluation']]));
    assert.deepEqual(staged.nodes.map((n) => n.stage ?? null), [null, null, null, 'evaluation']);

    assert.throws(() => buildLineagePayload(lineage, NOTEBOOK, 'acuracy'), (err: unknown) => err instanceof UnknownVariableError && /Did you mean 'accuracy'/.test(err.message));
  });
});

describe('Lineage payload: expanded functions', () => {
  it('a called notebook function adds its body statements, linked to the call by "calls f"', async (t) => {
    const analyzer = await createAnalyzer();
    const store = await storeWith(t);
    store.addSession(session('s1'));
    const code = ['k = 3', 'def scale(x):\n    y = x * k\n    return y', 'score = scale(2)'];
    code.forEach((c, i) => store.addExecution(execution(`f${i}`, { cellId: `c${i}`, cellIndex: i, code: c, executionCount: i + 1, startedAt: at(i + 1) })));
    const notebook = parseNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: code.map((source, i) => ({ cell_type: 'code', id: `c${i}`, source, metadata: {}, execution_count: i + 1, outputs: [] })) }), NOTEBOOK);
    const lineage = notebookLineage({ notebook, notebookKey: NOTEBOOK, store, analyzer });
    const plain = buildLineagePayload(lineage, NOTEBOOK, 'score', { global: false, granularity: 'operation', expandFunctions: false });
    const expanded = buildLineagePayload(lineage, NOTEBOOK, 'score', { global: false, granularity: 'operation', expandFunctions: true });
    assert.ok(plain.nodes.every((n) => n.function === undefined));
    const inside = expanded.nodes.filter((n) => n.function === 'scale');
    assert.ok(inside.length >= 1, 'body statements listed');
    assert.ok(inside.every((n) => n.label.endsWith('in scale')));
    const call = expanded.nodes.find((n) => n.code === 'score = scale(2)')!;
    assert.ok(expanded.edges.some((e) => e.to === call.id && e.names.includes('calls scale')));
    assert.equal(new Set(expanded.nodes.map((n) => n.id)).size, expanded.nodes.length, 'node ids are unique');
  });
});

describe('Tags view data', () => {
  it('tagged variables with the cell defining them, stages, and suggestions kept apart', async () => {
    const analyzer = await createAnalyzer();
    const notebook = parseNotebook(notebookText({ 3: ['stage:evaluation'] }, { accuracy: 'metric', ghost: 'param' }), NOTEBOOK);
    const view: NotebookView = { path: notebook.path, cells: notebook.cells, variableTags: () => variableTags(notebook) };
    const data = tagsData(view, analyzer, null);
    assert.deepEqual(data.variables, [
      { kind: 'variable', name: 'accuracy', role: 'metric', cellIndex: 3 },
      { kind: 'variable', name: 'ghost', role: 'param', cellIndex: null },
    ]);
    assert.deepEqual(data.stages, [{ kind: 'stage', stage: 'evaluation', cellIndex: 3, cellId: 'c3' }]);
    assert.ok(data.suggestions.every((s) => s.name !== 'accuracy'), 'a tagged variable is not suggested again');
  });
});

describe('Protocol and HTML shell', () => {
  it('webview messages are checked at the boundary; host messages of another version are refused', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'revealCell', cellId: 'c1', cellIndex: 2 }), { type: 'revealCell', cellId: 'c1', cellIndex: 2 });
    assert.equal(parseWebviewMessage({ type: 'revealCell', cellId: 5 }), undefined);
    assert.equal(parseWebviewMessage({ type: 'runCommand', command: 'workbench.action.terminal.new' }), undefined, 'only nbprov commands');
    assert.equal(parseWebviewMessage({ type: 'eval', code: 'x' }), undefined);
    assert.equal(parseWebviewMessage('ready'), undefined);
    assert.deepEqual(parseHostMessage({ type: 'empty', version: PROTOCOL_VERSION + 1, state: {} }), { type: 'versionMismatch', version: PROTOCOL_VERSION + 1 });
  });

  it('the CSP allows only the nonce script and the webview folder: no unsafe-eval, no inline script', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'abc');
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline/);
    assert.match(csp, /default-src 'none'/);
    const html = panelHtml({ panel: 'lineage', title: '<b>"x"</b>', cspSource: 'https://x', nonce: 'abc', scriptUri: 'https://x/lineage.js', styleUri: 'https://x/panels.css' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="abc" src="https:\/\/x\/lineage.js"><\/script>/);
    assert.match(html, /<title>&lt;b&gt;&quot;x&quot;&lt;\/b&gt;<\/title>/);
  });
});
