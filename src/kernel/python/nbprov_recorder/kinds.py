"""What a value is, learned without running any of the user's code.

Everything here reads types through `type`'s own C-level descriptors (never `getattr` on a class,
which would run a metaclass `__getattribute__`), tests subclassing by identity in the MRO (never
`isinstance`, which reads `__class__`, nor `issubclass` against ABCs), and reads instances only
through C-level descriptors found in their type (an instance `__dict__` slot, `__slots__` members).
Objects of types not known to be safe are described by type and identity: their `__repr__`,
`__str__`, `__eq__`, `__hash__`, `__len__`, `__iter__`, properties and `__getattr__` never run.
"""

import math
import sys
import types

from .bounds import MAX_REPR_CHARS, MAX_PREVIEW_ITEMS, MAX_STR_VALUE_CHARS

_TYPE_NS = type.__dict__['__dict__']
_TYPE_MRO = type.__dict__['__mro__']
_TYPE_NAME = type.__dict__['__name__']
_TYPE_QUALNAME = type.__dict__['__qualname__']
_TYPE_MODULE = type.__dict__['__module__']
_TYPE_FLAGS = type.__dict__['__flags__']
_EXC_ARGS = BaseException.__dict__['args']
_HEAPTYPE = 1 << 9
_GETSET = types.GetSetDescriptorType
_MEMBER = types.MemberDescriptorType

# Packages whose classes are trusted to have side-effect-free accessors (their own code runs).
TRUSTED_MODEL_PREFIXES = ('sklearn.', 'xgboost.', 'lightgbm.', 'catboost.', 'imblearn.')
PANDAS_PREFIX = 'pandas.'
BUILTIN_BASES = (list, tuple, dict, set, frozenset, str, bytes, bytearray, int, float, complex)


def type_mro(t):
    try:
        mro = _TYPE_MRO.__get__(t)
    except Exception:
        return (t, object)
    return mro if type(mro) is tuple else (t, object)


def type_ns(t):
    """The class namespace (a mappingproxy) without the metaclass."""
    return _TYPE_NS.__get__(t)


def exact_str(value, default='?'):
    """An exact `str` copy of a str or str subclass (through str's own C method), else default."""
    t = type(value)
    if t is str:
        return value
    if is_sub(t, str):
        return str.__str__(value)
    return default


def is_sub(t, base):
    """issubclass by identity in the MRO: no metaclass hook can run."""
    if t is base:
        return True
    for klass in type_mro(t):
        if klass is base:
            return True
    return False


def is_type_in(t, candidates):
    for c in candidates:
        if t is c:
            return True
    return False


def type_module(t):
    try:
        return exact_str(_TYPE_MODULE.__get__(t), '')
    except Exception:
        return ''


def type_qualname(t):
    try:
        return exact_str(_TYPE_QUALNAME.__get__(t))
    except Exception:
        try:
            return exact_str(_TYPE_NAME.__get__(t))
        except Exception:
            return '?'


def type_label(t):
    module = type_module(t)
    name = type_qualname(t)
    return name if module in ('builtins', '') else module + '.' + name


def qualified_type(obj):
    """Qualified name of obj's type: `type(obj)` is C-level, its names come from type's descriptors."""
    try:
        return type_label(type(obj))
    except Exception:
        return '?'


def class_attr(t, name):
    """A class attribute found in the MRO's namespaces (no metaclass, no descriptor binding), or None."""
    for klass in type_mro(t):
        try:
            ns = type_ns(klass)
        except Exception:
            continue
        if name in ns:
            return ns[name]
    return None


def is_heap_type(t):
    try:
        return bool(_TYPE_FLAGS.__get__(t) & _HEAPTYPE)
    except Exception:
        return False


def instance_dict(obj):
    """The instance `__dict__` through the C-level slot descriptor its type created, or None (no
    dict, or a class that replaced `__dict__` with something of its own)."""
    descriptor = class_attr(type(obj), '__dict__')
    if type(descriptor) is not _GETSET:
        return None
    try:
        attrs = descriptor.__get__(obj, type(obj))
    except Exception:
        return None
    return attrs if type(attrs) is dict else None


def slot_values(obj):
    """[(name, value)] of the `__slots__` members set on obj, read through their member descriptors."""
    out = []
    for klass in type_mro(type(obj)):
        if not is_heap_type(klass):
            continue
        try:
            items = list(type_ns(klass).items())
        except Exception:
            continue
        for key, descriptor in items:
            if type(descriptor) is _MEMBER and type(key) is str:
                try:
                    out.append((key, descriptor.__get__(obj, type(obj))))
                except Exception:
                    pass  # an unset slot
    return out


