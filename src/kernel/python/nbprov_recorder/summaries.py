"""Bounded value summaries (the ValueSummary records the host stores)."""

import collections
import math

from .bounds import (
    MAX_COLUMNS, MAX_NAME_CHARS, MAX_PREVIEW_ITEMS, MAX_REPR_CHARS, MAX_STR_VALUE_CHARS,
    STATS_MAX_ELEMENTS, SUMMARY_BUDGET_S, SummaryTimeout, time_bound
)
from .kinds import (
    builtin_base, describe_estimator, describe_ndarray, estimator_params, int_repr, is_estimator,
    is_ndarray, is_numpy_scalar, is_sub, is_type_in, json_number, label, loaded, pandas_kind, plain_ndarray,
    qualified_type, safe_message, safe_repr, stat_number, tensor_kind, truncate
)
from .framestats import columns_stats, frame_stats
from .sampling import large_value, sampled_array_stats, sampled_columns, sampled_rows, sampled_values
from .hashing import (
    HashBudget, container_hash, content_hash, feed_state, format_hash, int_value, model_state,
    ndarray_hash, new_hasher, pandas_hash, plain_numpy_dtype, str_hash, tensor_to_numpy, value_hash
)


def _scalar_summary(obj, summary):
    """Fills the summary of None, bool, int, float, str (subclasses read through the base type's
    C methods) and numpy scalars; False for others."""
    t = type(obj)
    base = builtin_base(t)
    if obj is None or t is bool:
        summary['value'] = obj
        summary['repr'] = repr(obj)
    elif base is int:
        n = int.__index__(obj)
        value = int_value(n)
        if value is not None:
            summary['value'] = value
        else:
            summary['hash'] = str_hash(hex(n))
        summary['repr'] = int_repr(n)
    elif base is float:
        x = float.__float__(obj)
        summary['value'] = json_number(x)
        summary['repr'] = repr(x)
    elif base is str:
        text = str.__str__(obj)
        summary['length'] = len(text)
        summary['repr'] = truncate(repr(text[:MAX_REPR_CHARS + 1]))
        if len(text) <= MAX_STR_VALUE_CHARS:
            summary['value'] = text
        else:
            summary['value'] = text[:MAX_STR_VALUE_CHARS] + '\u2026'
            summary['hash'] = str_hash(text)
    elif is_numpy_scalar(obj):
        item = obj.item()
        if type(item) is float:
            summary['value'] = json_number(item)
        elif type(item) is bool:
            summary['value'] = item
        elif type(item) is int and int_value(item) is not None:
            summary['value'] = item
        summary['dtype'] = str(obj.dtype)
        summary['repr'] = safe_repr(obj)
    else:
        return False
    return True


STATS_CHUNK_ELEMENTS = 1 << 20


