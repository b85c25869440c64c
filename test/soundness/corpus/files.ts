/**
 * Kind 4: files through variables. A write makes later readers of the same file stale, whether
 * the path is a literal, a variable, or built by code (unknown paths count as any file).
 */
import type { SoundnessCase } from '../cases';

export const fileCases: SoundnessCase[] = [
  {
    name: 'files/append-through-variable',
    kind: 'files',
    cells: ['path = "new.txt"', 'with open(path, "a") as f:\n    f.write("one\\n")', 'with open(path) as f:\n    print(f.read())'],
    edit: { cell: 1, code: 'with open(path, "a") as f:\n    f.write("one\\ntwo\\n")' },
    expected: [2],
  },
  {
    name: 'files/two-names-one-file',
    kind: 'files',
    cells: ['out = "data.txt"', 'inp = "data.txt"', 'with open(out, "w") as f:\n    f.write("3")', 'print(open(inp).read())'],
    edit: { cell: 2, code: 'with open(out, "w") as f:\n    f.write("4")' },
    expected: [3],
  },
  {
    name: 'files/edit-changes-path',
    kind: 'files',
    cells: ['path = "a.txt"', 'with open(path, "w") as f:\n    f.write("x")', 'try:\n    print(open("a.txt").read())\nexcept FileNotFoundError:\n    print("none")'],
    edit: { cell: 0, code: 'path = "b.txt"' },
    expected: [1, 2],
  },
  {
    name: 'files/to-csv-read-csv',
    kind: 'files',
    cells: ['import pandas as pd\nfname = "t.csv"', 'pd.DataFrame({"v": [1, 2]}).to_csv(fname, index=False)', 'print(pd.read_csv(fname)["v"].sum())'],
    edit: { cell: 1, code: 'pd.DataFrame({"v": [1, 5]}).to_csv(fname, index=False)' },
    expected: [2],
  },
  {
    name: 'files/df-to-csv-target',
    kind: 'files',
    cells: ['import pandas as pd\ndf = pd.DataFrame({"v": [1, 2]})', 'target = "out.csv"', 'df.to_csv(target)', 'back = pd.read_csv(target)\nprint(back.shape)'],
    edit: { cell: 2, code: 'df.head(1).to_csv(target)' },
    expected: [3],
  },
  {
    name: 'files/np-save-load',
    kind: 'files',
    cells: ['import numpy as np\nfn = "arr.npy"', 'np.save(fn, np.arange(3))', 'print(np.load(fn))'],
    edit: { cell: 1, code: 'np.save(fn, np.arange(4))' },
    expected: [2],
  },
  {
    name: 'files/pickle-dump-load',
    kind: 'files',
    cells: ['import pickle\npath = "model.pkl"', 'with open(path, "wb") as f:\n    pickle.dump({"w": 1}, f)', 'with open(path, "rb") as f:\n    print(pickle.load(f))'],
    edit: { cell: 1, code: 'with open(path, "wb") as f:\n    pickle.dump({"w": 2}, f)' },
    expected: [2],
  },
  {
    name: 'files/path-join',
    kind: 'files',
    cells: ['import os\nname = os.path.join(".", "log.txt")', 'with open(name, "w") as f:\n    print("x", file=f)', 'print(open("log.txt").read().strip())'],
    edit: { cell: 1, code: 'with open(name, "w") as f:\n    print("y", file=f)' },
    expected: [2],
  },
  {
    name: 'files/fstring-path',
    kind: 'files',
    cells: ['run = 3', 'fn = f"run{run}.txt"', 'with open(fn, "w") as f:\n    f.write("done")', 'print(open("run3.txt").read())'],
    edit: { cell: 2, code: 'with open(fn, "w") as f:\n    f.write("ok")' },
    expected: [3],
  },
  {
    name: 'files/write-in-function',
    kind: 'files',
    cells: ['def save(p, text):\n    with open(p, "w") as f:\n        f.write(text)', 'dest = "notes.txt"', 'save(dest, "alpha")', 'print(open(dest).read())'],
    edit: { cell: 2, code: 'save(dest, "beta")' },
    expected: [3],
  },
  {
    name: 'files/np-savetxt-loadtxt',
    kind: 'files',
    cells: ['import numpy as np\nname = "m.txt"', 'np.savetxt(name, np.eye(2))', 'print(np.loadtxt(name).sum())'],
    edit: { cell: 1, code: 'np.savetxt(name, np.eye(3))' },
    expected: [2],
  },
  {
    name: 'files/json-dump-load',
    kind: 'files',
    cells: ['import json\ncfg_path = "cfg.json"', 'with open(cfg_path, "w") as f:\n    json.dump({"k": 1}, f)', 'with open(cfg_path) as f:\n    print(json.load(f))'],
    edit: { cell: 1, code: 'with open(cfg_path, "w") as f:\n    json.dump({"k": 2}, f)' },
    expected: [2],
  },
  {
    name: 'files/pathlib-write-read',
    kind: 'files',
    cells: ['from pathlib import Path\np = Path("p.txt")', 'p.write_text("hello")', 'print(Path("p.txt").read_text())'],
    edit: { cell: 1, code: 'p.write_text("bye")' },
    expected: [2],
  },
  {
    name: 'files/literal-write-variable-read',
    kind: 'files',
    cells: ['with open("shared.txt", "w") as f:\n    f.write("v1")', 'src = "shared.txt"', 'print(open(src).read())'],
    edit: { cell: 0, code: 'with open("shared.txt", "w") as f:\n    f.write("v2")' },
    expected: [2],
  },
];