_TYPE_BASICSIZE = type.__dict__['__basicsize__']
_TYPE_DICTOFFSET = type.__dict__['__dictoffset__']
_TYPE_WEAKREFOFFSET = type.__dict__['__weakrefoffset__']
_POINTER = 8 if sys.maxsize > 2 ** 32 else 4


def plain_object_type(t):
    """True when t is a Python class over `object` whose instances keep no state in C: the instance
    dict and the `__slots__` members are all of it. Extension types made with PyType_FromSpec are
    heap types too, so the instance size decides: object's, plus one pointer per member, plus the
    dict and weakref pointers."""
    members = 0
    for klass in type_mro(t):
        if klass is object:
            continue
        if not is_heap_type(klass):
            return False
        for descriptor in list(type_ns(klass).values()):
            if type(descriptor) is _MEMBER:
                members += 1
    try:
        size = _TYPE_BASICSIZE.__get__(t)
        expected = _TYPE_BASICSIZE.__get__(object) + _POINTER * members
        expected += _POINTER if _TYPE_WEAKREFOFFSET.__get__(t) > 0 else 0
        expected += _POINTER if _TYPE_DICTOFFSET.__get__(t) > 0 else 0
    except Exception:
        return False
    return size <= expected


def builtin_base(t):
    """The builtin container/scalar type t is (or derives from), read through that base's own
    C methods so a subclass's overrides never run; None otherwise."""
    for klass in type_mro(t):
        if is_type_in(klass, BUILTIN_BASES):
            return klass
    return None


def truncate(text, limit=MAX_REPR_CHARS):
    if len(text) <= limit:
        return text
    return text[: limit - 1] + '\u2026'


def loaded(module_name):
    return sys.modules.get(module_name)


def _loaded_type(module_name, attr):
    module = loaded(module_name)
    value = module.__dict__.get(attr) if module is not None and type(getattr(module, '__dict__', None)) is dict else None
    return value if type(value) is type or is_sub(type(value), type) else None


def is_ndarray(obj):
    nd = _loaded_type('numpy', 'ndarray')
    return nd is not None and is_sub(type(obj), nd)


def is_numpy_scalar(obj):
    generic = _loaded_type('numpy', 'generic')
    t = type(obj)
    return generic is not None and is_sub(t, generic) and type_module(t) == 'numpy'


def numpy_exact(obj, attr):
    want = _loaded_type('numpy', attr)
    return want is not None and type(obj) is want


def is_numpy_dtype(obj):
    dtype = _loaded_type('numpy', 'dtype')
    t = type(obj)
    return dtype is not None and is_sub(t, dtype) and type_module(t) == 'numpy'


def pandas_kind(obj):
    """'frame', 'series' or 'index' for pandas' own classes (user subclasses are not trusted)."""
    pd = loaded('pandas')
    if pd is None:
        return None
    t = type(obj)
    if not type_module(t).startswith(PANDAS_PREFIX):
        return None
    for attr, kind in (('DataFrame', 'frame'), ('Series', 'series'), ('Index', 'index')):
        base = _loaded_type('pandas', attr)
        if base is not None and is_sub(t, base):
            return kind
    return None


def tensor_kind(obj):
    t = type(obj)
    module = type_module(t)
    if module.startswith('torch'):
        base = _loaded_type('torch', 'Tensor')
        if base is not None and is_sub(t, base):
            return 'torch'
    if module.startswith('tensorflow'):
        for attr in ('Tensor', 'Variable'):
            base = _loaded_type('tensorflow', attr)
            if base is not None and is_sub(t, base):
                return 'tensorflow'
    return None


def _base_estimator():
    base = loaded('sklearn.base')
    value = base.__dict__.get('BaseEstimator') if base is not None else None
    return value if type(value) is type or (value is not None and is_sub(type(value), type)) else None


def trusted_model_type(t):
    return type_module(t).startswith(TRUSTED_MODEL_PREFIXES)


def is_estimator(obj):
    """A scikit-learn-style estimator: derived from sklearn's BaseEstimator, or a trusted
    package's class with get_params and fit."""
    t = type(obj)
    if is_sub(t, type):
        return False
    base = _base_estimator()
    if base is not None and is_sub(t, base):
        return True
    return trusted_model_type(t) and callable(class_attr(t, 'get_params')) and callable(class_attr(t, 'fit'))


