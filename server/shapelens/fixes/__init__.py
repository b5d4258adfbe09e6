"""Quick fixes: ``FIXERS`` maps a ``Fix.fix_id`` to the fixer that turns it into edits.

Importing this package registers the built-in fixers; ``apply_fix(source, finding)`` is the
one entry point callers need (the language server's code actions, tests).
"""

from . import suppress
from .base import FIXERS, Edit, Fixer, apply_edits, apply_fix, merge_edits, register

__all__ = ["FIXERS", "Edit", "Fixer", "apply_edits", "apply_fix", "merge_edits", "register",
           "suppress"]
