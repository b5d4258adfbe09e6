"""The statement interpreter: abstract execution of a module, functions and classes.

Branches are analysed on both sides and joined; loops over short known sequences are
unrolled, others iterate to a fixpoint; user functions are analysed at their call sites with
the argument values (memoised, depth-bounded) and, if never called, once with unknown
parameters. Only the first time a statement is reached feeds the per-assignment shapes.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Callable

from ..rules.catalogue import BY_CODE, Severity
from ..structs import Mutable
from .handled import caught_names, handles, with_catches
from .memo import context_key, mutable, yields
from .names import canonical
from .parse import parse_source
from .results import Fix
from .scope import Scope, join_env
from .tape import TapeMixin
from .values import (
    NONE,
    UNKNOWN,
    ClassValue,
    Const,
    Function,
    Instance,
    ListOf,
    ModuleNamespace,
    Ref,
    Seq,
    TapeValue,
    Tensor,
    Value,
    join,
)

# resolver(module, importing path) -> (path, source) of a workspace module, or None.
Resolver = Callable[[str, str], "tuple[str, str] | None"]
LIBRARIES = frozenset({"tf", "np", "tnp", "keras", "os", "sys", "math", "random", "json",
                       "time", "re", "typing", "collections", "itertools", "functools",
                       "pathlib", "dataclasses", "abc", "logging", "argparse", "enum"})
MAX_IMPORT_DEPTH = 4
MAX_CALL_DEPTH = 8
MAX_LOOP_PASSES = 4
MAX_UNROLL = 16


_SIMPLE = (ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Assert)


class BudgetExceeded(Exception):
    """The analysis ran out of its time budget; results so far stand."""


class Frame(Mutable):
    """A function call being analysed: what it has returned and yielded so far."""

    __slots__ = ("fn", "returns", "yields", "unknown")

    def __init__(self, fn: Function | None, unknown: bool = False) -> None:
        self.fn = fn
        self.returns: list[Value] = []
        self.yields: list[Value] = []
        # Analysed without its arguments (nobody called it): the point of execution, and so
        # the state of the objects it reads, is unknown.
        self.unknown = unknown


class RawFinding(Mutable):
    """A finding still pointing at its syntax node (positions are taken once, at the end)."""

    __slots__ = ("code", "message", "node", "severity", "fix", "alternatives", "related")

    def __init__(self, code: str, message: str, node: ast.AST, severity: str,
                 fix: Fix | None = None, alternatives: tuple[Fix, ...] = (),
                 related: tuple[tuple[ast.AST, str], ...] = ()) -> None:
        self.code = code
        self.message = message
        self.node = node
        self.severity = severity
        self.fix = fix
        self.alternatives = alternatives
        self.related = related  # other places the message refers to


class Interpreter(TapeMixin):
    def __init__(self, tree: ast.Module, deadline: float | None = None,
                 resolver: Resolver | None = None, path: str = "<string>"):
        super().__init__()
        self.tree = tree
        self.resolver = resolver
        self.path = path
        self.modules: dict[str, ModuleNamespace] = {}
        self.imports: list[str] = []  # paths of workspace modules this file depends on
        self.import_stack: list[str] = [path]
        self.scope = Scope({"__name__": Const("__main__")})
        self.module_scope = self.scope
        self.frames: list[Frame] = [Frame(None)]
        self.findings: dict[tuple[int, int, str], RawFinding] = {}
        self.assignments: dict[tuple[int, str], tuple[ast.Name, Value]] = {}
        self.expressions: dict[tuple[int, int, int, int], Value] = {}
        self.failed_rules: set[str] = set()
        self.memo: dict[tuple[object, ...], Value] = {}
        self.defined: list[Function] = []
        self.called: set[Function] = set()
        self.deadline = deadline
        self.unroll_depth = 0
        self._class_parent: Scope | None = None
        self.raised = 0  # proven errors reported so far (a raising statement ends its block)
        self.loop_signal: str | None = None  # "break"/"continue" that ended the last block
        self.partial_exits = 0  # branches dropped because they left the block
        self.just_raised = False  # the last statement ended its block by certainly raising
        self.catching: list[frozenset[str]] = []  # what each enclosing try body catches

    # ------------------------------------------------------------------ entry points
    def run(self) -> None:
        self.exec_block(self.tree.body)
        # A module that certainly raises leaves this set: a function analysed below would
        # take its first ``return`` for a raise and analyse what follows it.
        self.just_raised = False
        for fn in list(self.defined):  # analyse functions nobody called
            if fn not in self.called:
                self.call_function(fn, [], {}, fn.node, unknown_params=True)

    def report(self, code: str, message: str, node: ast.AST, fix: Fix | None = None,
               severity: str | None = None, alternatives: tuple[Fix, ...] = (),
               related: tuple[tuple[ast.AST, str], ...] = ()) -> None:
        if self.dead or self.foreign:
            return  # unreachable after a statement that certainly raises, or another module
        severity = severity or BY_CODE[code].severity.value
        if handles(code, self.catching):  # caught by an enclosing try: it still raises
            if severity == Severity.ERROR.value:
                self.raised += 1
            return
        key = (node.lineno, node.col_offset, code)  # type: ignore[attr-defined]
        self.findings.setdefault(key, RawFinding(code, message, node, severity, fix,
                                                 alternatives, related))
        if severity == Severity.ERROR.value:
            self.raised += 1

    # ------------------------------------------------------------------ statements
    def exec_block(self, body: list[ast.stmt]) -> bool:
        """Run statements; False once control provably leaves the block.

        After a statement that certainly raises, the rest of the block is still analysed for
        its shapes (hover, inlay hints) but reports nothing: it is unreachable on this path.
        """
        for i, stmt in enumerate(body):
            if self.deadline is not None and time.perf_counter() > self.deadline:
                raise BudgetExceeded
            if not self.exec_stmt(stmt):
                if self.just_raised:
                    self.just_raised = False
                    self.dead += 1
                    try:
                        self.exec_block(body[i + 1:])
                    finally:
                        self.dead -= 1
                    self.just_raised = True  # the enclosing block is dead from here too
                return False
        return True

    def exec_stmt(self, stmt: ast.stmt) -> bool:
        method = getattr(self, "exec_" + stmt.__class__.__name__, None)
        if method is None:
            return True
        raised = self.raised
        try:
            # A statement that certainly raises ends its block, like `raise`.
            flows = method(stmt)
            if flows and self.raised != raised and isinstance(stmt, _SIMPLE):
                self.just_raised = True
                return False
            return flows
        except (BudgetExceeded, RecursionError):
            raise
        except Exception:  # isolate an engine bug to this statement
            import logging

            logging.getLogger(__name__).exception("analysis of line %s failed", stmt.lineno)
            return True

    def exec_Expr(self, stmt: ast.Expr) -> bool:
        value = stmt.value
        if isinstance(value, ast.Yield):
            self.frames[-1].yields.append(self.eval(value.value))
            return True
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
                value.func.attr in ("append", "extend") and \
                isinstance(value.func.value, ast.Name) and len(value.args) == 1:
            self.grow_list(value.func.value, value.func.attr, self.eval(value.args[0]))
            return True
        self.eval(value)
        return True

    def grow_list(self, name: ast.Name, method: str, arg: Value) -> None:
        """``xs.append(v)`` / ``xs.extend(vs)`` rebinds ``xs`` (values are immutable)."""
        current = self.eval(name)
        if method == "extend":
            new = self.binary("add", current, arg, name) if isinstance(arg, Seq) \
                else UNKNOWN
        elif isinstance(current, Seq) and current.kind == "list":
            new = Seq((*current.items, arg), "list")
        elif isinstance(current, ListOf):
            new = ListOf(join(current.element, arg))
        else:
            return
        scope: Scope | None = self.scope
        while scope is not None and name.id not in scope.vars:
            scope = scope.parent
        if scope is not None:
            scope.vars[name.id] = new

    def exec_Assign(self, stmt: ast.Assign) -> bool:
        value = self.eval(stmt.value)
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            # Only a plain tensor replacing a variable matters; looking the old value up
            # otherwise would make every assignment depend on what the name held before.
            old = self.scope.lookup(name) if isinstance(value, Tensor) and \
                value.kind != "variable" else None
            self.note_rebinding(name, old, value, stmt.lineno)
        for target in stmt.targets:
            self.bind(target, value)
        if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and not self.foreign:
            self.assignments.setdefault((stmt.lineno, stmt.targets[0].id),
                                        (stmt.targets[0], value))
        return True

    def exec_AnnAssign(self, stmt: ast.AnnAssign) -> bool:
        if stmt.value is not None:
            value = self.eval(stmt.value)
            self.bind(stmt.target, value)
            if isinstance(stmt.target, ast.Name) and not self.foreign:
                self.assignments.setdefault((stmt.lineno, stmt.target.id),
                                            (stmt.target, value))
        return True

    def exec_AugAssign(self, stmt: ast.AugAssign) -> bool:
        from .evaluate import _BINOPS

        current = self.eval(stmt.target) if isinstance(stmt.target, ast.Name) else UNKNOWN
        value = self.eval(stmt.value)
        name = _BINOPS.get(type(stmt.op))
        result = self.binary(name, current, value, stmt) if name else UNKNOWN
        self.bind(stmt.target, result)
        return True

    def bind(self, target: ast.expr, value: Value) -> None:
        if isinstance(target, ast.Name):
            self.scope.vars[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            parts = self.unpack(value, len(target.elts))
            starred = any(isinstance(e, ast.Starred) for e in target.elts)
            for i, elt in enumerate(target.elts):
                part = UNKNOWN if starred or parts is None else parts[i]
                self.bind(elt.value if isinstance(elt, ast.Starred) else elt, part)
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value)
            if isinstance(owner, Instance):
                owner.attrs[target.attr] = value
        elif isinstance(target, ast.Subscript):
            self.eval(target.value)

    def unpack(self, value: Value, n: int) -> list[Value] | None:
        if isinstance(value, Seq) and len(value.items) == n:
            return list(value.items)
        if isinstance(value, Tensor) and value.shape and value.shape[0] == n:
            return [self.call_library("operator.getitem", [value, Const(i)], {}, None,
                                      numpy=value.kind == "ndarray") for i in range(n)]
        return None

    def exec_If(self, stmt: ast.If) -> bool:
        test = self.eval(stmt.test)
        if isinstance(test, Const):
            return self.exec_block(stmt.body if test.value else stmt.orelse)
        return self.branches([stmt.body, stmt.orelse])

    def branches(self, bodies: list[list[ast.stmt]]) -> bool:
        before = self.scope.vars
        results: list[dict[str, Value]] = []
        for body in bodies:
            self.scope.vars = before.copy()
            if self.exec_block(body):
                results.append(self.scope.vars)
        if not results:
            self.scope.vars = before.copy()
            return False
        self.just_raised = False
        if len(results) < len(bodies):
            self.partial_exits += 1  # some path left the block (break/return/raise)
            self.loop_signal = None
        merged = results[0]
        for other in results[1:]:
            merged = join_env(merged, other)
        self.scope.vars = merged
        return True

    def exec_Break(self, stmt: ast.Break) -> bool:
        self.loop_signal = "break"
        return False

    def exec_Continue(self, stmt: ast.Continue) -> bool:
        self.loop_signal = "continue"
        return False

    def exec_For(self, stmt: ast.For) -> bool:
        iterable = self.eval(stmt.iter)
        self.note_loop(iterable, stmt)
        items = self.iteration_items(iterable)
        if items is not None and self.unroll_depth < 2:
            return self.unroll(stmt, items)
        else:
            element = self.element_of(iterable)
            self.fixpoint(stmt.body, lambda: self.bind(stmt.target, element))
        self.exec_block(stmt.orelse)
        return True

    def unroll(self, stmt: ast.For, items: list[Value]) -> bool:
        """Run the body once per known item. If an iteration may leave the loop early (a
        dropped branch that breaks or returns), the rest is analysed as a fixpoint, where no
        None-gradient is claimed."""
        self.unroll_depth += 1
        try:
            for i, item in enumerate(items):
                self.loop_signal = None
                exits = self.partial_exits
                self.bind(stmt.target, item)
                if not self.exec_block(stmt.body):
                    if self.loop_signal == "continue":
                        continue
                    if self.loop_signal == "break":
                        break
                    return False
                if self.partial_exits != exits and i + 1 < len(items):
                    rest = items[i + 1]
                    for other in items[i + 2:]:
                        rest = join(rest, other)
                    self.fixpoint(stmt.body, lambda rest=rest: self.bind(stmt.target, rest),
                                  replay_all=True)
                    break
        finally:
            self.unroll_depth -= 1
        self.loop_signal = None
        self.exec_block(stmt.orelse)
        return True

    def iteration_items(self, iterable: Value) -> list[Value] | None:
        if isinstance(iterable, Seq) and len(iterable.items) <= MAX_UNROLL:
            return list(iterable.items)
        return None

    def exec_While(self, stmt: ast.While) -> bool:
        self.eval(stmt.test)
        self.fixpoint(stmt.body, lambda: None)
        self.exec_block(stmt.orelse)
        return True

    def fixpoint(self, body: list[ast.stmt], bind_target: object,
                 replay_all: bool = False) -> None:
        before = self.scope.vars
        state = before.copy()
        for i in range(MAX_LOOP_PASSES):
            self.scope.vars = state.copy()
            bind_target()  # type: ignore[operator]
            replay = i > 0 or replay_all
            self.replaying += replay
            try:
                self.exec_block(body)
            finally:
                self.replaying -= replay
                self.loop_signal = None
                self.just_raised = False
            merged = join_env(state, self.scope.vars)
            if merged == state:
                break
            state = merged
        else:
            state = {k: (v if before.get(k) == v else UNKNOWN) for k, v in state.items()}
        self.scope.vars = join_env(before, state)

    def exec_With(self, stmt: ast.With) -> bool:
        entered = []
        for item in stmt.items:
            context = self.enter_context(self.eval(item.context_expr))
            if isinstance(context, TapeValue) and not context.with_line:
                context.with_line = stmt.lineno
                if isinstance(item.optional_vars, ast.Name):
                    context.name = item.optional_vars.id
            entered.append(context)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, context)
        caught = with_catches(stmt)  # pytest.raises, assertRaises, contextlib.suppress
        if caught is not None:
            self.catching.append(caught)
        reported = len(self.findings)
        try:
            flows = self.exec_block(stmt.body)
        finally:
            if caught is not None:
                self.catching.pop()
            for context in reversed(entered):
                self.exit_context(context)
        if caught is not None and not flows and self.just_raised and \
                len(self.findings) == reported:
            self.just_raised = False  # the context manager swallowed the (handled) error
            return True
        return flows

    def exec_Try(self, stmt: ast.Try) -> bool:
        before = self.scope.vars.copy()
        self.catching.append(caught_names(stmt.handlers))
        try:
            ok = self.exec_block(stmt.body)
        finally:
            self.catching.pop()
        self.just_raised = False
        if ok:
            self.exec_block(stmt.orelse)
        after = self.scope.vars
        results = [after] if ok else []
        for handler in stmt.handlers:
            self.scope.vars = join_env(before, after)
            if handler.name:
                self.scope.vars[handler.name] = UNKNOWN
            if self.exec_block(handler.body):
                results.append(self.scope.vars)
        merged = results[0] if results else join_env(before, after)
        for other in results[1:]:
            merged = join_env(merged, other)
        self.scope.vars = merged
        self.exec_block(stmt.finalbody)
        return bool(results)

    def exec_Return(self, stmt: ast.Return) -> bool:
        self.frames[-1].returns.append(self.eval(stmt.value))
        return False

    def exec_Raise(self, stmt: ast.Raise) -> bool:
        return False

    def exec_Assert(self, stmt: ast.Assert) -> bool:
        self.eval(stmt.test)
        return True

    def exec_Import(self, stmt: ast.Import) -> bool:
        for alias in stmt.names:
            workspace = self.workspace_module(alias.name, 0)
            if alias.asname:
                self.scope.vars[alias.asname] = workspace or Ref(canonical(alias.name))
            else:
                root = alias.name.split(".")[0]
                self.scope.vars[root] = (workspace if "." not in alias.name else None) or \
                    Ref(canonical(root))
        return True

    def exec_ImportFrom(self, stmt: ast.ImportFrom) -> bool:
        workspace = self.workspace_module(stmt.module or "", stmt.level)
        for alias in stmt.names:
            bound = alias.asname or alias.name
            if workspace is not None:
                if alias.name == "*":
                    self.scope.vars.update({k: v for k, v in workspace.vars.items()
                                            if not k.startswith("_")})
                else:
                    self.scope.vars[bound] = workspace.vars.get(alias.name, UNKNOWN)
                continue
            if stmt.level or not stmt.module or alias.name == "*":
                if alias.name != "*":
                    self.scope.vars[bound] = UNKNOWN
                continue
            self.scope.vars[bound] = self.attribute(Ref(canonical(stmt.module)), alias.name)
        return True

    def workspace_module(self, name: str, level: int) -> ModuleNamespace | None:
        """A module of the user's workspace, run once (its top level) to learn its names.

        Nothing inside it is reported or recorded: it is analysed in its own right when it
        is open. Library modules (TensorFlow, NumPy, ...) never reach the resolver.
        """
        if self.resolver is None or (not level and canonical(name.split(".")[0]) in LIBRARIES):
            return None
        key = ("." * level) + name
        if key in self.modules:
            return self.modules[key]
        found = self.resolver(key, self.path)
        if found is None or len(self.import_stack) >= MAX_IMPORT_DEPTH or \
                found[0] in self.import_stack:
            return None
        path, source = found
        namespace = ModuleNamespace(key)
        self.modules[key] = namespace
        self.imports.append(path)
        parsed = parse_source(source, path)
        outer_scope, outer_path = self.scope, self.path
        self.scope, self.path = Scope({"__name__": Const(key)}), path
        self.foreign += 1
        self.import_stack.append(path)
        try:
            self.exec_block(parsed.tree.body)
        finally:
            namespace.vars.update(self.scope.vars)
            self.import_stack.pop()
            self.foreign -= 1
            self.scope, self.path = outer_scope, outer_path
            self.just_raised = False
        return namespace

    def exec_FunctionDef(self, stmt: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        decorators = tuple(self._decorator_name(d) for d in stmt.decorator_list)
        defaults = tuple(self.eval(d) for d in stmt.args.defaults)
        kw_defaults = {a.arg: self.eval(d) for a, d in zip(stmt.args.kwonlyargs,
                                                           stmt.args.kw_defaults) if d}
        fn = Function(stmt, self._closure_scope(), defaults, kw_defaults, decorators,
                      foreign=self.foreign > 0)
        if not fn.foreign:
            self.defined.append(fn)
        self.scope.vars[stmt.name] = fn
        return True

    exec_AsyncFunctionDef = exec_FunctionDef

    def _decorator_name(self, node: ast.expr) -> str:
        value = self.eval(node.func if isinstance(node, ast.Call) else node)
        return value.name if isinstance(value, Ref) else ""

    def _closure_scope(self) -> Scope:
        return self._class_parent or self.scope

    def exec_ClassDef(self, stmt: ast.ClassDef) -> bool:
        bases = tuple(self.eval(b) for b in stmt.bases)
        cls = ClassValue(stmt, {}, bases)
        outer = self.scope
        self.scope = Scope({}, outer)
        self._class_parent = outer  # methods close over the enclosing scope, not the class
        try:
            self.exec_block(stmt.body)
        finally:
            self._class_parent = None
            cls.attrs.update(self.scope.vars)
            self.scope = outer
        for member in cls.attrs.values():
            if isinstance(member, Function):
                member.owner = cls
        outer.vars[stmt.name] = cls
        return True

    # ------------------------------------------------------------------ calls
    def is_generator(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """A def whose own body (not nested functions) yields; cached per node."""
        return yields(node)

    def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST, unknown_params: bool = False) -> Value:
        self.called.add(fn)
        if len(self.frames) > MAX_CALL_DEPTH or any(f.fn is fn for f in self.frames):
            return UNKNOWN
        key = self.memo_key(fn, args, kwargs, unknown_params)
        if key is not None:
            try:
                cached = self.memo.get(key)
            except TypeError:  # an unhashable value: analyse without memo
                cached, key = None, None
            if cached is not None:
                return cached
        scope = Scope(self.bind_params(fn, args, kwargs, unknown_params), fn.scope)
        frame = Frame(fn, unknown_params)
        outer = self.scope
        outer_class_parent = self._class_parent
        self.scope, self._class_parent = scope, None
        self.frames.append(frame)
        self.foreign += fn.foreign
        try:
            if isinstance(fn.node, ast.Lambda):
                result = self.eval(fn.node.body)
            elif self.is_generator(fn.node):
                self.exec_block(fn.node.body)
                self.just_raised = False
                result = UNKNOWN
                if frame.yields:
                    element = frame.yields[0]
                    for other in frame.yields[1:]:
                        element = join(element, other)
                    result = ListOf(element)
            else:
                falls_off = self.exec_block(fn.node.body)
                self.just_raised = False
                results = frame.returns + ([NONE] if falls_off else [])
                result = results[0] if results else UNKNOWN
                for other in results[1:]:
                    result = join(result, other)
        finally:
            self.frames.pop()
            self.foreign -= fn.foreign
            self.scope, self._class_parent = outer, outer_class_parent
        if "tf.custom_gradient" in fn.decorators and not unknown_params:
            result = self.custom_gradient_result(fn, args, result, node)
        if key is not None and not mutable(result):
            self.memo[key] = result  # layers and models are objects: build them each call
        return result

    def memo_key(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                 unknown_params: bool) -> tuple[object, ...] | None:
        """What the call's result depends on (``memo.py``), or None: analyse it afresh.
        Mutable arguments (layers, models, tapes, instances) are never part of a key: their
        state changes between calls while their identity does not."""
        if any(mutable(a) for a in args) or any(mutable(v) for v in kwargs.values()):
            return None
        context = context_key(fn, self.active_tapes,
                              bool(self.active_tapes) and self.in_tf_function())
        if context is None:
            return None
        return (fn, tuple(args), tuple(sorted(kwargs.items())), unknown_params, context)

    def bind_params(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                    unknown: bool) -> dict[str, Value]:
        spec = fn.node.args
        positional = [*spec.posonlyargs, *spec.args]
        bound: dict[str, Value] = {}
        first_default = len(positional) - len(fn.defaults)
        for i, param in enumerate(positional):
            if unknown:
                value: Value = UNKNOWN
            elif i < len(args):
                value = args[i]
            elif param.arg in kwargs:
                value = kwargs[param.arg]
            elif i >= first_default:
                value = fn.defaults[i - first_default]
            else:
                value = UNKNOWN
            bound[param.arg] = value
        for param in spec.kwonlyargs:
            bound[param.arg] = UNKNOWN if unknown else kwargs.get(
                param.arg, fn.kw_defaults.get(param.arg, UNKNOWN))
        if spec.vararg:
            bound[spec.vararg.arg] = UNKNOWN
        if spec.kwarg:
            bound[spec.kwarg.arg] = UNKNOWN
        if unknown and fn.owner is not None and positional:
            bound[positional[0].arg] = Instance(fn.owner)
        return bound

    def instantiate(self, cls: ClassValue, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        instance = Instance(cls)
        init = self._class_member(cls, "__init__")
        if isinstance(init, Function):
            self.call_function(init, [instance, *args], kwargs, node)
        return instance
