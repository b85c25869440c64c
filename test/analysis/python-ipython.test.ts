/** Python analysis: IPython syntax, syntax errors with partial facts, and hostile input. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzer, assertNames, src, type NameCase } from './python-helpers';

const ipythonCases: NameCase[] = [
  { name: 'line magic does not break the rest', code: '%matplotlib inline\nx = y', defines: ['x'], uses: ['y'] },
  { name: 'magic with continuation line', code: '%config InlineBackend.figure_format = \\\n  "retina"\nx = 1', defines: ['x'] },
  { name: 'shell command', code: '!pip install pandas\nimport pandas as pd', defines: ['pd'] },
  { name: 'shell command expands names', code: '!echo {path} $mode', uses: ['path', 'mode'] },
  { name: 'x = !cmd defines x', code: 'files = !ls *.csv\nn = len(files)', defines: ['files', 'n'], builtinUses: ['len'] },
  { name: 'x = %magic defines x', code: 'names = %who_ls\nprint(names)', defines: ['names'], builtinUses: ['print'] },
  { name: 'help suffix is a use of nothing', code: 'df.merge?\nx = 1', defines: ['x'] },
  { name: 'double help and help prefix', code: 'obj??\n?obj\nx = 2', defines: ['x'] },
  { name: 'magic inside an indented block', code: 'for f in fs:\n    !wc -l {f}\n    n = 1', defines: ['f', 'n'], uses: ['fs'] },
  { name: '%store reads its names', code: '%store model', uses: ['model'] },
  { name: '%store -r defines its names', code: '%store -r model data\nmodel.fit(data)', defines: ['model', 'data'], mutates: ['model'] },
  { name: '%time statement is analysed', code: '%time y = f(x)', defines: ['y'], uses: ['f', 'x'] },
  { name: '%%time body is Python', code: '%%time\nresult = train(data)', defines: ['result'], uses: ['train', 'data'] },
  { name: '%%timeit body is Python', code: '%%timeit\nsorted(xs)', uses: ['xs'], builtinUses: ['sorted'] },
  { name: '%%capture binds its variable and analyses the body', code: '%%capture out\nmodel.fit(X)', defines: ['out'], uses: ['model', 'X'], mutates: ['model'] },
  { name: '%%bash body is not Python', code: '%%bash\nfor f in *.txt; do echo $f; done\nx = 1' },
  { name: '%%html body is not Python', code: '%%html\n<div>{x}</div>' },
  { name: '%%writefile body is not Python', code: '%%writefile helper.py\ndef f():\n    return g\n' },
  { name: 'percent inside brackets is modulo, not a magic', code: 'r = (a\n     % b)', defines: ['r'], uses: ['a', 'b'] },
  { name: 'magic-looking line inside a triple-quoted string is text', code: 's = """\n%notmagic\n!nope\n"""\nt = s', defines: ['s', 't'] },
  { name: 'string formatting with percent', code: 'msg = "%d items" % n', defines: ['msg'], uses: ['n'] },
  { name: 'not-equal is not a shell assignment', code: 'ok = a != b', defines: ['ok'], uses: ['a', 'b'] },
];

describe('python analysis: IPython syntax', () => {
  for (const c of ipythonCases) {
    test(c.name, async () => {
      assertNames((await analyzer()).analyze(c.code), c);
    });
  }

  test('magics are magic operations with the original text and span', async () => {
    const facts = (await analyzer()).analyze('%matplotlib inline\nfiles = !ls\n  \nx = 1');
    assert.deepEqual(
      facts.operations.map((op) => [op.kind, op.code, op.span.startLine, op.span.endColumn]),
      [['magic', '%matplotlib inline', 1, 18], ['magic', 'files = !ls', 2, 11], ['assign', 'x = 1', 4, 5]],
    );
    assert.deepEqual(facts.operations[1].defines, ['files']);
  });

  test('%time keeps original columns in spans', async () => {
    const facts = (await analyzer()).analyze('%time y = f(x)');
    assert.deepEqual(facts.operations.map((op) => [op.kind, op.span, op.code]), [
      ['magic', { startLine: 1, startColumn: 0, endLine: 1, endColumn: 14 }, '%time y = f(x)'],
    ]);
  });

  test('a non-Python cell magic is one operation over the whole cell', async () => {
    const facts = (await analyzer()).analyze('%%bash\necho hi\necho there');
    assert.deepEqual(facts.operations.map((op) => [op.kind, op.span]), [['magic', { startLine: 1, startColumn: 0, endLine: 3, endColumn: 10 }]]);
  });

  test('%%writefile is a file write', async () => {
    const facts = (await analyzer()).analyze('%%writefile -a src/helper.py\nprint(1)');
    assert.deepEqual(facts.files.writes, [{ path: 'src/helper.py', line: 1, via: '%%writefile' }]);
  });

  test('%run is a file read', async () => {
    const facts = (await analyzer()).analyze('%run -i setup.py\nx = 1');
    assert.deepEqual(facts.files.reads, [{ path: 'setup.py', line: 1, via: '%run' }]);
  });

  test('IPython syntax yields no diagnostics', async () => {
    const facts = (await analyzer()).analyze('%load_ext autoreload\n%autoreload 2\n!ls\nx?\ny = %pwd');
    assert.deepEqual(facts.diagnostics, []);
  });
});

describe('python analysis: syntax errors and hostile input', () => {
  test('syntax error: diagnostic with position, facts from the parseable parts', async () => {
    const facts = (await analyzer()).analyze(src(['x = load(a)', 'y = (', 'z = x + b']));
    assert.ok(facts.diagnostics.length >= 1);
    assert.ok(facts.diagnostics.every((d) => d.severity === 'error' && d.message.startsWith('syntax error')));
    assert.equal(facts.diagnostics[0].line, 2);
    assert.ok(facts.defines.includes('x'));
    assert.ok(facts.uses.includes('load') && facts.uses.includes('a'));
  });

  test('an error in one statement keeps the facts of the others', async () => {
    const facts = (await analyzer()).analyze(src(['a = 1', 'def broken(:', '    pass', 'b = a + c']));
    assert.ok(facts.diagnostics.some((d) => d.line === 2));
    assert.ok(facts.defines.includes('a') && facts.defines.includes('b'));
    assert.ok(facts.uses.includes('c'));
  });

  test('missing token is reported', async () => {
    const facts = (await analyzer()).analyze('print(x');
    assert.equal(facts.diagnostics.length, 1);
    assert.match(facts.diagnostics[0].message, /^syntax error/);
    assert.deepEqual(facts.uses, ['x']);
  });

  test('Python 2 print with a bad token is a diagnostic, not a throw', async () => {
    const facts = (await analyzer()).analyze('print "a" % (b,\nexec code in ns');
    assert.ok(facts.diagnostics.length > 0);
  });

  test('binary garbage: no throw, diagnostics', async () => {
    const garbage = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536));
    const facts = (await analyzer()).analyze(garbage);
    assert.equal(facts.language, 'python');
    assert.ok(facts.diagnostics.length > 0);
  });

  test('deeply nested expression does not overflow the stack', async () => {
    const depth = 5000;
    const facts = (await analyzer()).analyze(`y = ${'('.repeat(depth)}x${')'.repeat(depth)}\nz = ${Array.from({ length: 20000 }, (_, i) => `v${i % 3}`).join(' + ')}`);
    assert.deepEqual(facts.defines, ['y', 'z']);
    assert.deepEqual(facts.uses, ['x', 'v0', 'v1', 'v2']);
  });

  test('deeply nested blocks do not overflow the stack', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}if c${i}:`);
    lines.push(`${' '.repeat(300)}x = 1`);
    const facts = (await analyzer()).analyze(lines.join('\n'));
    assert.equal(facts.uses.length, 300);
    assert.deepEqual(facts.defines, ['x']);
  });

  test('a 10 MB cell: the first statements within the parse budget, the same facts on any machine', async () => {
    const line = 'value_0123 = compute(alpha, beta, gamma)  # padding padding\n';
    const big = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    const facts = (await analyzer()).analyze(big);
    assert.deepEqual(facts.defines, ['value_0123']);
    assert.deepEqual(facts.uses, ['compute', 'alpha', 'beta', 'gamma']);
    const partial = facts.partial;
    assert.ok(partial && partial.analysedLines > 1000 && partial.analysedLines < partial.totalLines, JSON.stringify(partial));
    assert.equal(partial.totalLines, big.split('\n').length);
    assert.equal(partial.limit, '10000 parser steps');
    assert.deepEqual(facts.diagnostics, [
      { severity: 'warning', message: `cell too large: analysed the first ${partial.analysedLines} lines only (limit 10000 parser steps)`, line: partial.analysedLines, column: 0 },
    ]);
    assert.equal(facts.operations.length, partial.analysedLines);
  });
});
