/**
 * Kind 2: aliasing. A change made through one name is a change of every name bound to the same
 * object: plain aliases, loop variables over containers, containers built from names, shallow
 * copies of nested containers, members and attributes, numpy views.
 */
import type { SoundnessCase } from '../cases';

export const aliasCases: SoundnessCase[] = [
  {
    name: 'alias/assign-subscript',
    kind: 'alias',
    cells: ['a = [1, 2, 3]', 'b = a', 'b[2] = 9', 'print(a)'],
    edit: { cell: 2, code: 'b[2] = 8' },
  },
  {
    name: 'alias/assign-append',
    kind: 'alias',
    cells: ['a = [1]', 'b = a', 'b.append(5)', 'print(len(a))'],
    edit: { cell: 2, code: 'b.append(5)\nb.append(6)' },
  },
  {
    name: 'alias/items-loop',
    kind: 'alias',
    cells: ['x = {"p": [1], "q": [2]}', 'for _, l in x.items():\n    l.append(5)', 'print(x)'],
    edit: { cell: 1, code: 'for _, l in x.items():\n    l.append(6)' },
  },
  {
    name: 'alias/values-loop',
    kind: 'alias',
    cells: ['x = {"p": [1], "q": [2]}', 'for l in x.values():\n    l.append(0)', 'print(sum(len(v) for v in x.values()))'],
    edit: { cell: 1, code: 'for l in x.values():\n    l.extend([0, 0])' },
  },
  {
    name: 'alias/list-loop',
    kind: 'alias',
    cells: ['rows = [[1], [2]]', 'for r in rows:\n    r.append(r[0] * 2)', 'print(rows)'],
    edit: { cell: 1, code: 'for r in rows:\n    r.append(r[0] * 3)' },
  },
  {
    name: 'alias/container-from-names',
    kind: 'alias',
    cells: ['a = [1]\nb = [2]', 'c = [a, b]', 'c[0].append(1)', 'print(a)'],
    edit: { cell: 2, code: 'c[0].append(7)' },
  },
  {
    name: 'alias/dict-from-names',
    kind: 'alias',
    cells: ['cfg = {"lr": 0.1}', 'store = {"cfg": cfg}', 'store["cfg"]["lr"] = 0.5', 'print(cfg["lr"])'],
    edit: { cell: 2, code: 'store["cfg"]["lr"] = 0.9' },
  },
  {
    name: 'alias/shallow-copy-nested',
    kind: 'alias',
    cells: ['m = [[1, 2], [3, 4]]', 'n = m.copy()', 'n[0][0] = 99', 'print(m[0])'],
    edit: { cell: 2, code: 'n[0][0] = 77' },
  },
  {
    name: 'alias/copy-module-shallow',
    kind: 'alias',
    cells: ['import copy\nm = {"k": [1]}', 'n = copy.copy(m)', 'n["k"].append(2)', 'print(m)'],
    edit: { cell: 2, code: 'n["k"].append(3)' },
  },
  {
    name: 'alias/slice-copy-nested',
    kind: 'alias',
    cells: ['m = [[0], [1]]', 'n = m[:]', 'n[1].append(5)', 'print(m)'],
    edit: { cell: 2, code: 'n[1].append(6)' },
  },
  {
    name: 'alias/attribute-member',
    kind: 'alias',
    cells: ['class Box:\n    pass', 'items = [1, 2]\nbox = Box()\nbox.items = items', 'box.items.append(3)', 'print(items)'],
    edit: { cell: 2, code: 'box.items.append(4)' },
  },
  {
    name: 'alias/constructor-keeps-argument',
    kind: 'alias',
    cells: ['class Model:\n    def __init__(self, w):\n        self.w = w', 'weights = [0.0, 0.0]\nmodel = Model(weights)', 'weights[0] = 1.5', 'print(model.w)'],
    edit: { cell: 2, code: 'weights[0] = 2.5' },
  },
  {
    name: 'alias/numpy-slice-view',
    kind: 'alias',
    cells: ['import numpy as np\na = np.arange(5)', 'v = a[1:]', 'v[0] = 9', 'print(a)'],
    edit: { cell: 2, code: 'v[0] = 7' },
  },
  {
    name: 'alias/numpy-reshape-view',
    kind: 'alias',
    cells: ['import numpy as np\na = np.zeros(4)', 'm = a.reshape(2, 2)', 'm[1, 1] = 3', 'print(a.sum())'],
    edit: { cell: 2, code: 'm[1, 1] = 5' },
  },
  {
    name: 'alias/numpy-transpose-inplace',
    kind: 'alias',
    cells: ['import numpy as np\nx = np.ones((2, 3))', 't = x.T', 't *= 2', 'print(x.sum())'],
    edit: { cell: 2, code: 't *= 3' },
  },
  {
    name: 'alias/chain',
    kind: 'alias',
    cells: ['a = [0]', 'b = a', 'c = b', 'c.append(1)', 'print(a)'],
    edit: { cell: 3, code: 'c.append(2)' },
  },
  {
    name: 'alias/tuple-unpack',
    kind: 'alias',
    cells: ['p = [1]\nq = [2]', 'x, y = p, q', 'y.append(3)', 'print(q)'],
    edit: { cell: 2, code: 'y.append(4)' },
  },
  {
    name: 'alias/dict-member',
    kind: 'alias',
    cells: ['groups = {"a": []}', 'g = groups["a"]', 'g.append("x")', 'print(groups)'],
    edit: { cell: 2, code: 'g.append("y")' },
  },
  {
    name: 'alias/function-returns-argument',
    kind: 'alias',
    cells: ['def ident(v):\n    return v', 'a = [1]\nb = ident(a)', 'b.append(2)', 'print(a)'],
    edit: { cell: 2, code: 'b.append(3)' },
  },
  {
    name: 'alias/augmented-assign',
    kind: 'alias',
    cells: ['a = [1]', 'b = a', 'b += [2]', 'print(a)'],
    edit: { cell: 2, code: 'b += [3]' },
  },
  {
    name: 'alias/alias-made-by-edit',
    kind: 'alias',
    cells: ['a = [1, 2]', 'b = list(a)', 'b.append(3)', 'print(a)'],
    edit: { cell: 1, code: 'b = a' },
  },
];
