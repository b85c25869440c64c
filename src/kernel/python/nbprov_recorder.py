"""nbprov kernel-side recorder.

Installed into a running IPython kernel by one silent execute (see src/kernel/recorderAsset.ts).
A pre_run_cell/post_run_cell hook pair records every user execution: the exact code, the
execution count, success or error, start time and duration, bounded summaries of the values the
cell bound or mutated, and the files it opened. Records wait in a bounded buffer until the host
collects them with ``collect_json`` in a silent request, so back-to-back executions (Run All) are
attributed exactly without probing values after the fact.

Everything here must stay cheap and must never raise into the user's cell: every summary runs
under a time budget, every user-defined __repr__/__len__ is called guarded, and heavy libraries
(numpy, pandas, torch, tensorflow, sklearn) are only used when the user already imported them.
"""

import ast
import builtins
import collections
import datetime
import hashlib
import io
import json
import math
import os
import platform
import signal
import sys
import threading
import time
import types
import uuid
import weakref

PROTOCOL_VERSION = 1

# Bounds. Chosen so that one execution record stays well under 4 KB for ordinary cells.
MAX_BUFFERED_RECORDS = 10000
MAX_REPR_CHARS = 240
MAX_STR_VALUE_CHARS = 200
MAX_PREVIEW_ITEMS = 5
MAX_COLUMNS = 50
MAX_NAME_CHARS = 80
MAX_VALUES_PER_CELL = 60
MAX_FILES_PER_CELL = 50
MAX_HASH_ITEMS = 20000
MAX_HASH_DEPTH = 6
SMALL_CONTAINER_LEN = 64
SMALL_BUFFER_BYTES = 64 * 1024
FULL_HASH_MAX_BYTES = 256 * 1024 * 1024
SAMPLED_HASH_BYTES = 16 * 1024 * 1024
STATS_MAX_ELEMENTS = 20 * 1000 * 1000
FILE_FULL_HASH_MAX_BYTES = 1024 * 1024 * 1024
SUMMARY_BUDGET_S = 0.25
CELL_BUDGET_S = 1.0
COLLECT_MAX_BYTES = 4 * 1024 * 1024

IPYTHON_NAMES = frozenset(['In', 'Out', 'exit', 'quit', 'get_ipython', 'nbprov_recorder'])
# Packages the kernel itself imports; the environment lists what the notebook uses.
KERNEL_PACKAGES = frozenset([
    'IPython', 'ipykernel', 'ipython_genutils', 'jupyter_client', 'jupyter_core', 'traitlets', 'zmq',
    'tornado', 'comm', 'debugpy', 'prompt_toolkit', 'pygments', 'parso', 'jedi', 'pexpect', 'ptyprocess',
    'wcwidth', 'decorator', 'pickleshare', 'backcall', 'matplotlib_inline', 'nest_asyncio', 'platformdirs',
    'executing', 'asttokens', 'stack_data', 'pure_eval', 'psutil', 'entrypoints', 'nbprov_recorder',
])
SKIP_PATH_PREFIXES = ('/dev/', '/proc/', '/sys/')
INTERNAL_MARKER = '# nbprov:internal'


class SummaryTimeout(BaseException):
    """Raised by the alarm handler; a BaseException so user code's `except Exception` can't eat it."""


def _now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


# ---------------------------------------------------------------------------------------------
# Time bounds


class _Deadline:
    """Bounds a call in time: SIGALRM interrupts pure-Python hangs in the main thread; elsewhere
    the call runs to completion and is only measured."""

    def __init__(self):
        self.can_alarm = hasattr(signal, 'setitimer') and hasattr(signal, 'SIGALRM')

    def call(self, seconds, fn, *args):
        if seconds <= 0:
            raise SummaryTimeout()
        if not self.can_alarm or threading.current_thread() is not threading.main_thread():
            return fn(*args)

        def on_alarm(_signum, _frame):
            raise SummaryTimeout()

        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        # The interval re-fires the alarm in case user code swallows the first one with a bare except.
        previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
        try:
            return fn(*args)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            if previous_timer[0] > 0:
                signal.setitimer(signal.ITIMER_REAL, *previous_timer)


_deadline = _Deadline()


# ---------------------------------------------------------------------------------------------
# Small helpers


def _qualified_type(obj):
    t = type(obj)
    module = getattr(t, '__module__', None) or ''
    name = getattr(t, '__qualname__', None) or getattr(t, '__name__', '?')
    return name if module == 'builtins' else module + '.' + name


def _truncate(text, limit=MAX_REPR_CHARS):
    if len(text) <= limit:
        return text
    return text[: limit - 1] + '\u2026'


def _loaded(module_name):
    return sys.modules.get(module_name)


# Type checks go through type(obj), never obj.__class__, so a hostile instance cannot interfere.

def _is_ndarray(obj):
    np = _loaded('numpy')
    return np is not None and issubclass(type(obj), np.ndarray)


def _is_numpy_scalar(obj):
    np = _loaded('numpy')
    return np is not None and issubclass(type(obj), np.generic)


def _pandas_kind(obj):
    pd = _loaded('pandas')
    if pd is None:
        return None
    t = type(obj)
    if issubclass(t, pd.DataFrame):
        return 'frame'
    if issubclass(t, pd.Series):
        return 'series'
    if issubclass(t, pd.Index):
        return 'index'
    return None


def _tensor_kind(obj):
    t = type(obj)
    torch = _loaded('torch')
    torch_tensor = getattr(torch, 'Tensor', None) if torch is not None else None
    if isinstance(torch_tensor, type) and issubclass(t, torch_tensor):
        return 'torch'
    tf = _loaded('tensorflow')
    if tf is not None:
        tensor_types = tuple(c for c in (getattr(tf, 'Tensor', None), getattr(tf, 'Variable', None)) if isinstance(c, type))
        if tensor_types and issubclass(t, tensor_types):
            return 'tensorflow'
    return None


def _is_estimator(obj):
    t = type(obj)
    return (not issubclass(t, type)) and callable(getattr(t, 'get_params', None)) and callable(getattr(t, 'fit', None))


def _json_number(x):
    """A float as JSON: finite numbers as themselves, non-finite as the agreed strings."""
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def _stat_number(x):
    try:
        x = float(x)
    except Exception:
        return None
    return x if math.isfinite(x) else None


def _new_hasher():
    # SHA-256: OpenSSL runs it with the CPU's SHA instructions where they exist (2-3x faster than
    # blake2b's portable code). Hashes are shown truncated to 128 bits (_hex).
    return hashlib.sha256()


def _hex(h):
    return h.hexdigest()[:32]


