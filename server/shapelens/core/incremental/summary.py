"""What a call summary is (``summaries.py``): a recorded call, or a call being recorded."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..interpreter.state import RunState


class Summary:
    """One recorded call: what it read, its log (compacted) and its result."""

    __slots__ = ("callees", "children", "digest", "log", "partial", "raised", "reads", "rest",
                 "result", "run", "written")

    def __init__(self, result: Any, reads: dict[tuple[str, Any], Any],
                 log: list[tuple[str, str, Any, Any]], raised: int, partial: int,
                 children: list[tuple[Any, Summary]], callees: frozenset[int]) -> None:
        self.result = result
        self.callees = callees  # ids of the functions it called
        self.reads = reads
        self.log = log
        self.digest: Any = None  # its log walked once for the records (``segments.py``)
        self.run: Any = None  # a run of statements' summary: (the statements, outer locals)
        self.raised = raised  # proven errors it reported (the caller's statement raises)
        self.partial = partial  # branches it dropped (``ControlFlow`` counts them)
        self.children = children  # (context, summary) of the calls made inside it
        self.rest = [entry for entry in log if entry[1] not in ("part", "objects")]
        # the table entries it set (the display tables' are never read while a module runs)
        self.written = frozenset([(table, key) for table, op, key, _ in self.rest
                                  if op == "set" or op == "setdefault"])


class Recording:
    """A call being recorded: where its log starts, and what it read and wrote so far."""

    __slots__ = ("children", "context", "escaped", "imports", "impure", "opaque", "partial",
                 "raised", "reads", "start", "written")

    def __init__(self, context: Any, start: int, state: RunState, opaque: bool) -> None:
        self.context = context
        self.start = start
        self.raised = state.raised
        self.partial = state.partial_exits
        self.imports = len(state.imports)
        self.escaped = state.escaped_mutations
        self.opaque = opaque  # the tracker's flag before the call (restored after it)
        self.reads: dict[tuple[str, Any], Any] = {}
        self.written: set[tuple[str, Any]] = set()
        self.impure = False
        self.children: list[tuple[Any, Summary]] = []
