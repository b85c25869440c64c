// Hostile-value notebooks in a real kernel (issue 10): each notebook runs once in plain IPython and
// once with nbprov recording, each in a fresh kernel of the same kind. The program must behave the
// same (every cell's visible output equal, the user's counters of calls included), every cell must
// be recorded (nothing dropped without a reason), and the recording kernel's peak memory must stay
// within 10 % of the plain kernel's. Set NBPROV_HARDENING_LONG=1 for the full-size numpy views
// (200 M elements); the default size (20 M) already shows any materialisation.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ValueSummary } from '../../src/core/records';
import { JupyterServerClient } from '../../src/kernel/jupyterServerClient';
import type { ExecuteResult } from '../../src/kernel/kernelClient';
import { startLocalJupyterServer, type LocalJupyterServer } from '../../src/kernel/localServer';
import type { RawExecutionRecord } from '../../src/kernel/recordConversion';
import { RecorderSession } from '../../src/kernel/recorderSession';

const LONG = process.env.NBPROV_HARDENING_LONG === '1';
const VIEW_ELEMENTS = LONG ? 200_000_000 : 20_000_000;
const SQUARE_SIDE = LONG ? 20_000 : 4_500;
const MEMORY_TOLERANCE = 1.1;

interface HostileCase {
  name: string;
  cells: string[];
  /** Names the recorded run must have recorded (with these exact values when given). */
  recorded?: Record<string, unknown>;
  /** A known gap owned by other work: the case runs and reports, without failing the suite. */
  todo?: string;
}

const COUNTER = 'calls = []\n';

