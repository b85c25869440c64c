/**
 * Analysis is bounded by input size (parser steps, syntax nodes, nesting depth), never by time:
 * the same cell yields the same facts on an idle or a busy machine. Small bounds keep these exact.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPythonAnalyzer } from '../../src/core/analysis/python';
import { statementStartBefore } from '../../src/core/analysis/python/analyzer';

const chain = (n: number) => Array.from({ length: n }, (_, i) => `v${i} = f(v${i - 1}, [1, 2, 3])`).join('\n');
const definedUpTo = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);

describe('Python analysis bounded by input size', () => {
  test('over the parse budget: exactly the statements of the first lines, the rest reported', async () => {
    const analyzer = await createPythonAnalyzer({ maxParseSteps: 10 });
    const facts = analyzer.analyze(chain(300));
    const partial = facts.partial;
    assert.ok(partial && partial.analysedLines > 0 && partial.analysedLines < 300, JSON.stringify(partial));
    assert.deepEqual(partial, { analysedLines: partial.analysedLines, totalLines: 300, limit: '10 parser steps' });
    assert.deepEqual(facts.defines, definedUpTo(partial.analysedLines));
    assert.deepEqual(facts.diagnostics.map((d) => [d.severity, d.message]), [
      ['warning', `cell too large: analysed the first ${partial.analysedLines} lines only (limit 10 parser steps)`],
    ]);
  });

  test('the same cell gives the same facts every time (a cancelled parse does not leak into the next)', async () => {
    const analyzer = await createPythonAnalyzer({ maxParseSteps: 10 });
    const first = analyzer.analyze(chain(300));
    assert.deepEqual(analyzer.analyze('y = 1').defines, ['y']);
    assert.deepEqual(analyzer.analyze(chain(300)), first);
    const other = await createPythonAnalyzer({ maxParseSteps: 10 });
    assert.deepEqual(other.analyze(chain(300)), first);
  });

  test('one statement over the budget: nothing analysed, said as an error', async () => {
    const analyzer = await createPythonAnalyzer({ maxParseSteps: 10 });
    const code = `x = [\n${'1,\n'.repeat(3000)}]\ny = x`;
    const facts = analyzer.analyze(code);
    assert.deepEqual([facts.defines, facts.uses, facts.operations], [[], [], []]);
    assert.deepEqual(facts.partial, { analysedLines: 0, totalLines: 3003, limit: '10 parser steps' });
    assert.deepEqual(facts.diagnostics.map((d) => [d.severity, d.message]), [
      ['error', 'cell too large to analyse (limit 10 parser steps); split it into smaller cells'],
    ]);
  });

  test('over the syntax-node bound: the statements before it', async () => {
    const analyzer = await createPythonAnalyzer({ maxNodes: 200 });
    const facts = analyzer.analyze(chain(100));
    const partial = facts.partial;
    assert.ok(partial && partial.analysedLines > 0 && partial.analysedLines < 100, JSON.stringify(partial));
    assert.equal(partial.limit, '200 syntax nodes');
    assert.deepEqual(facts.defines, definedUpTo(partial.analysedLines));
  });

  test('code within the bounds has no partial marker', async () => {
    const facts = (await createPythonAnalyzer({ maxParseSteps: 10 })).analyze('a = 1\nb = a');
    assert.equal(facts.partial, undefined);
    assert.deepEqual(facts.defines, ['a', 'b']);
  });

  test('the cut falls at the start of a top-level statement, never inside brackets, strings or blocks', () => {
    const code = ['a = (1,', '2)', 's = """', 'x = 1', '"""', 'def f():', '    return 1', '@dec', 'def g():', '    pass', 'tail = 0'].join('\n');
    const lineStart = (line: number) => code.split('\n').slice(0, line).join('\n').length + 1;
    assert.equal(statementStartBefore(code, code.length), lineStart(10));
    assert.equal(statementStartBefore(code, lineStart(9) + 3), lineStart(7), 'not between a decorator and its def');
    assert.equal(statementStartBefore(code, lineStart(5)), lineStart(2), 'not inside a triple-quoted string');
    assert.equal(statementStartBefore(code, lineStart(2)), 0, 'not inside brackets');
  });
});
