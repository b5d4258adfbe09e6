"""Quick fixes: ``FIXERS`` maps a ``Fix.fix_id`` to the fixer that turns it into edits.

``apply_fix(source, finding)`` is the one entry point callers need (the language server's
code actions, tests). ``apply.fix_source`` applies every fix of a file at once, re-analysing
until nothing more applies (``check --fix``).

Importing this package is cheap: the built-in LibCST fixers are registered as
``base.LazyFixer``s, and their modules (and LibCST) are imported the first time a fix is
computed, or when a module is asked for by name (``shapelens.fixes.add_watch``).
"""

from __future__ import annotations

from types import ModuleType

from . import suppress
from .base import (
    FIXERS,
    Edit,
    Fixer,
    LazyFixer,
    apply_edits,
    apply_fix,
    load_builtin_fixers,
    merge_edits,
    register,
)

# fix id -> the module that registers its fixer (``base.load_builtin_fixers``)
BUILTIN = {
    "add-watch": "add_watch",
    "constant-to-variable": "constant_to_variable",
    "float-variable": "float_variable",
    "gradient-out-of-with": "gradient_out_of_with",
    "move-into-tape": "move_into_tape",
    "persistent-tape": "persistent_tape",
    "reshape-after-gradient": "reshape_after_gradient",
}
for _fix_id in BUILTIN:
    FIXERS.setdefault(_fix_id, LazyFixer(_fix_id))


def __getattr__(name: str) -> ModuleType:
    """``shapelens.fixes.add_watch`` and the like, imported when first asked for."""
    if name in BUILTIN.values():
        load_builtin_fixers()
        module = globals()[name]
        assert isinstance(module, ModuleType)
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# (the fixer modules are not listed: ``from shapelens.fixes import *`` would import LibCST)
__all__ = ["BUILTIN", "FIXERS", "Edit", "Fixer", "LazyFixer", "apply_edits", "apply_fix",
           "load_builtin_fixers", "merge_edits", "register", "suppress"]
