/**
 * Negative cases: nothing is shared, so no cell may be added — true copies, rebinding instead of
 * mutation, pure builtins and library functions, different files. `independent` lists the cells
 * the oracle must confirm are untouched by the edit; nbprov flagging them costs precision.
 */
import type { SoundnessCase } from '../cases';

export const negativeCases: SoundnessCase[] = [
  {
    name: 'negative/deepcopy',
    kind: 'negative',
    cells: ['import copy\na = [[1], [2]]', 'b = copy.deepcopy(a)', 'b[0].append(9)', 'print(a)'],
    edit: { cell: 2, code: 'b[0].append(8)' },
    independent: [3],
  },
  {
    name: 'negative/np-array-copies',
    kind: 'negative',
    cells: ['import numpy as np\na = np.arange(3)', 'b = np.array(a)', 'b[0] = 9', 'print(a)'],
    edit: { cell: 2, code: 'b[0] = 7' },
    independent: [3],
  },
  {
    name: 'negative/rebind-not-mutate',
    kind: 'negative',
    cells: ['a = [1, 2]', 'b = a', 'b = [5]', 'print(a)'],
    edit: { cell: 2, code: 'b = [6]' },
    independent: [3],
  },
  {
    name: 'negative/pure-builtins',
    kind: 'negative',
    cells: ['xs = [3, 1, 2]', 'n = len(xs)\ns = sorted(xs)\nprint(n, s)', 'print(xs)'],
    edit: { cell: 1, code: 'n = len(xs) + 1\ns = sorted(xs, reverse=True)\nprint(n, s)' },
    independent: [2],
  },
  {
    name: 'negative/ufunc-without-out',
    kind: 'negative',
    cells: ['import numpy as np\na = np.array([1.0, 4.0])', 'r = np.sqrt(a)\nprint(r)', 'print(a)'],
    edit: { cell: 1, code: 'r = np.exp(a)\nprint(r)' },
    independent: [2],
  },
  {
    name: 'negative/pandas-reader',
    kind: 'negative',
    cells: ['import io\nimport pandas as pd\ntext = "v\\n1\\n2\\n"', 'df = pd.read_csv(io.StringIO(text))\nprint(df.v.sum())', 'print(text)'],
    edit: { cell: 1, code: 'df = pd.read_csv(io.StringIO(text))\nprint(df.v.mean())' },
    independent: [2],
  },
  {
    name: 'negative/sklearn-metric',
    kind: 'negative',
    cells: ['from sklearn.metrics import accuracy_score\ny_true = [0, 1, 1]\ny_pred = [0, 1, 0]', 'acc = accuracy_score(y_true, y_pred)\nprint(acc)', 'print(y_true, y_pred)'],
    edit: { cell: 1, code: 'acc = accuracy_score(y_true, y_pred, normalize=False)\nprint(acc)' },
    independent: [2],
  },
  {
    name: 'negative/different-literal-files',
    kind: 'negative',
    cells: ['with open("a.txt", "w") as f:\n    f.write("a")', 'with open("b.txt", "w") as f:\n    f.write("b")', 'print(open("b.txt").read())'],
    edit: { cell: 0, code: 'with open("a.txt", "w") as f:\n    f.write("A")' },
    independent: [1, 2],
  },
  {
    name: 'negative/different-file-variables',
    kind: 'negative',
    cells: ['pa = "one.txt"\npb = "two.txt"', 'with open(pa, "w") as f:\n    f.write("1")', 'with open(pb, "w") as f:\n    f.write("2")', 'print(open(pb).read())'],
    edit: { cell: 1, code: 'with open(pa, "w") as f:\n    f.write("9")' },
    independent: [2, 3],
  },
  {
    name: 'negative/flat-list-copy',
    kind: 'negative',
    cells: ['a = [1, 2]', 'b = a.copy()', 'b.append(3)', 'print(a)'],
    edit: { cell: 2, code: 'b.append(4)' },
    independent: [3],
  },
  {
    name: 'negative/loop-reads-values',
    kind: 'negative',
    cells: ['d = {"x": 1, "y": 2}', 'total = 0\nfor v in d.values():\n    total += v', 'print(d)'],
    edit: { cell: 1, code: 'total = 0\nfor v in d.values():\n    total += 2 * v' },
    independent: [2],
  },
  {
    name: 'negative/pure-notebook-function',
    kind: 'negative',
    cells: ['def score(xs):\n    return sum(xs) / len(xs)', 'data = [1, 2, 3]', 'm = score(data)\nprint(m)', 'print(data)'],
    edit: { cell: 2, code: 'm = score(data) * 2\nprint(m)' },
    independent: [3],
  },
  {
    name: 'negative/function-mutates-other-name',
    kind: 'negative',
    cells: ['def reset(L):\n    L.clear()', 'a = [1]\nb = [2]', 'reset(b)', 'print(a)'],
    edit: { cell: 2, code: 'reset(b)\nb.append(0)' },
    independent: [3],
  },
  {
    name: 'negative/unrelated-names',
    kind: 'negative',
    cells: ['x = 1', 'y = 2', 'print(y)'],
    edit: { cell: 0, code: 'x = 5' },
    independent: [1, 2],
  },
  {
    name: 'negative/np-copy-method',
    kind: 'negative',
    cells: ['import numpy as np\na = np.ones(3)', 'c = a.copy()\nc[0] = 5', 'print(a)'],
    edit: { cell: 1, code: 'c = a.copy()\nc[0] = 6' },
    independent: [2],
  },
  {
    name: 'negative/string-methods',
    kind: 'negative',
    cells: ['s = "abc"', 't = s.upper()\nprint(t)', 'print(s)'],
    edit: { cell: 1, code: 't = s.title()\nprint(t)' },
    independent: [2],
  },
  {
    name: 'negative/flat-slice-copy',
    kind: 'negative',
    cells: ['a = [1, 2, 3]', 'b = a[:2]\nb[0] = 0', 'print(a)'],
    edit: { cell: 1, code: 'b = a[:2]\nb[0] = 5' },
    independent: [2],
  },
  {
    name: 'negative/numpy-fancy-index-copy',
    kind: 'negative',
    cells: ['import numpy as np\na = np.arange(4)', 'f = a[[0, 1]]\nf[0] = 9', 'print(a)'],
    edit: { cell: 1, code: 'f = a[[0, 1]]\nf[0] = 7' },
    independent: [2],
  },
  {
    name: 'negative/rerun-rebinds',
    kind: 'negative',
    cells: ['a = [1]', 'a.append(2)', 'a = [7]', 'print(a)'],
    history: [0, 1, 2, 3],
    edit: { cell: 1, code: 'a.append(3)' },
    independent: [3],
  },
];
