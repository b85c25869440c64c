"""Large values (issue 13): which values count as large, and their sampled fingerprints and statistics.

A cell's hooks never read a large array or frame in full. They read a fixed sample of its elements
(the first and last few, an even spread, and a fixed pseudo-random set: about 33,000 positions)
plus what defines its shape (dtype, shape, column labels and dtypes, index kind). Only content
goes in: a sample that differs proves the content differs; an equal sample proves nothing, and
the recorder then compares full content hashes (recorder.py). The full content hash and exact
statistics of a large value are computed off the cell's critical path (deferred.py).
"""

import hashlib

from .hashing import broadcast_free
from .kinds import is_ndarray, is_sub, loaded, pandas_kind, plain_ndarray

# A value whose data holds at least this many bytes is large (frames: rows x columns x 8).
LARGE_VALUE_BYTES = 8 * 1024 * 1024
EDGE_POSITIONS = 256
SPREAD_POSITIONS = 4 * 1024
RANDOM_POSITIONS = 4 * 1024
# Rows of a frame: every column is read at each, so fewer.
ROW_SPREAD_POSITIONS = 1024
ROW_RANDOM_POSITIONS = 1024
STATS_SAMPLE = 4096

# The sampled columns of the last frame fingerprinted in this hook, reused by its summary
# (forget_samples() at every hook's start: a cell may change the frame in between).
_last_columns = {}


def forget_samples():
    _last_columns.clear()

_positions_cache = {}


def large_value(obj):
    """True for a plain-dtype numpy array or a pandas frame/series big enough to defer."""
    if is_ndarray(obj):
        arr = plain_ndarray(obj)
        if arr.dtype.hasobject:
            return False
        held, _cut = broadcast_free(arr)
        return held.size * held.itemsize >= LARGE_VALUE_BYTES
    kind = pandas_kind(obj)
    if kind in ('frame', 'series'):
        return int(obj.size) * 8 >= LARGE_VALUE_BYTES
    return False


def sample_positions(n, spread=SPREAD_POSITIONS, scattered=RANDOM_POSITIONS):
    """Sorted distinct flat positions in [0, n): the same for every value of n elements."""
    key = (n, spread, scattered)
    hit = _positions_cache.get(key)
    if hit is not None:
        return hit
    np = loaded('numpy')
    if n <= 2 * EDGE_POSITIONS + spread + scattered:
        positions = np.arange(n, dtype=np.int64)
    else:
        rng = np.random.Generator(np.random.PCG64(n))
        positions = np.unique(np.concatenate([
            np.arange(EDGE_POSITIONS, dtype=np.int64),
            np.arange(n - EDGE_POSITIONS, n, dtype=np.int64),
            np.linspace(0, n - 1, spread).astype(np.int64),
            rng.integers(0, n, scattered, dtype=np.int64),
        ]))
    if len(_positions_cache) > 64:
        _positions_cache.clear()
    _positions_cache[key] = positions
    return positions


def row_positions(rows):
    return sample_positions(rows, ROW_SPREAD_POSITIONS, ROW_RANDOM_POSITIONS)


def _gather(arr, positions):
    """The elements of `arr` at flat C-order positions, copying only those (`take` only on a
    contiguous array: on a strided one numpy copies the whole array first)."""
    np = loaded('numpy')
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.ndim == 1:
        return arr.take(positions) if arr.flags.c_contiguous else arr[positions]
    if arr.flags.c_contiguous:
        return arr.reshape(-1)[positions]
    return arr[np.unravel_index(positions, arr.shape)]


def _feed_items(h, items):
    """Feeds sampled elements of an object column: exact str and plain scalars by content, any
    other object by its type and identity (no user code runs; a replaced object shows)."""
    lib = getattr(getattr(loaded('pandas'), '_libs', None), 'lib', None)
    if lib is not None and hasattr(lib, 'is_string_array') and lib.is_string_array(items, skipna=False):
        # All str (the common case): one join in C. A separator inside an item could make two
        # samples read alike; an equal sample only ever leads to the full comparison.
        h.update(b'str:')
        h.update('\x1f'.join(items.tolist()).encode('utf-8', 'surrogatepass'))
        return
    parts = []
    for item in items.tolist():
        t = type(item)
        if t is str:
            parts.append('s' + item)
        elif t is int or t is float or t is bool or item is None:
            parts.append('n' + repr(item))
        elif is_sub(t, str):
            parts.append('s' + str.__str__(item))
        else:
            parts.append('o%x:%x' % (id(t), id(item)))
    h.update('\x1f'.join(parts).encode('utf-8', 'surrogatepass'))


