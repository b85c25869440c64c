/**
 * Dependents and stale cells through aliases, mutating calls, iterators and files, from real
 * Python code (the tree-sitter analyser feeds lineage). Each conservative rule has cases where it
 * must flag a cell and cases where nothing is shared and no cell may be added.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dependentCellIndices, staleCells } from '../../src/core/lineage';
import { pythonHistory } from './helpers';


/** The notebook's cells run top to bottom once. */
function topToBottom(...cells: string[]) {
  return pythonHistory(cells.map((code, index) => [index, code]));
}

async function dependentsOf(cells: string[], edited: number): Promise<number[]> {
  return dependentCellIndices(await topToBottom(...cells), edited);
}

describe('dependents: every execution of the edited cell', () => {
  test('a cell that read an older run of the edited cell is a dependent, and stale', async () => {
    const graph = await pythonHistory([
      [4, 'depths = [1, 2, 3]'],
      [8, 'for d in depths:\n    print(d)'],
      [4, 'depths = [1, 2, 3, 4]'],
    ]);
    assert.deepEqual(dependentCellIndices(graph, 4), [8]);
    assert.deepEqual(staleCells(graph).map((c) => c.cellIndex), [8]);
  });
});

describe('dependents: the edited code of the cell', () => {
  test('an edit that makes an alias adds the cells the new code would reach', async () => {
    const cells = ['a = [1, 2]', 'b = list(a)', 'b.append(3)', 'print(a)'];
    const recorded = await topToBottom(...cells);
    assert.deepEqual(dependentCellIndices(recorded, 1), [2]);
    const edited = await topToBottom(...cells.map((code, i) => (i === 1 ? 'b = a' : code)));
    const graph = { ...recorded, asEdited: (cellId: string) => (cellId === 'c1' ? edited : undefined) };
    assert.deepEqual(dependentCellIndices(graph, 1), [2, 3]);
    // Other cells and execution targets are unaffected by the edit.
    assert.deepEqual(dependentCellIndices(graph, 0), dependentCellIndices(recorded, 0));
  });
});

