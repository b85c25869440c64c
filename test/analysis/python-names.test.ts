/**
 * Python analysis, cell-level names: each construct with the exact defines / uses / mutates /
 * builtinUses / deletes (lists a case leaves out must be empty).
 */
import { describe, test } from 'node:test';
import { analyzer, assertNames, src, type NameCase } from './python-helpers';

const cases: NameCase[] = [
  // ── assignment and upward exposure ──
  { name: 'simple assignment', code: 'x = 1', defines: ['x'] },
  { name: 'defined then used is not upward-exposed', code: 'x = 1\ny = x', defines: ['x', 'y'] },
  { name: 'used then defined is upward-exposed', code: 'y = x\nx = 1', defines: ['y', 'x'], uses: ['x'] },
  { name: 'self-referencing assignment', code: 'x = x + 1', defines: ['x'], uses: ['x'] },
  { name: 'chained assignment', code: 'a = b = c', defines: ['a', 'b'], uses: ['c'] },
  { name: 'tuple unpacking', code: 'a, b = b, a', defines: ['a', 'b'], uses: ['b', 'a'] },
  { name: 'nested unpacking', code: '(a, [b, c]) = t', defines: ['a', 'b', 'c'], uses: ['t'] },
  { name: 'star assignment', code: 'a, *b = items', defines: ['a', 'b'], uses: ['items'] },
  { name: 'star assignment in the middle', code: 'first, *mid, last = seq', defines: ['first', 'mid', 'last'], uses: ['seq'] },
  { name: 'multiple statements on one line', code: 'a = 1; b = a', defines: ['a', 'b'] },
  { name: 'attribute read', code: 'y = obj.attr.sub', defines: ['y'], uses: ['obj'] },
  { name: 'subscript read', code: 'y = data[key]', defines: ['y'], uses: ['data', 'key'] },
  { name: 'slice read', code: 'y = arr[lo:hi:step]', defines: ['y'], uses: ['arr', 'lo', 'hi', 'step'] },
  { name: 'chained comparison', code: 'ok = a < b <= c', defines: ['ok'], uses: ['a', 'b', 'c'] },
  { name: 'conditional expression', code: 'v = a if cond else b', defines: ['v'], uses: ['a', 'cond', 'b'] },
  { name: 'boolean operators', code: 'v = a and not b or c', defines: ['v'], uses: ['a', 'b', 'c'] },
  { name: 'dict and set displays', code: 'd = {k: v, **rest}\ns = {a, *bs}', defines: ['d', 's'], uses: ['k', 'v', 'rest', 'a', 'bs'] },
  { name: 'starred call arguments', code: 'f(*args, **kwargs)', uses: ['f', 'args', 'kwargs'], mutates: [] },
  { name: 'keyword argument names are not uses', code: 'g(alpha=beta)', uses: ['g', 'beta'] },
  { name: 'literal only', code: '1 + 2', },
  { name: 'unary and binary', code: 'z = -x ** 2 // y', defines: ['z'], uses: ['x', 'y'] },
  { name: 'ellipsis and None', code: 'x = ...\ny = None', defines: ['x', 'y'] },
  { name: 'parenthesized target', code: '(x) = 5', defines: ['x'] },

  // ── builtins ──
  { name: 'builtin call', code: 'n = len(items)', defines: ['n'], uses: ['items'], builtinUses: ['len'] },
  { name: 'print is a builtin use', code: 'print(x)', uses: ['x'], builtinUses: ['print'] },
  { name: 'rebinding a builtin first', code: 'sum = 0\nsum += 1', defines: ['sum'], mutates: ['sum'] },
  { name: 'builtin defined after use', code: 'y = list(x)\nlist = [1]', defines: ['y', 'list'], uses: ['x'], builtinUses: ['list'] },
  { name: '__name__ is a builtin', code: 'if __name__ == "__main__":\n    main()', uses: ['main'], builtinUses: ['__name__'] },
  { name: 'display and get_ipython are IPython builtins', code: 'display(df)\nip = get_ipython()', defines: ['ip'], uses: ['df'], builtinUses: ['display', 'get_ipython'] },
  { name: 'exception names are builtins', code: 'raise ValueError(msg)', uses: ['msg'], builtinUses: ['ValueError'] },
  { name: 'True False None are not names', code: 'x = [True, False, None]', defines: ['x'] },

  // ── branches and loops ──
  { name: 'binding inside if is not definite', code: src(['if c:', '  x = 1', 'print(x)']), defines: ['x'], uses: ['c', 'x'], builtinUses: ['print'] },
  { name: 'binding in both branches is definite', code: src(['if c:', '  x = 1', 'else:', '  x = 2', 'y = x']), defines: ['x', 'y'], uses: ['c'] },
  { name: 'elif chain without else', code: src(['if a:', '  x = 1', 'elif b:', '  x = 2', 'y = x']), defines: ['x', 'y'], uses: ['a', 'b', 'x'] },
  { name: 'elif chain with else', code: src(['if a:', '  x = 1', 'elif b:', '  x = 2', 'else:', '  x = 3', 'y = x']), defines: ['x', 'y'], uses: ['a', 'b'] },
  { name: 'raising branch does not count', code: src(['if bad:', '  raise ValueError()', 'else:', '  x = 1', 'y = x']), defines: ['x', 'y'], uses: ['bad'], builtinUses: ['ValueError'] },
  { name: 'for target binds', code: src(['for i in range(n):', '  total = total + i']), defines: ['i', 'total'], uses: ['n', 'total'], builtinUses: ['range'] },
  { name: 'for binding is not definite after the loop', code: src(['for i in xs:', '  last = i', 'print(last)']), defines: ['i', 'last'], uses: ['xs', 'last'], builtinUses: ['print'] },
  { name: 'for target tuple', code: src(['for k, (a, b) in pairs:', '  pass']), defines: ['k', 'a', 'b'], uses: ['pairs'] },
  { name: 'for-else', code: src(['for x in xs:', '  break', 'else:', '  found = False']), defines: ['x', 'found'], uses: ['xs'] },
  { name: 'while loop', code: src(['while n > 0:', '  n -= 1']), uses: ['n'], mutates: ['n'] },
  { name: 'read in loop before binding', code: src(['for i in xs:', '  y = prev', '  prev = i']), defines: ['i', 'y', 'prev'], uses: ['xs', 'prev'] },
  { name: 'defined before loop then read in loop', code: src(['acc = []', 'for v in vals:', '  acc.append(v)']), defines: ['acc', 'v'], uses: ['vals'], mutates: ['acc'] },
  { name: 'async for', code: src(['async for item in stream:', '  handle(item)']), defines: ['item'], uses: ['stream', 'handle'] },

  // ── augmented assignment ──
  { name: 'augmented assignment uses and mutates', code: 'x += 1', uses: ['x'], mutates: ['x'] },
  { name: 'augmented after definition', code: 'x = 0\nx += 1', defines: ['x'], mutates: ['x'] },
  { name: 'augmented with other names', code: 'total *= factor', uses: ['total', 'factor'], mutates: ['total'] },
  { name: 'augmented on subscript', code: 'counts[k] += 1', uses: ['counts', 'k'], mutates: ['counts'] },
  { name: 'augmented on attribute', code: 'self_obj.n -= step', uses: ['self_obj', 'step'], mutates: ['self_obj'] },
  { name: 'augmented makes name definite', code: 'x += 1\ny = x', defines: ['y'], uses: ['x'], mutates: ['x'] },

  // ── annotations ──
  { name: 'annotated assignment', code: 'x: int = 1', defines: ['x'], builtinUses: ['int'] },
  { name: 'bare annotation defines nothing', code: 'x: int', builtinUses: ['int'] },
  { name: 'annotation with user type', code: 'cfg: Config = load()', defines: ['cfg'], uses: ['Config', 'load'] },
  { name: 'generic annotation', code: 'xs: list[Item] = []', defines: ['xs'], uses: ['Item'], builtinUses: ['list'] },
  { name: 'type alias statement', code: 'type Vector = list[float]', defines: ['Vector'], builtinUses: ['list', 'float'] },

  // ── mutation ──
  { name: 'subscript assignment mutates', code: 'x[i] = v', uses: ['x', 'i', 'v'], mutates: ['x'] },
  { name: 'attribute assignment mutates', code: 'x.a = v', uses: ['x', 'v'], mutates: ['x'] },
  { name: 'deep chain assignment mutates the root', code: 'x.a.b[0] = 1', uses: ['x'], mutates: ['x'] },
  { name: 'mutation of a name defined in the cell', code: 'd = {}\nd["k"] = 1', defines: ['d'], mutates: ['d'] },
  { name: 'append mutates', code: 'items.append(x)', uses: ['items', 'x'], mutates: ['items'] },
  { name: 'extend, insert, pop, remove', code: 'a.extend(b)\na.insert(0, c)\na.pop()\na.remove(c)', uses: ['a', 'b', 'c'], mutates: ['a'] },
  { name: 'dict update and setdefault', code: 'd.update(e)\nd.setdefault("k", [])', uses: ['d', 'e'], mutates: ['d'] },
  { name: 'set add and discard', code: 's.add(1)\nt.discard(2)', uses: ['s', 't'], mutates: ['s', 't'] },
  { name: 'sort reverse clear', code: 'l.sort()\nm.reverse()\nn.clear()', uses: ['l', 'm', 'n'], mutates: ['l', 'm', 'n'] },
  { name: 'fit mutates the estimator', code: 'model.fit(X, y)', uses: ['model', 'X', 'y'], mutates: ['model'] },
  { name: 'fit_transform mutates the transformer', code: 'Z = scaler.fit_transform(X)', defines: ['Z'], uses: ['scaler', 'X'], mutates: ['scaler'] },
  { name: 'predict does not mutate', code: 'p = model.predict(X)', defines: ['p'], uses: ['model', 'X'] },
  { name: 'pandas inplace=True mutates', code: 'df.drop(columns=["a"], inplace=True)', uses: ['df'], mutates: ['df'] },
  { name: 'pandas without inplace does not', code: 'df2 = df.drop(columns=["a"])', defines: ['df2'], uses: ['df'] },
  { name: 'pandas inplace=False does not', code: 'df.fillna(0, inplace=False)', uses: ['df'] },
  { name: 'inplace given by a variable is conservative', code: 'df.sort_values("a", inplace=flag)', uses: ['df', 'flag'], mutates: ['df'] },
  { name: 'replace with inplace mutates', code: 'df.replace(1, 2, inplace=True)', uses: ['df'], mutates: ['df'] },
  { name: 'str replace does not mutate', code: 't = s.replace("a", "b")', defines: ['t'], uses: ['s'] },
  { name: 'inplace on a column mutates the frame', code: 'df["a"].fillna(0, inplace=True)', uses: ['df'], mutates: ['df'] },
  { name: 'unknown method mutates conservatively', code: 'obj.frobnicate()', uses: ['obj'], mutates: ['obj'] },
  { name: 'unknown method on an attribute mutates the root', code: 'obj.child.frobnicate()', uses: ['obj'], mutates: ['obj'] },
  { name: 'known non-mutating methods', code: 's = df.describe()\nh = df.head(5)\nm = arr.mean()', defines: ['s', 'h', 'm'], uses: ['df', 'arr'] },
  { name: 'method on a call result mutates nothing named', code: 'df.groupby("a").frobnicate()', uses: ['df'] },
  { name: 'module receiver in this cell is not mutated', code: 'import numpy as np\nm = np.mean(x)', defines: ['np', 'm'], uses: ['x'] },
  { name: 'well-known module alias is not mutated', code: 'np.random.seed(0)\nplt.figure()', uses: ['np', 'plt'] },
  { name: 'from-imported module is not mutated', code: 'from matplotlib import pyplot as pp\npp.plot(x)', defines: ['pp'], uses: ['x'] },
  { name: 'builtin receiver is a builtin use and not mutated', code: 's = str.join(",", parts)', defines: ['s'], uses: ['parts'], builtinUses: ['str'] },
  { name: 'rebinding a module alias makes it a value', code: 'np = Thing()\nnp.frobnicate()', defines: ['np'], uses: ['Thing'], mutates: ['np'] },
  { name: 'random.shuffle mutates its argument', code: 'import random\nrandom.shuffle(deck)', defines: ['random'], uses: ['deck'], mutates: ['deck'] },
  { name: 'heapq.heappush mutates the heap', code: 'heapq.heappush(h, 3)', uses: ['heapq', 'h'], mutates: ['h'] },
  { name: 'setattr mutates its first argument', code: 'setattr(obj, "a", 1)', uses: ['obj'], mutates: ['obj'], builtinUses: ['setattr'] },
  { name: 'to_csv is a file write, not a mutation', code: 'df.to_csv("out.csv")', uses: ['df'] },
  { name: 'savefig is not a mutation', code: 'fig.savefig("f.png")', uses: ['fig'] },
  { name: 'torch in-place method mutates', code: 'w.add_(g)', uses: ['w', 'g'], mutates: ['w'] },
  { name: 'copy does not mutate', code: 'b = a.copy()', defines: ['b'], uses: ['a'] },

  // ── del ──
  { name: 'del name', code: 'del x', deletes: ['x'] },
  { name: 'del subscript mutates', code: 'del x[k]', uses: ['x', 'k'], mutates: ['x'] },
  { name: 'del attribute mutates', code: 'del x.a', uses: ['x'], mutates: ['x'] },
  { name: 'del several', code: 'del a, b[0]', uses: ['b'], mutates: ['b'], deletes: ['a'] },
  { name: 'del makes a name unbound again', code: 'x = 1\ndel x\ny = x', defines: ['x', 'y'], uses: ['x'], deletes: ['x'] },

  // ── imports ──
  { name: 'import binds the top package', code: 'import a.b.c', defines: ['a'] },
  { name: 'import as binds the alias', code: 'import a.b.c as d', defines: ['d'] },
  { name: 'from import', code: 'from m import x, y as z', defines: ['x', 'z'] },
  { name: 'relative import', code: 'from ..pkg import thing', defines: ['thing'] },
  { name: 'star import defines nothing', code: 'from m import *' },
  { name: 'future import defines nothing', code: 'from __future__ import annotations' },

  // ── functions, classes, lambdas ──
  { name: 'def defines the name; body reads are not cell uses', code: 'def f(a):\n  return a + g', defines: ['f'] },
  { name: 'default values are evaluated now', code: 'def f(a=default, *, b: T = 2):\n  pass', defines: ['f'], uses: ['default', 'T'] },
  { name: 'return annotation is a use', code: 'def f() -> Result:\n  pass', defines: ['f'], uses: ['Result'] },
  { name: 'decorators are uses; an unknown decorator method mutates its receiver', code: '@cache\n@app.route("/")\ndef f():\n  pass', defines: ['f'], uses: ['cache', 'app'], mutates: ['app'] },
  { name: 'calling a cell function reads its free variables', code: 'def f():\n  return g\nr = f()', defines: ['f', 'r'], uses: ['g'] },
  { name: 'calling a cell function after its free variable is bound', code: 'def f():\n  return g\ng = 1\nr = f()', defines: ['f', 'g', 'r'] },
  { name: 'calling a function that mutates its parameter', code: 'def add(l):\n  l.append(1)\nadd(items)', defines: ['add'], uses: ['items'], mutates: ['items'] },
  { name: 'calling a function that writes a global', code: 'def init():\n  global model\n  model = 1\ninit()\nm = model', defines: ['init', 'model', 'm'] },
  { name: 'calling a function that mutates a global', code: 'def push(v):\n  CACHE.append(v)\npush(1)', defines: ['push'], uses: ['CACHE'], mutates: ['CACHE'] },
  { name: 'transitive cell function calls', code: 'def a():\n  return k\ndef b():\n  return a()\nb()', defines: ['a', 'b'], uses: ['k'] },
  { name: 'async def', code: 'async def fetch(u):\n  return await get(u)', defines: ['fetch'] },
  { name: 'top-level await', code: 'data = await fetch(url)', defines: ['data'], uses: ['fetch', 'url'] },
  { name: 'lambda params are local, free names are uses', code: 'f = lambda x, *r, k=d: x + y', defines: ['f'], uses: ['d', 'y'] },
  { name: 'lambda passed to apply', code: 'df2 = df.apply(lambda row: row * factor)', defines: ['df2'], uses: ['df', 'factor'] },
  { name: 'class defines its name; body names are class-local', code: 'class C(Base):\n  x = 1\n  y = x + z', defines: ['C'], uses: ['Base', 'z'] },
  { name: 'class keyword arguments', code: 'class C(metaclass=Meta):\n  pass', defines: ['C'], uses: ['Meta'] },
  { name: 'method bodies are not cell uses', code: 'class C:\n  def m(self):\n    return helper(self.v)', defines: ['C'] },
  { name: 'decorated class', code: '@dataclass\nclass P:\n  x: int = 0', defines: ['P'], uses: ['dataclass'], builtinUses: ['int'] },
  { name: 'global at module level is harmless', code: 'global g\ng = 1', defines: ['g'] },

  // ── comprehensions and walrus ──
  { name: 'comprehension variable does not leak', code: 'ys = [x * 2 for x in xs]', defines: ['ys'], uses: ['xs'] },
  { name: 'comprehension reads enclosing names', code: 'ys = [x * k for x in xs if x > lo]', defines: ['ys'], uses: ['k', 'xs', 'lo'] },
  { name: 'comprehension variable shadows a cell name', code: 'x = 5\nys = [x for x in xs]\nz = x', defines: ['x', 'ys', 'z'], uses: ['xs'] },
  { name: 'nested comprehension', code: 'flat = [v for row in grid for v in row]', defines: ['flat'], uses: ['grid'] },
  { name: 'dict comprehension', code: 'd = {k: v for k, v in pairs.items()}', defines: ['d'], uses: ['pairs'] },
  { name: 'set comprehension and generator', code: 's = {f(x) for x in a}\nt = sum(x for x in b)', defines: ['s', 't'], uses: ['f', 'a', 'b'], builtinUses: ['sum'] },
  { name: 'walrus at top level binds definitely', code: 'if (n := len(a)) > 10:\n  pass\nm = n', defines: ['n', 'm'], uses: ['a'], builtinUses: ['len'] },
  { name: 'walrus in comprehension binds the enclosing scope', code: 'ys = [y for x in xs if (y := f(x))]', defines: ['ys', 'y'], uses: ['xs', 'f'] },
  { name: 'walrus in comprehension is not definite', code: 'ys = [(last := x) for x in xs]\nprint(last)', defines: ['ys', 'last'], uses: ['xs', 'last'], builtinUses: ['print'] },
  { name: 'walrus in a nested comprehension is not definite after it', code: 'zs = [[(w := x) for x in row] for row in grid]\nprint(w)', defines: ['zs', 'w'], uses: ['grid', 'w'], builtinUses: ['print'] },
  { name: 'walrus is definite for the rest of its comprehension', code: 'ys = [(t := x) + t for x in xs]', defines: ['ys', 't'], uses: ['xs'] },
  { name: 'walrus in one branch, plain assignment in the other', code: 'if c:\n  q = [(p := i) for i in z]\nelse:\n  p = 2\nprint(p)', defines: ['q', 'p'], uses: ['c', 'z', 'p'], builtinUses: ['print'] },
  { name: 'walrus in a while condition', code: 'while (chunk := read()):\n  out.append(chunk)', defines: ['chunk'], uses: ['read', 'out'], mutates: ['out'] },

  // ── f-strings ──
  { name: 'f-string names are uses', code: 's = f"{a} and {b.c}"', defines: ['s'], uses: ['a', 'b'] },
  { name: 'f-string nested format spec', code: 's = f"{value:{width}.{prec}f}"', defines: ['s'], uses: ['value', 'width', 'prec'] },
  { name: 'f-string conversion and call', code: 's = f"{obj!r} {fmt(x)}"', defines: ['s'], uses: ['obj', 'fmt', 'x'] },
  { name: 'f-string self-documenting', code: 'print(f"{total=}")', uses: ['total'], builtinUses: ['print'] },
  { name: 'plain string has no uses', code: 's = "{a} {b}"', defines: ['s'] },
  { name: 'triple-quoted f-string', code: 's = f"""\n{header}\n{body}\n"""', defines: ['s'], uses: ['header', 'body'] },

  // ── with, try ──
  { name: 'with as binds', code: 'with open(p) as fh:\n  data = fh.read()', defines: ['fh', 'data'], uses: ['p'], builtinUses: ['open'] },
  { name: 'with several items', code: 'with a as x, b as (y, z):\n  pass', defines: ['x', 'y', 'z'], uses: ['a', 'b'] },
  { name: 'with without as', code: 'with lock:\n  n = 1', defines: ['n'], uses: ['lock'] },
  { name: 'try/except as: name defined, unbound after handler', code: src(['try:', '  r = risky()', 'except ValueError as e:', '  log(e)', 'print(e)']), defines: ['r', 'e'], uses: ['risky', 'log', 'e'], builtinUses: ['ValueError', 'print'] },
  { name: 'binding in both try body and handler is definite', code: src(['try:', '  import fast as impl', 'except ImportError:', '  impl = None', 'impl.run()']), defines: ['impl'], mutates: ['impl'], builtinUses: ['ImportError'] },
  { name: 'binding only in try body is not definite', code: src(['try:', '  x = f()', 'except Exception:', '  pass', 'print(x)']), defines: ['x'], uses: ['f', 'x'], builtinUses: ['Exception', 'print'] },
  { name: 'finally binding is definite', code: src(['try:', '  pass', 'finally:', '  done = True', 'y = done']), defines: ['done', 'y'] },
  { name: 'except tuple of types', code: 'try:\n  pass\nexcept (KeyError, MyErr):\n  pass', uses: ['MyErr'], builtinUses: ['KeyError'] },
  { name: 'except star', code: 'try:\n  pass\nexcept* MyGroup as eg:\n  handle(eg)', defines: ['eg'], uses: ['MyGroup', 'handle'] },

  // ── match ──
  { name: 'match capture patterns define', code: src(['match cmd:', '  case [x, y]:', '    pass']), defines: ['x', 'y'], uses: ['cmd'] },
  { name: 'match class pattern with keyword', code: src(['match p:', '  case Point(x=a, y=b):', '    r = a + b']), defines: ['a', 'b', 'r'], uses: ['p', 'Point'] },
  { name: 'match value pattern uses', code: src(['match c:', '  case Color.RED:', '    pass']), uses: ['c', 'Color'] },
  { name: 'match wildcard binds nothing', code: src(['match v:', '  case _:', '    pass']), uses: ['v'] },
  { name: 'match as, star and double-star', code: src(['match v:', '  case [1, *rest] as whole:', '    pass', '  case {"k": val, **others}:', '    pass']), defines: ['rest', 'whole', 'val', 'others'], uses: ['v'] },
  { name: 'match guard reads', code: src(['match v:', '  case n if n > limit:', '    pass']), defines: ['n'], uses: ['v', 'limit'] },
  { name: 'match binding definite only with a catch-all', code: src(['match v:', '  case 1:', '    r = "one"', '  case _:', '    r = "other"', 'y = r']), defines: ['r', 'y'], uses: ['v'] },
  { name: 'match binding not definite without a catch-all', code: src(['match v:', '  case 1:', '    r = "one"', 'y = r']), defines: ['r', 'y'], uses: ['v', 'r'] },
  { name: 'match or-pattern and literals', code: src(['match v:', '  case 1 | 2 | -3:', '    pass', '  case str() as s:', '    pass']), defines: ['s'], uses: ['v'], builtinUses: ['str'] },
  { name: 'match as a plain name', code: 'match = 1\ncase = match + 1', defines: ['match', 'case'] },

  // ── misc statements ──
  { name: 'assert reads', code: 'assert x > 0, msg', uses: ['x', 'msg'] },
  { name: 'line continuation', code: 'total = a + \\\n  b', defines: ['total'], uses: ['a', 'b'] },
  { name: 'implicit continuation in brackets', code: 'r = f(\n  a,\n  b,\n)', defines: ['r'], uses: ['f', 'a', 'b'] },
  { name: 'comments are ignored', code: '# x = 1\ny = 2  # uses z', defines: ['y'] },
  { name: 'empty cell', code: '' },
  { name: 'whitespace-only cell', code: '\n   \n' },
  { name: 'yield at top level is read', code: 'x = (yield y)', defines: ['x'], uses: ['y'] },
];

describe('python analysis: names', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const facts = (await analyzer()).analyze(c.code);
      assertNames(facts, c);
    });
  }
});
