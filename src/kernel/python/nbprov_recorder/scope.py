"""Which user variables a cell can change in place, so the hooks fingerprint only those.

The rule (docs/architecture.md §2, "Change detection"): a cell can mutate, without rebinding,
  1. the names its code may mutate (method receivers, call arguments, subscript/attribute
     targets: names.py; augmented assignment targets), the sources of its loops and of the plain aliases it binds
     (`v = a[2:]`, `s = df.x`), and every name mentioned inside the functions and lambdas it defines;
  2. every global named by notebook code it may call: the functions, classes, instances and
     bound methods reached from the names it mentions, followed transitively through their
     code objects (`co_names` holds globals read, written and declared `global`, and nested
     functions' code is in `co_consts`), plus the objects their closures and partials hold,
     the attributes of notebook classes, the receivers of bound C methods
     (`push = items.append`), the referents of weak references, the functions C wrappers keep
     as `__wrapped__` (lru_cache), and for a suspended generator or coroutine of notebook code,
     what its code names and the locals its frame holds;
  3. every other name whose value shares an object or a buffer with the values of 1 and 2
     (the same object, an item or attribute of it, a numpy view of the same memory, a pandas
     column's array), found by a walk bounded like the content hash itself.
A cell that can reach the namespace itself (globals(), exec, eval, vars, locals, magics via
get_ipython, __main__, sys.modules) may touch anything: every name is a candidate.
"""

import ast
import itertools
import types
import weakref

from .names import PURE_BUILTINS as PURE_BUILTIN_CALLS, CodeCache, parse_cell

from .bounds import MAX_HASH_DEPTH, MAX_HASH_ITEMS
from .hashing import array_root
from .kinds import (
    builtin_base, class_attr, instance_dict, is_ndarray, is_sub, is_type_in, loaded, pandas_kind, type_module,
    type_mro, type_ns
)


DYNAMIC_NAMES = frozenset(['globals', 'exec', 'eval', 'vars', 'locals', 'get_ipython', '__import__', '__main__',
                           'importlib', '__builtins__', 'compile'])
MAX_FOLLOWED_CALLABLES = 2000
MAX_CALLABLES_IN_CONTAINER = 1000


# Methods of numpy arrays and pandas objects that never change their receiver (with no `out=`
# and no true `inplace=`). Some return views; a write through such a view in the same cell roots
# at the receiver (store targets, call arguments, assigned values and receivers of other methods
# are followed through method chains), so it still makes the receiver a candidate.
PURE_ARRAY_METHODS = frozenset([
    'all', 'any', 'argmax', 'argmin', 'argpartition', 'argsort', 'astype', 'choose', 'clip', 'compress',
    'conj', 'conjugate', 'copy', 'cumprod', 'cumsum', 'diagonal', 'dot', 'dump', 'dumps', 'flatten', 'item',
    'max', 'mean', 'min', 'nonzero', 'prod', 'ptp', 'ravel', 'repeat', 'reshape', 'round', 'searchsorted',
    'squeeze', 'std', 'sum', 'swapaxes', 'take', 'tobytes', 'tofile', 'tolist', 'trace', 'transpose', 'var', 'view',
])
PURE_PANDAS_METHODS = frozenset([
    'abs', 'agg', 'aggregate', 'all', 'any', 'astype', 'between', 'clip', 'copy', 'corr', 'count', 'cov', 'cummax',
    'cummin', 'cumprod', 'cumsum', 'describe', 'diff', 'drop', 'drop_duplicates', 'dropna', 'duplicated', 'equals',
    'ewm', 'expanding', 'fillna', 'filter', 'first', 'groupby', 'head', 'idxmax', 'idxmin', 'isin', 'isna', 'isnull',
    'join', 'last', 'max', 'mean', 'median', 'melt', 'memory_usage', 'merge', 'min', 'mode', 'nlargest', 'notna',
    'notnull', 'nsmallest', 'nunique', 'pct_change', 'pivot', 'pivot_table', 'prod', 'quantile', 'query', 'rank',
    'rename', 'replace', 'resample', 'reset_index', 'rolling', 'round', 'sample', 'select_dtypes', 'set_index',
    'shift', 'size', 'sort_index', 'sort_values', 'stack', 'std', 'sum', 'tail', 'to_csv', 'to_dict', 'to_frame',
    'to_json', 'to_list', 'to_numpy', 'to_parquet', 'tolist', 'unique', 'unstack', 'value_counts', 'var', 'where', 'mask',
    'apply', 'map', 'transform', 'pipe',
])


