"""The names a cell binds and may mutate, from its code."""

import ast


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


def cell_names(transformed_code):
    """(stored, touched) name sets of a cell's code, or two empty sets if it does not parse."""
    try:
        tree = ast.parse(transformed_code)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set(), set()
    collector = _NameCollector()
    collector.visit(tree)
    return collector.stored, collector.touched
