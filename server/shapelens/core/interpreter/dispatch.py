"""Method tables: which method of a part handles which kind of syntax node.

A part names its handlers after the ``ast`` class they handle (``eval_BinOp``,
``exec_For``). The table of a class is read once per class and cached, so building a part's
table (a dict of its bound methods) costs a few microseconds per analysis, not a scan of the
class every time.
"""

from __future__ import annotations

import ast
import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def handlers(cls: type, prefix: str) -> tuple[tuple[type, str], ...]:
    """``(ast node class, method name)`` for each ``<prefix><NodeClass>`` method of ``cls``."""
    return tuple((getattr(ast, name[len(prefix):]), name) for name in dir(cls)
                 if name.startswith(prefix) and hasattr(ast, name[len(prefix):]))


def table(part: object, prefix: str) -> dict[type, Any]:
    """The bound handlers of ``part``, by the node class they handle."""
    return {node: getattr(part, name) for node, name in handlers(type(part), prefix)}
