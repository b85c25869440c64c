"""Content hashes of values: canonical feeding of containers, arrays, frames, tensors and fitted models."""

import array
import collections
import hashlib
import sys
import threading
import types
import weakref

from .bounds import (
    MAX_HASH_DEPTH, MAX_HASH_ITEMS, SMALL_BUFFER_BYTES, SummaryTimeout
)
from .kinds import (
    builtin_base, class_attr, exact_str, instance_dict, is_estimator, is_ndarray, is_numpy_dtype,
    is_numpy_scalar, is_sub, loaded, pandas_kind, plain_ndarray, plain_object_type, qualified_type,
    slot_values, tensor_kind, trusted_model_type, type_label, type_module, type_qualname
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

    kept = {}

    @staticmethod
    def current():
        """This thread's hook memo (None outside hooks and background jobs)."""
        return getattr(_local, 'entries', None)

    @classmethod
    def begin(cls, carry=False):
        """`carry`: start from the kept hashes (pre_run_cell); otherwise start empty."""
        _local.entries = {}
        if not carry:
            return
        for key, (ref, result) in list(cls.kept.items()):
            obj = ref()
            if obj is not None and id(obj) == key:
                _local.entries[key] = (obj, result)
            else:
                del cls.kept[key]

    @classmethod
    def end(cls, keep=False):
        """`keep`: keep this hook's hashes for later pre_run_cell hooks."""
        entries, _local.entries = cls.current(), None
        if keep and entries:
            cls.adopt(cls.weakly(entries))

    @staticmethod
    def weakly(entries):
        """{id: (object, hash)} as {id: (weak reference, hash)}: held this way, a hash never keeps
        its value alive. Objects that take no weak reference are left out (recomputed next time)."""
        out = {}
        for key, (obj, result) in entries.items():
            try:
                out[key] = (weakref.ref(obj), result)
            except TypeError:
                pass
        return out

    @classmethod
    def adopt(cls, weak_entries):
        """Keeps hashes computed in a hook, or by a background job that finished before any cell
        could change what it read (deferred.py)."""
        cls.kept.update((key, entry) for key, entry in weak_entries.items() if entry[0]() is not None)

    @classmethod
    def peek(cls, obj):
        """The hash this hook computed or kept for obj, without computing one."""
        entries = cls.current()
        hit = entries.get(id(obj)) if entries is not None else None
        if hit is not None and hit[0] is obj:
            return hit[1]
        kept = cls.kept.get(id(obj))
        if kept is not None and kept[0]() is obj:
            return kept[1]
        return None

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


_local = threading.local()


class JobCancelled(BaseException):
    """Raised inside a background hashing job (deferred.py) whose value a starting cell may change;
    a BaseException so no `except Exception` on the way swallows it."""


def checkpoint():
    """Between chunks of a large hash: stops a background job (deferred.py) that was cancelled,
    or that a starting cell paused."""
    job = getattr(_local, 'job', None)
    if job is not None:
        job.checkpoint()


def array_root(arr):
    """The object that owns an array's memory: the end of its .base chain (read through ndarray's
    own descriptor: a subclass's attribute hooks never run)."""
    np = loaded('numpy')
    base = arr
    for _ in range(64):
        nxt = np.ndarray.base.__get__(base) if is_ndarray(base) else None
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
        if HashMemo.current() is None:
            return None
        key, root = cls.key(arr, kind)
        hit = cls.entries.get(key)
        pending = getattr(_local, 'region_puts', None)
        if pending is not None and key in pending:
            hit = pending[key]
        if hit is not None and hit[0]() is root:
            return hit[1]
        return None

    @classmethod
    def put(cls, arr, digest, kind='hash'):
        if HashMemo.current() is None:
            return
        key, root = cls.key(arr, kind)
        try:
            entry = (weakref.ref(root), digest)
        except TypeError:
            return
        pending = getattr(_local, 'region_puts', None)
        # A background job's digests are kept only once the job is known valid (deferred.py).
        (pending if pending is not None else cls.entries)[key] = entry

    @classmethod
    def adopt(cls, entries):
        cls.entries.update(entries)

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
        entries = HashMemo.current()
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
        # Something in the value is known only by identity (an object of a type not known to be
        # safe): the digest then holds that identity and is marked `opaque:`, never a content hash.
        self.opaque = False


def _feed_text(h, tag, text):
    data = text.encode('utf-8', 'surrogatepass')
    h.update(b'%s%d:' % (tag, len(data)))
    h.update(data)


def _feed_sequence(h, base, obj, budget, depth):
    h.update(b'[%d' % base.__len__(obj))
    for item in base.__iter__(obj):
        _feed_canonical(h, item, budget, depth + 1)
        if budget.partial:
            break
    h.update(b']')


def _feed_builtin(h, obj, base, budget, depth):
    """Builtin scalars and containers, subclasses included, read through the base type's own C
    methods (a subclass's __iter__, items(), __len__ never run)."""
    if base is int:
        h.update(b'int:' + hex(int.__index__(obj)).encode() + b';')
    elif base is float:
        h.update(b'float:' + float.__repr__(obj).encode() + b';')
    elif base is complex:
        h.update(b'complex:' + complex.__repr__(obj).encode() + b';')
    elif base is str:
        _feed_text(h, b's', str.__str__(obj))
    elif base is bytes or base is bytearray:
        data = bytes(base.__getitem__(obj, slice(None)))
        h.update(b'b%d:' % len(data))
        h.update(data)
    elif base is list or base is tuple:
        _feed_sequence(h, base, obj, budget, depth)
    elif base is dict:
        h.update(b'{%d' % dict.__len__(obj))
        for key, value in dict.items(obj):
            _feed_canonical(h, key, budget, depth + 1)
            _feed_canonical(h, value, budget, depth + 1)
            if budget.partial:
                break
        h.update(b'}')
    else:  # set, frozenset
        count = base.__len__(obj)
        if count > MAX_HASH_ITEMS:
            budget.partial = True
            h.update(b'set-too-large')
            return
        # Set order is arbitrary: hash each item separately and combine them in sorted order.
        digests = []
        for item in base.__iter__(obj):
            sub = new_hasher()
            _feed_canonical(sub, item, budget, depth + 1)
            digests.append(sub.digest())
        h.update(b'{%d' % count)
        for d in sorted(digests):
            h.update(d)
        h.update(b'}')


def _feed_code(h, code, budget, depth):
    h.update(b'code:')
    h.update(code.co_code)
    _feed_canonical(h, code.co_consts, budget, depth + 1)
    _feed_canonical(h, code.co_names, budget, depth + 1)


def _first(pair):
    return pair[0]


def _feed_attrs(h, pairs, budget, depth):
    """(name, value) pairs of an object's state, in name order."""
    if not all(type(k) is str for k, _ in pairs):
        budget.opaque = True
        h.update(b'odd-keys')
        return
    h.update(b'{%d' % len(pairs))
    for key, value in sorted(pairs, key=_first):
        _feed_text(h, b'k', key)
        _feed_canonical(h, value, budget, depth + 1)
        if budget.partial:
            break
    h.update(b'}')


def _feed_known_object(h, obj, t, budget, depth):
    """Objects of known types (numpy, trusted model packages, functions, classes, plain Python
    objects); False when obj is of a type not known to be safe."""
    if is_sub(t, type):
        _feed_text(h, b'class:', type_label(obj))
    elif t is types.FunctionType:
        _feed_text(h, b'function:', exact_str(obj.__module__, '') + '.' + exact_str(obj.__qualname__))
        _feed_code(h, obj.__code__, budget, depth)
    elif t is types.CodeType:
        _feed_code(h, obj, budget, depth)
    elif t is types.BuiltinFunctionType:
        _feed_text(h, b'builtin:', exact_str(obj.__module__, '') + '.' + exact_str(obj.__name__))
    elif t is range:
        _feed_text(h, b'', repr(obj))
    elif t is slice:
        h.update(b'slice:')
        _feed_canonical(h, (obj.start, obj.stop, obj.step), budget, depth + 1)
    elif obj is Ellipsis or obj is NotImplemented:
        _feed_text(h, b'', repr(obj))
    elif is_ndarray(obj):
        view = plain_ndarray(obj)
        if not view.dtype.hasobject and view.nbytes <= SMALL_BUFFER_BYTES:
            # Small arrays (a fitted tree's nodes): straight into h, no hasher of their own.
            _feed_plain_array(h, view)
        else:
            _feed_digest(h, ndarray_hash(view), budget)
    elif is_numpy_scalar(obj):
        h.update(b'npscalar:' + obj.dtype.str.encode() + b':' + obj.tobytes())
    elif is_numpy_dtype(obj):
        _feed_text(h, b'dtype:', obj.str + str(obj.descr))
    elif type_module(t) == 'numpy.random.mtrand' and type_qualname(t) == 'RandomState':
        h.update(b'RandomState:')
        _feed_canonical(h, obj.get_state(legacy=False), budget, depth + 1)
    elif type_module(t).startswith('numpy.random') and type_qualname(t) == 'Generator':
        h.update(b'Generator:')
        _feed_canonical(h, obj.bit_generator.state, budget, depth + 1)
    elif pandas_kind(obj):
        _feed_digest(h, pandas_hash(obj), budget)
    elif tensor_kind(obj):
        _feed_digest(h, tensor_hash(obj, tensor_kind(obj)), budget)
    else:
        state = model_state(obj)
        if state is not None:
            feed_state(h, obj, state, budget, depth)
        elif plain_object_type(t):
            _feed_text(h, b'object:', type_label(t))
            attrs = instance_dict(obj)
            _feed_attrs(h, list(attrs.items()) if attrs else [], budget, depth)
            _feed_attrs(h, slot_values(obj), budget, depth)
        else:
            return False
    return True


def _feed_digest(h, result, budget):
    digest, partial = result
    budget.partial = budget.partial or partial
    if digest.startswith(OPAQUE_PREFIX):
        budget.opaque = True
    h.update(digest.encode())


def _feed_canonical(h, obj, budget, depth):
    """Feeds a canonical, bounded serialization of obj into hasher h. Runs no user code: builtins
    through their base type's C methods, known types through their own accessors, plain Python
    objects through their instance dict and slots; anything else by type and identity (opaque)."""
    budget.items += 1
    if budget.items > MAX_HASH_ITEMS or depth > MAX_HASH_DEPTH:
        budget.partial = True
        h.update(b'\x00...')
        return
    t = type(obj)
    if t is int:
        h.update(b'int:' + hex(obj).encode() + b';')
        return
    if obj is None or t is bool or t is float or t is complex:
        h.update(t.__name__.encode() + b':' + repr(obj).encode() + b';')
        return
    if t is str:
        _feed_text(h, b's', obj)
        return
    base = builtin_base(t)
    if base is not None:
        h.update(b'%s:' % (base.__name__.encode() if base is t else type_label(t).encode('utf-8', 'surrogatepass')))
        _feed_builtin(h, obj, base, budget, depth)
        if base is not t:
            attrs = instance_dict(obj)
            if attrs:
                _feed_attrs(h, list(attrs.items()), budget, depth)
        return
    if t is collections.deque:
        h.update(b'deque:')
        _feed_sequence(h, collections.deque, obj, budget, depth)
        return
    if not _feed_known_object(h, obj, t, budget, depth):
        budget.opaque = True
        _feed_text(h, b'opaque:', '%s@%x' % (type_label(t), id(obj)))


def model_state(obj):
    """The state of a model: a trusted package's estimator or helper object (a fitted tree's node
    arrays, a loss object) or a scikit-learn estimator of the user's own. Estimators are read
    through their instance dict (hyperparameters and fitted attributes); other trusted objects by
    their own __getstate__, their instance dict, or their pickle reduction (Cython objects). Never
    a repr: reprs say little and often hold a memory address. None for other objects."""
    t = type(obj)
    if is_estimator(obj) and not trusted_model_type(t):
        return instance_dict(obj)
    if not trusted_model_type(t):
        return None
    if is_estimator(obj):
        return instance_dict(obj)
    getstate = class_attr(t, '__getstate__')
    if getstate is not None and getstate is not object.__dict__.get('__getstate__'):
        state = getstate(obj)
        if type(state) is dict:
            return state
    attrs = instance_dict(obj)
    if attrs is not None:
        return attrs
    reduced = obj.__reduce_ex__(4)
    if type(reduced) is tuple:
        return {'__reduce__': reduced[1:]}
    return None


def _plain_state_value(value):
    t = type(value)
    return t is str or t is float or t is bool or value is None or (t is int and -(1 << 63) <= value < (1 << 63))


def feed_state(h, obj, state, budget, depth):
    """Feeds a model's class and state dict in key order. Plain scalars go in as one repr (exact
    for these types, and computed in C: a fitted forest has thousands of them); the rest
    recursively. Keys that are not exact str make the state opaque (no user __lt__ runs)."""
    if not all(type(k) is str for k in state):
        budget.opaque = True
        h.update(b'odd-keys')
        return
    items = sorted(state.items(), key=_first)
    plain = [(k, v) for k, v in items if _plain_state_value(v)]
    rest = [(k, v) for k, v in items if not _plain_state_value(v)]
    budget.items += len(plain)
    h.update(b'state:' + qualified_type(obj).encode('utf-8', 'surrogatepass') + b'{%d|' % len(state))
    h.update(repr(plain).encode('utf-8', 'surrogatepass'))
    for key, value in rest:
        _feed_text(h, b'k', key)
        _feed_canonical(h, value, budget, depth + 1)
        if budget.partial:
            break
    h.update(b'}')


OPAQUE_PREFIX = 'opaque:'


def format_hash(h, partial, opaque=False):
    """`opaque:` digests hold an identity and are for change detection within one process only;
    summaries never report them as content hashes."""
    hexdigest = hex_digest(h)
    if opaque:
        return OPAQUE_PREFIX + hexdigest
    return ('partial:' + hexdigest) if partial else hexdigest


def content_hash(digest):
    """The digest as a ValueSummary hash: None for opaque digests (they never claim equality)."""
    return None if digest is None or digest.startswith(OPAQUE_PREFIX) else digest


_FLAT_INT_TYPE_IDS = frozenset(map(id, (int, bool)))
_FLAT_OTHER_TYPE_IDS = frozenset(map(id, (float, str, bool, type(None))))
_FLOAT_TYPE_IDS = frozenset([id(float)])
FLOAT_BYTES_MIN_ITEMS = 1000


def _flat_scalars(obj):
    """(tag, bytes, partial) of an exact list/tuple of exact plain scalars, over at most
    MAX_HASH_ITEMS items, computed in C; None when the fast path does not apply. Types are
    compared by their ids: a metaclass's __eq__/__hash__ never runs. Floats alone go in as their
    IEEE-754 bytes (tag f64), equal exactly when their reprs are (a float's repr is the shortest
    text that reads back to the same double, and tells -0.0 from 0.0) and 20x faster to get;
    NaNs of different bits print alike, so a list holding one goes in, like the rest, as Python's
    own repr (tag flat)."""
    t = type(obj)
    if t is not list and t is not tuple:
        return None
    head = obj[:MAX_HASH_ITEMS]
    partial = len(head) < len(obj)
    item_types = set(map(id, map(type, head)))
    # Short lists keep the repr digest they always had: a list of metrics in an older trial must
    # still compare equal to the same list today.
    if item_types == _FLOAT_TYPE_IDS and len(head) >= FLOAT_BYTES_MIN_ITEMS:
        total = sum(head)
        if total == total:  # no NaN (nor inf beside -inf)
            packed = array.array('d', head)
            if sys.byteorder != 'little':
                packed.byteswap()
            return b'f64', packed.tobytes(), partial
    first = type(head[0]) if head else None
    if first is int or first is bool:
        if not item_types <= _FLAT_INT_TYPE_IDS or max(map(int.bit_length, head)) > 256:
            return None
    elif not item_types <= _FLAT_OTHER_TYPE_IDS:
        return None
    return b'flat', repr(head).encode('utf-8', 'surrogatepass'), partial


def container_hash(obj):
    h = new_hasher()
    flat = _flat_scalars(obj)
    if flat is not None:
        tag, data, partial = flat
        h.update(b'%s:%s:%d:' % (tag, type(obj).__name__.encode(), len(obj)))
        h.update(data)
        return format_hash(h, partial), partial
    budget = HashBudget()
    _feed_canonical(h, obj, budget, 0)
    return format_hash(h, budget.partial, budget.opaque), budget.partial


def value_hash(obj):
    """(digest, partial) of any value through the canonical feed (digest `opaque:` when part of
    it is known only by identity)."""
    return container_hash(obj)


def _bytes_hash(h, data_view, nbytes):
    """Feeds a byte buffer into h: small ones directly, large ones as the SHA-256 of all their
    bytes (hashlib releases the GIL while hashing). Never sampled: a change anywhere changes it."""
    h.update(b'%d:' % nbytes)
    if nbytes <= SMALL_BUFFER_BYTES:
        h.update(data_view)
    else:
        h.update(hashlib.sha256(data_view).digest())


CHUNK_BYTES = 4 * 1024 * 1024


def broadcast_free(arr):
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
            sub = hashlib.sha256()
            for start in range(0, data.nbytes, CHUNK_BYTES):
                checkpoint()
                sub.update(data[start:start + CHUNK_BYTES])
            digest = sub.digest()
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
            checkpoint()
            sub.update(np.ascontiguousarray(arr[start:start + step]).view(np.uint8))
        return
    row_bytes = arr.itemsize * (arr.size // max(1, arr.shape[0]))
    if row_bytes > CHUNK_BYTES:
        for row in arr:
            _feed_chunks(sub, row, np)
        return
    step = max(1, CHUNK_BYTES // max(1, row_bytes))
    for start in range(0, arr.shape[0], step):
        checkpoint()
        sub.update(np.ascontiguousarray(arr[start:start + step]).reshape(-1).view(np.uint8))


def _flat_bytes(arr):
    """A flat uint8 view of a small plain (no Python objects) array."""
    np = loaded('numpy')
    return np.ascontiguousarray(arr).reshape(-1).view(np.uint8)


def _feed_plain_array(h, arr):
    """Dtype, shape and bytes of a numpy array without Python objects (broadcast axes once)."""
    h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
    arr, cut = broadcast_free(arr)
    if cut:
        h.update(b'broadcast%r|' % (cut,))
    _feed_array_bytes(h, arr)
    return False


@_memoized
def ndarray_hash(arr):
    # A subclass is hashed as its base array: its overridden methods and hooks never run.
    arr = plain_ndarray(arr)
    h = new_hasher()
    if arr.dtype.hasobject:
        h.update(('%s|%s|' % (arr.dtype.str, arr.shape)).encode())
        budget = HashBudget()
        # .flat[:n] copies only the first n items (ravel() would copy a broadcast view whole).
        _feed_canonical(h, arr.flat[:MAX_HASH_ITEMS].tolist(), budget, 1)
        partial = budget.partial or arr.size > MAX_HASH_ITEMS
        return format_hash(h, partial, budget.opaque), partial
    partial = _feed_plain_array(h, arr)
    return format_hash(h, partial), partial


PLAIN_DTYPE_KINDS = 'biufcmM'


def plain_numpy_dtype(dtype):
    np = loaded('numpy')
    return isinstance(dtype, np.dtype) and dtype.kind in PLAIN_DTYPE_KINDS


# Object columns whose every element pandas hashes through a builtin's own str() (no user code).
SAFE_INFERRED_KINDS = frozenset([
    'string', 'bytes', 'integer', 'floating', 'mixed-integer-float', 'boolean', 'empty', 'complex',
    'datetime', 'datetime64', 'date', 'timedelta', 'timedelta64', 'time', 'period',
])


class UnsafeObjects(Exception):
    """An object column holds values of types not known to be safe: hashed canonically instead."""


def _plain_labels(labels):
    return all(x is None or type(x) is str or type(x) is int or type(x) is float or type(x) is bool for x in labels)


def _feed_labels(h, labels, budget):
    """Column labels or a Series name: plain ones as their str(), others canonically (no user
    __str__ runs; objects known only by identity make the hash opaque)."""
    if _plain_labels(labels):
        h.update(repr([str(x) for x in labels]).encode('utf-8', 'surrogatepass'))
    else:
        _feed_canonical(h, labels, budget, 1)


STR_SEPARATOR = '\x1f'


STR_SLICE_ITEMS = 16 * 1024


def _feed_str_column(h, arr):
    """Feeds an object column whose items are all str as one separator-joined UTF-8 text (about
    3x faster than pandas' element hashes). Exact: used only when no item holds the separator,
    so the text splits back into the same items. False when it does not apply. The text is
    built and fed in slices (the same bytes as one join): a background job holds the GIL for one
    slice at a time, and can stop between slices."""
    pd = loaded('pandas')
    lib = getattr(getattr(pd, '_libs', None), 'lib', None)
    if arr.ndim != 1 or lib is None or not hasattr(lib, 'is_string_array'):
        return False
    encoded = []
    separators = 0
    for start in range(0, len(arr), STR_SLICE_ITEMS):
        checkpoint()
        part = arr[start:start + STR_SLICE_ITEMS]
        if not lib.is_string_array(part, skipna=False):
            return False
        text = STR_SEPARATOR.join(part)
        if start:
            text = STR_SEPARATOR + text
        separators += text.count(STR_SEPARATOR)
        encoded.append(text.encode('utf-8', 'surrogatepass'))
    if separators != max(0, len(arr) - 1):
        return False
    h.update(b'str-joined:%d|' % len(arr))
    for part in encoded:
        h.update(part)
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
            if values.dtype.kind == 'O' and pd.api.types.infer_dtype(values, skipna=False) not in SAFE_INFERRED_KINDS:
                # pandas would hash these objects by str(): user code, and often an address.
                raise UnsafeObjects()
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
    labels = HashBudget()
    if is_frame:
        _feed_labels(h, list(obj.columns), labels)
        h.update(repr([str(d) for d in obj.dtypes]).encode())
    else:
        name = obj.name
        if _plain_labels([name]):
            h.update(str('' if name is None else name).encode('utf-8', 'surrogatepass'))
        else:
            _feed_labels(h, [name], labels)
        h.update(str(obj.dtype).encode())
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
            # Column by column (never the frame as one copied matrix), each digest reusable. By
            # position from the frame's blocks: items() may hand back a cached column that a
            # chained assignment left behind (pandas 1.5), which no longer shows the frame's data.
            for position in range(target.shape[1]):
                h.update(b'column:%d:' % position)
                _feed_pandas_values(h, target.iloc[:, position])
    except SummaryTimeout:
        raise
    except Exception:
        # Unhashable cells (lists, dicts in object columns): fall back to a bounded repr walk.
        budget = HashBudget()
        too_big = obj.size > MAX_HASH_ITEMS
        _feed_canonical(h, obj.to_dict() if not too_big else None, budget, 1)
        partial = partial or budget.partial or too_big
        # Too big to walk: nothing of its content was fed, so the hash must not claim equality.
        return format_hash(h, partial, budget.opaque or labels.opaque or too_big), partial
    return format_hash(h, partial, labels.opaque), partial


def tensor_hash(obj, kind):
    arr = tensor_to_numpy(obj, kind)
    return ndarray_hash(arr)


def tensor_to_numpy(obj, kind):
    if kind == 'torch':
        return obj.detach().cpu().numpy()
    return obj.numpy()


def heavy_hash(obj):
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
