"""Bounded value summaries (the ValueSummary records the host stores)."""

import collections
import math

from .bounds import (
    MAX_COLUMNS, MAX_NAME_CHARS, MAX_PREVIEW_ITEMS, MAX_REPR_CHARS, MAX_STR_VALUE_CHARS,
    STATS_MAX_ELEMENTS, SUMMARY_BUDGET_S, SummaryTimeout, time_bound
)
from .kinds import (
    is_estimator, is_ndarray, is_numpy_scalar, json_number, loaded, pandas_kind,
    qualified_type, safe_message, safe_repr, stat_number, tensor_kind, truncate
)
from .hashing import (
    HashBudget, container_hash, feed_state, format_hash, int_value, model_state,
    ndarray_hash, new_hasher, pandas_hash, plain_numpy_dtype, str_hash, tensor_to_numpy
)


def _int_repr(n):
    # Python refuses (or takes quadratic time) to print huge ints; describe them instead.
    return truncate(repr(n)) if n.bit_length() < 4000 else '<int with %d bits>' % n.bit_length()


def _scalar_summary(obj, summary):
    """Fills the summary of None, bool, int, float, str and numpy scalars; False for others."""
    t = type(obj)
    if obj is None or t is bool:
        summary['value'] = obj
        summary['repr'] = repr(obj)
    elif issubclass(t, int) and t.__repr__ is int.__repr__:
        n = int(obj)
        value = int_value(n)
        if value is not None:
            summary['value'] = value
        else:
            summary['hash'] = str_hash(hex(n))
        summary['repr'] = _int_repr(n)
    elif issubclass(t, float) and t.__repr__ is float.__repr__:
        summary['value'] = json_number(float(obj))
        summary['repr'] = repr(float(obj))
    elif issubclass(t, str) and t.__repr__ is str.__repr__:
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


def _array_stats(values):
    """min/max/mean/std/nulls of a numeric numpy array, bounded in size."""
    np = loaded('numpy')
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
            'min': stat_number(low),
            'max': stat_number(high),
            'mean': stat_number(finite.mean(dtype='float64')),
            'std': stat_number(finite.std(dtype='float64')),
            'nulls': nulls,
        }


def _ndarray_summary(arr, summary):
    np = loaded('numpy')
    summary['shape'] = [int(n) for n in arr.shape]
    summary['dtype'] = str(arr.dtype)
    summary['length'] = int(arr.shape[0]) if arr.ndim else 1
    with np.printoptions(threshold=20, edgeitems=3, linewidth=120):
        summary['repr'] = safe_repr(arr)
    summary['hash'] = ndarray_hash(arr)[0]
    stats = _array_stats(arr)
    if stats is not None:
        summary['stats'] = stats


def _column_names(columns):
    return [truncate(str(c), MAX_NAME_CHARS) for c in list(columns[:MAX_COLUMNS])]


def _frame_summary(df, summary):
    summary['shape'] = [int(n) for n in df.shape]
    summary['length'] = int(df.shape[0])
    summary['columns'] = _column_names(df.columns)
    summary['dtype'] = {truncate(str(c), MAX_NAME_CHARS): str(d) for c, d in list(df.dtypes.items())[:MAX_COLUMNS]}
    more = '' if df.shape[1] <= 8 else ', \u2026'
    summary['repr'] = truncate('<DataFrame %d rows \u00d7 %d columns: %s%s>' % (
        df.shape[0], df.shape[1], ', '.join(summary['columns'][:8]), more))
    summary['hash'] = pandas_hash(df)[0]
    if df.size <= STATS_MAX_ELEMENTS and df.size and all(plain_numpy_dtype(d) and d.kind in 'biuf' for d in df.dtypes):
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
    summary['repr'] = truncate('<%s %r, %d rows, dtype %s>' % (
        type(series).__name__, truncate(str(getattr(series, 'name', None)), MAX_NAME_CHARS), len(series), series.dtype))
    summary['hash'] = pandas_hash(series)[0]
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
        return value if int_value(value) is not None else _int_repr(value)
    if t is float:
        return json_number(value)
    if is_numpy_scalar(value):
        return _json_safe(value.item(), depth, limit)
    if depth < 3 and t in (list, tuple):
        return [_json_safe(v, depth + 1, limit) for v in value[:MAX_PREVIEW_ITEMS * 2]]
    if depth < 3 and t is dict:
        return {truncate(str(k), MAX_NAME_CHARS): _json_safe(v, depth + 1, limit)
                for k, v in list(value.items())[:MAX_PREVIEW_ITEMS * 4]}
    return safe_repr(value, min(limit, 120))


