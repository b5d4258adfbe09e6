"""The interpreter's public face under its historical name.

The interpreter lives in ``interpreter/`` (composed parts, wired by ``Interpreter``); this
module names it for the modules that import it from here (the incremental session, the
language server's resolver type).
"""

from .interpreter.machine import Interpreter
from .interpreter.state import BudgetExceeded, RawFinding, Resolver

__all__ = ["BudgetExceeded", "Interpreter", "RawFinding", "Resolver"]
