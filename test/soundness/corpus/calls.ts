/**
 * Kind 3: mutation through calls. Library functions that write into an argument, notebook
 * functions that mutate a parameter or a global (directly or through other functions, in loops),
 * and iterators consumed by list(), next() or a for loop.
 */
import type { SoundnessCase } from '../cases';

export const callCases: SoundnessCase[] = [
  {
    name: 'calls/np-copyto',
    kind: 'calls',
    cells: ['import numpy as np\ndst = np.zeros(3)', 'src = np.array([1.0, 2.0, 3.0])', 'np.copyto(dst, src)', 'print(dst)'],
    edit: { cell: 2, code: 'np.copyto(dst, src * 2)' },
  },
  {
    name: 'calls/np-place',
    kind: 'calls',
    cells: ['import numpy as np\narr = np.arange(6)', 'np.place(arr, arr > 2, [0])', 'print(arr)'],
    edit: { cell: 1, code: 'np.place(arr, arr > 2, [9])' },
  },
  {
    name: 'calls/np-put',
    kind: 'calls',
    cells: ['import numpy as np\narr = np.zeros(4, dtype=int)', 'np.put(arr, [0, 2], [5, 6])', 'print(arr.tolist())'],
    edit: { cell: 1, code: 'np.put(arr, [1, 3], [5, 6])' },
  },
  {
    name: 'calls/np-random-shuffle',
    kind: 'calls',
    cells: ['import numpy as np\nitems = np.arange(5)', 'np.random.seed(1)\nnp.random.shuffle(items)', 'print(items)'],
    edit: { cell: 1, code: 'np.random.seed(2)\nnp.random.shuffle(items)' },
  },
  {
    name: 'calls/random-shuffle',
    kind: 'calls',
    cells: ['import random\ndeck = list(range(6))', 'random.seed(3)\nrandom.shuffle(deck)', 'print(deck)'],
    edit: { cell: 1, code: 'random.seed(4)\nrandom.shuffle(deck)' },
  },
  {
    name: 'calls/np-fill-diagonal',
    kind: 'calls',
    cells: ['import numpy as np\nm = np.zeros((3, 3))', 'np.fill_diagonal(m, 1)', 'print(m.trace())'],
    edit: { cell: 1, code: 'np.fill_diagonal(m, 2)' },
  },
  {
    name: 'calls/out-argument',
    kind: 'calls',
    cells: ['import numpy as np\na = np.array([1.0, 2.0])\nres = np.zeros(2)', 'np.multiply(a, 3, out=res)', 'print(res)'],
    edit: { cell: 1, code: 'np.multiply(a, 4, out=res)' },
  },
  {
    name: 'calls/ufunc-at',
    kind: 'calls',
    cells: ['import numpy as np\ncounts = np.zeros(3, dtype=int)', 'np.add.at(counts, [0, 0, 2], 1)', 'print(counts)'],
    edit: { cell: 1, code: 'np.add.at(counts, [1, 1, 2], 1)' },
  },
  {
    name: 'calls/def-mutates-param-in-loop',
    kind: 'calls',
    cells: ['def add(L):\n    L.append(1)', 'xs = []', 'for _ in range(3):\n    add(xs)', 'print(len(xs))'],
    edit: { cell: 2, code: 'for _ in range(4):\n    add(xs)' },
  },
  {
    name: 'calls/def-edited-mutates-param',
    kind: 'calls',
    cells: ['def add(L):\n    L.append(1)', 'xs = []', 'for _ in range(3):\n    add(xs)', 'print(len(xs))'],
    edit: { cell: 0, code: 'def add(L):\n    L.append(1)\n    L.append(2)' },
  },
  {
    name: 'calls/def-mutates-global',
    kind: 'calls',
    cells: ['log = []', 'def note(msg):\n    log.append(msg)', 'note("a")\nnote("b")', 'print(log)'],
    edit: { cell: 2, code: 'note("a")' },
  },
  {
    name: 'calls/def-through-other-def',
    kind: 'calls',
    cells: ['def inner(d):\n    d["n"] = d.get("n", 0) + 1', 'def outer(d):\n    inner(d)', 'state = {}', 'outer(state)', 'print(state)'],
    edit: { cell: 3, code: 'outer(state)\nouter(state)' },
  },
  {
    name: 'calls/global-through-other-def',
    kind: 'calls',
    cells: ['acc = [0]', 'def bump():\n    acc[0] += 1', 'def run(n):\n    for _ in range(n):\n        bump()', 'run(2)', 'print(acc)'],
    edit: { cell: 3, code: 'run(5)' },
  },
  {
    name: 'calls/method-mutates-self',
    kind: 'calls',
    cells: ['class Counter:\n    def __init__(self):\n        self.n = 0\n    def hit(self):\n        self.n += 1', 'c = Counter()', 'c.hit()', 'print(c.n)'],
    edit: { cell: 2, code: 'c.hit()\nc.hit()' },
  },
  {
    name: 'calls/generator-next',
    kind: 'calls',
    cells: ['g = (i * i for i in range(4))', 'next(g)', 'print(list(g))'],
    edit: { cell: 1, code: 'next(g)\nnext(g)' },
  },
  {
    name: 'calls/iterator-next-bound',
    kind: 'calls',
    cells: ['it = iter([10, 20, 30])', 'head = next(it)', 'rest = list(it)\nprint(rest)'],
    edit: { cell: 1, code: 'head = next(it)\nnext(it)' },
  },
  {
    name: 'calls/generator-for-break',
    kind: 'calls',
    cells: ['g = (x for x in range(5))', 'for v in g:\n    if v == 1:\n        break', 'print(list(g))'],
    edit: { cell: 1, code: 'for v in g:\n    if v == 3:\n        break' },
  },
  {
    name: 'calls/generator-function-list',
    kind: 'calls',
    cells: ['def count_up(n):\n    for i in range(n):\n        yield i', 'gen = count_up(4)', 'firsts = [next(gen), next(gen)]', 'print(list(gen))'],
    edit: { cell: 2, code: 'firsts = [next(gen)]' },
  },
  {
    name: 'calls/iterator-zip-consumes',
    kind: 'calls',
    cells: ['it = iter(range(4))', 'pairs = list(zip(range(2), it))', 'print(list(it))'],
    edit: { cell: 1, code: 'pairs = list(zip(range(3), it))' },
  },
  {
    name: 'calls/def-mutates-dict-in-loop',
    kind: 'calls',
    cells: ['def inc(d, k):\n    d[k] = d.get(k, 0) + 1', 'tally = {}', 'for w in ["a", "b", "a"]:\n    inc(tally, w)', 'print(tally)'],
    edit: { cell: 2, code: 'for w in ["a", "b", "c"]:\n    inc(tally, w)' },
  },
  {
    name: 'calls/def-sorts-param',
    kind: 'calls',
    cells: ['def normalize(v):\n    v.sort()\n    v.reverse()', 'vals = [3, 1, 2]', 'normalize(vals)', 'print(vals[0])'],
    edit: { cell: 2, code: 'vals.sort()' },
  },
  {
    name: 'calls/lambda-mutates',
    kind: 'calls',
    cells: ['push = lambda L, x: L.append(x)', 'stack = []', 'push(stack, 1)', 'print(stack)'],
    edit: { cell: 2, code: 'push(stack, 2)' },
  },
  {
    name: 'calls/pandas-inplace',
    kind: 'calls',
    cells: ['import pandas as pd\ndf = pd.DataFrame({"a": [3, 1, 2]})', 'df.sort_values("a", inplace=True)', 'print(df["a"].tolist())'],
    edit: { cell: 1, code: 'df.sort_values("a", ascending=False, inplace=True)' },
  },
  {
    name: 'calls/def-updates-with-kwargs',
    kind: 'calls',
    cells: ['def configure(opts, **kw):\n    opts.update(kw)', 'opts = {"lr": 0.1}', 'configure(opts, lr=0.5)', 'print(opts)'],
    edit: { cell: 2, code: 'configure(opts, lr=0.9)' },
  },
];