const CASES: HostileCase[] = [
  {
    name: 'counting __repr__, __str__ and __format__',
    cells: [
      COUNTER +
        'class Counted:\n    def __repr__(self):\n        calls.append("repr"); return "C"\n    def __str__(self):\n        calls.append("str"); return "C"\n    def __format__(self, spec):\n        calls.append("format"); return "C"',
      'c = Counted()\nitems = [Counted(), Counted()]\nmapping = {"k": Counted()}',
      'print(len(calls), calls)',
    ],
    recorded: { c: undefined, items: undefined },
  },
  {
    name: 'counting __getattribute__ and __getattr__',
    cells: [
      COUNTER +
        'class Watched:\n    def __init__(self): object.__setattr__(self, "v", 1)\n    def __getattribute__(self, name):\n        calls.append(name); return object.__getattribute__(self, name)\n    def __getattr__(self, name):\n        calls.append("missing:" + name); raise AttributeError(name)',
      'w = Watched()\nnested = {"w": Watched(), "l": [Watched()]}',
      'w2 = w',
      'print(len(calls), calls)',
    ],
    recorded: { w: undefined, nested: undefined },
  },
  {
    name: 'a __repr__ that catches BaseException in a loop',
    cells: [
      'import time\nclass Stubborn:\n    def __repr__(self):\n        while True:\n            try:\n                time.sleep(3600)\n            except BaseException:\n                pass',
      's = Stubborn()\nafter = 1',
      'print("alive", after)',
    ],
    recorded: { after: 1 },
  },
  {
    name: 'C-level work inside a __repr__',
    cells: ['class Busy:\n    def __repr__(self):\n        return str(sum(range(10**12)))', 'b = Busy()\ny = 2', 'print("done", y)'],
    recorded: { y: 2 },
  },
  {
    name: 'a __repr__ that kills its process',
    cells: ['import os\nclass Killer:\n    def __repr__(self):\n        os._exit(3)\n    __str__ = __repr__', 'k = Killer()', 'k2 = [k, {"k": k}]\nprint("alive")'],
    recorded: { k: undefined, k2: undefined },
  },
  {
    name: 'list subclass overriding __iter__, __len__, __getitem__ and __repr__',
    cells: [
      COUNTER +
        'class Sneaky(list):\n    def __iter__(self):\n        calls.append("iter"); return list.__iter__(self)\n    def __len__(self):\n        calls.append("len"); return list.__len__(self)\n    def __getitem__(self, i):\n        calls.append("getitem"); return list.__getitem__(self, i)\n    def __repr__(self):\n        calls.append("repr"); return "Sneaky"',
      'sl = Sneaky([1, 2, 3])',
      'sl.append(4)',
      'print(len(calls), calls)',
    ],
    recorded: { sl: undefined },
  },
  {
    name: 'dict subclass overriding items, keys, values, __iter__, __len__',
    cells: [
      COUNTER +
        'class Tricky(dict):\n    def items(self):\n        calls.append("items"); raise RuntimeError("items")\n    def keys(self):\n        calls.append("keys"); raise RuntimeError("keys")\n    def values(self):\n        calls.append("values"); raise RuntimeError("values")\n    def __iter__(self):\n        calls.append("iter"); raise RuntimeError("iter")\n    def __len__(self):\n        calls.append("len"); raise RuntimeError("len")',
      'td = Tricky(a=1, b=[1, 2])',
      'td["c"] = 3',
      'print(len(calls), calls)',
    ],
    recorded: { td: undefined },
  },
  {
    name: 'a str-subclass global key whose methods raise',
    cells: [
      COUNTER +
        'class S(str):\n    def startswith(self, *a):\n        calls.append("startswith"); raise RuntimeError("startswith")\n    def __eq__(self, other):\n        calls.append("eq"); raise RuntimeError("eq")\n    def __hash__(self):\n        return str.__hash__(self)\n    def __str__(self):\n        calls.append("str"); raise RuntimeError("str")\n    def isidentifier(self):\n        calls.append("isidentifier"); raise RuntimeError("isidentifier")',
      'globals()[S("evil")] = 1',
      'x = 1',
      'z = x + 1',
      'print(len(calls), calls)',
    ],
    recorded: { evil: 1, x: 1, z: 2 },
  },
  {
    name: 'a metaclass whose __getattribute__ raises, in the same cell as x = 1',
    cells: [
      COUNTER +
        'class Meta(type):\n    def __getattribute__(cls, name):\n        calls.append(name); raise RuntimeError("meta " + name)\nclass Odd(metaclass=Meta):\n    pass',
      'odd = Odd()\nx = 1',
      'print(len(calls), calls)',
    ],
    recorded: { odd: undefined, x: 1 },
  },
  {
    name: 'a metaclass counting __eq__, __hash__, __repr__ and __instancecheck__',
    cells: [
      COUNTER +
        'class Meta(type):\n    def __eq__(cls, other):\n        calls.append("eq"); return type.__eq__(cls, other)\n    def __hash__(cls):\n        calls.append("hash"); return type.__hash__(cls)\n    def __repr__(cls):\n        calls.append("repr"); return "M"\n    def __instancecheck__(cls, inst):\n        calls.append("instancecheck"); return False\n    def __subclasscheck__(cls, sub):\n        calls.append("subclasscheck"); return False\nclass Kind(metaclass=Meta):\n    pass',
      'kinds = [Kind(), Kind]\none = Kind()',
      'print(len(calls), calls)',
    ],
    recorded: { kinds: undefined, one: undefined },
  },
  {
    name: 'properties with side effects and a lying __class__',
    cells: [
      COUNTER +
        'class Lazy:\n    @property\n    def value(self):\n        calls.append("value"); return 42\n    @property\n    def __class__(self):\n        calls.append("__class__"); return int\n    @property\n    def shape(self):\n        calls.append("shape"); return (1,)\n    @property\n    def dtype(self):\n        calls.append("dtype"); return "float64"',
      'lazy = Lazy()\nwrapped = (lazy, [lazy])',
      'print(len(calls), calls)',
    ],
    recorded: { lazy: undefined },
  },
  {
    name: '__eq__ and __hash__ that raise or count',
    cells: [
      COUNTER +
        'class Touchy:\n    def __eq__(self, other):\n        calls.append("eq"); raise RuntimeError("eq")\n    def __hash__(self):\n        calls.append("hash"); return 7\n    def __lt__(self, other):\n        calls.append("lt"); raise RuntimeError("lt")',
      't1, t2 = Touchy(), Touchy()\ntouchy_set = {t1}\ncalls.clear()',
      'touchy_list = [t1, t2]\ntouchy_dict = {"a": t1}',
      'print(len(calls), calls)',
    ],
    recorded: { touchy_list: undefined, touchy_set: undefined },
  },
  {
    name: 'a 100 MB __repr__ and a huge int',
    cells: ['class Huge:\n    def __repr__(self):\n        return "x" * 100_000_000', 'huge = Huge()\nbig_int = 10 ** 100_000', 'print("ok", big_int % 97)'],
    recorded: { huge: undefined, big_int: undefined },
  },
  {
    name: 'recursive list and dict, and a deep nest',
    cells: ['rl = [1]\nrl.append(rl)\nrd = {"a": 1}\nrd["self"] = rd', 'deep = []\ncur = deep\nfor _ in range(10000):\n    nxt = []\n    cur.append(nxt)\n    cur = nxt', 'print(len(rl), len(rd))'],
    recorded: { rl: undefined, rd: undefined, deep: undefined },
  },
  {
    name: 'a generator with side effects is never advanced',
    cells: [COUNTER + 'def gen():\n    for i in range(3):\n        calls.append(i)\n        yield i', 'g = gen()\nfirst = next(g)', 'print(len(calls), calls, list(g))'],
    recorded: { first: 0 },
  },
  {
    name: 'a lazily evaluated object loading on attribute access',
    cells: [
      COUNTER +
        'class LazyFrame:\n    def __getattr__(self, name):\n        calls.append("load:" + name)\n        raise AttributeError(name)\n    def __len__(self):\n        calls.append("len"); return 10**6\n    def __iter__(self):\n        calls.append("iter"); return iter(range(3))\n    def __bool__(self):\n        calls.append("bool"); return True',
      'lf = LazyFrame()\nholder = {"lf": lf}',
      'print(len(calls), calls)',
    ],
    recorded: { lf: undefined },
  },
  {
    name: 'a __dict__ property and __slots__ with side effects',
    cells: [
      COUNTER +
        'class DictProp:\n    @property\n    def __dict__(self):\n        calls.append("__dict__"); return {"secret": 1}\nclass Slotted:\n    __slots__ = ("a", "b")\n    def __init__(self):\n        self.a = 1\n    def __getattribute__(self, name):\n        calls.append(name); return object.__getattribute__(self, name)',
      'dp = DictProp()\nsl2 = Slotted()',
      'dp2 = [dp]',
      'print(len(calls), calls)',
    ],
    recorded: { dp: undefined, sl2: undefined },
  },
  {
    name: 'exceptions with counting __str__ stored and raised',
    cells: [
      COUNTER + 'class Loud(Exception):\n    def __str__(self):\n        calls.append("str"); return "loud"\n    def __repr__(self):\n        calls.append("repr"); return "Loud()"',
      'err = Loud(object())\nerrs = [Loud(1)]',
      'print(len(calls), calls)',
    ],
    recorded: { err: undefined, errs: undefined },
  },
  {
    name: 'a user estimator overriding get_params and __repr__',
    cells: [
      COUNTER +
        'from sklearn.base import BaseEstimator\nclass MyModel(BaseEstimator):\n    def __init__(self, alpha=1.0):\n        self.alpha = alpha\n    def get_params(self, deep=True):\n        calls.append("get_params"); return {"alpha": self.alpha}\n    def fit(self, X, y=None):\n        calls.append("fit"); self.coef_ = 1; return self\n    def __repr__(self):\n        calls.append("repr"); return "MyModel"\n    def __getstate__(self):\n        calls.append("getstate"); return dict(self.__dict__)',
      'mm = MyModel(alpha=0.5)',
      'mm.fit(None)',
      'print(len(calls), calls)',
    ],
    recorded: { mm: undefined },
  },
  {
    name: 'an sklearn Pipeline holding a counting user transformer',
    cells: [
      COUNTER +
        'from sklearn.base import BaseEstimator, TransformerMixin\nfrom sklearn.pipeline import Pipeline\nfrom sklearn.linear_model import LogisticRegression\nimport numpy as np\nclass Noisy(BaseEstimator, TransformerMixin):\n    def fit(self, X, y=None):\n        return self\n    def transform(self, X):\n        return X\n    def __repr__(self):\n        calls.append("repr"); return "Noisy()"\n    def __getattribute__(self, name):\n        if not name.startswith("_"): calls.append(name)\n        return object.__getattribute__(self, name)',
      'pipe = Pipeline([("n", Noisy()), ("lr", LogisticRegression())])\nbefore_fit = len(calls)',
      'print(before_fit, len(calls), calls)',
    ],
    recorded: { pipe: undefined },
  },
  {
    name: 'an ndarray subclass with counting hooks',
    cells: [
      COUNTER +
        'import numpy as np\nclass Tagged(np.ndarray):\n    def __array_finalize__(self, obj):\n        calls.append("finalize")\n    def __repr__(self):\n        calls.append("repr"); return "Tagged"\n    def __len__(self):\n        calls.append("len"); return 0\n    def __iter__(self):\n        calls.append("iter"); return iter(())',
      'tagged = np.arange(6.0).view(Tagged)\ncalls.clear()',
      'tagged2 = tagged',
      'print(len(calls), calls)',
    ],
    recorded: { tagged: undefined },
  },
  {
    name: 'a weak proxy and a module-like object with __getattr__',
    cells: [
      COUNTER +
        'import weakref, types\nclass Target:\n    def __repr__(self):\n        calls.append("repr"); return "T"\n    def __getattribute__(self, n):\n        calls.append(n); return object.__getattribute__(self, n)\nclass FakeModule(types.ModuleType):\n    def __getattr__(self, n):\n        calls.append("mod:" + n); raise AttributeError(n)',
      'target = Target()\ncalls.clear()\nproxy = weakref.proxy(target)\nfm = FakeModule("fm")',
      'print(len(calls), calls)',
    ],
    recorded: { proxy: undefined },
  },
  {
    name: 'a namedtuple and a tuple subclass overriding __iter__',
    cells: [
      COUNTER +
        'from collections import namedtuple\nPoint = namedtuple("Point", "x y")\nclass Loop(tuple):\n    def __iter__(self):\n        calls.append("iter"); return tuple.__iter__(self)\n    def __len__(self):\n        calls.append("len"); return 0',
      'pt = Point(1, 2)\nlp = Loop((1, 2, 3))',
      'print(len(calls), calls, pt.x)',
    ],
    recorded: { pt: undefined, lp: undefined },
  },
  {
    name: 'set and frozenset of objects with counting __hash__/__eq__/__lt__',
    cells: [
      COUNTER +
        'class Key:\n    def __init__(self, v): self.v = v\n    def __hash__(self): calls.append("hash"); return self.v\n    def __eq__(self, o): calls.append("eq"); return self is o\n    def __lt__(self, o): calls.append("lt"); return True\n    def __repr__(self): calls.append("repr"); return "K"',
      'keys = {Key(1), Key(2)}\nfrozen = frozenset(keys)\nkeyed = {Key(3): 1}\ncalls.clear()',
      'also = keys',
      'print(len(calls), calls)',
    ],
    recorded: { keys: undefined, frozen: undefined, keyed: undefined },
  },
  {
    name: 'a function, a lambda and a class with counting descriptors',
    cells: [
      COUNTER +
        'class Desc:\n    def __get__(self, obj, cls=None):\n        calls.append("get"); return 1\nclass HasDesc:\n    attr = Desc()\ndef fn(a):\n    return a + 1\nlam = lambda a: a * 2',
      'hd = HasDesc()\nholder2 = (fn, lam, HasDesc)',
      'print(len(calls), calls)',
    ],
    recorded: { hd: undefined, holder2: undefined },
  },
  {
    name: 'a lazily loading module (module-level __getattr__) in sys.modules',
    cells: [
      COUNTER +
        'import sys, types\nlazy_mod = types.ModuleType("lazy_mod")\ndef _lazy_getattr(name):\n    calls.append(name)\n    raise AttributeError(name)\nlazy_mod.__getattr__ = _lazy_getattr\nsys.modules["lazy_mod"] = lazy_mod',
      'import lazy_mod\nafter_import = 1',
      'print(len(calls), calls)',
    ],
    recorded: { after_import: 1 },
  },
  {
    name: 'a broadcast view (numpy) is not materialised',
    cells: ['import numpy as np', `view = np.broadcast_to(np.float64(1.5), (${VIEW_ELEMENTS},))`, 'print(view.shape, view.strides)'],
    recorded: { view: undefined },

  },
  {
    name: 'a zero-stride square view (numpy) is not materialised',
    cells: [
      'import numpy as np\nfrom numpy.lib.stride_tricks import as_strided',
      `square = as_strided(np.zeros(1), shape=(${SQUARE_SIDE}, ${SQUARE_SIDE}), strides=(0, 0))`,
      'print(square.shape)',
    ],
    recorded: { square: undefined },

  },
];

