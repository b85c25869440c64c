/**
 * What well-known Python callables do to their arguments and what their results share: plain data
 * tables beside the method table (`mutation-rules.ts`), read by the walker (value flows, unknown
 * calls) and by lineage (imported names of pure libraries).
 *
 * A callable missing from every table is unknown: it may change the mutable names passed to it, and
 * its result may share them. The tables only ever make the analysis more precise than that.
 */

/** Builtins that change none of their arguments and return a fresh value. */
export const PURE_BUILTINS: ReadonlySet<string> = new Set([
  'len', 'print', 'abs', 'int', 'float', 'complex', 'str', 'bytes', 'bool', 'repr', 'ascii', 'round', 'hash',
  'id', 'isinstance', 'issubclass', 'type', 'format', 'ord', 'chr', 'range', 'sum', 'any', 'all', 'divmod',
  'pow', 'hex', 'bin', 'oct', 'callable', 'hasattr', 'input', 'display', 'dir', 'help', 'slice', 'object',
  'bytearray', 'memoryview', 'frozenset', 'super', 'property', 'staticmethod', 'classmethod', 'locals', 'globals',
]);

/** Builtins whose result holds the elements of their arguments (shallow copies). */
export const COPY_BUILTINS: ReadonlySet<string> = new Set(['list', 'tuple', 'set', 'dict', 'sorted']);

/** Builtins whose result is (or iterates) an argument or its elements. */
export const ELEMENT_BUILTINS: ReadonlySet<string> = new Set(['min', 'max', 'next', 'getattr', 'vars', 'anext']);

/** Builtins that return an iterator over their arguments (consuming it changes it, not them). */
export const ITERATOR_BUILTINS: ReadonlySet<string> = new Set(['iter', 'aiter', 'enumerate', 'zip', 'map', 'filter', 'reversed', 'open']);

/** Builtins that iterate (consume) the iterators passed to them. */
export const CONSUMING_BUILTINS: ReadonlySet<string> = new Set([
  'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'sum', 'min', 'max', 'any', 'all', 'next', 'anext', 'len',
]);

/**
 * Root modules whose functions change no argument except those listed in `ARGUMENT_MUTATING`, a
 * keyword `out=` and, for PyTorch-style names ending in `_`, the first argument.
 */
export const PURE_MODULES: ReadonlySet<string> = new Set([
  'numpy', 'np', 'pandas', 'pd', 'math', 'cmath', 'statistics', 'matplotlib', 'plt', 'mpl', 'seaborn', 'sns',
  'sklearn', 'scipy', 'sp', 'stats', 'json', 're', 'os', 'pathlib', 'time', 'datetime', 'itertools', 'functools',
  'operator', 'collections', 'string', 'textwrap', 'random', 'copy', 'pickle', 'joblib', 'torch', 'tensorflow',
  'tf', 'keras', 'plotly', 'px', 'go', 'polars', 'pl', 'xarray', 'xr', 'statsmodels', 'sm', 'smf', 'csv', 'io',
  'glob', 'shutil', 'warnings', 'logging', 'heapq', 'bisect', 'decimal', 'fractions', 'hashlib', 'base64', 'uuid',
  'struct', 'typing', 'dataclasses', 'enum', 'pprint', 'IPython', 'tqdm', 'sys', 'platform', 'gzip', 'zipfile',
  'networkx', 'nx', 'sympy', 'altair', 'alt', 'pyarrow', 'pa', 'yaml', 'requests', 'urllib', 'tempfile',
]);

/** Library functions (by their last name) that write into an argument: name → argument indices. */
export const ARGUMENT_MUTATING: Readonly<Record<string, readonly number[]>> = {
  copyto: [0], place: [0], put: [0], putmask: [0], fill_diagonal: [0], shuffle: [0], at: [0],
  heappush: [0], heappop: [0], heapify: [0], heapreplace: [0], heappushpop: [0],
  insort: [0], insort_left: [0], insort_right: [0], setattr: [0], delattr: [0],
  seed: [], // changes the global generator, which no name holds
};

/** Methods of a value (not a module) that write into an argument: `rng.shuffle(x)`. */
export const ARGUMENT_MUTATING_METHODS: Readonly<Record<string, readonly number[]>> = { shuffle: [0] };

/** Module functions whose result may be (a view of) their argument rather than a copy. */
export const SHARING_MODULE_FUNCTIONS: ReadonlySet<string> = new Set([
  'asarray', 'asanyarray', 'ascontiguousarray', 'asfortranarray', 'asmatrix', 'DataFrame', 'Series', 'reshape',
  'transpose', 'ravel', 'squeeze', 'atleast_1d', 'atleast_2d', 'atleast_3d', 'broadcast_to', 'from_numpy',
  'as_tensor', 'swapaxes', 'moveaxis', 'expand_dims', 'split', 'array_split', 'hsplit', 'vsplit', 'diagonal',
  'real', 'imag', 'frombuffer', 'choice', 'get', 'itemgetter', 'attrgetter', 'reduce', 'partial', 'cast',
]);

/** Module functions that make shallow copies of their arguments. */
export const COPYING_MODULE_FUNCTIONS: ReadonlySet<string> = new Set(['copy', 'concat', 'deque', 'OrderedDict', 'defaultdict', 'Counter', 'ChainMap']);

/** Module functions that return iterators (all of `itertools`, `csv.reader`, …). */
export const ITERATOR_MODULES: ReadonlySet<string> = new Set(['itertools']);
export const ITERATOR_MODULE_FUNCTIONS: ReadonlySet<string> = new Set(['reader', 'DictReader', 'scandir', 'walk', 'iglob', 'finditer', 'open', 'imap']);

/** Methods whose result may be (a view of) the receiver or one of its members. */
export const VIEW_METHODS: ReadonlySet<string> = new Set([
  'view', 'reshape', 'ravel', 'transpose', 'squeeze', 'unsqueeze', 'to_numpy', 'numpy', 'detach', 'get', 'values',
  'items', 'keys', 'setdefault', 'pop', 'popitem', 'popleft', '__getitem__', 'head', 'tail', 'swapaxes', 'T',
  'expand', 'expand_dims', 'narrow', 'select', 'as_strided', 'real', 'imag', 'diagonal', 'xs', 'droplevel',
  'get_group', 'iloc', 'loc', 'to_frame',
]);

/** Methods whose result holds the receiver's elements (shallow copies). */
export const COPY_METHODS: ReadonlySet<string> = new Set(['copy', '__copy__', 'union', 'tolist', 'to_list', 'to_dict']);

/** Methods that return an iterator over the receiver. */
export const ITERATOR_METHODS: ReadonlySet<string> = new Set(['iterrows', 'itertuples', 'iteritems', '__iter__', 'finditer']);

/** pandas accessors whose methods read the object and return or draw something new (`df.plot.bar()`, `s.str.lower()`). */
export const READ_ONLY_ACCESSORS: ReadonlySet<string> = new Set(['plot', 'str', 'dt', 'style', 'sparse']);

/** Callables whose result is a deep copy: shares nothing. */
export const DEEP_COPIES: ReadonlySet<string> = new Set(['deepcopy']);

/** Whether `module.function(...)` (module given by its root name) is known to change no argument (beyond the tables). */
export function isPureModule(rootModule: string): boolean {
  return PURE_MODULES.has(rootModule.split('.')[0]);
}
