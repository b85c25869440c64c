/**
 * Kind 1: histories, not top-to-bottom runs. A cell's current state may come from an older
 * execution of the edited cell (re-runs, out-of-order runs, code edited between runs).
 */
import type { SoundnessCase } from '../cases';

export const historyCases: SoundnessCase[] = [
  {
    name: 'history/loop-before-rerun',
    kind: 'history',
    cells: ['depths = [1, 2, 3]', 'scores = []', 'for d in depths:\n    scores.append(d * 10)', 'print(scores)'],
    history: [0, 1, 2, 3, 0],
    edit: { cell: 0, code: 'depths = [1, 2, 4]' },
  },
  {
    name: 'history/issue-example',
    kind: 'history',
    cells: ['import numpy as np', 'depths = [2, 4]', 'results = {}', 'for d in depths:\n    results[d] = int(np.arange(d).sum())', 'print(results)'],
    history: [0, 1, 2, 3, 4, 1],
    edit: { cell: 1, code: 'depths = [2, 5]' },
  },
  {
    name: 'history/edited-between-runs',
    kind: 'history',
    cells: ['lr = 0.5', 'w = lr * 2', 'print(w)'],
    history: [{ cell: 0, code: 'lr = 0.1' }, 1, 2, 0],
    edit: { cell: 0, code: 'lr = 0.7' },
  },
  {
    name: 'history/bottom-to-top',
    kind: 'history',
    cells: ['print(total)', 'total = base * 2', 'base = 3'],
    history: [2, 1, 0],
    edit: { cell: 2, code: 'base = 4' },
  },
  {
    name: 'history/rerun-middle',
    kind: 'history',
    cells: ['a = 1', 'b = a + 1', 'c = b * 2', 'print(c)'],
    history: [0, 1, 2, 3, 1],
    edit: { cell: 0, code: 'a = 2' },
  },
  {
    name: 'history/rerun-producer-then-consumer',
    kind: 'history',
    cells: ['n = 3', 'items = list(range(n))', 'print(len(items))'],
    history: [0, 1, 2, 0, 2],
    edit: { cell: 0, code: 'n = 5' },
  },
  {
    name: 'history/shadowed-later',
    kind: 'history',
    cells: ['k = 2', 'm = k * 3', 'k = 10', 'print(m, k)'],
    edit: { cell: 0, code: 'k = 5' },
  },
  {
    name: 'history/later-cell-ran-first',
    kind: 'history',
    cells: ['k = 2', 'm = k * 3', 'print(m)', 'k = 7'],
    history: [3, 1, 2, 0],
    edit: { cell: 3, code: 'k = 8' },
  },
  {
    name: 'history/mutation-rerun',
    kind: 'history',
    cells: ['data = [3, 1, 2]', 'data.sort()', 'print(data)'],
    history: [0, 1, 2, 1],
    edit: { cell: 0, code: 'data = [3, 1, 0]' },
  },
  {
    name: 'history/producer-rerun-after-read',
    kind: 'history',
    cells: ['seed = 1', 'vals = [seed * i for i in range(3)]', 'seed = 2', 'print(vals)'],
    history: [0, 1, 2, 3, 0],
    edit: { cell: 0, code: 'seed = 5' },
  },
  {
    name: 'history/edited-cell-ran-twice',
    kind: 'history',
    cells: ['count = 0', 'count += 1', 'print(count)'],
    history: [0, 1, 1, 2],
    edit: { cell: 1, code: 'count += 2' },
  },
  {
    name: 'history/function-redefined-later',
    kind: 'history',
    cells: ['def f(x):\n    return x + 1', 'r = f(2)', 'print(r)', 'def f(x):\n    return x + 100'],
    edit: { cell: 0, code: 'def f(x):\n    return x + 2' },
  },
  {
    name: 'history/function-def-rerun',
    kind: 'history',
    cells: ['def g():\n    return 1', 'v = g()', 'print(v)'],
    history: [0, 1, 2, 0],
    edit: { cell: 0, code: 'def g():\n    return 5' },
  },
  {
    name: 'history/deleted-later',
    kind: 'history',
    cells: ['t = 5', 'u = t * 2', 'del t', 'print(u)'],
    edit: { cell: 0, code: 't = 6' },
  },
  {
    name: 'history/threshold-edited-between',
    kind: 'history',
    cells: ['thr = 0.5', 'flags = [x > thr for x in [0.2, 0.6, 0.9]]', 'print(sum(flags))'],
    history: [{ cell: 0, code: 'thr = 0.1' }, 1, 0, 2],
    edit: { cell: 0, code: 'thr = 0.7' },
  },
  {
    name: 'history/transitive-reruns',
    kind: 'history',
    cells: ['a = 2', 'b = a * 3', 'c = b + 1', 'print(c)'],
    history: [0, 1, 2, 3, 2, 3],
    edit: { cell: 0, code: 'a = 4' },
  },
  {
    name: 'history/consumer-edited-between',
    kind: 'history',
    cells: ['base = [1, 2]', 'base.append(3)', 'print(sum(base))'],
    history: [0, { cell: 1, code: 'base.append(10)' }, 2, 1],
    edit: { cell: 1, code: 'base.append(4)' },
  },
];
