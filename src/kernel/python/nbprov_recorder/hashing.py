"""Content hashes of values: canonical feeding of containers, arrays, frames, tensors and fitted models."""

import collections
import hashlib
import weakref

from .bounds import (
    FULL_HASH_MAX_BYTES, MAX_HASH_DEPTH, MAX_HASH_ITEMS, SAMPLED_HASH_BYTES, SMALL_BUFFER_BYTES,
    SummaryTimeout
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
    np = loaded('numpy')
    return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)


def _feed_plain_array(h, arr):
    """Dtype, shape and raw bytes of a numpy array without Python objects. Returns `partial`."""
    h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
    data = _flat_bytes(arr)
    return _bytes_hash(h, data, data.nbytes)


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


def _feed_pandas_values(h, values):
    """Feeds one column, Series or Index: numpy-backed plain dtypes by their bytes, anything else
    (object, string, categorical, nullable, …) through pandas' vectorized element hashes."""
    pd = loaded('pandas')
    if type(values) is pd.RangeIndex:
        h.update(b'range:%d:%d:%d;' % (values.start, values.stop, values.step))
        return
    if plain_numpy_dtype(values.dtype):
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
    return first is not None and plain_numpy_dtype(first) and all(d == first for d in dtypes)


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