def column_values(df, position):
    """A frame's column as its array (numpy, or pandas' extension array), without building a
    Series: iloc costs 30x more, and hooks read every column of a large frame."""
    getter = getattr(df, '_get_column_array', None)
    if getter is not None:
        try:
            return getter(position)
        except Exception:
            pass
    return df.iloc[:, position].array


def numpy_values(values):
    """A column's numpy array (unwrapping pandas' wrapper of a plain one), or None."""
    np = loaded('numpy')
    if isinstance(values, np.ndarray):
        return values
    inner = getattr(values, '_ndarray', None)
    return inner if isinstance(inner, np.ndarray) and inner.ndim == 1 else None


def sampled_values(values, positions):
    """The elements at `positions` of a numpy or extension array, copying only those."""
    np = loaded('numpy')
    values = numpy_values(values) if numpy_values(values) is not None else values
    if isinstance(values, np.ndarray):
        return _gather(values, positions)
    return np.asarray(values.take(positions), dtype=object)


def _feed_sampled_values(h, values, positions):
    np = loaded('numpy')
    sample = sampled_values(values, positions)
    if sample.dtype.hasobject:
        _feed_items(h, sample)
    else:
        h.update(('%s|' % sample.dtype.str).encode())
        h.update(np.ascontiguousarray(sample).view(np.uint8))
    return sample


def _feed_index(h, index, positions):
    pd = loaded('pandas')
    if type(index) is pd.RangeIndex:
        h.update(b'range:%d:%d:%d;' % (index.start, index.stop, index.step))
        return
    h.update(('%s|%s|' % (type(index).__name__, index.dtype)).encode())
    _feed_sampled_values(h, index.array, positions)


def shape_key(obj):
    """What defines a large value's shape, cheap to read: when it differs, the content differs."""
    if is_ndarray(obj):
        arr = plain_ndarray(obj)
        return ('array', arr.dtype.str, arr.shape)
    pd = loaded('pandas')
    if isinstance(obj, pd.DataFrame):
        dtypes = tuple(str(column_values(obj, position).dtype) for position in range(obj.shape[1]))
        return ('frame', tuple(obj.shape), dtypes, _labels_text(obj.columns), type(obj.index).__name__)
    return ('series', tuple(obj.shape), str(obj.dtype), _labels_text([obj.name]), type(obj.index).__name__)


def sample_fingerprint(obj):
    """A digest of a large value's sampled content (its shape is `shape_key`)."""
    h = hashlib.sha256()
    if is_ndarray(obj):
        held, cut = broadcast_free(plain_ndarray(obj))
        h.update(('%r|' % (cut,)).encode())
        _feed_sampled_values(h, held, sample_positions(held.size))
        return h.hexdigest()
    pd = loaded('pandas')
    positions = row_positions(int(obj.shape[0]))
    if isinstance(obj, pd.DataFrame):
        columns = []
        for position in range(obj.shape[1]):
            h.update(b'column:%d:' % position)
            columns.append(_feed_sampled_values(h, column_values(obj, position), positions))
        _last_columns.clear()
        _last_columns[id(obj)] = columns
    else:
        _feed_sampled_values(h, obj.array, positions)
    _feed_index(h, obj.index, positions)
    return h.hexdigest()


def _labels_text(labels):
    out = []
    for label in list(labels):
        t = type(label)
        if t is str or t is int or t is float or t is bool or label is None:
            out.append(repr(label))
        else:
            out.append('o%x:%x' % (id(t), id(label)))
    return '[' + ', '.join(out) + ']'


def sampled_array_stats(arr, array_stats):
    """Statistics of a fixed sample of a large array's elements, marked with the sample's size."""
    np = loaded('numpy')
    arr = plain_ndarray(arr)
    held, _cut = broadcast_free(arr)
    positions = sample_positions(held.size)
    if len(positions) > STATS_SAMPLE:
        positions = positions[np.linspace(0, len(positions) - 1, STATS_SAMPLE).astype(np.int64)]
    stats = array_stats(_gather(held, positions))
    if stats is not None:
        stats['sampled'] = int(len(positions))
    return stats


def sampled_rows(obj):
    """Row positions of a large frame or series for sampled statistics."""
    return row_positions(int(obj.shape[0]))



def sampled_columns(df):
    """(dtype kind, sampled values) of each column of a large frame, at `row_positions`."""
    columns = _last_columns.get(id(df))
    if columns is None or len(columns) != df.shape[1]:
        rows = row_positions(int(df.shape[0]))
        columns = [sampled_values(column_values(df, position), rows) for position in range(df.shape[1])]
    return [(values.dtype.kind, values) for values in columns]
