"""Give a lesson's worked solutions names of their own in the student notebook.

In the student notebook a hidden solution cell must never overwrite what the
student wrote. :func:`rename_solution` rewrites a solution cell so that every
name it binds at the top level (and every name bound by an earlier solution
cell of the lesson) gets the suffix ``_reference``: ``def alpha_kernel`` becomes
``def alpha_kernel_reference``, and a reference ``class PerfectIntegrator(LIFNeuron)``
becomes ``class PerfectIntegrator_reference(LIFNeuron_reference)``, so the chain
of reference solutions is self-consistent and the student's own names are
untouched.

Only the identifiers themselves change; comments, blank lines and layout stay
as the author wrote them. Names local to a function, lambda, comprehension or
class body, attributes (``self.alpha_kernel``) and keyword-argument names
(``f(duration=...)``) are left alone.
"""

from __future__ import annotations

import ast

SUFFIX = "_reference"
IN_USE = "_in_use"


def bound_names(source: str) -> list[str]:
    """Names a cell binds at its top level, in order of first appearance."""
    names: list[str] = []

    def add(name: str) -> None:
        if name not in names:
            names.append(name)

    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            continue  # an import in a solution is the same module for everyone
        else:
            for child in ast.walk(node):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                    add(child.id)
    return names


def _local_names(node) -> set[str]:
    """Names local to the scope that ``node`` (a function, lambda or comprehension) opens."""
    local: set[str] = set()
    arguments = getattr(node, "args", None)
    if isinstance(arguments, ast.arguments):
        every = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        local.update(a.arg for a in every)
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        for generator in node.generators:
            local.update(n.id for n in ast.walk(generator.target) if isinstance(n, ast.Name))
        return local
    body = node.body if isinstance(node.body, list) else [node.body]
    declared_global: set[str] = set()
    for statement in body:
        for child in ast.walk(statement):
            if isinstance(child, (ast.Global, ast.Nonlocal)):
                declared_global.update(child.names)
            elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                local.add(child.id)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                local.add(child.name)
    return local - declared_global


class _Finder(ast.NodeVisitor):
    """Collect the (line, column, name) of every identifier to rename."""

    def __init__(self, targets: set[str], lines: list[str]):
        self.targets = targets
        self.lines = lines
        self.shadowed: list[set[str]] = []
        self.spots: list[tuple[int, int, str]] = []

    def _visible(self, name: str) -> bool:
        return name in self.targets and not any(name in scope for scope in self.shadowed)

    def visit_Name(self, node):
        if self._visible(node.id):
            self.spots.append((node.lineno, node.col_offset, node.id))

    def _definition(self, node, keyword: str):
        if self._visible(node.name) and not self.shadowed:
            line = self.lines[node.lineno - 1]
            column = line.index(f"{keyword} {node.name}") + len(keyword) + 1
            self.spots.append((node.lineno, column, node.name))

    def _scoped(self, node):
        self.shadowed.append(_local_names(node))
        self.generic_visit(node)
        self.shadowed.pop()

    def visit_FunctionDef(self, node):
        self._definition(node, "def")
        for decorator in node.decorator_list:
            self.visit(decorator)
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d]:
            self.visit(default)
        self.shadowed.append(_local_names(node))
        for statement in node.body:
            self.visit(statement)
        self.shadowed.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        self._definition(node, "class")
        for expression in node.bases + node.decorator_list + [k.value for k in node.keywords]:
            self.visit(expression)
        # A class body's own assignments are class attributes, not globals.
        own = {
            n.id
            for statement in node.body
            if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            for n in ast.walk(statement)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        self.shadowed.append(own)
        for statement in node.body:
            self.visit(statement)
        self.shadowed.pop()

    visit_Lambda = _scoped
    visit_ListComp = _scoped
    visit_SetComp = _scoped
    visit_DictComp = _scoped
    visit_GeneratorExp = _scoped


def rename(source: str, targets: set[str], suffix: str = SUFFIX) -> str:
    """``source`` with each identifier in ``targets`` given ``suffix``."""
    lines = source.splitlines(keepends=True)
    finder = _Finder(set(targets), lines)
    finder.visit(ast.parse(source))
    # Columns are UTF-8 byte offsets in the ast; rewrite bytes, right to left.
    encoded = [line.encode() for line in lines]
    for lineno, column, name in sorted(set(finder.spots), reverse=True):
        line = encoded[lineno - 1]
        assert line[column : column + len(name)].decode() == name, (lineno, column, name)
        encoded[lineno - 1] = line[:column] + (name + suffix).encode() + line[column + len(name) :]
    renamed = b"".join(encoded).decode()
    _check_complete(renamed, targets)
    return renamed


def _check_complete(source: str, targets: set[str]) -> None:
    """Fail if a global use of a target survived (e.g. inside an f-string on Python 3.11)."""
    finder = _Finder(set(targets), source.splitlines(keepends=True))
    finder.visit(ast.parse(source))
    left = sorted({name for _, _, name in finder.spots if not name.endswith(SUFFIX)})
    if left:
        raise ValueError(
            f"could not rename {left} in a solution cell (used inside an f-string?); "
            "assign the value to a variable first"
        )


def check_names(source: str) -> list[str]:
    """The names a check cell hands to its checker (its first argument)."""
    call = ast.parse(source).body[0].value
    if not call.args:
        return []
    first = call.args[0]
    elements = first.elts if isinstance(first, ast.Tuple) else [first]
    if not all(isinstance(e, ast.Name) for e in elements):
        return []
    return [e.id for e in elements]


def choosing_check(source: str, names: list[str], student: bool) -> str:
    """Rewrite ``check_x(a)`` so that it also chooses the version later cells use.

    ``feedback = check_x(a)`` then ``a_in_use = feedback.choose(a_reference)``.

    In the solution notebook (``student=False``) the check is strict and the
    worked solution is its own reference.
    """
    tree = ast.parse(source)
    call = tree.body[0].value
    if not student:
        call.keywords = [k for k in call.keywords if k.arg != "strict"]
        call.keywords.append(ast.keyword(arg="strict", value=ast.Constant(True)))
    check = ast.unparse(call)
    suffix = SUFFIX if student else ""
    reference = ", ".join(name + suffix for name in names)
    targets = ", ".join(name + IN_USE for name in names)
    if len(names) > 1:
        reference = f"({reference})"
    return f"feedback = {check}\n{targets} = feedback.choose({reference})\n"


def uses_name(source: str, names: set[str]) -> set[str]:
    """Which of ``names`` a cell reads as globals."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    finder = _Finder(set(names), source.splitlines(keepends=True))
    finder.visit(tree)
    return {name for _, _, name in finder.spots}
