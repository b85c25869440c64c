"""Content hashes of values: canonical feeding of containers, arrays, frames, tensors and fitted models."""

import collections
import hashlib
import weakref

from .bounds import (
    MAX_HASH_DEPTH, MAX_HASH_ITEMS, SMALL_BUFFER_BYTES, SummaryTimeout
)
from .kinds import (
    is_estimator, is_ndarray, loaded, pandas_kind, qualified_type, safe_repr, tensor_kind
)


def new_hasher():
    # SHA-256: OpenSSL runs it with the CPU's SHA instructions where they exist (2-3x faster than
    # blake2b's portable code). Hashes are shown truncated to 128 bits (hex_digest).
    return hashlib.sha256()


def hex_digest(h):
    return h.hexdigest()[:32]


class HashMemo:
    """Content hashes of heavy objects (arrays, frames, tensors), computed once and reused.

    Within a hook nothing mutates user objects, so the mutation check and the summary share one
    hash. Across cells, a hash is `kept` (through a weak reference: it never keeps a value alive
    nor outlives it, so ids are never confused) and reused by later pre_run_cell hooks until a
    cell could have changed the object: post_run_cell hooks start from nothing (`fresh`) and
    recompute what they need, and the scoping rule (scope.py) guarantees a cell changes no object
    outside its candidates, which post_run_cell rehashes and so replaces in `kept`. Only silent
    requests run between hooks; if one mutated a value, a stale hash can only make the next cell
    report a mutation it did not make, never hide one it made."""

    entries = None
    kept = {}

    @classmethod
    def begin(cls, carry=False):
        """`carry`: start from the kept hashes (pre_run_cell); otherwise start empty."""
        cls.entries = {}
        if not carry:
            return
        for key, (ref, result) in list(cls.kept.items()):
            obj = ref()
            if obj is not None and id(obj) == key:
                cls.entries[key] = (obj, result)
            else:
                del cls.kept[key]

    @classmethod
    def end(cls, keep=False):
        """`keep`: keep this hook's hashes for later pre_run_cell hooks."""
        entries, cls.entries = cls.entries, None
        if keep and entries:
            for key, (obj, result) in entries.items():
                try:
                    cls.kept[key] = (weakref.ref(obj), result)
                except TypeError:
                    pass  # not weak-referenceable: recomputed next time

    @classmethod
    def forget(cls):
        cls.kept = {}
        RegionMemo.forget()

    @classmethod
    def invalidate(cls, ids):
        """Drops what a cell may have changed: kept hashes of these objects and of memory they own."""
        for key in ids:
            cls.kept.pop(key, None)
        RegionMemo.invalidate(ids)


def array_root(arr):
    """The object that owns an array's memory: the end of its .base chain."""
    base = arr
    for _ in range(64):
        nxt = getattr(base, 'base', None)
        if nxt is None:
            return base
        base = nxt
    return base


class RegionMemo:
    """Digests of pandas columns by the memory they occupy (owner's id, address, shape, strides,
    dtype), so a frame that gained one column rehashes only that column. An entry holds its
    owner through a weak reference and is dropped (HashMemo.invalidate) as soon as a cell may
    have written to that owner: the same rule as kept hashes (scope.py)."""

    entries = {}

    @classmethod
    def key(cls, arr, kind):
        root = array_root(arr)
        return (id(root), arr.__array_interface__['data'][0], arr.shape, arr.strides, arr.dtype.str, kind), root

    @classmethod
    def get(cls, arr, kind='hash'):
        """What was kept for this memory (a digest, or column statistics for framestats.py)."""
        if HashMemo.entries is None:
            return None
        key, root = cls.key(arr, kind)
        hit = cls.entries.get(key)
        if hit is not None and hit[0]() is root:
            return hit[1]
        return None

    @classmethod
    def put(cls, arr, digest, kind='hash'):
        if HashMemo.entries is None:
            return
        key, root = cls.key(arr, kind)
        try:
            cls.entries[key] = (weakref.ref(root), digest)
        except TypeError:
            pass

    @classmethod
    def invalidate(cls, ids):
        if cls.entries:
            ids = set(ids)
            cls.entries = {k: v for k, v in cls.entries.items() if k[0] not in ids and v[0]() is not None}

    @classmethod
    def forget(cls):
        cls.entries = {}


