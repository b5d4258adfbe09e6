"""The interpreter room: abstract execution of a module by composed parts.

``Interpreter`` (``machine.py``) wires the parts; see its docstring for who owns what, and
``docs/architecture.md`` for the picture.
"""

from .machine import Interpreter
from .state import BudgetExceeded, Frame, RawFinding, Resolver, RunState

__all__ = ["BudgetExceeded", "Frame", "Interpreter", "RawFinding", "Resolver", "RunState"]