# Methods whose result never shares memory with the receiver: `total = a.sum()` binds no alias.
NEW_RESULT_METHODS = frozenset([
    'agg', 'aggregate', 'all', 'any', 'apply', 'argmax', 'argmin', 'copy', 'count', 'describe', 'idxmax', 'idxmin', 'item',
    'max', 'mean', 'median', 'merge', 'min', 'nlargest', 'nsmallest', 'nunique', 'prod', 'quantile', 'std', 'sum',
    'to_dict', 'to_list', 'tolist', 'transform', 'unique', 'value_counts', 'var', 'map',
])


def _alias_roots(node):
    """Roots of an assigned value that may share memory with it: none when a new-result method
    lies along its chain (`top = merged.nlargest(10, 'x')[cols]` is a new object)."""
    inner = node
    while True:
        if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
            if inner.func.attr in NEW_RESULT_METHODS and _pure_call(inner):
                return set()
            inner = inner.func.value
        elif isinstance(inner, (ast.Attribute, ast.Subscript)):
            inner = inner.value
        else:
            break
    return _ScopeCollector._roots(node)


def _chain(node):
    """(root name, method names called along the way) of a chain of attributes, subscripts and
    method calls (`df['x'].rolling(5).mean` -> ('df', ['rolling']))."""
    methods = []
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            methods.append((node.func.attr, node))
            node = node.func.value
        elif isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        else:
            break
    return (node.id if isinstance(node, ast.Name) else None), methods


def _pure_call(call):
    """A method call that does not change its receiver, if that receiver is an array or a pandas object."""
    method = call.func.attr
    if method not in PURE_ARRAY_METHODS and method not in PURE_PANDAS_METHODS:
        return False
    for kw in call.keywords:
        if kw.arg == 'out' or kw.arg is None:
            return False
        if kw.arg == 'inplace' and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
            return False
    # Callables handed to a method (apply/agg/pipe-style) receive the receiver's data and may
    # change it: only lambdas that call nothing on their parameters, and names (checked against
    # their values: a name bound to a callable makes the call impure, see _pure_methods_only).
    for arg in list(call.args) + [kw.value for kw in call.keywords]:
        if not _harmless_argument(arg, method in CALLBACK_METHODS):
            return False
    return True


CALLBACK_METHODS = frozenset(['agg', 'aggregate', 'apply', 'applymap', 'map', 'pipe', 'transform'])


def _harmless_argument(node, callback):
    if isinstance(node, ast.Lambda):
        return _harmless_lambda(node)
    if isinstance(node, (ast.Constant, ast.Name)):
        return True
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_harmless_argument(e, callback) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(_harmless_argument(e, callback) for e in node.values if e is not None)
    # Any other expression: harmless unless it hides a lambda, or the method calls what it gets.
    return not callback and not any(isinstance(n, ast.Lambda) for n in ast.walk(node))


def _harmless_lambda(node):
    """A lambda that calls nothing on or with its parameters (`lambda i: i % 7`): it cannot
    change the data it is handed."""
    params = set(a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs)
    params |= set(a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None)
    for sub in ast.walk(node.body):
        if isinstance(sub, ast.Lambda):
            return False
        if isinstance(sub, ast.Call):
            used = set()
            for part in [sub.func] + list(sub.args) + [k.value for k in sub.keywords]:
                used |= set(n.id for n in ast.walk(part) if isinstance(n, ast.Name))
            if used & params:
                return False
    return True


