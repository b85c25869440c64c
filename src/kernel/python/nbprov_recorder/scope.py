"""Which user variables a cell can change in place, so the hooks fingerprint only those.

The rule (docs/architecture.md §2, "Change detection"): a cell can mutate, without rebinding,
  1. the names its code may mutate (method receivers, call arguments, subscript/attribute
     targets: names.py; augmented assignment targets), the sources of its loops and of the plain aliases it binds
     (`v = a[2:]`, `s = df.x`), and every name mentioned inside the functions and lambdas it defines;
  2. every global named by notebook code it may call: the functions, classes, instances and
     bound methods reached from the names it mentions, followed transitively through their
     code objects (`co_names` holds globals read, written and declared `global`, and nested
     functions' code is in `co_consts`), plus the objects their closures and partials hold;
  3. every other name whose value shares an object or a buffer with the values of 1 and 2
     (the same object, an item or attribute of it, a numpy view of the same memory, a pandas
     column's array), found by a walk bounded like the content hash itself.
A cell that can reach the namespace itself (globals(), exec, eval, vars, locals, magics via
get_ipython, __main__) may touch anything: every name is a candidate.
"""

import ast
import types

from .bounds import MAX_HASH_DEPTH, MAX_HASH_ITEMS
from .kinds import (
    builtin_base, class_attr, instance_dict, is_ndarray, is_sub, is_type_in, loaded, pandas_kind, type_module,
    type_mro, type_ns
)


DYNAMIC_NAMES = frozenset(['globals', 'exec', 'eval', 'vars', 'locals', 'get_ipython', '__import__', '__main__',
                           'importlib', '__builtins__', 'compile'])
MAX_FOLLOWED_CALLABLES = 2000
MAX_CALLABLES_IN_CONTAINER = 1000


class _ScopeCollector(ast.NodeVisitor):
    """Names the cell loads, names it must treat as mutable beyond names.py's rule, and whether it
    can reach the namespace dynamically."""

    def __init__(self):
        self.loaded = set()
        self.extra_touched = set()
        self.dynamic = False
        self.depth = 0

    @staticmethod
    def _roots(node):
        """Names at the root of an expression made of names, attributes, subscripts, starred items and tuples."""
        if isinstance(node, (ast.Tuple, ast.List)):
            out = set()
            for elt in node.elts:
                out |= _ScopeCollector._roots(elt)
            return out
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        return {node.id} if isinstance(node, ast.Name) else set()

    def visit_Name(self, node):
        self.loaded.add(node.id)
        if node.id in DYNAMIC_NAMES:
            self.dynamic = True
        if self.depth:
            self.extra_touched.add(node.id)

    def visit_Assign(self, node):
        # `v = a[2:]`, `s = df.x`, `b = a`: the new name may alias (part of) the old object.
        self.extra_touched |= self._roots(node.value)
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        # `b += 1` changes an array or a list in place: whatever shares it changes too.
        self.extra_touched |= self._roots(node.target)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.extra_touched |= self._roots(node.value)
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        self.extra_touched |= self._roots(node.value)
        self.generic_visit(node)

    def _loop_source(self, iterable):
        # `for row in rows: row.append(0)` mutates the items of rows.
        self.extra_touched |= self._roots(iterable)

    def visit_For(self, node):
        self._loop_source(node.iter)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node):
        self._loop_source(node.iter)
        self.generic_visit(node)

    def visit_withitem(self, node):
        self.extra_touched |= self._roots(node.context_expr)
        self.generic_visit(node)

    def _nested(self, node):
        self.depth += 1
        try:
            self.generic_visit(node)
        finally:
            self.depth -= 1

    visit_FunctionDef = _nested
    visit_AsyncFunctionDef = _nested
    visit_Lambda = _nested
    visit_ClassDef = _nested

    def visit_Global(self, node):
        self.extra_touched.update(node.names)

    visit_Nonlocal = visit_Global