interface Observed {
  outputs: string[];
  peakKb: number;
  records: RawExecutionRecord[];
}

function visible(result: ExecuteResult): string {
  const parts = result.outputs.map((o) => {
    if (o.type === 'stream') return `${o.name}:${o.text}`;
    if (o.type === 'error') return `error:${o.ename}:${o.evalue}`;
    return `${o.type}:${String(o.data['text/plain'] ?? '')}`;
  });
  return `${result.status}|${parts.join('|')}`;
}

let server: LocalJupyterServer;

async function runNotebook(c: HostileCase, recorded: boolean): Promise<Observed> {
  const client = await JupyterServerClient.connectRemote({ url: server.baseUrl, token: server.token }, { kernelName: 'python3' });
  const outputs: string[] = [];
  let records: RawExecutionRecord[] = [];
  let peakKb = Number.NaN;
  try {
    const session = recorded ? new RecorderSession(client, 'hostile.ipynb') : null;
    if (session) await session.ensureInstalled();
    for (const code of c.cells) {
      try {
        outputs.push(visible(await client.execute(code)));
        // The environment too (as a run asks for it): it reads every imported module.
        if (session) records = records.concat((await session.collect({ environment: true })).records);
      } catch (err) {
        outputs.push(`kernel failed: ${err instanceof Error ? err.message : String(err)}`);
        break;
      }
    }
    const peak = await client.execute('# nbprov:internal\nimport resource as _r\nprint(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)', { silent: true });
    peakKb = Number(peak.stdout.trim());
  } catch (err) {
    outputs.push(`kernel failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await client.dispose().catch(() => undefined);
  }
  return { outputs, peakKb, records };
}

interface Figures {
  name: string;
  behaviourSame: boolean;
  memoryRatio: number;
  todo: boolean;
}

const figures: Figures[] = [];

describe('hostile-value notebooks: same behaviour as plain IPython, memory within 10 %', { timeout: 60 * 60_000 }, () => {
  before(async () => {
    server = await startLocalJupyterServer({ rootDir: mkdtempSync(path.join(tmpdir(), 'nbprov-hostile-')) });
  });
  after(async () => {
    await server?.dispose();
    if (!figures.length) return;
    const counted = figures.filter((f) => !f.todo);
    const ratios = counted.map((f) => f.memoryRatio);
    const lines = [
      `hostile values: ${figures.length} notebooks (${counted.length} counted, ${figures.length - counted.length} waiting on other work)`,
      `  behaviour differences: ${counted.filter((f) => !f.behaviourSame).length}`,
      `  memory ratio recorded/plain: max ${Math.max(...ratios).toFixed(3)} (goal <= ${MEMORY_TOLERANCE})`,
      ...figures.filter((f) => f.todo).map((f) => `  waiting: ${f.name}: behaviour ${f.behaviourSame ? 'same' : 'DIFFERENT'}, memory ratio ${f.memoryRatio.toFixed(2)}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  test('the suite has at least 25 hostile notebooks', () => {
    assert.ok(CASES.length >= 25, `${CASES.length} cases`);
  });

  for (const c of CASES) {
    test(c.name, { todo: c.todo }, async () => {
      const [plain, recorded] = await Promise.all([runNotebook(c, false), runNotebook(c, true)]);
      const memoryRatio = recorded.peakKb / plain.peakKb;
      figures.push({ name: c.name, behaviourSame: JSON.stringify(plain.outputs) === JSON.stringify(recorded.outputs), memoryRatio, todo: Boolean(c.todo) });
      assert.deepEqual(recorded.outputs, plain.outputs, 'the recorded run behaved differently from plain IPython');
      assert.equal(plain.outputs.length, c.cells.length);
      assert.ok(Number.isFinite(memoryRatio), `peak memory not read: ${plain.peakKb} / ${recorded.peakKb}`);
      assert.ok(memoryRatio <= MEMORY_TOLERANCE, `kernel peak memory ${recorded.peakKb} KB recorded vs ${plain.peakKb} KB plain (ratio ${memoryRatio.toFixed(3)})`);
      assert.equal(recorded.records.length, c.cells.length, 'every cell has a record');
      for (const record of recorded.records) assert.equal(record.recorderError, undefined, `cell ${record.code.slice(0, 40)}: ${record.recorderError}`);
      const values = new Map<string, ValueSummary>();
      for (const record of recorded.records) for (const v of record.values) values.set(v.name, v);
      for (const [name, expected] of Object.entries(c.recorded ?? {})) {
        const summary = values.get(name);
        assert.ok(summary, `${name} was not recorded (recorded: ${[...values.keys()].join(', ')})`);
        assert.equal(summary.error, undefined, `${name}: ${summary.error}`);
        if (expected !== undefined) assert.deepEqual(summary.value, expected);
      }
    });
  }
});