def _column_store(node):
    """(name, key) when a store target writes one whole column or part of one column, named by a
    constant: `df['c']`, `df.loc[rows, 'c']`, `df.at[row, 'c']` (key ('label', c)) or
    `df.iloc[rows, 2]`, `df.iat[row, 2]` (key ('pos', 2)); None otherwise."""
    if not isinstance(node, ast.Subscript):
        return None
    if isinstance(node.value, ast.Name):
        if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, (str, int)):
            return node.value.id, ('label', node.slice.value)
        return None
    owner = node.value
    if not (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name) and owner.attr in ('loc', 'at', 'iloc', 'iat')):
        return None
    index = node.slice
    if not (isinstance(index, ast.Tuple) and len(index.elts) == 2 and isinstance(index.elts[1], ast.Constant)):
        return None
    if any(isinstance(n, ast.Lambda) for n in ast.walk(index.elts[0])):
        return None  # a callable row selector receives the frame
    key = index.elts[1].value
    if owner.attr in ('iloc', 'iat'):
        return (owner.value.id, ('pos', key)) if type(key) is int else None
    return (owner.value.id, ('label', key)) if isinstance(key, (str, int, float)) else None


class _ScopeCollector(ast.NodeVisitor):
    """Names the cell loads, names it must treat as mutable beyond names.py's rule, whether it
    can reach the namespace dynamically, and which names it only reads through pure methods."""

    def __init__(self):
        self.loaded = set()
        self.extra_touched = set()
        self.dynamic = False
        self.depth = 0
        self.pure_receivers = set()
        self.pure_call_args = {}
        self.other_touches = set()
        # `df['col'] = …` / `del df['col']`: names whose only change is whole columns set or removed.
        self.column_sets = {}
        # (names bound, names their value may alias), e.g. ({'v'}, {'a'}) for `v = a[2:]`.
        self.aliases = []
        self.module_table_readers = set()

    def resolve_aliases(self):
        """A source counts as changed when a name bound to its alias is changed in the cell
        (transitively: `g = a.T; h = g[1:]; h[0] = 1` changes a)."""
        changed = True
        while changed:
            changed = False
            written = self.other_touches | set(self.column_sets) | set(n for n, args in self.pure_call_args.items() if args)
            for names, roots in self.aliases:
                if names & written and not roots <= self.other_touches:
                    self._other(roots)
                    changed = True

    def _other(self, names):
        self.extra_touched |= names
        self.other_touches |= names

    @staticmethod
    def _roots(node):
        """Names at the root of an expression made of names, attributes, subscripts, method calls,
        starred items and tuples."""
        if isinstance(node, (ast.Tuple, ast.List)):
            out = set()
            for elt in node.elts:
                out |= _ScopeCollector._roots(elt)
            return out
        root, _methods = _chain(node)
        return {root} if root is not None else set()

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute):
            root, methods = _chain(node)
            if root is not None:
                if all(_pure_call(call) for _name, call in methods):
                    self.pure_receivers.add(root)
                    for _name, call in methods:
                        for arg in list(call.args) + [kw.value for kw in call.keywords]:
                            self.pure_call_args.setdefault(root, set()).update(
                                n.id for n in ast.walk(arg) if isinstance(n, ast.Name))
                else:
                    self.other_touches.add(root)
        if not (isinstance(func, ast.Name) and func.id in PURE_BUILTIN_CALLS):
            for arg in list(node.args) + [k.value for k in node.keywords]:
                # What a function receives it may change, views of a receiver included.
                self.other_touches |= self._roots(arg.value if isinstance(arg, ast.Starred) else arg)
        self.generic_visit(node)

    def _store_target(self, node):
        if not isinstance(node.ctx, (ast.Store, ast.Del)):
            return
        column = _column_store(node)
        if column is not None:
            name, key = column
            self.column_sets.setdefault(name, set()).add(key)
            self.extra_touched.add(name)
        else:
            self._other(self._roots(node))

    def visit_Attribute(self, node):
        self._store_target(node)
        if node.attr == 'modules' and isinstance(node.value, ast.Name):
            self.module_table_readers.add(node.value.id)  # `sys.modules['__main__']`, if it is sys
        self.generic_visit(node)

    def visit_Subscript(self, node):
        self._store_target(node)
        self.generic_visit(node)

    def visit_Name(self, node):
        self.loaded.add(node.id)
        if node.id in DYNAMIC_NAMES:
            self.dynamic = True
        if self.depth:
            self._other({node.id})

    def visit_Assign(self, node):
        # `v = a[2:]`, `s = df.x`, `b = a`: the new name may alias (part of) the old object.
        self._alias(node.targets, _alias_roots(node.value))
        self.generic_visit(node)

    def _alias(self, targets, roots):
        """Sources of names bound to a possible alias change only if those names are changed in
        this cell (resolved in code_scope); other targets (`obj.data = a[2:]`) count at once."""
        names = set()
        for target in targets:
            elts = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            for elt in elts:
                if isinstance(elt, ast.Name):
                    names.add(elt.id)
                else:
                    self._other(roots)
        if names and roots:
            self.aliases.append((names, roots))

    def visit_AugAssign(self, node):
        # `b += 1` changes an array or a list in place: whatever shares it changes too.
        self._other(self._roots(node.target))
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self._alias([node.target], _alias_roots(node.value))
        self.generic_visit(node)

    def visit_NamedExpr(self, node):
        self._alias([node.target], _alias_roots(node.value))
        self.generic_visit(node)

    def _loop_source(self, iterable):
        # `for row in rows: row.append(0)` mutates the items of rows.
        self._other(self._roots(iterable))

    def visit_For(self, node):
        self._loop_source(node.iter)
        self.generic_visit(node)

    visit_AsyncFor = visit_For

    def visit_comprehension(self, node):
        self._loop_source(node.iter)
        self.generic_visit(node)

    def visit_withitem(self, node):
        self._other(self._roots(node.context_expr))
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
        self._other(set(node.names))

    visit_Nonlocal = visit_Global


