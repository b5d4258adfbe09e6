"""What the incremental session's helpers (``passes``, ``recording``, ``relocate``) see of the
``Session`` (``incremental.py``) that drives them: its tables and the few steps they call back.

A Protocol, imported only at type-check time, so the helpers never import the module that
imports them: the session hands itself over, the helpers name only this view of it.
"""

from __future__ import annotations

import ast

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from ...domain.values import Function
    from ..execute import Interpreter
    from ..interpreter.scope import Scope
    from .journal import Tracker
    from .records import Chunk, Record
    from .summaries import CallSummaries

    class SessionState(Protocol):
        """The session's state between runs, and the steps of a run it owns."""

        lines: list[str]
        body: list[ast.stmt]
        clean: bool
        records: dict[Any, Record]
        spare: dict[tuple[Any, bool], Record]
        by_node: dict[int, Record]
        uncalled: dict[Function, Record]
        scope: Scope
        stats: dict[str, int]
        part_facts: dict[int, Any]
        fact_order: list[Any] | None
        order: list[Record]
        chunks: dict[int, Chunk]
        fn_chunks: dict[int, Chunk]
        fn_chunks_applied: int
        methods: dict[int, Function]
        n_main: int
        _blind: bool
        _live: dict[int, Record]
        _calls: CallSummaries | None

        def _reusable(self, record: Record, tables: dict[str, Any],
                      writers: dict[int, Record]) -> bool: ...

        def _apply(self, record: Record, tables: dict[str, Any],
                   writers: dict[int, Record]) -> None: ...

        def _apply_chunk(self, chunk: Chunk, tables: dict[str, Any],
                         writers: dict[int, Record]) -> None: ...

        def _materialize(self, writers: dict[int, Record]) -> None: ...

        def _execute(self, interp: Interpreter, tracker: Tracker, tables: dict[str, Any],
                     key: Any, node: Any, dead: bool, body: Any) -> Record: ...