def _safe_repr(obj, limit=MAX_REPR_CHARS):
    """Bounded repr: never raises; a repr that fails says so."""
    try:
        text = repr(obj)
        if not isinstance(text, str):
            text = str(type(text))
    except SummaryTimeout:
        raise
    except BaseException as exc:  # noqa: B036 - user reprs can raise anything
        return '<%s: repr raised %s>' % (_qualified_type(obj), type(exc).__name__)
    return _truncate(text, limit)


# ---------------------------------------------------------------------------------------------
# Content hashes


class _HashMemo:
    """Content hashes of heavy objects (arrays, frames, tensors), computed once per hook: nothing
    mutates user objects while a hook runs, and both the mutation check and the summary need them.

    The hashes of the post_run_cell hook are carried over to the next pre_run_cell hook (only
    that far: the next cell's code runs after it). They are held through weak references, so a
    carried entry never keeps a value alive and never outlives it (no id reuse). Only silent
    requests can run in between; if one mutated a value, the stale hash can only make the next
    cell report a mutation it did not make, never hide one it made."""

    entries = None
    carried = None

    @classmethod
    def begin(cls, carry=False):
        """`carry`: start from the previous post_run_cell hook's hashes (consuming them)."""
        cls.entries = {}
        if not carry:
            return
        carried, cls.carried = cls.carried, None
        if carried:
            for key, (ref, result) in carried.items():
                obj = ref()
                if obj is not None and id(obj) == key:
                    cls.entries[key] = (obj, result)

    @classmethod
    def end(cls, keep=False):
        """`keep`: hand this hook's hashes to the next pre_run_cell hook."""
        entries, cls.entries = cls.entries, None
        if keep and entries:
            carried = {}
            for key, (obj, result) in entries.items():
                try:
                    carried[key] = (weakref.ref(obj), result)
                except TypeError:
                    pass  # not weak-referenceable: recomputed next time
            cls.carried = carried
def _memoized(fn):
    def wrapper(obj):
        entries = _HashMemo.entries
        if entries is None:
            return fn(obj)
        key = id(obj)
        hit = entries.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        result = fn(obj)
        entries[key] = (obj, result)
        return result
    return wrapper


class _HashBudget:
    def __init__(self):
        self.items = 0
        self.partial = False


def _feed_canonical(h, obj, budget, depth):
    """Feeds a canonical, bounded serialization of obj into hasher h."""
    budget.items += 1
    if budget.items > MAX_HASH_ITEMS or depth > MAX_HASH_DEPTH:
        budget.partial = True
        h.update(b'\x00...')
        return
    t = type(obj)
    if t is int:
        h.update(b'int:' + hex(obj).encode() + b';')
    elif obj is None or t is bool or t is float or t is complex:
        h.update(t.__name__.encode() + b':' + repr(obj).encode() + b';')
    elif t is str:
        data = obj.encode('utf-8', 'surrogatepass')
        h.update(b's%d:' % len(data))
        h.update(data)
    elif t is bytes or t is bytearray:
        h.update(b'b%d:' % len(obj))
        h.update(bytes(obj))
    elif isinstance(obj, (list, tuple, collections.deque)):
        h.update(b'%s[%d' % (t.__name__.encode(), len(obj)))
        for item in obj:
            _feed_canonical(h, item, budget, depth + 1)
            if budget.partial:
                break
        h.update(b']')
    elif isinstance(obj, dict):
        h.update(b'%s{%d' % (t.__name__.encode(), len(obj)))
        for key, value in obj.items():
            _feed_canonical(h, key, budget, depth + 1)
            _feed_canonical(h, value, budget, depth + 1)
            if budget.partial:
                break
        h.update(b'}')
    elif isinstance(obj, (set, frozenset)):
        if len(obj) > MAX_HASH_ITEMS:
            budget.partial = True
            h.update(b'set-too-large')
            return
        # Set order is arbitrary: hash each item separately and combine them in sorted order.
        digests = []
        for item in obj:
            sub = _new_hasher()
            _feed_canonical(sub, item, budget, depth + 1)
            digests.append(sub.digest())
        h.update(b'%s{%d' % (t.__name__.encode(), len(obj)))
        for d in sorted(digests):
            h.update(d)
        h.update(b'}')
    else:
        if _is_ndarray(obj) and not obj.dtype.hasobject and obj.nbytes <= SMALL_BUFFER_BYTES:
            # Small arrays (a fitted tree's nodes): straight into h, no hasher of their own.
            _feed_plain_array(h, obj)
            return
        heavy = _heavy_hash(obj)
        if heavy is not None:
            digest, partial = heavy
            budget.partial = budget.partial or partial
            h.update(digest.encode())
            return
        state = _model_state(obj)
        if state is not None:
            _feed_state(h, obj, state, budget, depth)
        else:
            h.update(_qualified_type(obj).encode() + b':' + _safe_repr(obj, 1000).encode('utf-8', 'surrogatepass'))


def _model_state(obj):
    """The attribute dict of a scikit-learn estimator (its parameters and fitted state) or the
    pickled state of a scikit-learn helper object (a fitted tree's node arrays); None for other
    objects. Their reprs say little (or hold a memory address), so fitted models are hashed by state."""
    if _is_estimator(obj):
        attrs = getattr(obj, '__dict__', None)
        return attrs if type(attrs) is dict else None
    t = type(obj)
    if not (getattr(t, '__module__', None) or '').startswith('sklearn.'):
        return None
    getstate = getattr(t, '__getstate__', None)
    if getstate is None or getstate is getattr(object, '__getstate__', None):
        return None
    state = getstate(obj)
    return state if type(state) is dict else None


PLAIN_STATE_TYPES = frozenset([str, float, bool, type(None)])


def _plain_state_value(value):
    t = type(value)
    return t in PLAIN_STATE_TYPES or (t is int and -(1 << 63) <= value < (1 << 63))


def _feed_state(h, obj, state, budget, depth):
    """Feeds an object's state dict in key order. Plain scalars go in as one repr (exact for
    these types, and computed in C: a fitted forest has thousands of them); the rest recursively."""
    items = sorted(state.items(), key=lambda kv: str(kv[0]))
    plain = [(k, v) for k, v in items if type(k) is str and _plain_state_value(v)]
    rest = [(k, v) for k, v in items if not (type(k) is str and _plain_state_value(v))]
    budget.items += len(plain)
    h.update(b'state:' + _qualified_type(obj).encode() + b'{%d|' % len(state))
    h.update(repr(plain).encode('utf-8', 'surrogatepass'))
    for key, value in rest:
        _feed_canonical(h, key, budget, depth + 1)
        _feed_canonical(h, value, budget, depth + 1)
        if budget.partial:
            break
    h.update(b'}')


def _format_hash(h, partial):
    hexdigest = _hex(h)
    return ('partial:' + hexdigest) if partial else hexdigest