def _blocks(values):
    """The array in pieces of at most STATS_CHUNK_ELEMENTS elements (views, no copies), so the
    statistics' temporaries stay small whatever the array's size."""
    if values.ndim <= 1:
        values = values.reshape(1) if values.ndim == 0 else values
        for i in range(0, values.shape[0], STATS_CHUNK_ELEMENTS):
            yield values[i:i + STATS_CHUNK_ELEMENTS]
        return
    per_row = values.size // values.shape[0] if values.shape[0] else 0
    if per_row > STATS_CHUNK_ELEMENTS:
        for i in range(values.shape[0]):
            yield from _blocks(values[i])
        return
    rows = max(1, STATS_CHUNK_ELEMENTS // max(1, per_row))
    for i in range(0, values.shape[0], rows):
        yield values[i:i + rows]


def _without_broadcast(arr):
    """(the array with its zero-stride axes cut to length 1, how often each element repeats)."""
    cut = [i for i, (n, stride) in enumerate(zip(arr.shape, arr.strides)) if stride == 0 and n > 1]
    if not cut:
        return arr, 1
    repeat = 1
    for i in cut:
        repeat *= int(arr.shape[i])
    return arr[tuple(slice(0, 1) if i in cut else slice(None) for i in range(arr.ndim))], repeat


def _moments(values):
    """{low, high, count, mean, m2, nulls} of a numeric numpy array (non-finite values left out,
    NaN counted as nulls), or None; bounded in memory: a broadcast view is read as the data it
    really holds (each element repeats equally often, so min, max, mean and std are those of that
    data), and every pass works on bounded pieces."""
    np = loaded('numpy')
    if values.size == 0:
        return None
    values, repeat = _without_broadcast(values)
    if values.size > STATS_MAX_ELEMENTS:
        return None
    kind = values.dtype.kind
    if kind not in 'biuf':
        return None
    low = high = None
    total = 0.0
    count = 0
    nulls = 0
    with np.errstate(all='ignore'):
        for block in _blocks(values):
            if kind == 'b':
                block = block.astype('int8')
            if kind == 'f':
                nulls += int(np.isnan(block).sum())
                block = block[np.isfinite(block)]
            if block.size == 0:
                continue
            b_low, b_high = block.min(), block.max()
            low = b_low if low is None or b_low < low else low
            high = b_high if high is None or b_high > high else high
            total += float(block.sum(dtype='float64'))
            count += int(block.size)
        mean = total / count if count else None
        m2 = 0.0
        if count:
            for block in _blocks(values):
                block = block.astype('float64') if kind != 'f' else block[np.isfinite(block)]
                m2 += float(np.square(block - mean).sum())
    return {'low': low, 'high': high, 'count': count * repeat, 'mean': mean, 'm2': m2 * repeat, 'nulls': nulls * repeat}


def _combine(a, b):
    """Moments of two parts together (Chan et al.'s pairwise update)."""
    if a is None or not a['count']:
        return b if b is not None and (a is None or b['count']) else _merge_nulls(a, b)
    if b is None or not b['count']:
        return _merge_nulls(a, b)
    n = a['count'] + b['count']
    delta = b['mean'] - a['mean']
    return {
        'low': min(a['low'], b['low']), 'high': max(a['high'], b['high']), 'count': n,
        'mean': a['mean'] + delta * b['count'] / n,
        'm2': a['m2'] + b['m2'] + delta * delta * a['count'] * b['count'] / n,
        'nulls': a['nulls'] + b['nulls'],
    }


def _merge_nulls(a, b):
    if a is None:
        return b
    if b is None:
        return a
    out = dict(a if a['count'] else b)
    out['nulls'] = a['nulls'] + b['nulls']
    return out


def _stats_of(moments):
    if moments is None:
        return None
    if not moments['count']:
        return {'min': None, 'max': None, 'mean': None, 'std': None, 'nulls': moments['nulls']}
    return {
        'min': stat_number(moments['low']),
        'max': stat_number(moments['high']),
        'mean': stat_number(moments['mean']),
        'std': stat_number(math.sqrt(moments['m2'] / moments['count'])),
        'nulls': moments['nulls'],
    }


def _array_stats(values):
    """min/max/mean/std/nulls of a numeric numpy array (see _moments)."""
    return _stats_of(_moments(values))


MAX_STATS_COLUMNS = 200


def _same_plain_dtype(dtypes):
    first = dtypes[0] if len(dtypes) else None
    return first is not None and plain_numpy_dtype(first) and all(d == first for d in dtypes)


def _numeric_frame_stats(frame):
    """Statistics over all the values of an all-numeric frame without a float64 copy of it: one
    dtype is read as the frame's own 2-D view, mixed dtypes column by column."""
    if _same_plain_dtype(list(frame.dtypes)):
        return _array_stats(frame.to_numpy())
    if frame.shape[1] > MAX_STATS_COLUMNS:
        return _array_stats(frame.to_numpy(dtype='float64', na_value=float('nan')))
    moments = None
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        values = column.to_numpy() if plain_numpy_dtype(column.dtype) else column.to_numpy(dtype='float64', na_value=float('nan'))
        moments = _combine(moments, _moments(values))
    return _stats_of(moments)


def _ndarray_summary(arr, summary, defer=False):
    arr = plain_ndarray(arr)
    summary['shape'] = [int(n) for n in arr.shape]
    summary['dtype'] = str(arr.dtype)
    summary['length'] = int(arr.shape[0]) if arr.ndim else 1
    summary['repr'] = describe_ndarray(arr)
    _content(summary, defer, lambda: ndarray_hash(arr), lambda: _array_stats(arr) if not arr.dtype.hasobject else None,
             lambda: sampled_array_stats(arr, _array_stats))


def _content(summary, defer, digest_of, exact_stats_of, sampled_stats_of):
    """Fills the content hash and statistics, or, for a large value (`defer`), sampled
    statistics and `deferred: 'pending'` (the hash comes later: deferred.py)."""
    if defer:
        summary['deferred'] = 'pending'
        stats = sampled_stats_of()
    else:
        digest = content_hash(digest_of()[0])
        if digest:
            summary['hash'] = digest
        stats = exact_stats_of()
    if stats is not None:
        summary['stats'] = stats


def _column_names(columns):
    return [label(c, MAX_NAME_CHARS) for c in list(columns[:MAX_COLUMNS])]


def _frame_summary(df, summary, defer=False):
    summary['shape'] = [int(n) for n in df.shape]
    summary['length'] = int(df.shape[0])
    summary['columns'] = _column_names(df.columns)
    summary['dtype'] = {label(c, MAX_NAME_CHARS): str(d) for c, d in list(df.dtypes.items())[:MAX_COLUMNS]}
    more = '' if df.shape[1] <= 8 else ', \u2026'
    summary['repr'] = truncate('<DataFrame %d rows \u00d7 %d columns: %s%s>' % (
        df.shape[0], df.shape[1], ', '.join(summary['columns'][:8]), more))
    _content(summary, defer, lambda: pandas_hash(df), lambda: frame_stats_exact(df), lambda: _sampled_frame_stats(df))


def _sampled_frame_stats(df):
    columns = sampled_columns(df)
    if not all(kind in 'biufO' for kind, _ in columns):
        return None
    stats = columns_stats(columns, keep=False)
    stats['sampled'] = int(len(columns[0][1])) if columns else 0
    return stats


def frame_stats_exact(df):
    """Statistics over all of a frame's values (per-column parts kept across cells: framestats.py)."""
    fast = frame_stats(df)
    if fast is not None:
        return fast
    if df.size <= STATS_MAX_ELEMENTS and df.size and all(plain_numpy_dtype(d) and d.kind in 'biuf' for d in df.dtypes):
        # All numeric (the common case): NaN are the nulls.
        overall = _numeric_frame_stats(df)
        stats = {'nulls': overall['nulls'], 'numericColumns': int(df.shape[1])}
        stats.update({k: v for k, v in overall.items() if k != 'nulls'})
        return stats
    if df.size <= STATS_MAX_ELEMENTS:
        nulls = int(df.isna().to_numpy().sum())
        numeric = df.select_dtypes(include='number')
        stats = {'nulls': nulls, 'numericColumns': int(numeric.shape[1])}
        if numeric.shape[1] and numeric.size:
            overall = _numeric_frame_stats(numeric)
            if overall:
                stats.update({k: v for k, v in overall.items() if k != 'nulls'})
        return stats
    return None


def _series_summary(series, summary, defer=False):
    summary['shape'] = [int(n) for n in series.shape]
    summary['length'] = int(len(series))
    summary['dtype'] = str(series.dtype)
    summary['repr'] = truncate('<%s %r, %d rows, dtype %s>' % (
        type(series).__name__, label(series.name, MAX_NAME_CHARS), len(series), series.dtype))
    _content(summary, defer, lambda: pandas_hash(series), lambda: series_stats_exact(series),
             lambda: _sampled_series_stats(series))


def _sampled_series_stats(series):
    rows = sampled_rows(series)
    stats = series_stats_exact(loaded('pandas').Series(sampled_values(series.array, rows)))
    if stats is not None:
        stats['sampled'] = int(min(len(series), len(rows)))
    return stats


def series_stats_exact(series):
    if series.dtype.kind in 'biuf':
        return _array_stats(series.to_numpy())
    if len(series) <= STATS_MAX_ELEMENTS:
        return {'nulls': int(series.isna().sum())}
    return None


def exact_stats(obj):
    """The statistics a deferred summary's patch carries (deferred.py, off the critical path)."""
    if is_ndarray(obj):
        return _array_stats(plain_ndarray(obj))
    if pandas_kind(obj) == 'frame':
        return frame_stats_exact(obj)
    return series_stats_exact(obj)


def _tensor_summary(obj, kind, summary):
    summary['shape'] = [int(n) for n in tuple(obj.shape)]
    summary['dtype'] = str(obj.dtype)
    arr = tensor_to_numpy(obj, kind)
    summary['hash'] = ndarray_hash(arr)[0]
    stats = _array_stats(arr)
    if stats is not None:
        summary['stats'] = stats
    summary['repr'] = truncate('<%s shape=%s dtype=%s>' % (type(obj).__name__, summary['shape'], summary['dtype']))


def _json_safe(value, depth=0, limit=MAX_STR_VALUE_CHARS):
    """A JSON-compatible, bounded rendering of a parameter or preview value."""
    t = type(value)
    if value is None or t is bool:
        return value
    if t is str:
        return truncate(value, limit)
    if t is int:
        return value if int_value(value) is not None else int_repr(value)
    if t is float:
        return json_number(value)
    if is_numpy_scalar(value):
        return _json_safe(value.item(), depth, limit)
    if depth < 3 and (t is list or t is tuple):
        return [_json_safe(v, depth + 1, limit) for v in value[:MAX_PREVIEW_ITEMS * 2]]
    if depth < 3 and t is dict:
        return {label(k, MAX_NAME_CHARS): _json_safe(v, depth + 1, limit)
                for k, v in list(value.items())[:MAX_PREVIEW_ITEMS * 4]}
    return safe_repr(value, min(limit, 120))


def _estimator_summary(obj, summary):
    params = estimator_params(obj)
    summary['params'] = {label(k, MAX_NAME_CHARS): _json_safe(v) for k, v in list(params.items())[:40]}
    summary['repr'] = truncate(describe_estimator(obj))
    state = model_state(obj)
    if state is not None:
        # Class, hyperparameters and fitted state (never a repr, never an address): the same fit
        # in another process gets the same hash; refitting on other data changes it. A state
        # holding objects known only by identity gets no hash rather than one that could lie.
        h = new_hasher()
        budget = HashBudget()
        feed_state(h, obj, state, budget, 0)
        digest = content_hash(format_hash(h, budget.partial, budget.opaque))
        if digest:
            summary['hash'] = digest


def _preview_item(item):
    t = type(item)
    if item is None or is_type_in(t, (bool, int, str, float)):
        return _json_safe(item, limit=60)
    return safe_repr(item, 60)


def _first_items(iterator, count):
    out = []
    for item in iterator:
        if len(out) >= count:
            break
        out.append(item)
    return out


def _collection_summary(obj, base, summary):
    """Lists, tuples, dicts, sets and deques, subclasses included: read through the base type's C
    methods, so an overridden __len__, __iter__ or items() never runs."""
    summary['length'] = base.__len__(obj)
    if base is dict:
        summary['preview'] = {label(k, MAX_NAME_CHARS): _preview_item(v) for k, v in _first_items(dict.items(obj), MAX_PREVIEW_ITEMS)}
    elif base is set or base is frozenset:
        items = _first_items(base.__iter__(obj), MAX_PREVIEW_ITEMS * 20)
        # Set order is arbitrary: plain items are shown in a stable order, compared in C.
        plain = [v for v in items if is_type_in(type(v), (int, float, str, bool))]
        if len(plain) == len(items):
            try:
                items.sort(key=_plain_sort_key)
            except Exception:
                pass
        summary['preview'] = [_preview_item(v) for v in items[:MAX_PREVIEW_ITEMS]]
    else:
        summary['preview'] = [_preview_item(v) for v in _first_items(base.__iter__(obj), MAX_PREVIEW_ITEMS)]
    digest = content_hash(container_hash(obj)[0])
    if digest:
        summary['hash'] = digest
    summary['repr'] = safe_repr(obj)


def _plain_sort_key(value):
    return (type(value).__name__, repr(value))


def _fill_summary(obj, summary, defer=False):
    if _scalar_summary(obj, summary):
        return
    # A large array or frame: sampled statistics now, hash and exact statistics later (deferred.py).
    defer = defer and large_value(obj)
    if is_ndarray(obj):
        _ndarray_summary(obj, summary, defer)
        return
    kind = pandas_kind(obj)
    if kind == 'frame':
        _frame_summary(obj, summary, defer)
        return
    if kind in ('series', 'index'):
        _series_summary(obj, summary, defer and kind == 'series')
        return
    tensor = tensor_kind(obj)
    if tensor:
        _tensor_summary(obj, tensor, summary)
        return
    base = builtin_base(type(obj))
    if base is list or base is tuple or base is dict or base is set or base is frozenset:
        _collection_summary(obj, base, summary)
        return
    if type(obj) is collections.deque:
        _collection_summary(obj, collections.deque, summary)
        return
    if is_estimator(obj):
        _estimator_summary(obj, summary)
        return
    summary['repr'] = safe_repr(obj)
    if base is None and not is_sub(type(obj), type):
        # Plain Python objects hash by their instance state (no user code runs); objects known
        # only by identity get no hash.
        digest = content_hash(value_hash(obj)[0])
        if digest:
            summary['hash'] = digest


def exact_name(name):
    return name if type(name) is str else label(name, MAX_NAME_CHARS)


def summarize(name, obj, seconds=SUMMARY_BUDGET_S, defer=False):
    """A bounded ValueSummary dict for one value. Never raises (except KeyboardInterrupt).
    `defer`: a large value gets sampled statistics and `deferred: 'pending'` instead of its hash."""
    summary = {'name': exact_name(name), 'type': qualified_type(obj), 'repr': ''}
    try:
        time_bound.call(seconds, _fill_summary, obj, summary, defer)
    except SummaryTimeout:
        summary['error'] = 'summary exceeded its time budget (%.0f ms)' % (seconds * 1000)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B036 - user code can raise anything
        summary['error'] = truncate('summary failed: %s: %s' % (qualified_type(exc), safe_message(exc)))
    if not summary['repr']:
        summary['repr'] = '<%s>' % summary['type']
    return summary
