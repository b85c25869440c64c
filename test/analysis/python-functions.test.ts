/** Python analysis: FunctionFact for top-level def / async def / class. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FunctionFact } from '../../src/core/analysis/facts';
import { analyzer, src } from './python-helpers';

type Expected = Partial<Omit<FunctionFact, 'span'>>;

async function onlyFunction(code: string): Promise<FunctionFact> {
  const facts = (await analyzer()).analyze(code);
  assert.equal(facts.functions.length, 1, `one function fact, got ${facts.functions.map((f) => f.name).join(', ')}`);
  return facts.functions[0];
}

function pick(fact: FunctionFact, expected: Expected): Expected {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected)) out[key] = fact[key as keyof FunctionFact];
  return out as Expected;
}

const cases: { name: string; code: string; expected: Expected }[] = [
  {
    name: 'params, free variables exclude params, locals and builtins',
    code: src(['def f(a, b=1, *args, c, **kw):', '  t = a + offset', '  return len(t) + scale']),
    expected: { name: 'f', kind: 'function', params: ['a', 'b', 'args', 'c', 'kw'], freeVariables: ['offset', 'scale'], globalWrites: [], mutatedGlobals: [], mutatedParams: [], callees: [], decorators: [], async: false },
  },
  {
    name: 'a local assigned after a read is still local (static scoping)',
    code: src(['def f():', '  print(x)', '  x = 1']),
    expected: { freeVariables: [], callees: [] },
  },
  {
    name: 'global declaration: reads are free, writes are globalWrites',
    code: src(['def bump():', '  global counter', '  counter += 1']),
    expected: { freeVariables: ['counter'], globalWrites: ['counter'], mutatedGlobals: ['counter'] },
  },
  {
    name: 'global write without read',
    code: src(['def init():', '  global model, data', '  model = make()', '  data = load()']),
    expected: { freeVariables: ['make', 'load'], globalWrites: ['model', 'data'], callees: ['make', 'load'] },
  },
  {
    name: 'nonlocal in a nested function stays inside',
    code: src(['def outer():', '  n = 0', '  def inner():', '    nonlocal n', '    n += step', '  inner()', '  return n']),
    expected: { freeVariables: ['step'], globalWrites: [], callees: [] },
  },
  {
    name: 'mutated parameters by method, subscript, attribute and augmented assignment',
    code: src(['def prep(df, cfg, xs, acc, untouched):', '  df.dropna(inplace=True)', '  cfg["k"] = 1', '  xs.sort()', '  acc.total += 1', '  return untouched.copy()']),
    expected: { mutatedParams: ['df', 'cfg', 'xs', 'acc'], mutatedGlobals: [], freeVariables: [] },
  },
  {
    name: 'mutated globals',
    code: src(['def log(v):', '  HISTORY.append(v)', '  REGISTRY[v] = True']),
    expected: { freeVariables: ['HISTORY', 'REGISTRY'], mutatedGlobals: ['HISTORY', 'REGISTRY'], mutatedParams: [] },
  },
  {
    name: 'free variables through nested functions, lambdas and comprehensions',
    code: src(['def f(xs):', '  def g(y):', '    return y * k1', '  h = lambda z: z + k2', '  return [g(x) + h(x) + k3 for x in xs if x > k4]']),
    expected: { freeVariables: ['k1', 'k2', 'k3', 'k4'], callees: [] },
  },
  {
    name: 'callees are globally resolved names called',
    code: src(['def run(data):', '  clean = preprocess(data)', '  model = train(clean)', '  print(model)', '  model.fit(data)', '  return evaluate(model)']),
    // `train(clean)` and `preprocess(data)` are unknown: `model` may be `data` itself, so `model.fit` may change it.
    expected: { callees: ['preprocess', 'train', 'evaluate'], freeVariables: ['preprocess', 'train', 'evaluate'], mutatedParams: ['data'] },
  },
  {
    name: 'recursive function names itself',
    code: src(['def fact(n):', '  return 1 if n < 2 else n * fact(n - 1)']),
    expected: { freeVariables: ['fact'], callees: ['fact'] },
  },
  {
    name: 'decorators and async',
    code: src(['@functools.lru_cache(maxsize=None)', '@traced', 'async def fetch(url):', '  return await client.request(url)']),
    expected: { decorators: ['functools.lru_cache', 'traced'], async: true, freeVariables: ['client'], mutatedGlobals: ['client'] },
  },
  {
    name: 'imports inside a function are local',
    code: src(['def f():', '  import numpy as np', '  return np.zeros(n)']),
    expected: { freeVariables: ['n'], mutatedGlobals: [] },
  },
  {
    name: 'parameter rebound locally is still reported (conservative)',
    code: src(['def f(l):', '  l = list(l)', '  l.append(1)', '  return l']),
    expected: { mutatedParams: ['l'] },
  },
  {
    name: 'nested function mutating an outer parameter',
    code: src(['def f(acc):', '  def add(v):', '    acc.append(v)', '  add(1)']),
    expected: { mutatedParams: ['acc'], callees: [] },
  },
  {
    name: 'with, for and except names are locals',
    code: src(['def f(p):', '  with open(p) as fh:', '    for line in fh:', '      try:', '        v = parse(line)', '      except Error as e:', '        v = e', '  return v']),
    expected: { freeVariables: ['parse', 'Error'], callees: ['parse'] },
  },
  {
    name: 'walrus inside a comprehension is a local of the function',
    code: src(['def f(xs):', '  ys = [y for x in xs if (y := g(x))]', '  return y']),
    expected: { freeVariables: ['g'], callees: ['g'] },
  },
  {
    name: 'class: free variables over body and methods',
    code: src(['class Model(Base):', '  rate = DEFAULT_RATE', '  def __init__(self, data):', '    self.data = normalize(data)', '  def score(self):', '    return metric(self.data) * rate_scale']),
    expected: { name: 'Model', kind: 'class', params: [], freeVariables: ['DEFAULT_RATE', 'normalize', 'metric', 'rate_scale'], mutatedParams: [], callees: ['normalize', 'metric'] },
  },
  {
    name: 'class methods do not see class-level names',
    code: src(['class C:', '  k = 1', '  def m(self):', '    return k']),
    expected: { freeVariables: ['k'] },
  },
  {
    name: 'class mutating a global in a method',
    code: src(['class Registry:', '  def add(self, v):', '    ITEMS.append(v)']),
    expected: { mutatedGlobals: ['ITEMS'], freeVariables: ['ITEMS'] },
  },
  {
    name: 'annotations inside a function body are not free variables of locals',
    code: src(['def f() -> int:', '  x: Thing = make()', '  return x']),
    expected: { freeVariables: ['Thing', 'make'], params: [] },
  },
];

describe('python analysis: function facts', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const fact = await onlyFunction(c.code);
      assert.deepEqual(pick(fact, c.expected), c.expected);
    });
  }

  test('span covers decorators, 1-based lines and 0-based columns', async () => {
    const fact = await onlyFunction('x = 1\n@dec\ndef f():\n    return 2\n');
    assert.deepEqual(fact.span, { startLine: 2, startColumn: 0, endLine: 4, endColumn: 12 });
  });

  test('one fact per top-level definition, including inside if; none for methods or nested defs', async () => {
    const facts = (await analyzer()).analyze(src(['def a():', '  def inner():', '    pass', 'if flag:', '  def b():', '    pass', 'class C:', '  def m(self):', '    pass']));
    assert.deepEqual(facts.functions.map((f) => [f.name, f.kind]), [['a', 'function'], ['b', 'function'], ['C', 'class']]);
  });
});
