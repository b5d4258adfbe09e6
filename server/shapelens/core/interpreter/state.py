"""The state of one run of the interpreter, shared by its parts.

The statement, expression and call parts are separate objects; what they all read and write
while one module is analysed lives here, in one place a reader can list: the current scope,
the call frames, the counters that silence reports (``foreign``, ``dead``, ``replaying``),
and the tables the run produces (findings, per-assignment and per-expression values, memo).
Tape facts are not here: the provenance component owns them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...domain.values import Const, Function, ModuleNamespace, Value
from ...rules.catalogue import BY_CODE, Severity
from ...structs import Mutable
from ..results import Fix
from .handled import handles
from .module_facts import discarded_in
from .scope import Scope

# resolver(module, importing path) -> (path, source) of a workspace module, or None.
Resolver = Callable[[str, str], "tuple[str, str] | None"]


class BudgetExceeded(Exception):
    """The analysis ran out of its time budget; results so far stand."""


class Frame(Mutable):
    """A function call being analysed: what it has returned and yielded so far."""

    __slots__ = ("fn", "returns", "yields", "unknown", "generator", "final", "final_mark")

    def __init__(self, fn: Function | None, unknown: bool = False,
                 generator: bool = False) -> None:
        self.fn = fn
        self.returns: list[Value] = []
        self.yields: list[Value] = []
        # A generator's body: the value its final loop yielded last, valid while no other
        # yield came after it (``generators.py``).
        self.generator = generator
        self.final: Value | None = None
        self.final_mark = -1
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


class RunState:
    """Everything the parts of one interpreter run share (see the module docstring).

    The tables (``findings``, ``assignments``, ``expressions``, ``memo``, ``defined``,
    ``called``) may be replaced by the incremental session with journalled ones, so a part
    reads them from here each time and never keeps its own reference.
    """

    def __init__(self, tree: ast.Module, deadline: float | None, resolver: Resolver | None,
                 path: str) -> None:
        self.tree = tree
        self.deadline = deadline
        self.resolver = resolver
        self.path = path
        self.scope = Scope({"__name__": Const("__main__")})
        self.module_scope = self.scope
        self.frames: list[Frame] = [Frame(None)]
        # The scopes of the callers of the functions being analysed: a list mutated in a
        # callee is also theirs (interpreter/mutation.py), and the count of mutations seen beyond
        # the function that made them (a call that made one is never memoised).
        self.callers: list[Scope] = []
        self.escaped_mutations = 0
        self.list_groups: dict[int, tuple[Value, ...]] = {}  # values that may be one list
        self.unshared: dict[int, Value] = {}  # lists in one place, unread since (mutation.py)
        self.class_parent: Scope | None = None  # set while a class body runs
        # Counters that silence reports: code of another module, code after a statement
        # that certainly raises, a loop body re-run towards its fixpoint.
        self.foreign = 0
        self.dead = 0
        self.replaying = 0
        self.findings: dict[tuple[int, int, str], RawFinding] = {}
        self.assignments: dict[tuple[int, str], tuple[ast.Name, Value]] = {}
        self.expressions: dict[tuple[int, int, int, int], Value] = {}
        self.memo: dict[tuple[object, ...], Value] = {}
        self.defined: list[Function] = []
        self.called: set[Function] = set()
        self.failed_rules: set[str] = set()
        self.modules: dict[str, ModuleNamespace] = {}
        self.imports: list[str] = []  # paths of workspace modules this file depends on
        self.import_stack: list[str] = [path]
        # Control flow of the statement being run.
        self.raised = 0  # proven errors reported so far (a raising statement ends its block)
        self.just_raised = False  # the last statement ended its block by certainly raising
        self.loop_signal: str | None = None  # "break"/"continue" that ended the last block
        self.partial_exits = 0  # branches dropped because they left the block
        self.unroll_depth = 0
        self.catching: list[frozenset[str]] = []  # what each enclosing try body catches
        # Calls of user functions a library traces as a graph (``ds.map``): a tensor's truth
        # is not eager there (``truth.py``); and whether the module builds a TF1 graph.
        self.traced = 0
        self.graph_module: bool | None = None

    def report(self, code: str, message: str, node: ast.AST, fix: Fix | None = None,
               severity: str | None = None, alternatives: tuple[Fix, ...] = (),
               related: tuple[tuple[ast.AST, str], ...] = ()) -> None:
        """Record a finding at ``node``, unless the code cannot run or the error is caught
        (it still raises there: the block it is in ends)."""
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

    def in_tf_function(self) -> bool:
        """Inside a ``@tf.function`` (graph mode: autograph, pruned discarded ops)."""
        return any(f.fn is not None and "tf.function" in f.fn.decorators for f in self.frames)

    def pruned(self, node: ast.AST) -> bool:
        """An op whose value is discarded (an expression statement) inside a ``tf.function``:
        graph execution never runs it, so its kernel's checks never fire."""
        # Looked up on the running functions' own nodes: no walk of the whole file.
        return self.in_tf_function() and any(
            isinstance(f.fn.node, ast.FunctionDef | ast.AsyncFunctionDef) and
            id(node) in discarded_in(f.fn.node) for f in self.frames if f.fn is not None)

    def point_unknown(self) -> bool:
        """Some frame was entered without its arguments: object states here are unknown."""
        return any(f.unknown for f in self.frames)
