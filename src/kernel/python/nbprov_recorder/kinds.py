"""Small helpers: type names, truncation, and type checks that never touch a hostile instance."""

import math
import sys

from .bounds import MAX_REPR_CHARS, SummaryTimeout


def qualified_type(obj):
    t = type(obj)
    module = getattr(t, '__module__', None) or ''
    name = getattr(t, '__qualname__', None) or getattr(t, '__name__', '?')
    return name if module == 'builtins' else module + '.' + name


def truncate(text, limit=MAX_REPR_CHARS):
    if len(text) <= limit:
        return text
    return text[: limit - 1] + '\u2026'


def loaded(module_name):
    return sys.modules.get(module_name)


def is_ndarray(obj):
    np = loaded('numpy')
    return np is not None and issubclass(type(obj), np.ndarray)


def is_numpy_scalar(obj):
    np = loaded('numpy')
    return np is not None and issubclass(type(obj), np.generic)


def pandas_kind(obj):
    pd = loaded('pandas')
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


def tensor_kind(obj):
    t = type(obj)
    torch = loaded('torch')
    torch_tensor = getattr(torch, 'Tensor', None) if torch is not None else None
    if isinstance(torch_tensor, type) and issubclass(t, torch_tensor):
        return 'torch'
    tf = loaded('tensorflow')
    if tf is not None:
        tensor_types = tuple(c for c in (getattr(tf, 'Tensor', None), getattr(tf, 'Variable', None)) if isinstance(c, type))
        if tensor_types and issubclass(t, tensor_types):
            return 'tensorflow'
    return None


def is_estimator(obj):
    t = type(obj)
    return (not issubclass(t, type)) and callable(getattr(t, 'get_params', None)) and callable(getattr(t, 'fit', None))


def json_number(x):
    """A float as JSON: finite numbers as themselves, non-finite as the agreed strings."""
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def stat_number(x):
    try:
        x = float(x)
    except Exception:
        return None
    return x if math.isfinite(x) else None


def safe_repr(obj, limit=MAX_REPR_CHARS):
    """Bounded repr: never raises; a repr that fails says so."""
    try:
        text = repr(obj)
        if not isinstance(text, str):
            text = str(type(text))
    except SummaryTimeout:
        raise
    except BaseException as exc:  # noqa: B036 - user reprs can raise anything
        return '<%s: repr raised %s>' % (qualified_type(obj), type(exc).__name__)
    return truncate(text, limit)


def safe_message(exc):
    try:
        return truncate(str(exc), 300)
    except BaseException:
        return '<unprintable %s>' % type(exc).__name__