def _estimator_summary(obj, summary):
    params = obj.get_params(deep=False)
    summary['params'] = {truncate(str(k), MAX_NAME_CHARS): _json_safe(v) for k, v in list(params.items())[:40]}
    summary['repr'] = safe_repr(obj)
    state = model_state(obj)
    if state is not None:
        # Parameters and fitted state: refitting on other data changes the hash, so trials can
        # say "same model" or "changed".
        h = new_hasher()
        budget = HashBudget()
        feed_state(h, obj, state, budget, 0)
        summary['hash'] = format_hash(h, budget.partial)


def _preview_item(item):
    t = type(item)
    if item is None or t in (bool, int, str, float):
        return _json_safe(item, limit=60)
    return safe_repr(item, 60)


def _collection_summary(obj, summary):
    summary['length'] = len(obj)
    if isinstance(obj, dict):
        summary['preview'] = {truncate(str(k), MAX_NAME_CHARS): _preview_item(v) for k, v in list(obj.items())[:MAX_PREVIEW_ITEMS]}
    elif isinstance(obj, (set, frozenset)):
        items = list(obj)[: MAX_PREVIEW_ITEMS * 20]
        try:
            items.sort(key=repr)
        except Exception:
            pass
        summary['preview'] = [_preview_item(v) for v in items[:MAX_PREVIEW_ITEMS]]
    else:
        summary['preview'] = [_preview_item(v) for v in list(obj[:MAX_PREVIEW_ITEMS] if isinstance(obj, (list, tuple)) else list(obj)[:MAX_PREVIEW_ITEMS])]
    summary['hash'] = container_hash(obj)[0]
    summary['repr'] = _bounded_collection_repr(obj)


def _bounded_collection_repr(obj):
    import reprlib
    r = reprlib.Repr()
    r.maxlist = r.maxtuple = r.maxset = r.maxfrozenset = r.maxdeque = r.maxdict = 8
    r.maxstring = r.maxother = 40
    r.maxlevel = 3
    try:
        return truncate(r.repr(obj))
    except SummaryTimeout:
        raise
    except BaseException:
        return '<%s of %d items>' % (qualified_type(obj), len(obj))


def _fill_summary(obj, summary):
    if _scalar_summary(obj, summary):
        return
    if is_ndarray(obj):
        _ndarray_summary(obj, summary)
        return
    kind = pandas_kind(obj)
    if kind == 'frame':
        _frame_summary(obj, summary)
        return
    if kind in ('series', 'index'):
        _series_summary(obj, summary)
        return
    tensor = tensor_kind(obj)
    if tensor:
        _tensor_summary(obj, tensor, summary)
        return
    if isinstance(obj, (list, tuple, dict, set, frozenset, collections.deque)):
        _collection_summary(obj, summary)
        return
    if is_estimator(obj):
        _estimator_summary(obj, summary)
        return
    summary['repr'] = safe_repr(obj)


def summarize(name, obj, seconds=SUMMARY_BUDGET_S):
    """A bounded ValueSummary dict for one value. Never raises (except KeyboardInterrupt)."""
    summary = {'name': name, 'type': qualified_type(obj), 'repr': ''}
    try:
        time_bound.call(seconds, _fill_summary, obj, summary)
    except SummaryTimeout:
        summary['error'] = 'summary exceeded its time budget (%.0f ms)' % (seconds * 1000)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: B036 - user code can raise anything
        summary['error'] = truncate('summary failed: %s: %s' % (type(exc).__name__, safe_message(exc)))
    if not summary['repr']:
        summary['repr'] = '<%s>' % summary['type']
    return summary
