/**
 * The soundness oracle's observer, Python installed in the test kernel beside nbprov's recorder.
 *
 * What a cell "produced" is what the truth compares between the original and the edited replay.
 * Outputs alone are not enough: `b[2] = 9` prints nothing, yet it changes `a` when `b = a`. So
 * after every cell the observer records its visible effect on the kernel's state:
 *   - the global names the cell touched — rebound (identity changed), mutated (content digest
 *     changed, also through an alias), bound for the first time, or deleted — with the content
 *     digest of each afterwards and the other globals that are the very same object (`b is a`),
 *   - the files under the working directory it created, changed or removed, with content digests.
 * Digests are structural (containers recursively, numpy arrays by dtype/shape/bytes, functions by
 * code, generators and iterators by their position and frame), with shared sub-objects written as
 * back references, so aliasing inside a value is part of it and memory addresses never are.
 * Comparing whole namespaces instead would mark every cell after the edit as changed; comparing
 * only what each cell touched is what makes "this cell's result differs" precise.
 *
 * The observer never consumes an iterator, never flushes an open file (that would change what a
 * later reader sees) and reads files with os.open, which nbprov's recorder does not watch.
 */
export const OBSERVER_SOURCE = String.raw`
import ast as _ast, hashlib as _h, inspect as _inspect, json as _json, os as _os, random as _random, re as _re, sys as _sys, types as _t

_ADDR = _re.compile(r' at 0x[0-9a-fA-F]+')
_ATOMS = (type(None), bool, int, float, complex, str, bytes)
_HIDDEN = {'In', 'Out', 'exit', 'quit', 'get_ipython', 'open'}
_MAX_NODES = 20000
_MAX_FILES = 300


def _qual(t):
    return '%s.%s' % (getattr(t, '__module__', '?'), getattr(t, '__qualname__', getattr(t, '__name__', '?')))


class _Digest:
    def __init__(self):
        self.h = _h.sha1()
        self.refs = {}
        self.nodes = 0

    def w(self, s):
        self.h.update(s.encode('utf-8', 'replace'))

    def feed(self, v, depth=0):
        self.nodes += 1
        if self.nodes > _MAX_NODES or depth > 60:
            self.w('<...>')
            return
        t = type(v)
        if t in _ATOMS:
            self.w(t.__name__ + ':' + repr(v) + ';')
            return
        if id(v) in self.refs:
            self.w('<ref %d>' % self.refs[id(v)])
            return
        self.refs[id(v)] = len(self.refs)
        self.w('(' + _qual(t) + ' ')
        try:
            self.body(v, t, depth + 1)
        except Exception as e:
            self.w('<error %s>' % type(e).__name__)
        self.w(')')

    def body(self, v, t, depth):
        np = _sys.modules.get('numpy')
        pd = _sys.modules.get('pandas')
        if isinstance(v, (list, tuple)):
            for x in v:
                self.feed(x, depth)
        elif isinstance(v, dict):
            for k, x in list(v.items()):
                self.feed(k, depth)
                self.w(':')
                self.feed(x, depth)
        elif isinstance(v, (set, frozenset)):
            self.w(','.join(sorted(digest(x) for x in v)))
        elif np is not None and isinstance(v, np.ndarray):
            self.w('%s%s' % (v.dtype.str, v.shape))
            if v.dtype == object:
                self.feed(v.tolist(), depth)
            else:
                self.w(_h.sha1(np.ascontiguousarray(v).tobytes()).hexdigest())
        elif np is not None and isinstance(v, np.generic):
            self.w(repr(v))
        elif pd is not None and isinstance(v, (pd.DataFrame, pd.Series, pd.Index)):
            self.w(repr(getattr(v, 'dtypes', getattr(v, 'dtype', ''))))
            self.w(v.to_frame().to_csv() if isinstance(v, pd.Index) else v.to_csv())
        elif isinstance(v, _t.FunctionType):
            self.w(v.__qualname__)
            self.code(v.__code__)
            self.feed(v.__defaults__, depth)
            self.feed(v.__kwdefaults__, depth)
            for cell in v.__closure__ or ():
                try:
                    self.feed(cell.cell_contents, depth)
                except ValueError:
                    self.w('<empty>')
        elif isinstance(v, _t.MethodType):
            self.feed(v.__func__, depth)
            self.feed(v.__self__, depth)
        elif isinstance(v, _t.BuiltinFunctionType):
            self.w(getattr(v, '__qualname__', v.__name__))
            owner = getattr(v, '__self__', None)
            if owner is not None and not isinstance(owner, _t.ModuleType):
                self.feed(owner, depth)
        elif isinstance(v, _t.ModuleType):
            self.w(v.__name__)
        elif isinstance(v, type):
            self.w(_qual(v))
            if v.__module__ == '__main__':
                for k in sorted(vars(v)):
                    if k not in ('__dict__', '__weakref__', '__doc__', '__module__', '__qualname__'):
                        self.w(k + '=')
                        self.feed(vars(v)[k], depth)
        elif isinstance(v, _t.GeneratorType):
            self.w(_inspect.getgeneratorstate(v))
            self.code(v.gi_code)
            if v.gi_frame is not None:
                self.w('@%d' % v.gi_frame.f_lasti)
                self.feed(dict(v.gi_frame.f_locals), depth)
        elif hasattr(v, '__next__') and t.__module__ in ('builtins', 'itertools', 'collections'):
            # list/dict/range iterators, map, zip, enumerate, itertools: __reduce__ copies their
            # remaining state without advancing them.
            self.feed(v.__reduce__(), depth)
        elif hasattr(v, 'readable') and hasattr(v, 'closed'):
            self.w('%s %s closed=%s' % (getattr(v, 'name', '?'), getattr(v, 'mode', '?'), v.closed))
        elif hasattr(v, '__dict__') and not isinstance(v, _t.ModuleType):
            self.feed(dict(vars(v)), depth)
        else:
            self.w(_ADDR.sub('', repr(v))[:4000])

    def code(self, c):
        self.w(c.co_code.hex() + repr(c.co_names) + repr(c.co_varnames))
        for k in c.co_consts:
            if isinstance(k, _t.CodeType):
                self.code(k)
            else:
                self.w(repr(k))


def digest(v):
    d = _Digest()
    d.feed(v)
    return d.h.hexdigest()[:20]


def _shares_identity(v):
    return not isinstance(v, _ATOMS + (_t.ModuleType, _t.FunctionType, _t.BuiltinFunctionType, type))


def _read_file(path):
    fd = _os.open(path, _os.O_RDONLY)
    try:
        h = _h.sha1()
        while True:
            chunk = _os.read(fd, 1 << 20)
            if not chunk:
                return h.hexdigest()[:20]
            h.update(chunk)
    finally:
        _os.close(fd)


def _bound_names(shell, raw):
    """Names the cell's own top-level code binds (rebinding an equal int keeps its identity)."""
    try:
        tree = _ast.parse(shell.transform_cell(raw))
    except Exception:
        return set()
    found = set()
    todo = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef)):
            found.add(node.name)
            todo.extend(node.decorator_list)
            continue
        if isinstance(node, (_ast.Lambda, _ast.ListComp, _ast.SetComp, _ast.DictComp, _ast.GeneratorExp)):
            continue
        if isinstance(node, _ast.Name) and isinstance(node.ctx, _ast.Store):
            found.add(node.id)
        elif isinstance(node, (_ast.Import, _ast.ImportFrom)):
            for alias in node.names:
                found.add((alias.asname or alias.name).split('.')[0])
        todo.extend(_ast.iter_child_nodes(node))
    return found


class Observer:
    def __init__(self, shell):
        self.shell = shell
        self.log = []
        self.root = None
        self.before = None
        self.bound = set()
        self.files_before = None

    def names(self):
        ns = self.shell.user_ns
        hidden = getattr(self.shell, 'user_ns_hidden', {})
        out = []
        for k, v in list(ns.items()):
            if not isinstance(k, str) or k.startswith('_') or k in _HIDDEN:
                continue
            if k in hidden and hidden[k] is v:
                continue
            out.append((k, v))
        return out

    def files(self):
        found = {}
        if self.root is None:
            return found
        for base, dirs, files in _os.walk(self.root):
            dirs.sort()
            for f in sorted(files):
                full = _os.path.join(base, f)
                rel = _os.path.relpath(full, self.root)
                try:
                    found[rel] = _read_file(full)
                except OSError as e:
                    found[rel] = '<unreadable %s>' % e.errno
                if len(found) >= _MAX_FILES:
                    return found
        return found

    def snapshot(self):
        return {k: (id(v), digest(v)) for k, v in self.names()}

    def pre(self, info):
        if self.root is None:
            return
        self.before = self.snapshot()
        self.bound = _bound_names(self.shell, getattr(info, 'raw_cell', '') or '')
        self.files_before = self.files()

    def post(self, result):
        if self.root is None or self.before is None:
            return
        values = dict(self.names())
        after = {k: (id(v), digest(v)) for k, v in values.items()}
        touched = {}
        for k, (ident, dg) in after.items():
            if k in self.bound or self.before.get(k) != (ident, dg):
                v = values[k]
                same = sorted(o for o, ov in values.items() if o != k and ov is v) if _shares_identity(v) else []
                touched[k] = {'digest': dg, 'sameAs': same}
        deleted = sorted(k for k in self.before if k not in after)
        files_after = self.files()
        files = {}
        for path in sorted(set(files_after) | set(self.files_before or {})):
            if files_after.get(path) != (self.files_before or {}).get(path):
                files[path] = files_after.get(path, '<deleted>')
        error = getattr(result, 'error_in_exec', None) or getattr(result, 'error_before_exec', None)
        self.log.append({
            'executionCount': getattr(result, 'execution_count', None),
            'touched': touched,
            'deleted': deleted,
            'files': files,
            'error': None if error is None else type(error).__name__ + ': ' + str(error),
        })
        self.before = None


_observer = None


def install(shell):
    global _observer
    if _observer is None:
        _observer = Observer(shell)
        shell.events.register('pre_run_cell', _observer.pre)
        shell.events.register('post_run_cell', _observer.post)
    return True


def begin(shell, root):
    """A fresh run: no user names, its own working directory, seeded random generators."""
    _os.makedirs(root, exist_ok=True)
    _os.chdir(root)
    # What %reset -f does to the user's names, without its history reset and gc pass (slow).
    hidden = getattr(shell, 'user_ns_hidden', {})
    for k in list(shell.user_ns):
        if isinstance(k, str) and k.startswith('_'):
            continue
        if not (k in hidden and hidden[k] is shell.user_ns[k]):
            del shell.user_ns[k]
    for k in ('_', '__', '___'):
        shell.user_ns[k] = ''
    out = hidden.get('Out')
    if isinstance(out, dict):
        out.clear()
    _random.seed(0)
    try:
        import numpy as np
        np.random.seed(0)
    except ImportError:
        pass
    _observer.root = root
    _observer.log = []
    return True


def take():
    log = _observer.log
    _observer.log = []
    _observer.root = None
    return _json.dumps(log)
`;
