"""The interpreter: a small object that wires the parts and runs a module.

Parts, each handed what it needs (nothing inherits from anything):

* ``RunState`` (``state.py``): what one run shares — scope, frames, findings, tables;
* ``Statements`` (``statements.py``) with ``ControlFlow`` (``flow.py``) and
  ``Definitions`` (``definitions.py``): statements;
* ``Expressions`` (``expressions.py``): expressions and assignment targets;
* ``Calls`` (``calls.py``): calls of every kind, the memo, instantiation;
* ``LibraryCalls`` and the ``Overlays`` table (``..evaluate``): library semantics per
  qualified name, then the shape-function table;
* ``KerasOverlay`` (``..keras``): layers, models, fit/evaluate/predict;
* ``Provenance`` (``..provenance``): every tape fact, notified by the others;
* ``GraphOverlay`` (``..graph_mode``): TF1 graph mode, sessions and ``feed_dict``.

Branches are analysed on both sides and joined; loops over short known sequences are
unrolled, others iterate to a fixpoint; user functions are analysed at their call sites with
the argument values (memoised, depth-bounded) and, if never called, once with unknown
parameters. Only the first time a statement is reached feeds the per-assignment shapes.
"""

from __future__ import annotations

import ast

from ...domain.values import Function, Value
from ..evaluate import LibraryCalls, Overlays
from ..keras import KerasOverlay
from ..keras.removed import Keras3Removals
from ..overlays.composite import CompositeOverlay
from ..overlays.datasets import DatasetOverlay
from ..overlays.graph_mode import GraphOverlay
from ..overlays.handles import HandlesOverlay
from ..overlays.higher_order import HigherOrderOverlay
from ..overlays.library_objects import ShapeFunctionObjects
from ..provenance import Provenance
from ..provenance import register as register_provenance
from .calls import Calls
from .definitions import Definitions
from .expressions import Expressions
from .flow import ControlFlow
from .state import Resolver, RunState
from .statements import Statements

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _Forward:
    """An attribute of the interpreter that is a part's (``interp.findings`` is
    ``interp.state.findings``): the incremental session swaps the tables through these."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, interp: Any, owner: type | None = None) -> Any:
        return getattr(getattr(interp, self.part), self.name)

    def __set__(self, interp: Any, value: Any) -> None:
        setattr(getattr(interp, self.part), self.name, value)


class Interpreter:
    """One module's analysis: builds the parts, runs the module, exposes what it found."""

    # The run's tables and counters (RunState) and tape facts (Provenance), by their names.
    scope = _Forward("state")
    module_scope = _Forward("state")
    deadline = _Forward("state")
    dead = _Forward("state")
    just_raised = _Forward("state")
    imports = _Forward("state")
    findings = _Forward("state")
    assignments = _Forward("state")
    expressions = _Forward("state")
    memo = _Forward("state")
    defined = _Forward("state")
    called = _Forward("state")
    tokens = _Forward("provenance")
    active_tapes = _Forward("provenance")
    tapes = _Forward("provenance")
    token_names = _Forward("provenance")
    rebound = _Forward("provenance")
    first_gradient = _Forward("provenance")
    gradient_calls = _Forward("provenance")

    def __init__(self, tree: ast.Module, deadline: float | None = None,
                 resolver: Resolver | None = None, path: str = "<string>") -> None:
        self.state = state = RunState(tree, deadline, resolver, path)
        self.overlays = Overlays()
        self.provenance = provenance = Provenance(state)
        self.library = LibraryCalls(state, self.overlays, provenance)
        self.expressions_part = ev = Expressions(state, self.library, self.overlays, provenance)
        self.calls = Calls(state, ev, self.library, self.overlays, provenance)
        self.statements = Statements(state, ev, provenance)
        self.keras = KerasOverlay(state, self.calls, provenance)
        ev.calls, ev.keras = self.calls, self.keras
        self.calls.statements, self.calls.keras = self.statements, self.keras
        self.statements.link(ControlFlow(state, self.statements, ev, provenance),
                             Definitions(state, self.statements, ev), self.exec_stmt)
        Keras3Removals(state).register(self.overlays)  # SL214 (ahead of the optimizers)
        register_provenance(provenance, self.overlays)
        self.keras.register(self.overlays)
        GraphOverlay(state).register(self.overlays)  # TF1 sessions, feeds, graph replay
        HigherOrderOverlay(state, self.calls, self.library).register(self.overlays)
        ShapeFunctionObjects(self.library).register(self.overlays)  # np.random Generator
        HandlesOverlay(self.calls).register(self.overlays)  # ClusterCoordinator
        CompositeOverlay(self.library).register(self.overlays)  # ragged/sparse operands
        DatasetOverlay(state, self.library, self.calls).register(self.overlays)  # tf.data

    def run(self) -> None:
        state = self.state
        self.statements.exec_block(state.tree.body)
        # A module that certainly raises leaves this set: a function analysed below would
        # take its first ``return`` for a raise and analyse what follows it.
        state.just_raised = False
        for fn in list(state.defined):  # analyse functions nobody called
            if fn not in state.called:
                self.calls.call_function(fn, [], {}, fn.node, unknown_params=True)

    def exec_stmt(self, stmt: ast.stmt) -> bool:
        """Run one statement (every statement of every block passes here)."""
        return self.statements.exec_stmt(stmt)

    def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST, unknown_params: bool = False) -> Value:
        return self.calls.call_function(fn, args, kwargs, node, unknown_params)
