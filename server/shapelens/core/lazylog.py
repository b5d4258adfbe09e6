"""Module loggers that import ``logging`` when they are first used.

``logging`` (with ``traceback``, ``string``, ``threading``) takes longer to import than a
small ``shapelens check`` takes to analyse its file, and the engine logs only when something
went wrong (a shape function that failed). ``logger(__name__)`` stands for
``logging.getLogger(__name__)``: every attribute is the real logger's, looked up on use, so
levels, handlers and the caller's file and line in a record are exactly as with the real one.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class LazyLogger:
    """``logging.getLogger(name)``, created (and ``logging`` imported) on first use."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __getattr__(self, attr: str) -> Any:
        import logging

        return getattr(logging.getLogger(self.name), attr)

    def __repr__(self) -> str:
        return f"<LazyLogger {self.name}>"


def logger(name: str) -> LazyLogger:
    return LazyLogger(name)