FLAT_REPR_TYPES = frozenset([float, str, bool, type(None)])


def _flat_repr(obj):
    """(repr, partial) of a list/tuple of plain scalars computed in C, over at most
    MAX_HASH_ITEMS items; None when the fast path does not apply."""
    if type(obj) not in (list, tuple):
        return None
    head = obj[:MAX_HASH_ITEMS]
    item_types = set(map(type, head))
    if int in item_types:
        if not item_types <= {int, bool} or (head and max(map(int.bit_length, head)) > 256):
            return None
    elif not item_types <= FLAT_REPR_TYPES:
        return None
    return repr(head), len(head) < len(obj)


def _container_hash(obj):
    h = _new_hasher()
    flat = _flat_repr(obj)
    if flat is not None:
        text, partial = flat
        h.update(b'flat:%s:%d:' % (type(obj).__name__.encode(), len(obj)))
        h.update(text.encode('utf-8', 'surrogatepass'))
        return _format_hash(h, partial), partial
    budget = _HashBudget()
    _feed_canonical(h, obj, budget, 0)
    return _format_hash(h, budget.partial), budget.partial


def _bulk_digest(data_view):
    """Digest of a large buffer (hashlib releases the GIL while hashing it)."""
    return hashlib.sha256(data_view).digest()


def _bytes_hash(h, data_view, nbytes):
    """Feeds a byte buffer into h; very large buffers are sampled (head, tail and strided blocks)."""
    if nbytes <= SMALL_BUFFER_BYTES:
        h.update(b'%d:' % nbytes)
        h.update(data_view)
        return False
    if nbytes <= FULL_HASH_MAX_BYTES:
        h.update(b'%d:' % nbytes)
        h.update(_bulk_digest(data_view))
        return False
    block = 1024 * 1024
    blocks = SAMPLED_HASH_BYTES // block
    stride = max(block, (nbytes - block) // max(1, blocks - 1))
    h.update(b'sampled:%d:' % nbytes)
    for start in range(0, nbytes, stride):
        h.update(_bulk_digest(data_view[start:start + block]))
    h.update(_bulk_digest(data_view[nbytes - block:]))
    return True


def _flat_bytes(arr):
    """A flat uint8 view of a plain (no Python objects) array, copying only if it is not contiguous."""
    np = _loaded('numpy')
    return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)


def _feed_plain_array(h, arr):
    """Dtype, shape and raw bytes of a numpy array without Python objects. Returns `partial`."""
    h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
    data = _flat_bytes(arr)
    return _bytes_hash(h, data, data.nbytes)


@_memoized
def _ndarray_hash(arr):
    h = _new_hasher()
    if arr.dtype.hasobject:
        h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
        budget = _HashBudget()
        _feed_canonical(h, arr.ravel().tolist() if arr.size <= MAX_HASH_ITEMS else arr.ravel()[:MAX_HASH_ITEMS].tolist(), budget, 1)
        partial = budget.partial or arr.size > MAX_HASH_ITEMS
        return _format_hash(h, partial), partial
    partial = _feed_plain_array(h, arr)
    return _format_hash(h, partial), partial


PLAIN_DTYPE_KINDS = 'biufcmM'


def _plain_numpy_dtype(dtype):
    np = _loaded('numpy')
    return isinstance(dtype, np.dtype) and dtype.kind in PLAIN_DTYPE_KINDS


def _feed_pandas_values(h, values):
    """Feeds one column, Series or Index: numpy-backed plain dtypes by their bytes, anything else
    (object, string, categorical, nullable, …) through pandas' vectorized element hashes."""
    pd = _loaded('pandas')
    if type(values) is pd.RangeIndex:
        h.update(b'range:%d:%d:%d;' % (values.start, values.stop, values.step))
        return
    if _plain_numpy_dtype(values.dtype):
        _feed_plain_array(h, values.to_numpy())
        return
    h.update(b'hashed:%s:%d|' % (str(values.dtype).encode(), len(values)))
    if isinstance(values, pd.Index):
        hashed = pd.util.hash_pandas_object(values)
    else:
        hashed = pd.util.hash_pandas_object(values, index=False)
    h.update(_flat_bytes(hashed.to_numpy()))


def _same_plain_dtype(dtypes):
    first = dtypes[0] if len(dtypes) else None
    return first is not None and _plain_numpy_dtype(first) and all(d == first for d in dtypes)