class CodeScope:
    def __init__(self, loaded_names, extra_touched, dynamic, pure_only, pure_call_args=None, column_only=None,
                 module_table_readers=frozenset()):
        self.loaded = loaded_names
        self.extra_touched = extra_touched
        self.dynamic = dynamic
        # Names the cell only reaches through pure methods (and reads): names.py counts a method
        # receiver as touched; for arrays and pandas objects these cannot change, unless a
        # callable among the methods' arguments (pure_call_args) receives their data.
        self.pure_only = pure_only
        self.pure_call_args = pure_call_args or {}
        # name -> column keys, for names the cell changes only by setting or deleting whole columns.
        self.column_only = column_only or {}
        # Names whose `.modules` the cell reads: if one is bound to sys, the cell reaches __main__.
        self.module_table_readers = module_table_readers


def _code_scope(transformed_code):
    tree = parse_cell(transformed_code)
    if tree is None:
        return CodeScope(frozenset(), frozenset(), True, frozenset())
    collector = _ScopeCollector()
    collector.visit(tree)
    collector.resolve_aliases()
    pure_only = collector.pure_receivers - collector.other_touches - collector.extra_touched
    column_only = {n: frozenset(keys) for n, keys in collector.column_sets.items() if n not in collector.other_touches}
    pure_call_args = {n: frozenset(args) for n, args in collector.pure_call_args.items()}
    return CodeScope(frozenset(collector.loaded), frozenset(collector.extra_touched), collector.dynamic,
                     frozenset(pure_only), pure_call_args, column_only, frozenset(collector.module_table_readers))


_scope_by_code = CodeCache(_code_scope)


def code_scope(transformed_code):
    """The CodeScope of a cell's code (shared by every cell with the same code: read it, never
    change it); dynamic when it does not parse."""
    return _scope_by_code.get(transformed_code)


