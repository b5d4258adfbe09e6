"""Quick fixes: ``FIXERS`` maps a ``Fix.fix_id`` to the fixer that turns it into edits.

Importing this package registers the built-in fixers; ``apply_fix(source, finding)`` is the
one entry point callers need (the language server's code actions, tests). ``apply.fix_source``
applies every fix of a file at once, re-analysing until nothing more applies (``check --fix``).
"""

from . import (
    add_watch,
    constant_to_variable,
    float_variable,
    gradient_out_of_with,
    move_into_tape,
    persistent_tape,
    reshape_after_gradient,
    suppress,
)
from .base import FIXERS, Edit, Fixer, apply_edits, apply_fix, merge_edits, register

__all__ = ["FIXERS", "Edit", "Fixer", "add_watch", "apply_edits", "apply_fix",
           "constant_to_variable", "float_variable", "gradient_out_of_with", "merge_edits",
           "move_into_tape", "persistent_tape", "register", "reshape_after_gradient",
           "suppress"]
