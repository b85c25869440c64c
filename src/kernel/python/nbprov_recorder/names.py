"""The names a cell binds and may mutate, from its code."""

import ast
import collections


# Results computed from a cell's code text alone are kept for the codes seen last: Run All, re-runs
# and trials send the same code again. Bounded in codes and in the text they hold together.
MAX_CACHED_CODES = 256
MAX_CACHED_CODE_CHARS = 1_000_000


class CodeCache:
    """code text -> what `compute` made of it, for the most recent codes. Callers must not change
    what they get back (it is shared by every hook that sees the same code)."""

    def __init__(self, compute):
        self.compute = compute
        self.entries = collections.OrderedDict()
        self.chars = 0

    def get(self, code):
        if type(code) is not str or len(code) > MAX_CACHED_CODE_CHARS // 4:
            return self.compute(code)
        hit = self.entries.get(code)
        if hit is not None:
            self.entries.move_to_end(code)
            return hit
        result = self.compute(code)
        self.entries[code] = result
        self.chars += len(code)
        while len(self.entries) > MAX_CACHED_CODES or self.chars > MAX_CACHED_CODE_CHARS:
            oldest, _ = self.entries.popitem(last=False)
            self.chars -= len(oldest)
        return result


_last_parse = [None, None]
MAX_KEPT_TREE_CHARS = 20_000


def parse_cell(code):
    """The module AST of a cell's code, or None if it does not parse. The last tree of an ordinary
    cell is kept: the names here and the scope (scope.py) are read from the same code in one hook."""
    if type(code) is str and _last_parse[0] == code:
        return _last_parse[1]
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        tree = None
    if type(code) is str and len(code) <= MAX_KEPT_TREE_CHARS:
        _last_parse[:] = [code, tree]
    return tree


PURE_BUILTINS = frozenset([
    'len', 'print', 'repr', 'str', 'int', 'float', 'bool', 'abs', 'round', 'min', 'max', 'sum', 'sorted',
    'list', 'tuple', 'set', 'frozenset', 'dict', 'isinstance', 'issubclass', 'type', 'id', 'hash', 'range',
    'enumerate', 'zip', 'any', 'all', 'format', 'divmod', 'pow', 'hex', 'oct', 'bin', 'chr', 'ord',
])


class _NameCollector(ast.NodeVisitor):
    """Names a cell binds (`stored`) and names it may mutate in place (`touched`)."""

    def __init__(self):
        self.stored = set()
        self.touched = set()
        self.global_depth = 0

    @staticmethod
    def _root_name(node):
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.stored.add(node.id)

    def visit_Call(self, node):
        # A method call may mutate its receiver; any call but a pure builtin may mutate a name
        # passed to it (random.shuffle(xs), model.fit(X, y)). Plain reads mutate nothing.
        func = node.func
        if isinstance(func, ast.Attribute):
            root = self._root_name(func.value)
            if root is not None:
                self.touched.add(root)
        if not (isinstance(func, ast.Name) and func.id in PURE_BUILTINS):
            for arg in list(node.args) + [k.value for k in node.keywords]:
                if isinstance(arg, ast.Starred):
                    arg = arg.value
                if isinstance(arg, ast.Name):
                    self.touched.add(arg.id)
        self.generic_visit(node)

    def _mark_target_root(self, node):
        root = self._root_name(node)
        if root is not None and isinstance(node, (ast.Attribute, ast.Subscript)):
            self.touched.add(root)

    def visit_Attribute(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._mark_target_root(node)
        self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._mark_target_root(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self.stored.add(node.name)
        for deco in node.decorator_list:
            self.visit(deco)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.visit(default)
        # Function bodies run later; only `global` statements inside them matter now.
        for child in ast.walk(node):
            if isinstance(child, ast.Global):
                self.touched.update(child.names)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self.stored.add(node.name)
        for child in node.decorator_list + node.bases:
            self.visit(child)

    def visit_Lambda(self, node):
        for default in node.args.defaults:
            self.visit(default)

    def visit_Import(self, node):
        for alias in node.names:
            self.stored.add((alias.asname or alias.name).split('.')[0])

    visit_ImportFrom = visit_Import


def _cell_names(transformed_code):
    tree = parse_cell(transformed_code)
    if tree is None:
        return frozenset(), frozenset()
    collector = _NameCollector()
    collector.visit(tree)
    return frozenset(collector.stored), frozenset(collector.touched)


_names_by_code = CodeCache(_cell_names)


def cell_names(transformed_code):
    """(stored, touched) name sets of a cell's code, or two empty sets if it does not parse."""
    stored, touched = _names_by_code.get(transformed_code)
    return set(stored), set(touched)