def _follow_code_names(code, user_ns, names, stack):
    """The globals a code object names (nested code included) become candidates, and are walked."""
    found = set()
    _code_names(code, found)
    for name in found:
        if name in user_ns:
            names.add(name)
            stack.append(user_ns[name])


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
                _follow_code_names(value.__code__, user_ns, names, stack)
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
            elif t is types.GeneratorType or t is types.CoroutineType or t is types.AsyncGeneratorType:
                # `list(g)` or `next(g)` resumes notebook code suspended in g: what its code names
                # and the locals it holds may change (frames and their fields are C-level slots).
                frame = _suspended_frame(value, t)
                if frame is None or frame.f_globals is not user_ns:
                    continue
                _follow_code_names(frame.f_code, user_ns, names, stack)
                for local in list(frame.f_locals.values()):
                    objects.append(local)
                    stack.append(local)
            elif t is types.BuiltinMethodType or t is types.MethodWrapperType:
                # `push = items.append; push(1)`, `put = d.__setitem__`: a C method bound to its
                # receiver changes that receiver (`__self__` is a C-level slot of these exact types).
                owner = value.__self__
                if owner is not None and not is_sub(type(owner), types.ModuleType):
                    objects.append(owner)
                    stack.append(owner)
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
                        elif type(attr) is not types.FunctionType:
                            # Class state (`store = []`) its methods may change: `cls.store.append(v)`.
                            objects.append(attr)
                        stack.append(attr)
            elif is_type_in(t, (list, tuple, set, frozenset)):
                stack.extend(_code_items(iter(value)))
            elif t is dict:
                stack.extend(_code_items(iter(dict.values(value))))
            elif type_module(t) == '__main__':
                # An instance of a notebook class: its methods may name globals.
                stack.append(t)
            elif _notebook_function(class_attr(t, '__call__')):
                stack.append(t)
            elif is_sub(t, weakref.ref):
                # `wr().data.append(1)`: calling a weak reference hands over its referent (read
                # through ref's own C call, never a subclass's).
                referent = weakref.ref.__call__(value)
                if referent is not None:
                    objects.append(referent)
                    stack.append(referent)
            else:
                # A C-level wrapper made by functools.wraps (lru_cache, cache) runs the function
                # it keeps as `__wrapped__` in its instance dict.
                attrs = instance_dict(value) if callable(value) else None
                wrapped = attrs.get('__wrapped__') if attrs is not None else None
                if wrapped is not None:
                    stack.append(wrapped)
        except Exception:
            continue
    return names, objects


def _suspended_frame(value, t):
    if t is types.GeneratorType:
        return value.gi_frame
    if t is types.CoroutineType:
        return value.cr_frame
    return value.ag_frame


def _notebook_function(fn):
    return type(fn) is types.FunctionType and fn.__module__ == '__main__'


def _code_items(iterator):
    """The items among a container's first MAX_CALLABLES_IN_CONTAINER that may be or hold code
    (exact ints, floats, strs, … are passed over by the ids of their types, at C speed)."""
    items = list(itertools.islice(iterator, MAX_CALLABLES_IN_CONTAINER))
    return [v for v in items if id(type(v)) not in _ATOM_TYPE_IDS and _maybe_code(v)]


def _maybe_code(value):
    t = type(value)
    return t is types.FunctionType or t is types.MethodType or t is types.BuiltinMethodType or \
        t is types.MethodWrapperType or t is types.GeneratorType or is_sub(t, type) or \
        type_module(t) == '__main__' or is_type_in(t, (list, tuple, dict))


