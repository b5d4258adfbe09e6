"""Statements that bind definitions: ``import``, ``from ... import``, ``def``, ``class``.

Library modules (TensorFlow, NumPy, ...) are bound to qualified-name references
(``Ref("tf")``) that the library door resolves; a module of the user's workspace is run once
(its top level, silently) to learn its names. Functions are recorded as defined, so that
those nobody calls are analysed at the end with unknown parameters.
"""

from __future__ import annotations

import ast

from ...domain.names import canonical
from ...domain.values import UNKNOWN, ClassValue, Const, Function, ModuleNamespace, Ref
from ..parse import parse_source
from .scope import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .ports import ExpressionsApi, StatementsApi
    from .state import RunState

LIBRARIES = frozenset({"tf", "np", "tnp", "keras", "os", "sys", "math", "random", "json",
                       "time", "re", "typing", "collections", "itertools", "functools",
                       "pathlib", "dataclasses", "abc", "logging", "argparse", "enum"})
MAX_IMPORT_DEPTH = 4


class Definitions:
    """Imports, functions and classes; handed the run state, the statement part (module
    and class bodies) and the expression part (defaults, decorators, bases)."""

    def __init__(self, state: RunState, statements: StatementsApi,
                 expressions: ExpressionsApi) -> None:
        self.state = state
        self.statements = statements
        self.expressions = expressions

    def exec_Import(self, stmt: ast.Import) -> bool:
        state = self.state
        for alias in stmt.names:
            workspace = self.workspace_module(alias.name, 0)
            bind = state.scope.vars
            if alias.asname:
                bind[alias.asname] = workspace or Ref(canonical(alias.name))
            else:
                root = alias.name.split(".")[0]
                bind[root] = (workspace if "." not in alias.name else None) or \
                    Ref(canonical(root))
        return True

    def exec_ImportFrom(self, stmt: ast.ImportFrom) -> bool:
        workspace = self.workspace_module(stmt.module or "", stmt.level)
        bind = self.state.scope.vars  # (the import above ran its module in a scope of its own)
        for alias in stmt.names:
            bound = alias.asname or alias.name
            if workspace is not None:
                if alias.name == "*":
                    bind.update({k: v for k, v in workspace.vars.items()
                                 if not k.startswith("_")})
                else:
                    bind[bound] = workspace.vars.get(alias.name, UNKNOWN)
                continue
            if stmt.level or not stmt.module or alias.name == "*":
                if alias.name != "*":
                    bind[bound] = UNKNOWN
                continue
            bind[bound] = self.expressions.attribute(Ref(canonical(stmt.module)), alias.name)
        return True

    def workspace_module(self, name: str, level: int) -> ModuleNamespace | None:
        """A module of the user's workspace, run once (its top level) to learn its names.

        Nothing inside it is reported or recorded: it is analysed in its own right when it
        is open. Library modules (TensorFlow, NumPy, ...) never reach the resolver.
        """
        state = self.state
        if state.resolver is None or (not level and canonical(name.split(".")[0]) in LIBRARIES):
            return None
        key = ("." * level) + name
        if key in state.modules:
            return state.modules[key]
        found = state.resolver(key, state.path)
        if found is None or len(state.import_stack) >= MAX_IMPORT_DEPTH or \
                found[0] in state.import_stack:
            return None
        path, source = found
        namespace = ModuleNamespace(key)
        state.modules[key] = namespace
        state.imports.append(path)
        parsed = parse_source(source, path)
        outer_scope, outer_path = state.scope, state.path
        state.scope, state.path = Scope({"__name__": Const(key)}), path
        state.foreign += 1
        state.import_stack.append(path)
        try:
            self.statements.exec_block(parsed.tree.body)
        finally:
            namespace.vars.update(state.scope.vars)
            state.import_stack.pop()
            state.foreign -= 1
            state.scope, state.path = outer_scope, outer_path
            state.just_raised = False
        return namespace

    def exec_FunctionDef(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        state = self.state
        ev = self.expressions
        decorators = tuple(self._decorator_name(d) for d in stmt.decorator_list)
        defaults = tuple(ev.eval(d) for d in stmt.args.defaults)
        kw_defaults = {a.arg: ev.eval(d) for a, d in zip(stmt.args.kwonlyargs,
                                                         stmt.args.kw_defaults) if d}
        # Methods close over the scope enclosing their class, not the class body.
        fn = Function(stmt, state.class_parent or state.scope, defaults, kw_defaults,
                      decorators, foreign=state.foreign > 0)
        if not fn.foreign:
            state.defined.append(fn)
        state.scope.vars[stmt.name] = fn
        return True

    exec_AsyncFunctionDef = exec_FunctionDef

    def _decorator_name(self, node: ast.expr) -> str:
        value = self.expressions.eval(node.func if isinstance(node, ast.Call) else node)
        return value.name if isinstance(value, Ref) else ""

    def exec_ClassDef(self, stmt: ast.ClassDef) -> bool:
        state = self.state
        bases = tuple(self.expressions.eval(b) for b in stmt.bases)
        cls = ClassValue(stmt, {}, bases)
        outer = state.scope
        state.scope = Scope({}, outer)
        state.class_parent = outer  # methods close over the enclosing scope, not the class
        try:
            self.statements.exec_block(stmt.body)
        finally:
            state.class_parent = None
            cls.attrs.update(state.scope.vars)
            state.scope = outer
        for member in cls.attrs.values():
            if isinstance(member, Function):
                member.owner = cls
        outer.vars[stmt.name] = cls
        return True