def _memoized(fn):
    def wrapper(obj):
        entries = HashMemo.entries
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


class HashBudget:
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
            sub = new_hasher()
            _feed_canonical(sub, item, budget, depth + 1)
            digests.append(sub.digest())
        h.update(b'%s{%d' % (t.__name__.encode(), len(obj)))
        for d in sorted(digests):
            h.update(d)
        h.update(b'}')
    else:
        if is_ndarray(obj) and not obj.dtype.hasobject and obj.nbytes <= SMALL_BUFFER_BYTES:
            # Small arrays (a fitted tree's nodes): straight into h, no hasher of their own.
            _feed_plain_array(h, obj)
            return
        heavy = _heavy_hash(obj)
        if heavy is not None:
            digest, partial = heavy
            budget.partial = budget.partial or partial
            h.update(digest.encode())
            return
        state = model_state(obj)
        if state is not None:
            feed_state(h, obj, state, budget, depth)
        else:
            h.update(qualified_type(obj).encode() + b':' + safe_repr(obj, 1000).encode('utf-8', 'surrogatepass'))


def model_state(obj):
    """The attribute dict of a scikit-learn estimator (its parameters and fitted state) or the
    pickled state of a scikit-learn helper object (a fitted tree's node arrays); None for other
    objects. Their reprs say little (or hold a memory address), so fitted models are hashed by state."""
    if is_estimator(obj):
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


def feed_state(h, obj, state, budget, depth):
    """Feeds an object's state dict in key order. Plain scalars go in as one repr (exact for
    these types, and computed in C: a fitted forest has thousands of them); the rest recursively."""
    items = sorted(state.items(), key=lambda kv: str(kv[0]))
    plain = [(k, v) for k, v in items if type(k) is str and _plain_state_value(v)]
    rest = [(k, v) for k, v in items if not (type(k) is str and _plain_state_value(v))]
    budget.items += len(plain)
    h.update(b'state:' + qualified_type(obj).encode() + b'{%d|' % len(state))
    h.update(repr(plain).encode('utf-8', 'surrogatepass'))
    for key, value in rest:
        _feed_canonical(h, key, budget, depth + 1)
        _feed_canonical(h, value, budget, depth + 1)
        if budget.partial:
            break
    h.update(b'}')


def format_hash(h, partial):
    hexdigest = hex_digest(h)
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


def container_hash(obj):
    h = new_hasher()
    flat = _flat_repr(obj)
    if flat is not None:
        text, partial = flat
        h.update(b'flat:%s:%d:' % (type(obj).__name__.encode(), len(obj)))
        h.update(text.encode('utf-8', 'surrogatepass'))
        return format_hash(h, partial), partial
    budget = HashBudget()
    _feed_canonical(h, obj, budget, 0)
    return format_hash(h, budget.partial), budget.partial


def _bytes_hash(h, data_view, nbytes):
    """Feeds a byte buffer into h: small ones directly, large ones as the SHA-256 of all their
    bytes (hashlib releases the GIL while hashing). Never sampled: a change anywhere changes it."""
    h.update(b'%d:' % nbytes)
    if nbytes <= SMALL_BUFFER_BYTES:
        h.update(data_view)
    else:
        h.update(hashlib.sha256(data_view).digest())


CHUNK_BYTES = 4 * 1024 * 1024


def _broadcast_free(arr):
    """The array with its zero-stride (broadcast) axes cut to length 1, and the axes cut: a
    broadcast view of millions of elements is hashed as the few bytes it really holds."""
    if arr.ndim == 0 or all(s != 0 for s in arr.strides):
        return arr, ()
    cut = tuple(i for i, (n, s) in enumerate(zip(arr.shape, arr.strides)) if s == 0 and n > 1)
    if not cut:
        return arr, ()
    return arr[tuple(slice(0, 1) if i in cut else slice(None) for i in range(arr.ndim))], cut


