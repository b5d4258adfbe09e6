"""Quick fixes: ``FIXERS`` maps a ``Fix.fix_id`` to the fixer that turns it into edits.

``apply_fix(source, finding)`` is the one entry point callers need (the language server's
code actions, tests). ``apply.fix_source`` applies every fix of a file at once, re-analysing
until nothing more applies (``check --fix``).

The registry is filled from here, and only from here, so that no fixer module imports the
module that imports it: ``base`` (the vocabulary every fixer imports) knows no fixer; each
fixer module registers itself with ``base.register`` when imported; this package puts a
``LazyFixer`` in ``FIXERS`` for each built-in LibCST fixer and imports their modules (and
LibCST) the first time a fix is computed, or when a module is asked for by name
(``shapelens.fixes.add_watch``). Importing the package is therefore cheap.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from . import suppress
from .base import FIXERS, Edit, Fixer, apply_edits, merge_edits, register
from .dispatch import apply_fix

if TYPE_CHECKING:
    from ..core.results import Finding
    from .scope import ModuleIndex

# fix id -> the module that registers its fixer (``load_builtin_fixers``)
BUILTIN = {
    "add-watch": "add_watch",
    "assign-in-place": "assign_in_place",
    "build-model": "build_model",
    "constant-to-variable": "constant_to_variable",
    "float-variable": "float_variable",
    "gradient-out-of-with": "gradient_out_of_with",
    "input-layer": "input_layer",
    "insert-flatten": "insert_flatten",
    "matching-loss": "matching_loss",
    "move-into-tape": "move_into_tape",
    "numpy-to-tf": "numpy_to_tf",
    "persistent-tape": "persistent_tape",
    "recompute-in-tape": "recompute_in_tape",
    "rename-api": "rename_api",
    "reshape-after-gradient": "reshape_after_gradient",
    "variable-before-loop": "variable_before_loop",
    "variable-to-tensor": "variable_to_tensor",
    "weights-suffix": "weights_suffix",
}


def load_builtin_fixers() -> None:
    """Import the built-in LibCST fixers (and LibCST): each module registers its fixer.

    (``from .module import NAME``, not ``from . import module``: the latter asks the package
    for the attribute first, which is the package's lazy ``__getattr__`` calling this.)"""
    from .add_watch import ADD_WATCH  # noqa: F401
    from .assign_in_place import ASSIGN_IN_PLACE  # noqa: F401
    from .build_model import BUILD_MODEL  # noqa: F401
    from .constant_to_variable import CONSTANT_TO_VARIABLE  # noqa: F401
    from .float_variable import FLOAT_VARIABLE  # noqa: F401
    from .gradient_out_of_with import GRADIENT_OUT_OF_WITH  # noqa: F401
    from .input_layer import INPUT_LAYER  # noqa: F401
    from .insert_flatten import INSERT_FLATTEN  # noqa: F401
    from .matching_loss import MATCHING_LOSS  # noqa: F401
    from .move_into_tape import MOVE_INTO_TAPE  # noqa: F401
    from .numpy_to_tf import NUMPY_TO_TF  # noqa: F401
    from .persistent_tape import PERSISTENT_TAPE  # noqa: F401
    from .recompute_in_tape import RECOMPUTE_IN_TAPE  # noqa: F401
    from .rename_api import RENAME_API  # noqa: F401
    from .reshape_after_gradient import RESHAPE_AFTER_GRADIENT  # noqa: F401
    from .variable_before_loop import VARIABLE_BEFORE_LOOP  # noqa: F401
    from .variable_to_tensor import VARIABLE_TO_TENSOR  # noqa: F401
    from .weights_suffix import WEIGHTS_SUFFIX  # noqa: F401


class LazyFixer:
    """Stands in ``FIXERS`` for a built-in fixer until it is first used: then imports the
    built-in fixers (which register themselves in place of the stand-ins) and hands over."""

    def __init__(self, fix_id: str) -> None:
        self.fix_id = fix_id

    def load(self) -> Fixer:
        load_builtin_fixers()
        real = FIXERS.get(self.fix_id)
        if real is None or real is self:
            raise LookupError(f"no built-in fixer {self.fix_id!r}")
        return real

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        return self.load().edits(source, finding)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        real = self.load()
        scoped = getattr(real, "scoped_edits", None)
        return scoped(index, finding) if scoped is not None else \
            real.edits(index.source, finding)


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