describe('aliasing', () => {
  test('b = a; b[2] = 9 changes a', async () => {
    const cells = ['a = [1, 2, 3]', 'b = a', 'b[2] = 9', 'print(a)', 'print(b)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3, 4]);
    assert.deepEqual(await dependentsOf(cells, 0), [1, 2, 3, 4]);
  });

  test('a loop variable over a dict view changes the dict', async () => {
    const cells = ["x = {'k': [1]}", 'for _, l in x.items():\n    l.append(5)', 'print(x)'];
    assert.deepEqual(await dependentsOf(cells, 1), [2]);
  });

  test('a container built from names: c[0].append changes a', async () => {
    const cells = ['a = []\nb = []', 'c = [a, b]', 'c[0].append(1)', 'print(a)', 'print(len(b))'];
    assert.deepEqual(await dependentsOf(cells, 2), [3, 4]);
  });

  test('changing a name changes the containers that hold it', async () => {
    const cells = ['l = [1]', "d = {'k': l}", 'l.append(2)', 'print(d)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
    const member = ['l = [1]', "d = {'k': l}", "d['k'].append(2)", 'print(l)'];
    assert.deepEqual(await dependentsOf(member, 2), [3]);
  });

  test('an attribute holding the same object as a name', async () => {
    const cells = ['class Box:\n    pass', 'box = Box()\nitems = []\nbox.items = items', 'box.items.append(1)', 'print(items)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
  });

  test('a shallow copy of a nested list shares the inner lists', async () => {
    const cells = ['a = [[1], [2]]', 'b = a.copy()', 'b[0].append(9)', 'print(a)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
    const viaList = ['a = [[1], [2]]', 'b = list(a)', 'for row in b:\n    row.append(0)', 'print(a)'];
    assert.deepEqual(await dependentsOf(viaList, 2), [3]);
  });

  test('numpy views and slices', async () => {
    const cells = ['import numpy as np\na = np.zeros(4)', 'v = a[1:3]', 'v[0] = 5', 'print(a.sum())'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
    const reshaped = ['import numpy as np\na = np.zeros(4)', 'm = a.reshape(2, 2)', 'm[0, 0] = 1', 'print(a)'];
    assert.deepEqual(await dependentsOf(reshaped, 2), [3]);
    const row = ['import numpy as np\na = np.zeros((2, 2))', 'r = a[0]', 'a[0, 1] = 7', 'print(r)'];
    assert.deepEqual(await dependentsOf(row, 2), [3]);
  });

  test('precision: copies, rebinding and fresh results share nothing', async () => {
    // Changing a shallow copy itself leaves the original alone.
    assert.deepEqual(await dependentsOf(['a = [1, 2]', 'b = a.copy()', 'b.append(3)', 'print(a)'], 2), []);
    assert.deepEqual(await dependentsOf(['import pandas as pd\ndf = pd.DataFrame({"x": [1]})', 'df2 = df.copy()', "df2['y'] = 2", 'print(df)'], 2), []);
    // A rebound name no longer shares its old object.
    assert.deepEqual(await dependentsOf(['a = [1]', 'b = a\nb = [0]', 'b.append(2)', 'print(a)'], 2), []);
    // Results of pure calls are fresh.
    assert.deepEqual(await dependentsOf(['a = [3, 1]', 's = sorted(a)\nn = len(a)', 's.append(0)', 'print(a)'], 2), []);
    assert.deepEqual(await dependentsOf(['import numpy as np\na = np.ones(3)', 'b = a * 2\nc = np.sqrt(a)', 'b[0] = 0\nc[0] = 0', 'print(a)'], 2), []);
    // A slice of a list is a copy (of an array, a view: see above); fancy and boolean indexing copy.
    assert.deepEqual(await dependentsOf(['a = [1, 2, 3]', 'b = a[:2]\nb[0] = 0', 'print(a)'], 1), []);
    assert.deepEqual(await dependentsOf(['import numpy as np\na = np.arange(4)', 'f = a[[0, 1]]\nm = a[a > 1]\nf[0] = 9\nm[0] = 9', 'print(a)'], 1), []);
    // Drawing through pandas' plot accessor changes nothing (ax.bar would change the axes).
    assert.deepEqual(await dependentsOf(['import pandas as pd\ns = pd.Series([1.0, 2.0])', 'view = s\nview.plot.bar()\nlabels = view.str.lower()', 'print(s)'], 1), []);
    // Deep copies share nothing, even inner lists.
    assert.deepEqual(await dependentsOf(['import copy\na = [[1]]', 'b = copy.deepcopy(a)', 'b[0].append(2)', 'print(a)'], 2), []);
  });
});

describe('mutation through calls', () => {
  test('library functions that write into an argument', async () => {
    const cases: [string, string][] = [
      ['np.copyto(dst, src)', 'dst'],
      ['np.place(dst, dst > 0, 0)', 'dst'],
      ['np.put(dst, [0], [9])', 'dst'],
      ['np.random.shuffle(dst)', 'dst'],
      ['np.fill_diagonal(m, 0)', 'm'],
      ['np.add(src, 1, out=dst)', 'dst'],
      ['random.shuffle(items)', 'items'],
      ['rng.shuffle(dst)', 'dst'],
    ];
    for (const [call, changed] of cases) {
      const cells = [
        'import numpy as np\nimport random\nrng = np.random.default_rng(0)',
        'dst = np.zeros(3)\nsrc = np.ones(3)\nm = np.zeros((2, 2))\nitems = [1, 2, 3]',
        call,
        `print(${changed})`,
        'print(src)',
      ];
      assert.deepEqual(await dependentsOf(cells, 2), [3], call);
    }
  });

  test('a notebook function that mutates a parameter, called in a loop and through another function', async () => {
    const cells = ['def add(L):\n    L.append(1)', 'def add_twice(M):\n    add(M)\n    add(M)', 'x = []', 'for _ in range(3):\n    add_twice(x)', 'print(x)'];
    assert.deepEqual(await dependentsOf(cells, 3), [4]);
    assert.deepEqual(await dependentsOf(cells, 0), [3, 4]);
  });

  test('a notebook function that mutates a global through a local alias or another function', async () => {
    const viaLocal = ['G = {"k": []}', 'def grow():\n    inner = G["k"]\n    inner.append(1)', 'grow()', 'print(G)'];
    assert.deepEqual(await dependentsOf(viaLocal, 2), [3]);
    const viaCallee = ['def add(L):\n    L.append(1)', 'G = []', 'def f():\n    add(G)', 'f()', 'print(G)'];
    assert.deepEqual(await dependentsOf(viaCallee, 3), [4]);
  });

  test('an unknown callable may change the mutable names it is given', async () => {
    const cells = ['from mylib import normalize\nimport helpers', 'df = {"x": [1, 2]}', 'normalize(df)\nhelpers.clean(df)', 'print(df)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
  });

  test('precision: pure builtins, libraries and notebook functions that do not mutate', async () => {
    const cells = [
      'import numpy as np\nimport pandas as pd\nfrom sklearn.metrics import accuracy_score',
      'x = [1, 2, 3]\ny = [1, 0, 1]\nlr = 0.1',
      'def total(L):\n    return sum(L)',
      'print(x)\nlen(x)\nsorted(x)\nnp.mean(x)\nnp.add(x, 1)\naccuracy_score(y, y)\ntotal(x)\nunknown_fn(lr)',
      'print(x, y, lr)',
    ];
    assert.deepEqual(await dependentsOf(cells, 3), []);
  });
});

describe('iterators and generators', () => {
  test('consuming a generator changes it', async () => {
    const cells = ['def gen():\n    yield 1\n    yield 2', 'g = gen()', 'first = next(g)', 'rest = list(g)'];
    assert.deepEqual(await dependentsOf(cells, 2), [3]);
    const expression = ['g = (i * i for i in range(5))', 'for v in g:\n    break', 'print(sum(g))'];
    assert.deepEqual(await dependentsOf(expression, 1), [2]);
    const iterator = ['it = iter([1, 2, 3])', 'next(it)', 'print(list(it))'];
    assert.deepEqual(await dependentsOf(iterator, 1), [2]);
  });

  test('precision: iterating a list changes nothing', async () => {
    const cells = ['depths = [1, 2]', 'for d in depths:\n    print(d)\ntotal = sum(depths)', 'print(list(depths))'];
    assert.deepEqual(await dependentsOf(cells, 1), []);
  });
});

describe('files through variables', () => {
  test('a write through a path variable makes the reader a dependent', async () => {
    const cells = ['path = "new.txt"', 'open(path, "a").write("x")', 'print(open(path).read())'];
    assert.deepEqual(await dependentsOf(cells, 1), [2]);
    assert.deepEqual(await dependentsOf(cells, 0), [1, 2]);
  });

  test('pandas, numpy and pickle readers and writers', async () => {
    const pairs: [string, string][] = [
      ['df.to_csv(path)', 'pd.read_csv(path)'],
      ['np.save(path, arr)', 'np.load(path)'],
      ['pickle.dump(arr, open(path, "wb"))', 'pickle.load(open(path, "rb"))'],
      ['with open(path, "w") as f:\n    f.write("1")', 'with open(path) as f:\n    text = f.read()'],
    ];
    for (const [write, read] of pairs) {
      const cells = ['import numpy as np\nimport pandas as pd\nimport pickle\npath = "data.bin"', 'arr = np.ones(2)\ndf = pd.DataFrame({"a": [1]})', write, `loaded = ${read.includes('\n') ? 'None' : read}` + (read.includes('\n') ? `\n${read}` : '')];
      assert.deepEqual(await dependentsOf(cells, 2), [3], write);
    }
  });

  test('a path that cannot be known is any file', async () => {
    const unknownWrite = ['base = input()', 'open(base + ".txt", "w").write("x")', 'print(open("report.txt").read())'];
    assert.deepEqual(await dependentsOf(unknownWrite, 1), [2]);
    const unknownRead = ['open("report.txt", "w").write("x")', 'name = input()', 'print(open(name).read())'];
    assert.deepEqual(await dependentsOf(unknownRead, 0), [2]);
  });

  test('paths through pathlib, os.path.join and other names', async () => {
    const pathlib = ['from pathlib import Path\np = Path("p.txt")', 'p.write_text("hello")', 'print(Path("p.txt").read_text())'];
    assert.deepEqual(await dependentsOf(pathlib, 1), [2]);
    const joined = ['import os\ntarget = os.path.join("out", "x.txt")', 'other = target\nopen(other, "w").write("1")', 'print(open("out/x.txt").read())'];
    assert.deepEqual(await dependentsOf(joined, 1), [2]);
  });

  test('precision: different known files are unrelated, and a stale reader is reported', async () => {
    assert.deepEqual(await dependentsOf(['a = "a.txt"\nb = "b.txt"', 'open(a, "w").write("1")', 'print(open(b).read())'], 1), []);
    // A file handle bound again by the next `with` is a new object: writing through it does not read the old one.
    const handles = ['with open("a.txt", "w") as f:\n    f.write("a")', 'with open("b.txt", "w") as f:\n    f.write("b")', 'print(open("b.txt").read())'];
    assert.deepEqual(await dependentsOf(handles, 0), []);
    const graph = await pythonHistory([
      [0, 'path = "log.txt"'],
      [2, 'print(open(path).read())'],
      [1, 'open(path, "a").write("more")'],
    ]);
    const stale = staleCells(graph);
    assert.deepEqual(stale.map((c) => c.cellIndex), [2]);
    assert.deepEqual(stale[0].reasons.map((r) => r.name), ['file:log.txt']);
  });
});