def code_scope(transformed_code):
    """(loaded, extra_touched, dynamic) of a cell's code; dynamic when it does not parse."""
    try:
        tree = ast.parse(transformed_code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set(), set(), True
    collector = _ScopeCollector()
    collector.visit(tree)
    return collector.loaded, collector.extra_touched, collector.dynamic


def _code_names(code, out):
    """Every name a code object and its nested code objects refer to by name."""
    stack = [code]
    seen = set()
    while stack:
        c = stack.pop()
        if id(c) in seen:
            continue
        seen.add(id(c))
        out.update(c.co_names)
        for const in c.co_consts:
            if isinstance(const, types.CodeType):
                stack.append(const)


def _is_notebook_code(fn, user_ns):
    return getattr(fn, '__globals__', None) is user_ns


def follow_callables(start_values, user_ns):
    """(names, objects): the globals that notebook code reachable from start_values names, and
    the objects its closures, partials and bound methods hold (they may be mutated too)."""
    functools = loaded('functools')
    partial_type = getattr(functools, 'partial', None) if functools is not None else None
    names = set()
    objects = []
    seen = set()
    stack = list(start_values)
    followed = 0
    while stack and followed < MAX_FOLLOWED_CALLABLES:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        followed += 1
        t = type(value)
        try:
            if t is types.FunctionType:
                if not _is_notebook_code(value, user_ns):
                    continue
                found = set()
                _code_names(value.__code__, found)
                for name in found:
                    if name in user_ns:
                        names.add(name)
                        stack.append(user_ns[name])
                for cell in value.__closure__ or ():
                    try:
                        contents = cell.cell_contents
                    except ValueError:
                        continue
                    objects.append(contents)
                    stack.append(contents)
                for default in (value.__defaults__ or ()) + tuple((value.__kwdefaults__ or {}).values()):
                    objects.append(default)
            elif t is types.MethodType:
                objects.append(value.__self__)
                stack.append(value.__func__)
                stack.append(value.__self__)
            elif partial_type is not None and t is partial_type:
                stack.append(value.func)
                for arg in tuple(value.args) + tuple(value.keywords.values()):
                    objects.append(arg)
                    stack.append(arg)
            elif is_sub(t, type):
                # Read through type's own descriptors: a metaclass's methods never run.
                if type_module(value) != '__main__':
                    continue
                for klass in type_mro(value):
                    if type_module(klass) != '__main__':
                        continue
                    for attr in list(type_ns(klass).values()):
                        if type(attr) is staticmethod or type(attr) is classmethod:
                            attr = attr.__func__
                        elif type(attr) is property:
                            stack.extend(f for f in (attr.fget, attr.fset, attr.fdel) if f is not None)
                            continue
                        stack.append(attr)
            elif is_type_in(t, (list, tuple, set, frozenset)):
                stack.extend(v for v in list(value)[:MAX_CALLABLES_IN_CONTAINER] if _maybe_code(v))
            elif t is dict:
                stack.extend(v for v in list(value.values())[:MAX_CALLABLES_IN_CONTAINER] if _maybe_code(v))
            elif type_module(t) == '__main__':
                # An instance of a notebook class: its methods may name globals.
                stack.append(t)
            elif _notebook_function(class_attr(t, '__call__')):
                stack.append(t)
        except Exception:
            continue
    return names, objects


def _notebook_function(fn):
    return type(fn) is types.FunctionType and fn.__module__ == '__main__'


def _maybe_code(value):
    t = type(value)
    return t is types.FunctionType or t is types.MethodType or is_sub(t, type) or \
        type_module(t) == '__main__' or is_type_in(t, (list, tuple, dict))


def _array_root(arr):
    """The object that owns an array's memory: the end of its .base chain."""
    np = loaded('numpy')
    base = arr
    for _ in range(64):
        # ndarray's own descriptor: a subclass's attribute hooks never run.
        nxt = np.ndarray.base.__get__(base) if is_ndarray(base) else None
        if nxt is None:
            return base
        base = nxt
    return base


def reach_ids(value, out, budget=None):
    """Adds to `out` the ids of the objects whose in-place change would change `value`'s content
    hash: itself, its items and attributes (bounded like the content hash), and the memory
    owners of its numpy buffers and pandas columns. Reads no user attribute through user code."""
    budget = budget if budget is not None else [MAX_HASH_ITEMS]
    stack = [(value, 0)]
    while stack:
        obj, depth = stack.pop()
        key = id(obj)
        if key in out:
            continue
        out.add(key)
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_HASH_DEPTH:
            return
        t = type(obj)
        if is_type_in(t, (int, float, str, bytes, bool, complex, type(None))):
            continue
        if is_ndarray(obj):
            out.add(id(_array_root(obj)))
            continue
        kind = pandas_kind(obj)
        if kind:
            if kind != 'index':  # an Index is immutable (pandas refuses in-place writes)
                _pandas_reach(obj, out)
            continue
        base = builtin_base(t)
        # Builtin containers and their subclasses through the base type's C methods.
        if base is list or base is tuple or base is set or base is frozenset:
            stack.extend((v, depth + 1) for v in list(base.__iter__(obj))[:MAX_HASH_ITEMS])
        elif base is dict:
            for v in list(dict.values(obj))[:MAX_HASH_ITEMS]:
                stack.append((v, depth + 1))
        else:
            attrs = _instance_dict(obj)
            if attrs is not None:
                stack.extend((v, depth + 1) for v in list(attrs.values())[:256])


def _instance_dict(obj):
    t = type(obj)
    if is_sub(t, types.ModuleType) or t is types.FunctionType or is_sub(t, type):
        return None
    return instance_dict(obj)


def _pandas_reach(obj, out):
    """Memory owners of a frame's, series' or index's arrays (pandas internals, read defensively)."""
    try:
        arrays = []
        mgr = getattr(obj, '_mgr', None)
        if mgr is None:
            out.add(-1)
            return
        # Axes are left out: pandas refuses in-place writes to an Index.
        arrays.extend(getattr(mgr, 'arrays', []))
        # A column taken from a frame writes changes back into it (pandas' item cache).
        cacher = obj.__dict__.get('_cacher') if isinstance(getattr(obj, '__dict__', None), dict) else None
        if isinstance(cacher, tuple) and len(cacher) == 2 and callable(cacher[1]):
            parent = cacher[1]()
            if parent is not None and id(parent) not in out:
                out.add(id(parent))
                _pandas_reach(parent, out)
        for arr in arrays:
            if arr is None:
                continue
            out.add(id(arr))
            if is_ndarray(arr):
                out.add(id(_array_root(arr)))
            else:
                for attr in ('_ndarray', '_data', '_mask', '_codes'):
                    inner = getattr(arr, attr, None)
                    if is_ndarray(inner):
                        out.add(id(inner))
                        out.add(id(_array_root(inner)))
    except Exception:
        out.add(-1)  # unknown layout: share with everything (see candidates)


def candidates(user_names, user_ns, touched, loaded_names, dynamic):
    """(names, ids): the names (of user_names, a list of (name, value)) whose values this cell may
    change in place, and the ids of the objects reachable from them; ids is None when every
    object may change."""
    if dynamic:
        return set(name for name, _ in user_names), None
    present = dict(user_names)
    direct = set(n for n in touched if n in present)
    start = [present[n] for n in (loaded_names | touched) if n in present]
    followed, held = follow_callables(start, user_ns)
    direct |= set(n for n in followed if n in present)
    reach = set()
    budget = [MAX_HASH_ITEMS * 4]
    for name in direct:
        reach_ids(present[name], reach, budget)
    for obj in held:
        reach_ids(obj, reach, budget)
    if budget[0] < 0 or -1 in reach:
        return set(present), None
    out = set(direct)
    shared = set()
    for name, value in user_names:
        if name in out or is_type_in(type(value), (int, float, str, bytes, bool, type(None), types.FunctionType, type)):
            continue
        mine = set()
        reach_ids(value, mine)
        if -1 in mine or not mine.isdisjoint(reach):
            out.add(name)
            shared |= mine
    return out, reach | shared
