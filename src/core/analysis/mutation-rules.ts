/**
 * Which method calls change their receiver in place. A plain data table: users extend it through
 * `createPythonAnalyzer({ extraMutatingMethods, extraNonMutatingMethods, extraModuleNames })`.
 *
 * Decision order for `recv.method(...)` where `recv` is a name (or a chain of attributes and
 * subscripts rooted at a name): a receiver that is a module or a builtin is never mutated; a method
 * in `inplaceKeywordMethods` mutates only with `inplace=True` (or a non-literal `inplace=`);
 * `mutatingMethods` mutate; `nonMutatingMethods` do not; any other method mutates, conservatively
 * (which covers PyTorch's in-place `add_`, `zero_`, …).
 */

export interface MutationRules {
  /** Methods that always change their receiver. */
  mutatingMethods: readonly string[];
  /** pandas-style methods that change their receiver only when called with `inplace=True`. */
  inplaceKeywordMethods: readonly string[];
  /** Methods known to leave their receiver unchanged. */
  nonMutatingMethods: readonly string[];
  /** Functions and methods that change one of their arguments in place: name → argument index. */
  argumentMutatingFunctions: Readonly<Record<string, number>>;
  /**
   * Names that are modules in almost every notebook even when imported in another cell
   * (`np.mean(x)` mutates nothing). Names imported in the analysed cell count as modules too.
   */
  moduleNames: readonly string[];
}

export const DEFAULT_MUTATION_RULES: MutationRules = {
  mutatingMethods: [
    // list, dict, set, deque, bytearray
    'append', 'extend', 'insert', 'pop', 'remove', 'sort', 'reverse', 'update', 'clear', 'setdefault',
    'add', 'discard', 'popitem', 'difference_update', 'intersection_update', 'symmetric_difference_update',
    'appendleft', 'extendleft', 'popleft', 'rotate',
    '__setitem__', '__delitem__', '__setattr__', '__delattr__', '__iadd__',
    // estimators and models
    'fit', 'fit_transform', 'fit_predict', 'fit_resample', 'partial_fit', 'set_params', 'set_output',
    'compile', 'train', 'load_state_dict', 'load_weights', 'zero_grad', 'step', 'backward', 'register_buffer',
    'add_module', 'requires_grad_',
    // numpy arrays, random generators
    'fill', 'resize', 'itemset', 'setflags', 'seed', 'shuffle',
    // matplotlib axes and figures: drawing changes the figure
    'set_title', 'set_xlabel', 'set_ylabel', 'set_xlim', 'set_ylim', 'legend', 'scatter', 'bar', 'barh',
    'imshow', 'axhline', 'axvline', 'annotate', 'text', 'grid', 'tight_layout', 'colorbar', 'add_subplot',
    // files and buffers
    'write', 'writelines', 'close', 'flush', 'seek', 'truncate',
  ],
  inplaceKeywordMethods: [
    'drop', 'dropna', 'fillna', 'rename', 'rename_axis', 'reset_index', 'set_index', 'sort_values', 'sort_index',
    'replace', 'drop_duplicates', 'interpolate', 'where', 'mask', 'clip', 'query', 'eval', 'ffill', 'bfill',
    'set_axis', 'set_names', 'set_levels', 'set_codes', 'backfill', 'pad',
  ],
  nonMutatingMethods: [
    // copies and views
    'copy', 'deepcopy', 'view', 'astype', 'reshape', 'ravel', 'flatten', 'transpose', 'squeeze', 'unsqueeze',
    'to_numpy', 'to_list', 'tolist', 'to_dict', 'to_frame', 'to_string', 'to_records', 'to_markdown', 'numpy',
    'detach', 'cpu', 'cuda', 'item', 'items', 'keys', 'values', 'get', 'index', 'count', 'size', 'dim',
    // pandas / numpy reductions and reshaping that return new objects
    'head', 'tail', 'describe', 'info', 'mean', 'median', 'mode', 'sum', 'prod', 'min', 'max', 'std', 'var',
    'sem', 'skew', 'kurt', 'nunique', 'unique', 'value_counts', 'groupby', 'agg', 'aggregate', 'merge',
    'join', 'apply', 'applymap', 'map', 'transform', 'pipe', 'filter', 'select_dtypes', 'isna', 'isnull',
    'notna', 'notnull', 'any', 'all', 'corr', 'cov', 'round', 'abs', 'cumsum', 'cumprod', 'cummax', 'cummin',
    'diff', 'pct_change', 'shift', 'rolling', 'expanding', 'ewm', 'resample', 'pivot', 'pivot_table', 'melt',
    'stack', 'unstack', 'explode', 'sample', 'nlargest', 'nsmallest', 'idxmax', 'idxmin', 'argmax', 'argmin',
    'argsort', 'dot', 'equals', 'isin', 'between', 'quantile', 'rank', 'memory_usage', 'duplicated',
    'assign', 'concat', 'compare', 'combine', 'crosstab', 'cut', 'qcut', 'nonzero', 'searchsorted', 'take',
    'iterrows', 'itertuples', 'iteritems', 'all_close', 'allclose', 'sorted', 'first', 'last', 'describe_option',
    // estimators used after fitting
    'predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'score', 'score_samples',
    'inverse_transform', 'get_params', 'get_feature_names_out', 'evaluate', 'summary', 'forward',
    'staged_predict', 'apply_along_axis',
    // strings and bytes
    'format', 'format_map', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'splitlines', 'lower', 'upper',
    'title', 'capitalize', 'casefold', 'swapcase', 'startswith', 'endswith', 'find', 'rfind', 'rindex',
    'isdigit', 'isalpha', 'isalnum', 'isspace', 'islower', 'isupper', 'isnumeric', 'isdecimal', 'isidentifier',
    'encode', 'decode', 'zfill', 'center', 'ljust', 'rjust', 'partition', 'rpartition', 'expandtabs', 'hex',
    'union', 'intersection', 'difference', 'symmetric_difference', 'issubset', 'issuperset', 'isdisjoint',
    'read', 'readline', 'readlines', 'read_text', 'read_bytes', 'exists', 'is_file', 'is_dir', 'glob', 'rglob',
    'iterdir', 'resolve', 'absolute', 'with_suffix', 'with_name', 'relative_to', 'joinpath', 'stat',
    // writing to files and rendering does not change the object written
    'to_csv', 'to_parquet', 'to_excel', 'to_json', 'to_pickle', 'to_feather', 'to_hdf', 'to_sql', 'to_stata',
    'to_html', 'to_latex', 'to_xml', 'to_orc', 'tofile', 'savefig', 'save', 'show', 'plot', 'hist', 'boxplot',
    'display', 'render', 'write_text', 'write_bytes',
  ],
  argumentMutatingFunctions: {
    shuffle: 0, heappush: 0, heappop: 0, heapify: 0, heapreplace: 0, heappushpop: 0,
    insort: 0, insort_left: 0, insort_right: 0, setattr: 0, delattr: 0, copyto: 0, fill_diagonal: 0,
  },
  moduleNames: [
    'np', 'numpy', 'pd', 'pandas', 'plt', 'pyplot', 'matplotlib', 'mpl', 'sns', 'seaborn', 'sklearn', 'scipy',
    'sp', 'stats', 'tf', 'tensorflow', 'keras', 'torch', 'nn', 'F', 'os', 'sys', 'math', 're', 'json', 'pickle',
    'joblib', 'random', 'time', 'datetime', 'collections', 'itertools', 'functools', 'operator', 'pathlib',
    'shutil', 'glob', 'subprocess', 'logging', 'warnings', 'csv', 'io', 'gzip', 'zipfile', 'tarfile', 'requests',
    'px', 'go', 'pl', 'polars', 'xr', 'xarray', 'dd', 'cv2', 'sm', 'smf', 'statsmodels', 'typing', 'string',
    'copy', 'statistics', 'heapq', 'bisect', 'uuid', 'hashlib', 'base64', 'struct', 'urllib', 'asyncio',
    'threading', 'multiprocessing', 'IPython', 'xgb', 'xgboost', 'lgb', 'lightgbm', 'optuna', 'mlflow', 'wandb',
    'nltk', 'spacy', 'tqdm', 'pprint', 'textwrap', 'decimal', 'fractions', 'platform', 'tempfile', 'sqlite3',
    'scipy', 'sympy', 'networkx', 'nx', 'plotly', 'altair', 'alt', 'bokeh', 'pa', 'pyarrow', 'h5py', 'yaml',
  ],
};

