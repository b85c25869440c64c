import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bodyRows, row, type BodyRow } from './body-rows';
import { analyzer, src } from './python-helpers';

async function bodyOf(code: string, name: string): Promise<BodyRow[]> {
  const facts = (await analyzer()).analyze(code);
  assert.deepEqual(facts.diagnostics, []);
  return bodyRows(facts.functions.find((f) => f.name === name));
}

describe('Python FunctionFact.body', () => {
  test('one operation per top-level body statement, in cell lines, with reads of locals, params and globals', async () => {
    const code = src([
      'scale = 3',
      'def transform(xs):',
      '    doubled = [x * 2 for x in xs]',
      "    unused = print('hi')",
      '    return [d * scale for d in doubled]',
    ]);
    assert.deepEqual(await bodyOf(code, 'transform'), [
      row({ span: [3, 4, 3, 33], kind: 'assign', code: 'doubled = [x * 2 for x in xs]', defines: ['doubled'], uses: ['xs'] }),
      row({ span: [4, 4, 4, 24], kind: 'assign', code: "unused = print('hi')", defines: ['unused'], calls: ['print'] }),
      row({ span: [5, 4, 5, 39], kind: 'other', code: 'return [d * scale for d in doubled]', uses: ['scale', 'doubled'], returns: true }),
    ]);
  });

  test('compound statements are one operation; a return nested in a branch marks it', async () => {
    const code = src([
      'def total(rows, limit):',
      '    acc = 0',
      '    for r in rows:',
      '        if r > limit:',
      '            return acc',
      '        acc += r',
      '    else:',
      '        log(acc)',
      '    with open(path) as fh:',
      '        header = fh.readline()',
      '    try:',
      '        n = int(header)',
      '    except ValueError as err:',
      '        n = 0',
      '    return acc + n',
    ]);
    assert.deepEqual(await bodyOf(code, 'total'), [
      row({ span: [2, 4, 2, 11], kind: 'assign', code: 'acc = 0', defines: ['acc'] }),
      row({
        span: [3, 4, 8, 16],
        kind: 'control',
        code: 'for r in rows:\n        if r > limit:\n            return acc\n        acc += r\n    else:\n        log(acc)',
        defines: ['r'],
        uses: ['rows', 'r', 'limit', 'acc', 'log'],
        mutates: ['acc'],
        calls: ['log'],
        returns: true,
      }),
      row({
        span: [9, 4, 10, 30],
        kind: 'control',
        code: 'with open(path) as fh:\n        header = fh.readline()',
        defines: ['fh', 'header'],
        uses: ['path', 'fh'],
        calls: ['open', 'fh.readline'],
      }),
      row({
        span: [11, 4, 14, 13],
        kind: 'control',
        code: 'try:\n        n = int(header)\n    except ValueError as err:\n        n = 0',
        defines: ['n', 'err'],
        uses: ['header'],
        calls: ['int'],
      }),
      row({ span: [15, 4, 15, 18], kind: 'other', code: 'return acc + n', uses: ['acc', 'n'], returns: true }),
    ]);
  });

  test('yield marks a statement; a return inside a nested def or lambda does not', async () => {
    const code = src([
      'def gen(items):',
      '    def key(item):',
      '        return item.rank + offset',
      '    pick = lambda i: i',
      '    for item in sorted(items, key=key):',
      '        yield pick(item)',
      '    sent = yield',
    ]);
    assert.deepEqual(await bodyOf(code, 'gen'), [
      row({ span: [2, 4, 3, 33], kind: 'function', code: 'def key(item):\n        return item.rank + offset', defines: ['key'], uses: ['offset'] }),
      row({ span: [4, 4, 4, 22], kind: 'assign', code: 'pick = lambda i: i', defines: ['pick'] }),
      row({
        span: [5, 4, 6, 24],
        kind: 'control',
        code: 'for item in sorted(items, key=key):\n        yield pick(item)',
        defines: ['item'],
        uses: ['items', 'key', 'pick', 'item'],
        calls: ['sorted', 'pick'],
        returns: true,
      }),
      row({ span: [7, 4, 7, 16], kind: 'assign', code: 'sent = yield', defines: ['sent'], returns: true }),
    ]);
  });

  test('assigned globals are defines (augmented ones mutations, as for cells); parameter and global mutation; del of a local', async () => {
    const code = src([
      'async def step(model, batch):',
      '    global STEPS, last',
      '    STEPS += 1',
      '    last = await model.fit(batch)',
      '    HISTORY.append(last)',
      '    batch[0] = None',
      '    tmp = batch',
      '    del tmp',
    ]);
    const facts = (await analyzer()).analyze(code);
    const step = facts.functions[0];
    assert.deepEqual(step.globalWrites, ['STEPS', 'last']);
    assert.deepEqual(step.mutatedParams, ['model', 'batch']);
    assert.deepEqual(bodyRows(step), [
      row({ span: [2, 4, 2, 22], kind: 'other', code: 'global STEPS, last' }),
      row({ span: [3, 4, 3, 14], kind: 'augassign', code: 'STEPS += 1', uses: ['STEPS'], mutates: ['STEPS'] }),
      row({ span: [4, 4, 4, 33], kind: 'assign', code: 'last = await model.fit(batch)', defines: ['last'], uses: ['model', 'batch'], mutates: ['model'], calls: ['model.fit'] }),
      row({ span: [5, 4, 5, 24], kind: 'expression', code: 'HISTORY.append(last)', uses: ['HISTORY', 'last'], mutates: ['HISTORY'], calls: ['HISTORY.append'] }),
      row({ span: [6, 4, 6, 19], kind: 'assign', code: 'batch[0] = None', uses: ['batch'], mutates: ['batch'] }),
      row({ span: [7, 4, 7, 15], kind: 'assign', code: 'tmp = batch', defines: ['tmp'], uses: ['batch'] }),
      row({ span: [8, 4, 8, 11], kind: 'delete', code: 'del tmp', deletes: ['tmp'] }),
    ]);
  });

  test('decorators and the header are not in the body; a one-line def has its body on the header line', async () => {
    const code = src(['@register(name)', '@cache', 'def f(x): return x + k', 'def g(): pass']);
    assert.deepEqual(await bodyOf(code, 'f'), [
      row({ span: [3, 10, 3, 22], kind: 'other', code: 'return x + k', uses: ['x', 'k'], returns: true }),
    ]);
    assert.deepEqual(await bodyOf(code, 'g'), [row({ span: [4, 9, 4, 13], kind: 'other', code: 'pass' })]);
  });

  test('a top-level class body: one operation per statement, methods as one block, no return marks', async () => {
    const code = src([
      'class Model(Base):',
      '    rate = 0.1',
      '    steps = int(rate * N)',
      '    def fit(self, X):',
      '        self.w = X.mean() * self.rate',
      '        return self',
    ]);
    assert.deepEqual(await bodyOf(code, 'Model'), [
      { ...row({ span: [2, 4, 2, 14], kind: 'assign', code: 'rate = 0.1', defines: ['rate'] }), returns: undefined },
      { ...row({ span: [3, 4, 3, 25], kind: 'assign', code: 'steps = int(rate * N)', defines: ['steps'], uses: ['rate', 'N'], calls: ['int'] }), returns: undefined },
      {
        ...row({ span: [4, 4, 6, 19], kind: 'function', code: 'def fit(self, X):\n        self.w = X.mean() * self.rate\n        return self', defines: ['fit'] }),
        returns: undefined,
      },
    ]);
  });

  test('nested functions get no body of their own; cell-level facts are unchanged by bodies', async () => {
    const code = src(['def outer():', '    def inner():', '        return 1', '    return inner', 'y = outer()']);
    const facts = (await analyzer()).analyze(code);
    assert.deepEqual(facts.functions.map((f) => f.name), ['outer']);
    assert.deepEqual(facts.defines, ['outer', 'y']);
    assert.deepEqual(facts.operations.map((op) => op.returns), [undefined, undefined]);
    assert.deepEqual(facts.operations[1].calls.map((c) => c.callee), ['outer']);
  });
});