def reach_ids(value, out, budget=None, kinds_of=None):
    """Adds to `out` the ids of the objects whose in-place change would change `value`'s content
    hash: itself, its items and attributes (bounded like the content hash), and the memory
    owners of its numpy buffers and pandas columns. Reads no user attribute through user code.
    Objects of exact int/float/str/… types never change in place: their ids are left out.
    `kinds_of` (id(type) -> (type, kind, detail)) may be shared by the calls of one hook: no
    user code runs within a hook, so no class changes there."""
    budget = budget if budget is not None else [MAX_HASH_ITEMS]
    kinds_of = kinds_of if kinds_of is not None else {}
    stack = [(value, 0)]
    while stack:
        obj, depth = stack.pop()
        t = type(obj)
        if id(t) in _ATOM_TYPE_IDS:
            continue
        key = id(obj)
        if key in out:
            continue
        out.add(key)
        budget[0] -= 1
        if budget[0] < 0:
            return
        if depth > MAX_HASH_DEPTH:
            continue  # too deep for the content hash too; its siblings are still walked
        cached = kinds_of.get(id(t))
        if cached is not None and cached[0] is t:
            kind, detail = cached[1], cached[2]
        else:
            kind, detail = _walk_kind(obj, t)
            kinds_of[id(t)] = (t, kind, detail)
        if kind is _ARRAY:
            out.add(id(array_root(obj)))
        elif kind is _PANDAS:
            if detail != 'index':  # an Index is immutable (pandas refuses in-place writes)
                _pandas_reach(obj, out)
        elif kind is _ITEMS:
            # Builtin containers and their subclasses through the base type's C methods.
            _push_items(stack, detail.__iter__, obj, depth + 1)
        elif kind is _VALUES:
            _push_items(stack, dict.values, obj, depth + 1)
        elif kind is _ATTRS:
            try:
                attrs = detail.__get__(obj, t)
            except Exception:
                continue
            if type(attrs) is dict:
                values = list(itertools.islice(dict.values(attrs), 256))
                stack.extend(zip([v for v in values if id(type(v)) not in _ATOM_TYPE_IDS], itertools.repeat(depth + 1)))


# Exact types whose values never change in place: their ids tell nothing about what a cell changes.
# Compared by id: hashing or comparing a type would run a user metaclass's __hash__ or __eq__.
_ATOM_TYPE_IDS = frozenset(map(id, (int, float, str, bytes, bool, complex, type(None))))

# How reach_ids walks an object of a type: what it adds, and which of its parts it follows.
_ARRAY, _PANDAS, _ITEMS, _VALUES, _ATTRS, _OPAQUE = ('array', 'pandas', 'items', 'values', 'attrs', 'opaque')


def _walk_kind(obj, t):
    """(kind, detail): the base type whose C methods iterate a container, pandas' kind, or the
    instance-dict slot descriptor (never a class's own `__dict__` of its making)."""
    if is_ndarray(obj):
        return _ARRAY, None
    pandas = pandas_kind(obj)
    if pandas:
        return _PANDAS, pandas
    base = builtin_base(t)
    if base is list or base is tuple or base is set or base is frozenset:
        return _ITEMS, base
    if base is dict:
        return _VALUES, None
    if is_sub(t, types.ModuleType) or t is types.FunctionType or is_sub(t, type):
        return _OPAQUE, None
    descriptor = class_attr(t, '__dict__')
    if type(descriptor) is not types.GetSetDescriptorType:
        return _OPAQUE, None
    return _ATTRS, descriptor


def _push_items(stack, items_of, obj, depth):
    """Pushes a container's first MAX_HASH_ITEMS items that could change in place (`items_of` is
    its base type's C iterator). A list of 50,000 floats is passed over at C speed, by the ids of
    its item types and without a copy, instead of walking every float."""
    if set(map(id, map(type, itertools.islice(items_of(obj), MAX_HASH_ITEMS)))) <= _ATOM_TYPE_IDS:
        return
    items = [v for v in itertools.islice(items_of(obj), MAX_HASH_ITEMS) if id(type(v)) not in _ATOM_TYPE_IDS]
    stack.extend(zip(items, itertools.repeat(depth)))


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
                out.add(id(array_root(arr)))
            else:
                for attr in ('_ndarray', '_data', '_mask', '_codes'):
                    inner = getattr(arr, attr, None)
                    if is_ndarray(inner):
                        out.add(id(inner))
                        out.add(id(array_root(inner)))
    except Exception:
        out.add(-1)  # unknown layout: share with everything (see candidates)