def estimator_params(obj):
    """Hyperparameters. A trusted package's estimator answers get_params(deep=False) itself; a
    user-defined one is read from its instance dict (sklearn's convention: parameters are stored
    under their own names; fitted state ends with `_`, private state starts with it)."""
    t = type(obj)
    if trusted_model_type(t):
        get_params = class_attr(t, 'get_params')
        params = get_params(obj, deep=False)
        return params if type(params) is dict else {}
    attrs = instance_dict(obj) or {}
    return {k: v for k, v in attrs.items() if type(k) is str and not k.startswith('_') and not k.endswith('_')}


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


def int_repr(n):
    # Python refuses (or takes quadratic time) to print huge ints; describe them instead.
    return truncate(int.__repr__(n)) if int.bit_length(n) < 4000 else '<int with %d bits>' % int.bit_length(n)


def identity(obj):
    return '<%s object at %#x>' % (qualified_type(obj), id(obj))


_SEQUENCE_OPEN = {list: ('[', ']'), tuple: ('(', ')'), set: ('{', '}'), frozenset: ('frozenset({', '})')}


def _describe_items(items, count, depth, budget):
    parts = []
    for item in items:
        if len(parts) >= MAX_PREVIEW_ITEMS + 3 or budget[0] <= 0:
            break
        parts.append(_describe(item, depth + 1, budget))
    if count > len(parts):
        parts.append('\u2026')
    return ', '.join(parts)


def _describe(obj, depth, budget):
    budget[0] -= 1
    t = type(obj)
    if obj is None or t is bool or t is float or t is complex:
        return repr(obj)
    if t is int:
        return int_repr(obj)
    if t is str:
        return repr(obj[:MAX_STR_VALUE_CHARS]) + ('\u2026' if len(obj) > MAX_STR_VALUE_CHARS else '')
    if t is bytes or t is bytearray:
        return repr(t(obj[:MAX_STR_VALUE_CHARS])) + ('\u2026' if len(obj) > MAX_STR_VALUE_CHARS else '')
    base = builtin_base(t)
    prefix = '' if base is t else type_label(t) + '('
    suffix = '' if base is t else ')'
    if base is None:
        return _describe_other(obj, t, depth, budget)
    if depth > 3:
        return prefix + '\u2026' + suffix
    if base is int:
        return prefix + int_repr(int.__int__(obj)) + suffix
    if base is float:
        return prefix + float.__repr__(obj) + suffix
    if base is complex:
        return prefix + complex.__repr__(obj) + suffix
    if base is str:
        text = str.__str__(obj)
        return prefix + repr(text[:MAX_STR_VALUE_CHARS]) + suffix
    if base is bytes or base is bytearray:
        return prefix + repr(bytes(base.__getitem__(obj, slice(0, MAX_STR_VALUE_CHARS)))) + suffix
    if base is dict:
        count = dict.__len__(obj)
        parts = []
        for key, value in dict.items(obj):
            if len(parts) >= MAX_PREVIEW_ITEMS + 3 or budget[0] <= 0:
                break
            parts.append(_describe(key, depth + 1, budget) + ': ' + _describe(value, depth + 1, budget))
        if count > len(parts):
            parts.append('\u2026')
        return prefix + '{' + ', '.join(parts) + '}' + suffix
    opening, closing = _SEQUENCE_OPEN[base]
    count = base.__len__(obj)
    if count == 0 and base in (set, frozenset):
        return prefix + ('set()' if base is set else 'frozenset()') + suffix
    inner = _describe_items(base.__iter__(obj), count, depth, budget)
    if base is tuple and count == 1:
        inner += ','
    return prefix + opening + inner + closing + suffix


def _describe_other(obj, t, depth, budget):
    deque = loaded('collections').deque
    if t is deque:
        return 'deque([' + _describe_items(deque.__iter__(obj), deque.__len__(obj), depth, budget) + '])'
    if is_sub(t, type):
        return "<class '%s'>" % type_label(obj)
    if t is types.FunctionType:
        return '<function %s>' % exact_str(obj.__qualname__)
    if t is types.BuiltinFunctionType:
        return '<built-in function %s>' % exact_str(obj.__name__)
    if t is range or obj is Ellipsis or obj is NotImplemented:
        return repr(obj)
    if t is slice:
        return 'slice(%s)' % ', '.join(_describe(part, depth + 1, budget) for part in (obj.start, obj.stop, obj.step))
    if is_ndarray(obj):
        return describe_ndarray(obj)
    if is_numpy_scalar(obj):
        return repr(obj)
    if is_numpy_dtype(obj):
        return repr(obj)
    kind = pandas_kind(obj)
    if kind:
        return '<%s of shape %s>' % (type_label(t), tuple(obj.shape))
    tensor = tensor_kind(obj)
    if tensor:
        return '<%s shape=%s dtype=%s>' % (type_qualname(t), list(tuple(obj.shape)), obj.dtype)
    if is_estimator(obj) and depth <= 4:
        return describe_estimator(obj, depth, budget)
    return identity(obj)


