"""The interfaces the parts see of each other (mypy's ``checker_shared.py`` idea).

A part is handed its collaborators typed as these Protocols, not as their classes: the part
modules then import only this module and ``state.py``, never each other, so there is no
import circle between them (``tests/unit/test_import_graph.py``), and each Protocol lists
exactly what one part may ask of another. ``ProvenanceApi`` is the narrow interface through
which the interpreter notifies gradient provenance.

Everything here is for the type checker only (nothing is defined at run time): the engine
starts without importing ``typing``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from collections.abc import Callable
    from typing import Protocol

    from ...domain.values import BoundMethod, ClassValue, Function, TapeValue, Tensor, Value

    class ExpressionsApi(Protocol):
        """The expression part (``expressions.py``)."""

        def eval(self, node: ast.expr | None) -> Value: ...

        def bind(self, target: ast.expr, value: Value) -> None: ...

        def binary(self, name: str, left: Value, right: Value, node: ast.AST) -> Value: ...

        def element_of(self, iterable: Value) -> Value: ...

        def attribute(self, base: Value, attr: str) -> Value: ...

    class StatementsApi(Protocol):
        """The statement part (``statements.py``)."""

        def exec_block(self, body: list[ast.stmt],
                       step: Callable[[ast.stmt], bool] | None = None) -> bool: ...

    class CallsApi(Protocol):
        """The call part (``calls.py``)."""

        def call_value(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                       node: ast.AST) -> Value: ...

        def call_method(self, method: BoundMethod, args: list[Value],
                        kwargs: dict[str, Value], node: ast.AST) -> Value: ...

        def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                          node: ast.AST, unknown_params: bool = False) -> Value: ...

        def instantiate(self, cls: ClassValue, args: list[Value], kwargs: dict[str, Value],
                        node: ast.AST) -> Value: ...

    class LibraryApi(Protocol):
        """The library door (``..evaluate.LibraryCalls``)."""

        def call_library(self, name: str, args: list[Value], kwargs: dict[str, Value],
                         node: ast.AST | None, numpy: bool = False) -> Value: ...

    class KerasApi(Protocol):
        """The Keras overlay (``..keras.KerasOverlay``): what only Keras knows."""

        def call(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                 node: ast.AST) -> Value: ...

        def method(self, receiver: Value, name: str, args: list[Value],
                   kwargs: dict[str, Value], node: ast.AST) -> Value: ...

        def attribute(self, base: Value, attr: str) -> Value: ...

    class ProvenanceApi(Protocol):
        """Gradient provenance (``..provenance.Provenance``): notified, owns tape facts."""

        active_tapes: list[TapeValue]

        def tape_opened(self, value: Value, line: int, name: str | None) -> None: ...

        def tape_closed(self, value: Value) -> None: ...

        def op_result(self, name: str, args: list[Value], kwargs: dict[str, Value],
                      result: Value) -> Value: ...

        def layer_result(self, owner: object, inputs: list[Value], out: Value) -> Value: ...

        def left_tf(self, value: Value, how: str) -> Value: ...

        def bad_gradient(self, y: Tensor, why: str) -> Tensor: ...

        def variable_assigned(self, variable: Value, args: list[Value]) -> None: ...

        def name_rebound(self, name: str, old: Value | None, new: Value, line: int) -> None: ...

        def loop_over(self, iterable: Value, stmt: ast.For) -> None: ...

        def trainable_variables(self, owner: Value, node: ast.AST) -> Value: ...