def _pure_methods_only(name, value, scope, present):
    if not (is_ndarray(value) or pandas_kind(value) in ('frame', 'series')):
        return False
    for arg in scope.pure_call_args.get(name, ()):
        held = present.get(arg)
        if held is not None and callable(held) and not (is_ndarray(held) or pandas_kind(held)):
            return False
    return True


def _untouched_column_roots(frame, keys):
    """Ids of the memory owners of a frame's blocks that hold none of `keys` (pandas internals,
    read defensively: any surprise protects nothing)."""
    try:
        mgr = frame._mgr
        columns = frame.columns
        touched_blocks = set()
        for how, key in keys:
            if how == 'pos':
                if not -len(columns) <= key < len(columns):
                    return set()
                loc = key % len(columns)
            elif key in columns:
                loc = columns.get_loc(key)
                if not isinstance(loc, int):
                    return set()
            else:
                continue  # a new column: no existing memory written
            touched_blocks.add(int(mgr.blknos[loc]))
        roots = set()
        for number, block in enumerate(mgr.blocks):
            values = block.values
            if not is_ndarray(values):
                return set()
            if number not in touched_blocks:
                roots.add(id(array_root(values)))
        for number in touched_blocks:
            roots.discard(id(array_root(mgr.blocks[number].values)))
        return roots
    except Exception:
        return set()


def _reaches_module_table(scope, user_ns):
    """`sys.modules['__main__']` (or `modules` imported from sys) reaches the namespace itself,
    as globals() does. Values are compared by identity only."""
    sys_module = loaded('sys')
    namespace = getattr(sys_module, '__dict__', None)
    table = namespace.get('modules') if type(namespace) is dict else None
    if any(user_ns.get(name) is sys_module for name in scope.module_table_readers):
        return True
    return table is not None and any(user_ns.get(name) is table for name in scope.loaded)


def candidates(user_names, user_ns, touched, scope):
    """(names, ids, protected): the names (of user_names, a list of (name, value)) whose values
    this cell may change in place; the ids of the objects reachable from them (None when every
    object may change); and, among those, ids of memory owners the cell cannot write to."""
    if scope.dynamic or _reaches_module_table(scope, user_ns):
        return set(name for name, _ in user_names), None, set()
    present = dict(user_names)
    loaded_names = scope.loaded
    touched = set(n for n in touched
                  if not (n in scope.pure_only and n in present and _pure_methods_only(n, present[n], scope, present)))
    touched |= scope.extra_touched
    direct = set(n for n in touched if n in present)
    start = [present[n] for n in (loaded_names | touched) if n in present]
    followed, held = follow_callables(start, user_ns)
    direct |= set(n for n in followed if n in present)
    column_only = set(n for n in direct if n in scope.column_only and pandas_kind(present[n]) == 'frame')
    reach = set()
    budget = [MAX_HASH_ITEMS * 4]
    kinds_of = {}
    for name in direct - column_only:
        reach_ids(present[name], reach, budget, kinds_of)
    for obj in held:
        reach_ids(obj, reach, budget, kinds_of)
    # Memory that only whole-column assignments reach keeps its kept column digests: setting or
    # deleting a column never writes into the other columns' memory.
    other_reach = set(reach)
    protected = set()
    for name in column_only:
        protected |= _untouched_column_roots(present[name], scope.column_only[name])
        reach_ids(present[name], reach, budget, kinds_of)
    protected -= other_reach
    if budget[0] < 0 or -1 in reach:
        return set(present), None, set()
    out = set(direct)
    shared = set()
    if not reach:
        # Nothing the cell can write in place (its candidates hold only exact ints, strs, …):
        # no other value can share it.
        return out, reach, protected
    for name, value in user_names:
        if name in out or is_type_in(type(value), (int, float, str, bytes, bool, type(None), types.FunctionType, type)):
            continue
        mine = set()
        reach_ids(value, mine, None, kinds_of)
        if -1 in mine or not mine.isdisjoint(reach):
            out.add(name)
            shared |= mine
    return out, reach | shared, protected