export interface MutationRuleExtensions {
  extraMutatingMethods?: readonly string[];
  extraNonMutatingMethods?: readonly string[];
  extraModuleNames?: readonly string[];
  extraArgumentMutatingFunctions?: Readonly<Record<string, number>>;
}

/** The rules as sets, with the user's extensions applied (a user entry overrides a default one). */
export interface CompiledMutationRules {
  mutating: ReadonlySet<string>;
  inplaceKeyword: ReadonlySet<string>;
  nonMutating: ReadonlySet<string>;
  argumentMutating: ReadonlyMap<string, number>;
  modules: ReadonlySet<string>;
}

export function compileMutationRules(extensions: MutationRuleExtensions = {}, base: MutationRules = DEFAULT_MUTATION_RULES): CompiledMutationRules {
  const extraMutating = new Set(extensions.extraMutatingMethods ?? []);
  const extraNonMutating = new Set(extensions.extraNonMutatingMethods ?? []);
  const without = (names: readonly string[], removed: Set<string>): string[] => names.filter((name) => !removed.has(name));
  return {
    mutating: new Set([...without(base.mutatingMethods, extraNonMutating), ...extraMutating]),
    inplaceKeyword: new Set(without(without(base.inplaceKeywordMethods, extraMutating), extraNonMutating)),
    nonMutating: new Set([...without(base.nonMutatingMethods, extraMutating), ...extraNonMutating]),
    argumentMutating: new Map(Object.entries({ ...base.argumentMutatingFunctions, ...extensions.extraArgumentMutatingFunctions })),
    modules: new Set([...base.moduleNames, ...(extensions.extraModuleNames ?? [])]),
  };
}

export type MethodEffect = 'mutates' | 'none';

/** Whether `receiver.method(...)` changes the receiver; `inplace` is the literal `inplace=` value if any. */
export function methodEffect(rules: CompiledMutationRules, method: string, inplace: boolean | 'unknown' | undefined): MethodEffect {
  if (rules.inplaceKeyword.has(method)) return inplace === true || inplace === 'unknown' ? 'mutates' : 'none';
  if (rules.mutating.has(method)) return 'mutates';
  if (rules.nonMutating.has(method)) return 'none';
  return 'mutates';
}
