"""Fingerprints: cheap before/after identity of user globals, to catch in-place mutation."""

import collections
import types

from .bounds import SMALL_CONTAINER_LEN, time_bound
from .kinds import instance_dict, is_ndarray, is_type_in, pandas_kind, plain_ndarray, tensor_kind
from .hashing import HashMemo, container_hash, heavy_hash, ndarray_hash, pandas_hash, tensor_hash
from .sampling import large_value, sample_fingerprint, shape_key


IMMUTABLE_TYPES = (type(None), int, float, bool, str, bytes, complex, range, types.FunctionType, type,
                   types.BuiltinFunctionType)
CONTAINER_TYPES = (list, tuple, dict, set, frozenset, bytearray, collections.deque)


def _shallow_identity(obj):
    """Identities of a small container's items: catches item assignment, append, pop, … ."""
    t = type(obj)
    if t is dict:
        return tuple((id(k), id(v)) for k, v in obj.items())
    if t is bytearray:
        return bytes(obj)
    if t in (set, frozenset):
        return tuple(sorted(id(v) for v in obj))
    return tuple(id(v) for v in obj)


SAMPLED = 'sampled'


def _fingerprint(obj, deep, sampled=None):
    """A cheap value that changes when obj changes in place. `deep` asks for a content hash
    (only for names the cell's code mentions); without it, no user code runs. `sampled` (the
    background hasher): a large array or frame gets (SAMPLED, (shape, sample digest), content
    hash already known or None) instead of a content hash computed now (see `compare`). A large
    value the background hasher never saw (bound while the recorder was not installed) is
    queued for it, so later cells find its hash."""
    if deep and sampled is not None and large_value(obj):
        known = HashMemo.peek(obj)
        if known is None and not sampled.submitted(obj):
            sampled.submit(None, None, obj, None)
        return (SAMPLED, (shape_key(obj), sample_fingerprint(obj)), known[0] if known is not None else None)
    t = type(obj)
    if is_type_in(t, IMMUTABLE_TYPES):
        return None
    if is_type_in(t, CONTAINER_TYPES):
        n = len(obj)
        if deep:
            return (n, container_hash(obj)[0])
        return (n, _shallow_identity(obj)) if n <= SMALL_CONTAINER_LEN else (n,)
    if is_ndarray(obj):
        view = plain_ndarray(obj)
        base = (view.shape, view.dtype.str, view.__array_interface__['data'][0])
        return base + ((ndarray_hash(obj)[0],) if deep else ())
    kind = pandas_kind(obj)
    if kind:
        base = (obj.shape, id(obj.columns) if kind == 'frame' else str(obj.dtype), id(obj.index))
        return base + ((pandas_hash(obj)[0],) if deep else ())
    tensor = tensor_kind(obj)
    if tensor:
        return (tuple(obj.shape), tensor_hash(obj, tensor)[0] if deep else None)
    if deep and not issubclass(t, (types.ModuleType, types.MethodType)):
        # Through the instance-dict slot: a __getattribute__ or __dict__ property never runs.
        attrs = instance_dict(obj)
        if attrs is not None:
            return tuple(sorted((k, id(v), _fingerprint(v, False)) for k, v in list(attrs.items())[:256] if type(k) is str))
    return None


def guarded_fingerprint(obj, deep, seconds, sampled=None):
    """('ok', fingerprint) or ('failed',). Only deep fingerprints can run user code, so only
    they pay for a timer."""
    try:
        if not deep:
            return ('ok', _fingerprint(obj, False))
        return ('ok', time_bound.call(seconds, _fingerprint, obj, True, sampled))
    except KeyboardInterrupt:
        raise
    except BaseException:
        return ('failed',)


def _full_digest(obj):
    return heavy_hash(obj)[0]


def compare(before, obj, seconds):
    """Whether obj changed since its fingerprint `before` (both 'ok'): 'same', 'changed', or
    'unknown' (the check could not finish). A sampled fingerprint decides by its sample when the
    sample differs; an equal sample proves nothing, so the full content hash is computed and
    compared with the one known before the cell. None was known when the value's background hash
    (deferred.py) had not finished as the cell started: then the answer is 'unknown'."""
    if before[0] != 'ok':
        return 'unknown'
    prior = before[1]
    if type(prior) is tuple and len(prior) == 3 and prior[0] == SAMPLED:
        try:
            if not large_value(obj) or shape_key(obj) != prior[1][0]:
                return 'changed'
            if time_bound.call(seconds, sample_fingerprint, obj) != prior[1][1]:
                return 'changed'
            if prior[2] is None:
                return 'unknown'
            return 'same' if time_bound.call(seconds, _full_digest, obj) == prior[2] else 'changed'
        except KeyboardInterrupt:
            raise
        except BaseException:
            return 'unknown'
    after = guarded_fingerprint(obj, True, seconds)
    if after[0] != 'ok':
        return 'unknown'
    return 'same' if after[1] == prior else 'changed'