@_memoized
def _pandas_hash(obj):
    """Content hash of a DataFrame, Series or Index: column names, dtypes, index and values."""
    pd = _loaded('pandas')
    h = _new_hasher()
    partial = False
    is_frame = isinstance(obj, pd.DataFrame)
    if is_frame:
        h.update(repr(list(map(str, obj.columns))).encode('utf-8', 'surrogatepass'))
        h.update(repr([str(d) for d in obj.dtypes]).encode())
    else:
        h.update(str(getattr(obj, 'name', '')).encode('utf-8', 'surrogatepass'))
        h.update(str(getattr(obj, 'dtype', '')).encode())
    h.update(b'%r|' % (tuple(obj.shape),))
    try:
        target = obj
        rows = len(obj)
        width = obj.shape[1] if obj.ndim == 2 else 1
        if rows * width > FULL_HASH_MAX_BYTES // 8:
            step = max(1, (rows * width) // (SAMPLED_HASH_BYTES // 8))
            target = obj.iloc[::step]
            partial = True
        if not isinstance(target, pd.Index):
            h.update(b'index:')
            _feed_pandas_values(h, target.index)
        if not is_frame:
            h.update(b'values:')
            _feed_pandas_values(h, target)
        elif _same_plain_dtype(list(target.dtypes)):
            # One dtype: the frame's values as one 2-D array (exact, no upcast).
            h.update(b'matrix:')
            _feed_plain_array(h, target.to_numpy())
        else:
            for position, (_name, column) in enumerate(target.items()):
                h.update(b'column:%d:' % position)
                _feed_pandas_values(h, column)
    except SummaryTimeout:
        raise
    except Exception:
        # Unhashable cells (lists, dicts in object columns): fall back to a bounded repr walk.
        budget = _HashBudget()
        _feed_canonical(h, obj.to_dict() if obj.size <= MAX_HASH_ITEMS else None, budget, 1)
        partial = partial or budget.partial or obj.size > MAX_HASH_ITEMS
    return _format_hash(h, partial), partial


def _tensor_hash(obj, kind):
    arr = _tensor_to_numpy(obj, kind)
    return _ndarray_hash(arr)


def _tensor_to_numpy(obj, kind):
    if kind == 'torch':
        return obj.detach().cpu().numpy()
    return obj.numpy()


def _heavy_hash(obj):
    """Content hash of arrays, frames and tensors, or None for other objects."""
    if _is_ndarray(obj):
        return _ndarray_hash(obj)
    if _pandas_kind(obj):
        return _pandas_hash(obj)
    kind = _tensor_kind(obj)
    if kind:
        return _tensor_hash(obj, kind)
    return None



# ---------------------------------------------------------------------------------------------
# Value summaries


MAX_SAFE_INT = 2 ** 53
MAX_HASHED_STR_CHARS = 1000 * 1000


def _int_value(n):
    return n if -MAX_SAFE_INT <= n <= MAX_SAFE_INT else None


def _int_repr(n):
    # Python refuses (or takes quadratic time) to print huge ints; describe them instead.
    return _truncate(repr(n)) if n.bit_length() < 4000 else '<int with %d bits>' % n.bit_length()


def _str_hash(text):
    h = _new_hasher()
    partial = len(text) > MAX_HASHED_STR_CHARS
    h.update(b'%d:' % len(text))
    h.update(text[:MAX_HASHED_STR_CHARS].encode('utf-8', 'surrogatepass'))
    return _format_hash(h, partial)


def _scalar_summary(obj, summary):
    """Fills the summary of None, bool, int, float, str and numpy scalars; False for others."""
    t = type(obj)
    if obj is None or t is bool:
        summary['value'] = obj
        summary['repr'] = repr(obj)
    elif issubclass(t, int) and t.__repr__ is int.__repr__:
        n = int(obj)
        value = _int_value(n)
        if value is not None:
            summary['value'] = value
        else:
            summary['hash'] = _str_hash(hex(n))
        summary['repr'] = _int_repr(n)
    elif issubclass(t, float) and t.__repr__ is float.__repr__:
        summary['value'] = _json_number(float(obj))
        summary['repr'] = repr(float(obj))
    elif issubclass(t, str) and t.__repr__ is str.__repr__:
        text = str.__str__(obj)
        summary['length'] = len(text)
        summary['repr'] = _truncate(repr(text[:MAX_REPR_CHARS + 1]))
        if len(text) <= MAX_STR_VALUE_CHARS:
            summary['value'] = text
        else:
            summary['value'] = text[:MAX_STR_VALUE_CHARS] + '\u2026'
            summary['hash'] = _str_hash(text)
    elif _is_numpy_scalar(obj):
        item = obj.item()
        if type(item) is float:
            summary['value'] = _json_number(item)
        elif type(item) is bool:
            summary['value'] = item
        elif type(item) is int and _int_value(item) is not None:
            summary['value'] = item
        summary['dtype'] = str(obj.dtype)
        summary['repr'] = _safe_repr(obj)
    else:
        return False
    return True


def _array_stats(values):
    """min/max/mean/std/nulls of a numeric numpy array, bounded in size."""
    np = _loaded('numpy')
    if values.size == 0 or values.size > STATS_MAX_ELEMENTS:
        return None
    kind = values.dtype.kind
    if kind == 'b':
        values = values.astype('int8')
    elif kind not in 'iuf':
        return None
    with np.errstate(all='ignore'):
        low, high = values.min(), values.max()
        if kind == 'f' and not (math.isfinite(low) and math.isfinite(high)):
            # min/max propagate NaN and reach ±inf: only then pay for the masks.
            nulls = int(np.isnan(values).sum())
            finite = values[np.isfinite(values)]
            if finite.size == 0:
                return {'min': None, 'max': None, 'mean': None, 'std': None, 'nulls': nulls}
            low, high = finite.min(), finite.max()
        else:
            nulls = 0
            finite = values
        return {
            'min': _stat_number(low),
            'max': _stat_number(high),
            'mean': _stat_number(finite.mean(dtype='float64')),
            'std': _stat_number(finite.std(dtype='float64')),
            'nulls': nulls,
        }


def _ndarray_summary(arr, summary):
    np = _loaded('numpy')
    summary['shape'] = [int(n) for n in arr.shape]
    summary['dtype'] = str(arr.dtype)
    summary['length'] = int(arr.shape[0]) if arr.ndim else 1
    with np.printoptions(threshold=20, edgeitems=3, linewidth=120):
        summary['repr'] = _safe_repr(arr)
    summary['hash'] = _ndarray_hash(arr)[0]
    stats = _array_stats(arr)
    if stats is not None:
        summary['stats'] = stats


def _column_names(columns):
    return [_truncate(str(c), MAX_NAME_CHARS) for c in list(columns[:MAX_COLUMNS])]


def _frame_summary(df, summary):
    summary['shape'] = [int(n) for n in df.shape]
    summary['length'] = int(df.shape[0])
    summary['columns'] = _column_names(df.columns)
    summary['dtype'] = {_truncate(str(c), MAX_NAME_CHARS): str(d) for c, d in list(df.dtypes.items())[:MAX_COLUMNS]}
    more = '' if df.shape[1] <= 8 else ', \u2026'
    summary['repr'] = _truncate('<DataFrame %d rows \u00d7 %d columns: %s%s>' % (
        df.shape[0], df.shape[1], ', '.join(summary['columns'][:8]), more))
    summary['hash'] = _pandas_hash(df)[0]
    if df.size <= STATS_MAX_ELEMENTS and df.size and all(_plain_numpy_dtype(d) and d.kind in 'biuf' for d in df.dtypes):
        # All numeric (the common case): one array, one pass per statistic; NaN are the nulls.
        overall = _array_stats(df.to_numpy(dtype='float64'))
        stats = {'nulls': overall['nulls'], 'numericColumns': int(df.shape[1])}
        stats.update({k: v for k, v in overall.items() if k != 'nulls'})
        summary['stats'] = stats
    elif df.size <= STATS_MAX_ELEMENTS:
        nulls = int(df.isna().to_numpy().sum())
        numeric = df.select_dtypes(include='number')
        stats = {'nulls': nulls, 'numericColumns': int(numeric.shape[1])}
        if numeric.shape[1] and numeric.size:
            values = numeric.to_numpy(dtype='float64', na_value=float('nan'))
            overall = _array_stats(values)
            if overall:
                stats.update({k: v for k, v in overall.items() if k != 'nulls'})
        summary['stats'] = stats


def _series_summary(series, summary):
    summary['shape'] = [int(n) for n in series.shape]
    summary['length'] = int(len(series))
    summary['dtype'] = str(series.dtype)
    summary['repr'] = _truncate('<%s %r, %d rows, dtype %s>' % (
        type(series).__name__, _truncate(str(getattr(series, 'name', None)), MAX_NAME_CHARS), len(series), series.dtype))
    summary['hash'] = _pandas_hash(series)[0]
    if series.dtype.kind in 'biuf':
        values = series.to_numpy()
        stats = _array_stats(values)
        if stats is not None:
            summary['stats'] = stats
    elif len(series) <= STATS_MAX_ELEMENTS:
        summary['stats'] = {'nulls': int(series.isna().sum())}


def _tensor_summary(obj, kind, summary):
    summary['shape'] = [int(n) for n in tuple(obj.shape)]
    summary['dtype'] = str(obj.dtype)
    arr = _tensor_to_numpy(obj, kind)
    summary['hash'] = _ndarray_hash(arr)[0]
    stats = _array_stats(arr)
    if stats is not None:
        summary['stats'] = stats
    summary['repr'] = _truncate('<%s shape=%s dtype=%s>' % (type(obj).__name__, summary['shape'], summary['dtype']))


def _json_safe(value, depth=0, limit=MAX_STR_VALUE_CHARS):
    """A JSON-compatible, bounded rendering of a parameter or preview value."""
    t = type(value)
    if value is None or t is bool:
        return value
    if t is str:
        return _truncate(value, limit)
    if t is int:
        return value if _int_value(value) is not None else _int_repr(value)
    if t is float:
        return _json_number(value)
    if _is_numpy_scalar(value):
        return _json_safe(value.item(), depth, limit)
    if depth < 3 and t in (list, tuple):
        return [_json_safe(v, depth + 1, limit) for v in value[:MAX_PREVIEW_ITEMS * 2]]
    if depth < 3 and t is dict:
        return {_truncate(str(k), MAX_NAME_CHARS): _json_safe(v, depth + 1, limit)
                for k, v in list(value.items())[:MAX_PREVIEW_ITEMS * 4]}
    return _safe_repr(value, min(limit, 120))


def _estimator_summary(obj, summary):
    params = obj.get_params(deep=False)
    summary['params'] = {_truncate(str(k), MAX_NAME_CHARS): _json_safe(v) for k, v in list(params.items())[:40]}
    summary['repr'] = _safe_repr(obj)
    state = _model_state(obj)
    if state is not None:
        # Parameters and fitted state: refitting on other data changes the hash, so trials can
        # say "same model" or "changed".
        h = _new_hasher()
        budget = _HashBudget()
        _feed_state(h, obj, state, budget, 0)
        summary['hash'] = _format_hash(h, budget.partial)


def _preview_item(item):
    t = type(item)
    if item is None or t in (bool, int, str, float):
        return _json_safe(item, limit=60)
    return _safe_repr(item, 60)


def _collection_summary(obj, summary):
    summary['length'] = len(obj)
    if isinstance(obj, dict):
        summary['preview'] = {_truncate(str(k), MAX_NAME_CHARS): _preview_item(v) for k, v in list(obj.items())[:MAX_PREVIEW_ITEMS]}
    elif isinstance(obj, (set, frozenset)):
        items = list(obj)[: MAX_PREVIEW_ITEMS * 20]
        try:
            items.sort(key=repr)
        except Exception:
            pass
        summary['preview'] = [_preview_item(v) for v in items[:MAX_PREVIEW_ITEMS]]
    else:
        summary['preview'] = [_preview_item(v) for v in list(obj[:MAX_PREVIEW_ITEMS] if isinstance(obj, (list, tuple)) else list(obj)[:MAX_PREVIEW_ITEMS])]
    summary['hash'] = _container_hash(obj)[0]
    summary['repr'] = _bounded_collection_repr(obj)


def _bounded_collection_repr(obj):
    import reprlib
    r = reprlib.Repr()
    r.maxlist = r.maxtuple = r.maxset = r.maxfrozenset = r.maxdeque = r.maxdict = 8
    r.maxstring = r.maxother = 40
    r.maxlevel = 3
    try:
        return _truncate(r.repr(obj))
    except SummaryTimeout:
        raise
    except BaseException:
        return '<%s of %d items>' % (_qualified_type(obj), len(obj))


def _fill_summary(obj, summary):
    if _scalar_summary(obj, summary):
        return
    if _is_ndarray(obj):
        _ndarray_summary(obj, summary)
        return
    kind = _pandas_kind(obj)
    if kind == 'frame':
        _frame_summary(obj, summary)
        return
    if kind in ('series', 'index'):
        _series_summary(obj, summary)
        return
    tensor = _tensor_kind(obj)
    if tensor:
        _tensor_summary(obj, tensor, summary)
        return
    if isinstance(obj, (list, tuple, dict, set, frozenset, collections.deque)):
        _collection_summary(obj, summary)
        return
    if _is_estimator(obj):
        _estimator_summary(obj, summary)
        return
    summary['repr'] = _safe_repr(obj)


def summarize(name, obj, seconds=SUMMARY_BUDGET_S):
    """A bounded ValueSummary dict for one value. Never raises (except KeyboardInterrupt)."""
    summary = {'name': name, 'type': _qualified_type(obj), 'repr': ''}
    try:
        _deadline.call(seconds, _fill_summary, obj, summary)
    except SummaryTimeout:
        summary['error'] = 'summary exceeded its time budget (%.0f ms)' % (seconds * 1000)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B036 - user code can raise anything
        summary['error'] = _truncate('summary failed: %s: %s' % (type(exc).__name__, _safe_message(exc)))
    if not summary['repr']:
        summary['repr'] = '<%s>' % summary['type']
    return summary


def _safe_message(exc):
    try:
        return _truncate(str(exc), 300)
    except BaseException:
        return '<unprintable %s>' % type(exc).__name__


# ---------------------------------------------------------------------------------------------
# Fingerprints: cheap before/after identity of user globals, to catch in-place mutation.


IMMUTABLE_TYPES = (type(None), int, float, bool, str, bytes, complex, range, types.FunctionType, type,
                   types.BuiltinFunctionType)
CONTAINER_TYPES = (list, tuple, dict, set, frozenset, bytearray, collections.deque)


def _shallow_identity(obj):
    """Identities of a small container's items: catches item assignment, append, pop, … ."""
    t = type(obj)
    if t is dict:
        return tuple((id(k), id(v)) for k, v in obj.items())
    if t is bytearray:
        return bytes(obj)
    if t in (set, frozenset):
        return tuple(sorted(id(v) for v in obj))
    return tuple(id(v) for v in obj)


def _fingerprint(obj, deep):
    """A cheap value that changes when obj changes in place. `deep` asks for a content hash
    (only for names the cell's code mentions); without it, no user code runs."""
    t = type(obj)
    if t in IMMUTABLE_TYPES:
        return None
    if t in CONTAINER_TYPES:
        n = len(obj)
        if deep:
            return (n, _container_hash(obj)[0])
        return (n, _shallow_identity(obj)) if n <= SMALL_CONTAINER_LEN else (n,)
    if _is_ndarray(obj):
        base = (obj.shape, obj.dtype.str, obj.__array_interface__['data'][0])
        return base + ((_ndarray_hash(obj)[0],) if deep else ())
    kind = _pandas_kind(obj)
    if kind:
        base = (obj.shape, id(obj.columns) if kind == 'frame' else str(obj.dtype), id(obj.index))
        return base + ((_pandas_hash(obj)[0],) if deep else ())
    tensor = _tensor_kind(obj)
    if tensor:
        return (tuple(obj.shape), _tensor_hash(obj, tensor)[0] if deep else None)
    if deep and not issubclass(t, (types.ModuleType, types.MethodType)):
        attrs = getattr(obj, '__dict__', None)
        if type(attrs) is dict:
            return tuple(sorted((str(k), id(v), _fingerprint(v, False)) for k, v in list(attrs.items())[:256]))
    return None


def _guarded_fingerprint(obj, deep, seconds):
    """('ok', fingerprint) or ('failed',). Only deep fingerprints can run user code, so only
    they pay for a timer."""
    try:
        if not deep:
            return ('ok', _fingerprint(obj, False))
        return ('ok', _deadline.call(seconds, _fingerprint, obj, True))
    except KeyboardInterrupt:
        raise
    except BaseException:
        return ('failed',)


# ---------------------------------------------------------------------------------------------
# Static names of a cell


PURE_BUILTINS = frozenset([
    'len', 'print', 'repr', 'str', 'int', 'float', 'bool', 'abs', 'round', 'min', 'max', 'sum', 'sorted',
    'list', 'tuple', 'set', 'frozenset', 'dict', 'isinstance', 'issubclass', 'type', 'id', 'hash', 'range',
    'enumerate', 'zip', 'any', 'all', 'format', 'divmod', 'pow', 'hex', 'oct', 'bin', 'chr', 'ord',
])


class _NameCollector(ast.NodeVisitor):
    """Names a cell binds (`stored`) and names it may mutate in place (`touched`)."""

    def __init__(self):
        self.stored = set()
        self.touched = set()
        self.global_depth = 0

    @staticmethod
    def _root_name(node):
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.stored.add(node.id)

    def visit_Call(self, node):
        # A method call may mutate its receiver; any call but a pure builtin may mutate a name
        # passed to it (random.shuffle(xs), model.fit(X, y)). Plain reads mutate nothing.
        func = node.func
        if isinstance(func, ast.Attribute):
            root = self._root_name(func.value)
            if root is not None:
                self.touched.add(root)
        if not (isinstance(func, ast.Name) and func.id in PURE_BUILTINS):
            for arg in list(node.args) + [k.value for k in node.keywords]:
                if isinstance(arg, ast.Starred):
                    arg = arg.value
                if isinstance(arg, ast.Name):
                    self.touched.add(arg.id)
        self.generic_visit(node)

    def _mark_target_root(self, node):
        root = self._root_name(node)
        if root is not None and isinstance(node, (ast.Attribute, ast.Subscript)):
            self.touched.add(root)

    def visit_Attribute(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._mark_target_root(node)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._mark_target_root(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self.stored.add(node.name)
        for deco in node.decorator_list:
            self.visit(deco)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)
        # Function bodies run later; only `global` statements inside them matter now.
        for child in ast.walk(node):
            if isinstance(child, ast.Global):
                self.touched.update(child.names)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.stored.add(node.name)
        for child in node.decorator_list + node.bases:
            self.visit(child)

    def visit_Lambda(self, node):
        for default in node.args.defaults:
            self.visit(default)

    def visit_Import(self, node):
        for alias in node.names:
            self.stored.add((alias.asname or alias.name).split('.')[0])

    visit_ImportFrom = visit_Import


def cell_names(transformed_code):
    """(stored, touched) name sets of a cell's code, or two empty sets if it does not parse."""
    try:
        tree = ast.parse(transformed_code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set(), set()
    collector = _NameCollector()
    collector.visit(tree)
    return collector.stored, collector.touched


# ---------------------------------------------------------------------------------------------
# File access


class _FileHashCache:
    def __init__(self, limit=2048):
        self.entries = collections.OrderedDict()
        self.limit = limit

    def stat_and_hash(self, path):
        """(hash or None, size or None) of a file; cached by (path, size, mtime_ns)."""
        try:
            st = os.stat(path)
        except OSError:
            return None, None
        if not os.path.isfile(path):
            return None, st.st_size
        key = (path, st.st_size, st.st_mtime_ns)
        cached = self.entries.get(key)
        if cached is not None:
            self.entries.move_to_end(key)
            return cached, st.st_size
        digest = _stream_file_hash(path, st.st_size)
        if digest is not None:
            self.entries[key] = digest
            if len(self.entries) > self.limit:
                self.entries.popitem(last=False)
        return digest, st.st_size


def _stream_file_hash(path, size):
    h = _new_hasher()
    chunk = 1024 * 1024
    try:
        with _ORIGINAL_OPEN(path, 'rb') as f:
            if size <= FILE_FULL_HASH_MAX_BYTES:
                while True:
                    data = f.read(chunk)
                    if not data:
                        break
                    h.update(data)
                return _hex(h)
            # Huge files: size, head, tail and strided blocks; marked partial.
            h.update(b'size:%d' % size)
            stride = size // 64
            for i in range(64):
                f.seek(i * stride)
                h.update(f.read(chunk))
            f.seek(max(0, size - chunk))
            h.update(f.read(chunk))
            return 'partial:' + _hex(h)
    except OSError:
        return None


IMPORT_FRAME_FILES = frozenset(['<frozen importlib._bootstrap>', '<frozen importlib._bootstrap_external>'])


def _inside_import(max_depth=200):
    """True when open() is called while a module is being imported: package data a library
    loads at import time (time zones, …) is not a file the notebook read."""
    frame = sys._getframe(2)
    depth = 0
    while frame is not None and depth < max_depth:
        if frame.f_code.co_filename in IMPORT_FRAME_FILES:
            return True
        frame = frame.f_back
        depth += 1
    return False


def _mode_kind(mode):
    if '+' in mode:
        return 'readwrite'
    if any(c in mode for c in 'wax'):
        return 'write'
    return 'read'


def _excluded_prefixes():
    import sysconfig
    prefixes = list(SKIP_PATH_PREFIXES)
    for key in ('stdlib', 'platstdlib', 'purelib', 'platlib'):
        try:
            p = sysconfig.get_paths().get(key)
        except Exception:
            p = None
        if p:
            prefixes.append(os.path.join(os.path.realpath(p), ''))
    try:
        import site
        for p in site.getsitepackages() + [site.getusersitepackages()]:
            prefixes.append(os.path.join(os.path.realpath(p), ''))
    except Exception:
        pass
    return tuple(sorted(set(prefixes)))


# A re-install loads this module again while the previous wrapper is still in place: unwrap it.
_ORIGINAL_OPEN = getattr(builtins.open, '__nbprov_original__', builtins.open)
_ORIGINAL_IO_OPEN = getattr(io.open, '__nbprov_original__', io.open)


# ---------------------------------------------------------------------------------------------
# The recorder


class Recorder:
    def __init__(self, shell, params, previous=None):
        self.shell = shell
        self.params = dict(params or {})
        self.kernel_name = self.params.get('kernelName')
        if previous is not None:
            # Re-install in the same kernel process: same session, keep uncollected records.
            self.session_id = previous.session_id
            self.buffer = previous.buffer
            self.seq = previous.seq
            self.dropped = previous.dropped
            self.files = previous.files
        else:
            self.session_id = uuid.uuid4().hex
            self.buffer = collections.deque(maxlen=int(self.params.get('maxRecords') or MAX_BUFFERED_RECORDS))
            self.seq = 0
            self.dropped = 0
            self.files = _FileHashCache()
        self.started_at = getattr(previous, 'started_at', None) or _now_iso()
        self.excluded_paths = _excluded_prefixes()
        self.current = None
        self.in_hook = False
        self.installed = False

    # -- installation -------------------------------------------------------------------------

    def install(self):
        self.shell.events.register('pre_run_cell', self.pre_run_cell)
        self.shell.events.register('post_run_cell', self.post_run_cell)
        recorder = self

        def recording_open(*args, **kwargs):
            if recorder.current is None or recorder.in_hook:
                return _ORIGINAL_OPEN(*args, **kwargs)
            return recorder.open_and_record(args, kwargs)

        recording_open.__wrapped__ = _ORIGINAL_OPEN
        recording_open.__nbprov_original__ = _ORIGINAL_OPEN
        recording_open.__doc__ = _ORIGINAL_OPEN.__doc__
        recording_open.__name__ = 'open'
        self.open_wrapper = recording_open
        builtins.open = recording_open
        io.open = recording_open
        self.installed = True

    def uninstall(self):
        for event, fn in (('pre_run_cell', self.pre_run_cell), ('post_run_cell', self.post_run_cell)):
            try:
                self.shell.events.unregister(event, fn)
            except ValueError:
                pass
        if builtins.open is getattr(self, 'open_wrapper', None):
            builtins.open = _ORIGINAL_OPEN
        if io.open is getattr(self, 'open_wrapper', None):
            io.open = _ORIGINAL_IO_OPEN
        self.installed = False

    # -- hooks --------------------------------------------------------------------------------

    def pre_run_cell(self, info):
        self.in_hook = True
        hook_start = time.perf_counter()
        _HashMemo.begin(carry=True)
        try:
            raw = getattr(info, 'raw_cell', '') or ''
            if raw.startswith(INTERNAL_MARKER):
                # nbprov's own requests, when a host cannot send them silently.
                self.current = None
                return
            try:
                transformed = self.shell.transform_cell(raw)
            except Exception:
                transformed = raw
            stored, touched = cell_names(transformed)
            state = {
                'code': raw,
                'startedAt': _now_iso(),
                'stored': stored,
                'touched': touched,
                'files': collections.OrderedDict(),
                'before': self._snapshot(touched - stored, hook_start + CELL_BUDGET_S / 2),
            }
            state['preMs'] = (time.perf_counter() - hook_start) * 1000
            state['t0'] = time.perf_counter()
            self.current = state
        except KeyboardInterrupt:
            raise
        except BaseException:
            self.current = None
        finally:
            _HashMemo.end()
            self.in_hook = False

    def _user_names(self):
        ns = self.shell.user_ns
        hidden = getattr(self.shell, 'user_ns_hidden', {})
        out = []
        for name, value in list(ns.items()):
            if not isinstance(name, str) or name.startswith('_') or name in IPYTHON_NAMES:
                continue
            if name in hidden and hidden[name] is value:
                continue
            if issubclass(type(value), types.ModuleType):
                continue
            out.append((name, value))
        return out

    def _snapshot(self, touched, deadline):
        snapshot = {}
        for name, value in self._user_names():
            deep = name in touched
            remaining = deadline - time.perf_counter()
            if deep and remaining > 0:
                fp = _guarded_fingerprint(value, True, min(SUMMARY_BUDGET_S, remaining))
            elif remaining > 0:
                fp = _guarded_fingerprint(value, False, min(SUMMARY_BUDGET_S, remaining))
            else:
                fp = ('skipped',)
            snapshot[name] = (id(value), fp, deep)
        return snapshot

    def post_run_cell(self, result):
        state = self.current
        self.current = None
        if state is None:
            return
        self.in_hook = True
        t_end = time.perf_counter()
        _HashMemo.begin()
        try:
            record = self._build_record(state, result, t_end)
            self.seq += 1
            record['seq'] = self.seq
            if len(self.buffer) == self.buffer.maxlen:
                self.dropped += 1
            self.buffer.append(record)
        except KeyboardInterrupt:
            raise
        except BaseException:
            pass
        finally:
            _HashMemo.end(keep=True)
            self.in_hook = False

    def _build_record(self, state, result, t_end):
        error = None
        exc = getattr(result, 'error_in_exec', None) or getattr(result, 'error_before_exec', None)
        if exc is not None:
            error = {'type': type(exc).__name__, 'message': _safe_message(exc)}
        post_start = time.perf_counter()
        values = self._changed_values(state, post_start + CELL_BUDGET_S)
        files = self._finish_files(state)
        recorder_ms = state['preMs'] + (time.perf_counter() - post_start) * 1000
        info = getattr(result, 'info', None)
        code = getattr(info, 'raw_cell', None)
        return {
            'code': code if isinstance(code, str) else state['code'],
            'executionCount': getattr(result, 'execution_count', None),
            'success': exc is None,
            'error': error,
            'startedAt': state['startedAt'],
            'durationMs': round((t_end - state['t0']) * 1000, 3),
            'recorderMs': round(recorder_ms, 3),
            'values': values,
            'files': files,
        }

    def _changed_values(self, state, deadline):
        before = state['before']
        stored = state['stored']
        values = []
        for name, value in self._user_names():
            if len(values) >= MAX_VALUES_PER_CELL:
                break
            prior = before.get(name)
            # A new name, a new object, or a name the code assigns: the cell bound it.
            # Otherwise the same object: bound only if its fingerprint changed (in-place mutation).
            mutated = False
            if prior is not None and prior[0] == id(value) and name not in stored:
                remaining = deadline - time.perf_counter()
                if remaining <= 0 or prior[1][0] != 'ok':
                    continue
                after = _guarded_fingerprint(value, prior[2], min(SUMMARY_BUDGET_S, remaining))
                if after[0] != 'ok' or after[1] == prior[1][1]:
                    continue
                mutated = True
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                summary = {'name': name, 'type': _qualified_type(value), 'repr': '<%s>' % _qualified_type(value),
                           'error': 'cell summary budget exhausted'}
            else:
                summary = summarize(name, value, min(SUMMARY_BUDGET_S, remaining))
            if mutated:
                summary['mutated'] = True
            values.append(summary)
        return values

    # -- files --------------------------------------------------------------------------------

    def open_and_record(self, args, kwargs):
        file = args[0] if args else kwargs.get('file')
        mode = args[1] if len(args) > 1 else kwargs.get('mode', 'r')
        path = None
        self.in_hook = True
        try:
            if isinstance(file, (str, bytes, os.PathLike)) and isinstance(mode, str) and not _inside_import():
                path = os.path.abspath(os.fsdecode(os.fspath(file)))
                real = os.path.realpath(path)
                if real.startswith(self.excluded_paths):
                    path = None
            if path is not None:
                self._note_file(path, mode)
        except KeyboardInterrupt:
            raise
        except BaseException:
            pass
        finally:
            self.in_hook = False
        return _ORIGINAL_OPEN(*args, **kwargs)

    def _note_file(self, path, mode):
        files = self.current['files'] if self.current is not None else None
        if files is None:
            return
        entry = files.get(path)
        kind = _mode_kind(mode)
        if entry is None:
            if len(files) >= MAX_FILES_PER_CELL:
                return
            digest, _size = self.files.stat_and_hash(path)
            files[path] = {'path': path, 'mode': mode, 'kind': kind, 'hashBefore': digest}
        elif entry['kind'] != kind:
            entry['kind'] = 'readwrite'

    def _finish_files(self, state):
        out = []
        for entry in state['files'].values():
            digest, size = self.files.stat_and_hash(entry['path'])
            entry['hashAfter'] = digest
            entry['size'] = size
            out.append(entry)
        return out

    # -- host requests ------------------------------------------------------------------------

    def collect(self, max_bytes=COLLECT_MAX_BYTES, include_environment=False):
        records = []
        size = 0
        while self.buffer:
            record = self.buffer[0]
            encoded = json.dumps(record, ensure_ascii=True, allow_nan=False, default=str)
            if records and size + len(encoded) > max_bytes:
                break
            self.buffer.popleft()
            records.append(encoded)
            size += len(encoded)
        dropped, self.dropped = self.dropped, 0
        head = {
            'installed': True,
            'protocol': PROTOCOL_VERSION,
            'sessionId': self.session_id,
            'startedAt': self.started_at,
            'dropped': dropped,
            'more': bool(self.buffer),
        }
        if include_environment:
            head['environment'] = environment(self.kernel_name)
        encoded_head = json.dumps(head, ensure_ascii=True, allow_nan=False, default=str)
        return encoded_head[:-1] + ', "records": [' + ', '.join(records) + ']}'


# ---------------------------------------------------------------------------------------------
# Environment


def environment(kernel_name=None, max_packages=200):
    packages = {}
    stdlib = getattr(sys, 'stdlib_module_names', frozenset())
    try:
        import importlib.metadata as metadata
        try:
            dists_of = metadata.packages_distributions()
        except Exception:
            dists_of = {}
    except Exception:
        metadata = None
        dists_of = {}
    for name in sorted(n for n in list(sys.modules) if '.' not in n and not n.startswith('_')):
        if len(packages) >= max_packages:
            break
        if name in stdlib or name in KERNEL_PACKAGES:
            continue
        version = None
        for dist in dists_of.get(name, [])[:1]:
            try:
                version = metadata.version(dist)
            except Exception:
                version = None
        if version is None:
            v = getattr(sys.modules.get(name), '__version__', None)
            version = v if isinstance(v, str) else None
        if version is not None:
            packages[name] = _truncate(version, 60)
    return {
        'language': 'python',
        'languageVersion': platform.python_version(),
        'implementation': platform.python_implementation(),
        'executable': sys.executable,
        'kernelName': kernel_name,
        'cwd': os.getcwd(),
        'packages': packages,
    }


# ---------------------------------------------------------------------------------------------
# Entry points used by the host


def _active(shell):
    return getattr(shell, '_nbprov_recorder', None)


def install(shell, params=None):
    """Installs (or re-installs) the recorder into `shell`. Returns a JSON status string."""
    previous = _active(shell)
    if previous is not None:
        previous.uninstall()
    recorder = Recorder(shell, params, previous)
    recorder.install()
    shell._nbprov_recorder = recorder
    return json.dumps({'installed': True, 'protocol': PROTOCOL_VERSION, 'sessionId': recorder.session_id,
                       'reinstalled': previous is not None})


def uninstall(shell):
    recorder = _active(shell)
    if recorder is not None:
        recorder.uninstall()
        shell._nbprov_recorder = None


def uninstall_json(shell, params=None):
    """Removes the hooks and the open() wrapper; uncollected records are discarded."""
    was_installed = _active(shell) is not None
    uninstall(shell)
    return json.dumps({'installed': False, 'wasInstalled': was_installed})


def collect_json(shell, params=None):
    """Drains the buffer (bounded by size) as one JSON document."""
    recorder = _active(shell)
    if recorder is None or not recorder.installed:
        return json.dumps({'installed': False, 'protocol': PROTOCOL_VERSION})
    params = params or {}
    return recorder.collect(int(params.get('maxBytes') or COLLECT_MAX_BYTES), bool(params.get('environment')))


class _JsonText:
    """A JSON answer rendered verbatim as text/plain (IPython's pretty printer calls
    _repr_pretty_), so a user expression can carry it in the execute reply."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text

    def _repr_pretty_(self, p, cycle):
        p.text(self.text)


def collect_reply(shell, params=None):
    """collect_json as a user expression: the records of the cell that just ran travel back in
    its own execute reply, with no request of their own."""
    return _JsonText(collect_json(shell, params))


def summarize_names_json(shell, params=None):
    """Summaries of the named user variables (names must be identifiers), as one JSON document."""
    recorder = _active(shell)
    names = [n for n in (params or {}).get('names', []) if isinstance(n, str) and n.isidentifier()]
    ns = shell.user_ns
    values = {}
    _HashMemo.begin()
    try:
        for name in names[:MAX_VALUES_PER_CELL]:
            if name in ns:
                values[name] = summarize(name, ns[name])
    finally:
        _HashMemo.end()
    return json.dumps({'installed': recorder is not None and recorder.installed, 'protocol': PROTOCOL_VERSION,
                       'values': values}, ensure_ascii=True, allow_nan=False, default=str)
