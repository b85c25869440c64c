"""Object identities of the values an execution bound or mutated: aliasing seen at run time.

For each summarised name: `id()` of its value and the ids of its direct members, read only at C
level (exact list, tuple, set, frozenset, dict values; the instance `__dict__` of a plain class
through its standard slot), and a numpy view takes its base's identity. No user `__iter__`,
`__getattr__`, `__eq__` or property ever runs. Other names are kept only when they hold one of those
objects or have one as a member. Ids are reused once an object dies, so they only say "the same
object at the same moment": lineage compares them within one record, never across records.
"""

import itertools
import sys
import types

MAX_IDENTITY_MEMBERS = 64
MAX_IDENTITY_NAMES = 512
MAX_VIEW_DEPTH = 32

_CONTAINERS = (list, tuple, set, frozenset)
# Never changed in place, and small ones are shared by the interpreter: no aliasing evidence.
_ATOMS = (int, float, complex, str, bytes, bool, type(None), range)


def _one_of(kind, types_):
    # By identity only: `in` would call a metaclass's __eq__ or __hash__.
    for known in types_:
        if kind is known:
            return True
    return False


def object_identities(names, summarised):
    """names: (name, value) pairs of the user namespace; summarised: the names the record summarises.
    Returns {name: {'id': str, 'members': [str]}} (members only when there are any)."""
    try:
        ndarray = _ndarray()
        wanted = set(summarised)
        out = {}
        seen = set()
        others = []
        for name, value in itertools.islice(names, MAX_IDENTITY_NAMES):
            if _one_of(type(value), _ATOMS):
                continue
            if name not in wanted:
                others.append((name, value))
                continue
            ident = _identity(value, ndarray)
            members = [_identity(item, ndarray) for item in _items(value) if not _one_of(type(item), _ATOMS)]
            seen.add(ident)
            seen.update(members)
            out[name] = _encode(ident, members)
        if not out:
            return {}
        for name, value in others:
            # Many names, so only C-level work here: a member that is a view is matched by its own id.
            ident = _identity(value, ndarray)
            shared = seen.intersection(map(id, _items(value)))
            if ident in seen or shared:
                out[name] = _encode(ident, sorted(shared))
        return out
    except KeyboardInterrupt:
        raise
    except BaseException:
        return {}


def _encode(ident, members):
    entry = {'id': str(ident)}
    if members:
        entry['members'] = [str(m) for m in members]
    return entry


def _identity(value, ndarray):
    """id() of the value; a numpy view's is its outermost array base's (the memory they share)."""
    if ndarray is None or type(value) is not ndarray:
        return id(value)
    current = value
    for _ in range(MAX_VIEW_DEPTH):
        base = current.base
        if type(base) is not ndarray:
            break
        current = base
    return id(current)


def _items(value):
    """At most MAX_IDENTITY_MEMBERS direct members, read at C level only (empty when there is no safe way)."""
    kind = type(value)
    if _one_of(kind, _CONTAINERS):
        items = value
    elif kind is dict:
        items = dict.values(value)
    else:
        instance = _instance_dict(value)
        if instance is None:
            return ()
        items = dict.values(instance)
    return itertools.islice(items, MAX_IDENTITY_MEMBERS)


def _instance_dict(value):
    """An instance's own attribute dict, read through the standard slot only: a class with its own
    metaclass or a `__dict__` of its own making is skipped."""
    kind = type(value)
    if type(kind) is not type or kind.__module__ == 'builtins':
        return None
    for klass in kind.__mro__:
        slot = klass.__dict__.get('__dict__')
        if slot is None:
            continue
        if type(slot) is not types.GetSetDescriptorType:
            return None
        try:
            instance = object.__getattribute__(value, '__dict__')
        except Exception:
            return None
        return instance if type(instance) is dict else None
    return None


def _ndarray():
    numpy = sys.modules.get('numpy')
    ndarray = getattr(numpy, '__dict__', {}).get('ndarray') if numpy is not None else None
    return ndarray if isinstance(ndarray, type) else None
