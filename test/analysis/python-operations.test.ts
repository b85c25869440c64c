/** Python analysis: operations (kinds, spans, per-statement names, call sites), imports and literal file paths. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPythonAnalyzer } from '../../src/core/analysis/python';
import { analyzer, src } from './python-helpers';

describe('python analysis: operations', () => {
  test('one operation per top-level statement with its kind', async () => {
    const facts = (await analyzer()).analyze(src([
      'import numpy as np',
      'x = 1',
      'y: int = 2',
      'x += y',
      'def f():',
      '  pass',
      '@dec',
      'class C:',
      '  pass',
      'del y',
      'print(x)',
      'for i in range(3):',
      '  pass',
      'assert x',
      'type T = int',
    ]));
    assert.deepEqual(facts.operations.map((op) => op.kind), [
      'import', 'assign', 'annassign', 'augassign', 'function', 'class', 'delete', 'expression', 'control', 'other', 'assign',
    ]);
    assert.deepEqual(facts.operations.map((op) => op.index), [...facts.operations.keys()]);
  });

  test('spans are 1-based lines and 0-based columns; code is the statement text', async () => {
    const facts = (await analyzer()).analyze('a = 1; b = 2\nif a:\n    c = 3\n');
    assert.deepEqual(facts.operations.map((op) => [op.span, op.code]), [
      [{ startLine: 1, startColumn: 0, endLine: 1, endColumn: 5 }, 'a = 1'],
      [{ startLine: 1, startColumn: 7, endLine: 1, endColumn: 12 }, 'b = 2'],
      [{ startLine: 2, startColumn: 0, endLine: 3, endColumn: 9 }, 'if a:\n    c = 3'],
    ]);
  });

  test('per-operation names are relative to the statement, not the cell', async () => {
    const facts = (await analyzer()).analyze('x = load()\ny = x + 1\nx.append(y)\ndel y');
    assert.deepEqual(
      facts.operations.map((op) => ({ d: op.defines, u: op.uses, m: op.mutates, del: op.deletes })),
      [
        { d: ['x'], u: ['load'], m: [], del: [] },
        { d: ['y'], u: ['x'], m: [], del: [] },
        { d: [], u: ['x', 'y'], m: ['x'], del: [] },
        { d: [], u: [], m: [], del: ['y'] },
      ],
    );
    assert.deepEqual(facts.uses, ['load']);
  });

  test('compound statement operation is the union of its bodies', async () => {
    const facts = (await analyzer()).analyze(src(['for row in rows:', '  if row.ok:', '    good.append(row)', '  else:', '    bad += 1']));
    const [op] = facts.operations;
    assert.equal(op.kind, 'control');
    assert.deepEqual([op.defines, op.uses, op.mutates], [['row'], ['rows', 'good', 'bad'], ['good', 'bad']]);
  });

  test('builtins are left out of operation uses unless the cell rebinds them', async () => {
    const facts = (await analyzer()).analyze('print(x)\nlen = 3\nlen + 1');
    assert.deepEqual(facts.operations.map((op) => op.uses), [['x'], [], ['len']]);
  });

  test('operation code is truncated to 2,000 characters', async () => {
    const facts = (await analyzer()).analyze(`s = "${'a'.repeat(5000)}"`);
    assert.equal(facts.operations[0].code.length, 2000);
  });

  test('call site of a method: callee, receiver, method, arg names, keyword names, literals', async () => {
    const facts = (await analyzer()).analyze('model.fit(X_train, y, epochs=10, lr=-0.5, verbose=True, callbacks=cbs, tags=["a", 1, None], opts={"k": (1, 2)})');
    assert.deepEqual(facts.operations[0].calls, [{
      callee: 'model.fit',
      receiver: 'model',
      method: 'fit',
      argNames: ['X_train', 'y'],
      keywordNames: { callbacks: 'cbs' },
      literalArgs: { epochs: 10, lr: -0.5, verbose: true, tags: ['a', 1, null], opts: { k: [1, 2] } },
      line: 1,
    }]);
  });

  test('call site of a plain function and of a chained expression', async () => {
    const facts = (await analyzer()).analyze('r = helper(a, 2.5, "s", f(b))\ndf.groupby("k").mean()');
    const calls = facts.operations.flatMap((op) => op.calls);
    assert.deepEqual(calls, [
      // Unknown callables may change what they are given (and `f(b)` may return `b` itself).
      { callee: 'f', argNames: ['b'], keywordNames: {}, literalArgs: {}, line: 1, unknownArgs: ['b'] },
      { callee: 'helper', argNames: ['a', null, null, null], keywordNames: {}, literalArgs: { '1': 2.5, '2': 's' }, line: 1, unknownArgs: ['a', 'b'] },
      { callee: 'df.groupby', receiver: 'df', method: 'groupby', argNames: [null], keywordNames: {}, literalArgs: { '0': 'k' }, line: 2 },
      { callee: '<expr>', method: 'mean', argNames: [], keywordNames: {}, literalArgs: {}, line: 2 },
    ]);
  });

  test('literal forms: ints with underscores, hex, escapes, raw and concatenated strings', async () => {
    const facts = (await analyzer()).analyze('f(1_000, 0x1F, "a\\tb", r"C:\\new", "x" "y", -7, b"raw")');
    assert.deepEqual(facts.operations[0].calls[0].literalArgs, { '0': 1000, '1': 31, '2': 'a\tb', '3': 'C:\\new', '4': 'xy', '5': -7 });
  });

  test('f-strings with fields are not literals', async () => {
    const facts = (await analyzer()).analyze('f(f"{x}", f"plain")');
    assert.deepEqual(facts.operations[0].calls[0].literalArgs, { '1': 'plain' });
  });

  test('calls inside function bodies are not call sites of the cell', async () => {
    const facts = (await analyzer()).analyze('def f():\n  g(1)\nf()');
    assert.deepEqual(facts.operations.map((op) => op.calls.map((c) => c.callee)), [[], ['f']]);
  });

  test('starred arguments are positional slots without a name', async () => {
    const facts = (await analyzer()).analyze('f(a, *rest, **kw)');
    assert.deepEqual(facts.operations[0].calls[0].argNames, ['a', null]);
  });
});

describe('python analysis: imports', () => {
  test('import forms', async () => {
    const facts = (await analyzer()).analyze(src([
      'import os, numpy as np',
      'import a.b.c',
      'from sklearn.metrics import accuracy_score as acc, f1_score',
      'from . import sibling',
      'from ..pkg.mod import thing',
      'from m import *',
      'from __future__ import annotations',
    ]));
    assert.deepEqual(facts.imports, [
      { module: 'os', names: ['os'], line: 1 },
      { module: 'numpy', names: ['np'], line: 1 },
      { module: 'a.b.c', names: ['a'], line: 2 },
      { module: 'sklearn.metrics', names: ['acc', 'f1_score'], line: 3 },
      { module: '.', names: ['sibling'], line: 4 },
      { module: '..pkg.mod', names: ['thing'], line: 5 },
      { module: 'm', names: ['*'], line: 6 },
      { module: '__future__', names: ['annotations'], line: 7 },
    ]);
  });
});

describe('python analysis: literal file paths', () => {
  const fileCases: { name: string; code: string; reads?: [string, string][]; writes?: [string, string][] }[] = [
    { name: 'open default mode reads', code: 'f = open("data.txt")', reads: [['data.txt', 'open']] },
    { name: 'open with r and rb reads', code: 'open("a.txt", "r")\nopen("b.bin", "rb")', reads: [['a.txt', 'open'], ['b.bin', 'open']] },
    { name: 'open for writing', code: 'open("o.txt", "w")\nopen("p.txt", "a")\nopen("q.bin", "xb")', writes: [['o.txt', 'open'], ['p.txt', 'open'], ['q.bin', 'open']] },
    { name: 'open mode keyword', code: 'with open("out.json", mode="w") as fh:\n  json.dump(obj, fh)', writes: [['out.json', 'open']] },
    { name: 'open r+ reads and writes', code: 'open("db.txt", "r+")', reads: [['db.txt', 'open']], writes: [['db.txt', 'open']] },
    { name: 'non-literal path is not recorded', code: 'open(path)\npd.read_csv(name)' },
    { name: 'pandas readers', code: 'a = pd.read_csv("a.csv")\nb = pd.read_parquet(path="b.parquet")\nc = pd.read_excel("c.xlsx", sheet_name=0)', reads: [['a.csv', 'pd.read_csv'], ['b.parquet', 'pd.read_parquet'], ['c.xlsx', 'pd.read_excel']] },
    { name: 'pandas writers', code: 'df.to_csv("out.csv", index=False)\ndf.to_parquet("o.parquet")\ndf.to_pickle(path="o.pkl")', writes: [['out.csv', 'df.to_csv'], ['o.parquet', 'df.to_parquet'], ['o.pkl', 'df.to_pickle']] },
    { name: 'numpy load and save', code: 'a = np.load("a.npy")\nb = np.loadtxt("b.txt")\nnp.save("c.npy", a)\nnp.savetxt("d.txt", b)', reads: [['a.npy', 'np.load'], ['b.txt', 'np.loadtxt']], writes: [['c.npy', 'np.save'], ['d.txt', 'np.savetxt']] },
    { name: 'savefig', code: 'plt.savefig("fig.png")\nfig.savefig("f2.svg", dpi=100)', writes: [['fig.png', 'plt.savefig'], ['f2.svg', 'fig.savefig']] },
    { name: 'joblib and torch', code: 'joblib.dump(model, "m.joblib")\nm = joblib.load("m.joblib")\ntorch.save(net, "n.pt")', reads: [['m.joblib', 'joblib.load']], writes: [['m.joblib', 'joblib.dump'], ['n.pt', 'torch.save']] },
    { name: 'pickle through open', code: 'pickle.dump(x, open("x.pkl", "wb"))\ny = pickle.load(open("y.pkl", "rb"))', reads: [['y.pkl', 'open']], writes: [['x.pkl', 'open']] },
    { name: 'pathlib', code: 't = Path("notes.md").read_text()\nPath("out.md").write_text(t)\nwith Path("log.txt").open("a") as fh:\n  pass', reads: [['notes.md', 'Path.read_text']], writes: [['out.md', 'Path.write_text'], ['log.txt', 'Path.open']] },
    { name: 'file access inside a with item and a chained call', code: 'with gzip.open("z.gz", "wt") as fh:\n  pass\ndf.head().to_csv("h.csv")', writes: [['z.gz', 'gzip.open'], ['h.csv', 'to_csv']] },
  ];
  for (const c of fileCases) {
    test(c.name, async () => {
      const facts = (await analyzer()).analyze(c.code);
      assert.deepEqual(facts.files.reads.map((f) => [f.path, f.via]), c.reads ?? []);
      assert.deepEqual(facts.files.writes.map((f) => [f.path, f.via]), c.writes ?? []);
    });
  }

  test('file facts carry the line', async () => {
    const facts = (await analyzer()).analyze('x = 1\n\ndf = pd.read_csv("d.csv")');
    assert.deepEqual(facts.files.reads, [{ path: 'd.csv', line: 3, via: 'pd.read_csv' }]);
  });
});

describe('python analysis: extending the mutation table', () => {
  test('extra mutating and non-mutating methods and module names', async () => {
    const custom = await createPythonAnalyzer({
      extraMutatingMethods: ['transform'],
      extraNonMutatingMethods: ['frobnicate'],
      extraModuleNames: ['mylib'],
    });
    const facts = custom.analyze('a.transform(x)\nb.frobnicate()\nmylib.process(c)');
    assert.deepEqual(facts.mutates, ['a']);
    const defaults = (await analyzer()).analyze('a.transform(x)\nb.frobnicate()\nmylib.process(c)');
    assert.deepEqual(defaults.mutates, ['b', 'mylib']);
  });

  test('an explicit wasmDir that lacks the files falls back to the packaged WASM', async () => {
    const fallback = await createPythonAnalyzer({ wasmDir: '/nonexistent-dir' });
    assert.deepEqual(fallback.analyze('x = y').uses, ['y']);
  });
});