def plain_ndarray(arr):
    """The array as a plain numpy.ndarray view: a subclass's overridden methods, properties and
    hooks never run."""
    np = loaded('numpy')
    return arr if type(arr) is np.ndarray else np.ndarray.view(arr, np.ndarray)


def describe_ndarray(arr):
    np = loaded('numpy')
    view = plain_ndarray(arr)
    if view.dtype.hasobject:
        return '<ndarray of shape %s, dtype object>' % (tuple(view.shape),)
    with np.printoptions(threshold=20, edgeitems=3, linewidth=120):
        text = np.ndarray.__repr__(view)
    return text if type(arr) is np.ndarray else '%s(%s)' % (type_label(type(arr)), text)


def _default_params(t):
    """Keyword defaults of the estimator's __init__ (trusted packages only)."""
    init = class_attr(t, '__init__')
    code = getattr(init, '__code__', None) if type(init) is types.FunctionType else None
    if code is None:
        return {}
    out = {}
    defaults = init.__defaults__
    if defaults:
        names = code.co_varnames[: code.co_argcount]
        out.update(zip(names[-len(defaults):], defaults))
    if type(init.__kwdefaults__) is dict:
        out.update(init.__kwdefaults__)
    return out


def _plain_equal(a, b):
    ta = type(a)
    return ta is type(b) and (a is None or is_type_in(ta, (bool, int, float, str))) and a == b


def describe_estimator(obj, depth=0, budget=None):
    """`Name(param=value, …)` with the parameters that differ from their defaults, each described
    safely (a user object among them is shown by type and identity)."""
    budget = budget if budget is not None else [200]
    t = type(obj)
    params = estimator_params(obj)
    defaults = _default_params(t) if trusted_model_type(t) else {}
    parts = []
    for key, value in params.items():
        if type(key) is not str or (key in defaults and _plain_equal(value, defaults[key])):
            continue
        parts.append('%s=%s' % (key, _describe(value, depth + 1, budget)))
    return '%s(%s)' % (type_qualname(t), ', '.join(parts))


def safe_repr(obj, limit=MAX_REPR_CHARS):
    """A bounded description that runs no user code: builtins and trusted types by their own
    renderings, anything else by type and identity. Never raises."""
    try:
        return truncate(_describe(obj, 0, [60]), limit)
    except Exception as exc:
        return truncate('<%s: not described (%s)>' % (qualified_type(obj), type_qualname(type(exc))), limit)


def label(key, limit=80):
    """A dict key or column name as text, without running user code."""
    t = type(key)
    if t is str:
        return truncate(key, limit)
    if is_sub(t, str):
        return truncate(str.__str__(key), limit)
    if key is None or is_type_in(t, (bool, int, float)):
        return truncate(repr(key), limit)
    return safe_repr(key, limit)


_PLAIN_ARG_TYPES = (str, int, float, bool, type(None), bytes)


def safe_message(exc):
    """An exception's message without running user code: builtin exceptions with plain arguments
    by their own str(); anything else by its arguments when they are plain."""
    t = type(exc)
    try:
        args = _EXC_ARGS.__get__(exc)
    except Exception:
        args = ()
    plain = type(args) is tuple and all(is_type_in(type(a), _PLAIN_ARG_TYPES) for a in args)
    if plain and type_module(t) == 'builtins':
        if is_sub(t, OSError):
            plain = all(is_type_in(type(OSError.__dict__[f].__get__(exc)), _PLAIN_ARG_TYPES) for f in ('filename', 'filename2'))
        if plain:
            try:
                return truncate(str(exc), 300)
            except Exception:
                pass
    if plain:
        if len(args) == 1:
            return truncate(str(args[0]) if type(args[0]) is not bytes else repr(args[0]), 300)
        return truncate(repr(args), 300) if args else ''
    return '<%s with %d argument(s)>' % (type_label(t), len(args) if type(args) is tuple else 0)