def _feed_array_bytes(h, arr):
    """Feeds the bytes of a plain array in C order without copying it: contiguous arrays as one
    buffer, others in row chunks of at most CHUNK_BYTES (the same digest as one buffer would give)."""
    np = loaded('numpy')
    if arr.flags.c_contiguous:
        data = arr.reshape(-1).view(np.uint8)
        if data.nbytes <= SMALL_BUFFER_BYTES:
            _bytes_hash(h, data, data.nbytes)
            return
        # Kept by the memory it covers: a reshaped view (`grid = a.reshape(…)`) reuses a's digest.
        digest = RegionMemo.get(data, 'bytes')
        if digest is None:
            digest = hashlib.sha256(data).digest()
            RegionMemo.put(data, digest, 'bytes')
        h.update(b'%d:' % data.nbytes)
        h.update(digest)
        return
    nbytes = arr.size * arr.itemsize
    if nbytes <= SMALL_BUFFER_BYTES:
        data = np.ascontiguousarray(arr).reshape(-1).view(np.uint8)
        _bytes_hash(h, data, nbytes)
        return
    sub = hashlib.sha256()
    _feed_chunks(sub, arr, np)
    h.update(b'%d:' % nbytes)
    h.update(sub.digest())


def _feed_chunks(sub, arr, np):
    if arr.ndim == 1:
        step = max(1, CHUNK_BYTES // max(1, arr.itemsize))
        for start in range(0, arr.shape[0], step):
            sub.update(np.ascontiguousarray(arr[start:start + step]).view(np.uint8))
        return
    row_bytes = arr.itemsize * (arr.size // max(1, arr.shape[0]))
    if row_bytes > CHUNK_BYTES:
        for row in arr:
            _feed_chunks(sub, row, np)
        return
    step = max(1, CHUNK_BYTES // max(1, row_bytes))
    for start in range(0, arr.shape[0], step):
        sub.update(np.ascontiguousarray(arr[start:start + step]).reshape(-1).view(np.uint8))


def _flat_bytes(arr):
    """A flat uint8 view of a small plain (no Python objects) array."""
    np = loaded('numpy')
    return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)


def _feed_plain_array(h, arr):
    """Dtype, shape and bytes of a numpy array without Python objects (broadcast axes once)."""
    h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
    arr, cut = _broadcast_free(arr)
    if cut:
        h.update(b'broadcast%r|' % (cut,))
    _feed_array_bytes(h, arr)
    return False


@_memoized
def ndarray_hash(arr):
    h = new_hasher()
    if arr.dtype.hasobject:
        h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
        budget = HashBudget()
        _feed_canonical(h, arr.ravel().tolist() if arr.size <= MAX_HASH_ITEMS else arr.ravel()[:MAX_HASH_ITEMS].tolist(), budget, 1)
        partial = budget.partial or arr.size > MAX_HASH_ITEMS
        return format_hash(h, partial), partial
    partial = _feed_plain_array(h, arr)
    return format_hash(h, partial), partial


PLAIN_DTYPE_KINDS = 'biufcmM'


def plain_numpy_dtype(dtype):
    np = loaded('numpy')
    return isinstance(dtype, np.dtype) and dtype.kind in PLAIN_DTYPE_KINDS


STR_SEPARATOR = '\x1f'


def _feed_str_column(h, arr):
    """Feeds an object column whose items are all str as one separator-joined UTF-8 text (about
    3x faster than pandas' element hashes). Exact: used only when no item holds the separator,
    so the text splits back into the same items. False when it does not apply."""
    pd = loaded('pandas')
    lib = getattr(getattr(pd, '_libs', None), 'lib', None)
    if arr.ndim != 1 or lib is None or not hasattr(lib, 'is_string_array') or not lib.is_string_array(arr, skipna=False):
        return False
    text = STR_SEPARATOR.join(arr)
    if text.count(STR_SEPARATOR) != max(0, len(arr) - 1):
        return False
    h.update(b'str-joined:%d|' % len(arr))
    h.update(text.encode('utf-8', 'surrogatepass'))
    return True


def _feed_pandas_values(h, values):
    """Feeds one column, Series or Index: numpy-backed plain dtypes by their bytes, anything else
    (object, string, categorical, nullable, …) through pandas' vectorized element hashes. A
    column's digest is reused while the memory it occupies is known unchanged (RegionMemo)."""
    pd = loaded('pandas')
    if type(values) is pd.RangeIndex:
        h.update(b'range:%d:%d:%d;' % (values.start, values.stop, values.step))
        return
    np = loaded('numpy')
    raw = values.to_numpy() if plain_numpy_dtype(values.dtype) else getattr(values, 'values', None)
    region = raw if isinstance(raw, np.ndarray) and not isinstance(values, pd.Index) else None
    digest = RegionMemo.get(region) if region is not None else None
    if digest is None:
        sub = new_hasher()
        if plain_numpy_dtype(values.dtype):
            _feed_plain_array(sub, raw)
        elif region is not None and region.dtype.kind == 'O' and _feed_str_column(sub, region):
            pass
        else:
            sub.update(b'hashed:%s:%d|' % (str(values.dtype).encode(), len(values)))
            if isinstance(values, pd.Index):
                hashed = pd.util.hash_pandas_object(values)
            else:
                hashed = pd.util.hash_pandas_object(values, index=False)
            sub.update(_flat_bytes(hashed.to_numpy()))
        digest = sub.digest()
        if region is not None:
            RegionMemo.put(region, digest)
    h.update(digest)


@_memoized
def pandas_hash(obj):
    """Content hash of a DataFrame, Series or Index: column names, dtypes, index and values."""
    pd = loaded('pandas')
    h = new_hasher()
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
        if not isinstance(target, pd.Index):
            h.update(b'index:')
            _feed_pandas_values(h, target.index)
        if not is_frame:
            h.update(b'values:')
            _feed_pandas_values(h, target)
        else:
            # Column by column (never the frame as one copied matrix), each digest reusable.
            for position, (_name, column) in enumerate(target.items()):
                h.update(b'column:%d:' % position)
                _feed_pandas_values(h, column)
    except SummaryTimeout:
        raise
    except Exception:
        # Unhashable cells (lists, dicts in object columns): fall back to a bounded repr walk.
        budget = HashBudget()
        _feed_canonical(h, obj.to_dict() if obj.size <= MAX_HASH_ITEMS else None, budget, 1)
        partial = partial or budget.partial or obj.size > MAX_HASH_ITEMS
    return format_hash(h, partial), partial


def tensor_hash(obj, kind):
    arr = tensor_to_numpy(obj, kind)
    return ndarray_hash(arr)


def tensor_to_numpy(obj, kind):
    if kind == 'torch':
        return obj.detach().cpu().numpy()
    return obj.numpy()


def _heavy_hash(obj):
    """Content hash of arrays, frames and tensors, or None for other objects."""
    if is_ndarray(obj):
        return ndarray_hash(obj)
    if pandas_kind(obj):
        return pandas_hash(obj)
    kind = tensor_kind(obj)
    if kind:
        return tensor_hash(obj, kind)
    return None


MAX_SAFE_INT = 2 ** 53
MAX_HASHED_STR_CHARS = 1000 * 1000


def int_value(n):
    return n if -MAX_SAFE_INT <= n <= MAX_SAFE_INT else None


def str_hash(text):
    h = new_hasher()
    partial = len(text) > MAX_HASHED_STR_CHARS
    h.update(b'%d:' % len(text))
    h.update(text[:MAX_HASHED_STR_CHARS].encode('utf-8', 'surrogatepass'))
    return format_hash(h, partial)
