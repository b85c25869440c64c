"""A DataFrame's summary statistics combined from per-column parts, each kept with the column's
memory (RegionMemo), so a frame that gained a column computes the statistics of that column only.
Covers frames whose columns are plain numeric/bool numpy columns or object columns; returns None
for others (the summary then computes them as a whole)."""

import math

from .bounds import STATS_MAX_ELEMENTS
from .hashing import RegionMemo
from .kinds import loaded, stat_number


def _numeric_part(values):
    """(nan count, finite count, min, max, mean, sum of squared deviations) of one numeric column."""
    np = loaded('numpy')
    x = values if values.dtype == np.float64 else values.astype(np.float64)
    with np.errstate(all='ignore'):
        low, high = x.min(), x.max()
        nulls = 0
        if not (math.isfinite(low) and math.isfinite(high)):
            nulls = int(np.isnan(x).sum())
            x = x[np.isfinite(x)]
            if x.size == 0:
                return (nulls, 0, None, None, None, None)
            low, high = x.min(), x.max()
        mean = float(x.mean(dtype=np.float64))
        m2 = float(x.var(dtype=np.float64)) * x.size
    return (nulls, int(x.size), float(low), float(high), mean, m2)


OBJECT_SLICE = 64 * 1024


def _object_nulls(values):
    pd = loaded('pandas')
    lib = getattr(getattr(pd, '_libs', None), 'lib', None)
    if lib is not None and hasattr(lib, 'is_string_array') and all(
            lib.is_string_array(values[start:start + OBJECT_SLICE], skipna=False) for start in range(0, len(values), OBJECT_SLICE)):
        # Every item a str: no nulls (checked in C, about 4x faster than isna), in slices so a
        # background job (deferred.py) never holds the GIL for long.
        return 0
    return int(pd.isna(values).sum())


def _kept(values, kind, compute):
    part = RegionMemo.get(values, kind)
    if part is None:
        part = compute(values)
        RegionMemo.put(values, part, kind)
    return part


def frame_stats(df):
    """The stats dict summaries.py records for a frame, or None when this path does not apply."""
    np = loaded('numpy')
    if not df.size or df.size > STATS_MAX_ELEMENTS:
        return None
    columns = []
    for _name, column in df.items():
        values = column.values
        if not isinstance(values, np.ndarray) or values.ndim != 1:
            return None
        kind = values.dtype.kind
        if kind not in 'biufO':
            return None
        columns.append((kind, values))
    return columns_stats(columns)


def columns_stats(columns, keep=True):
    """The stats dict of a frame's (dtype kind, values) columns; `keep`: reuse and keep each
    column's part with its memory (not for sampled copies)."""
    np = loaded('numpy')
    kept = _kept if keep else (lambda values, _kind, compute: compute(values))
    all_numeric = all(kind in 'biuf' for kind, _ in columns)
    nulls = 0
    parts = []
    for kind, values in columns:
        if kind == 'O':
            nulls += kept(values, 'nulls', _object_nulls)
            continue
        if kind == 'b' and not all_numeric:
            continue  # select_dtypes('number') leaves bools out of a mixed frame's numbers
        part = kept(values if kind != 'b' else values.view(np.uint8), 'stats', _numeric_part)
        nulls += part[0]
        parts.append(part)
    stats = {'nulls': nulls, 'numericColumns': len(parts)}
    if not parts:
        return stats
    finite = [p for p in parts if p[1]]
    count = sum(p[1] for p in finite)
    if not count:
        stats.update({'min': None, 'max': None, 'mean': None, 'std': None})
        return stats
    mean = sum(p[1] * p[4] for p in finite) / count
    m2 = sum(p[5] + p[1] * (p[4] - mean) ** 2 for p in finite)
    stats.update({
        'min': stat_number(min(p[2] for p in finite)),
        'max': stat_number(max(p[3] for p in finite)),
        'mean': stat_number(mean),
        'std': stat_number(math.sqrt(m2 / count)),
    })
    return stats
