"""SL213: a Keras 3 model saved to a path whose name Keras 3 refuses.

What Keras 3.15 does (``keras/src/saving/saving_api.py``, probed under TF 2.21):

* ``model.save_weights(filepath)`` raises ``ValueError: The filename must end in
  `.weights.h5`. Received: filepath=...`` unless ``str(filepath)`` ends in ``.weights.h5``
  (case-sensitive: ``x.h5``, ``ckpt``, ``x.ckpt``, ``x.keras`` all raise), before it looks
  at the disk. The TF-2-era ``save_weights("my_checkpoint")`` (a TF checkpoint prefix) is
  the common case. With ``max_shard_size=`` the rule differs (``.weights.json``): silent.
* ``model.save(filepath)`` raises ``ValueError: Invalid filepath extension for saving...``
  unless the path ends in ``.keras``, ``.h5`` or ``.hdf5``, or ``zipped=False`` (an
  unzipped directory) or an ``hf://`` path; ``save_format=`` or other keywords raise other
  errors first: silent then. Overwrite prompts come after the check only for
  ``save_weights``: ``save`` with ``overwrite=`` other than ``True`` is silent.
* ``load_weights`` also reads Orbax checkpoint *directories* of any name: never claimed.
  ``tf.train.Checkpoint(...).save/write`` take any prefix: not Keras, never claimed.

Only a path whose end is known is checked: a string literal, an f-string ending in literal
text, or a name holding a known string. The fix (unsafe: the files go elsewhere, and code
that loads them must use the new name) appends ``.weights.h5``/``.keras`` to the literal, or
replaces a ``.h5``/``.ckpt``/``.keras``... suffix with it.
"""

from __future__ import annotations

import ast

from ...domain.values import ClassValue, Const, Ref, Value
from ..results import Fix

FIX_ID = "weights-suffix"
_WEIGHTS = ".weights.h5"
_MODEL_ENDS = (".keras", ".h5", ".hdf5")
# suffixes a fix replaces rather than appends to (the TF checkpoint / Keras 2 spellings)
_REPLACED = (".weights", ".h5", ".hdf5", ".keras", ".ckpt", ".tf", ".pb", ".json")


def saved_path_error(name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST) -> tuple[str, ast.AST, Fix | None] | None:
    """``(message, where, fix)`` when ``model.<name>(...)`` certainly raises on its path."""
    if name not in ("save_weights", "save") or not isinstance(node, ast.Call):
        return None
    allowed = {"filepath", "overwrite"} | ({"include_optimizer"} if name == "save" else set())
    if not set(kwargs) <= allowed or len(args) > 2 or any(
            isinstance(a, ast.Starred) for a in node.args) or \
            any(k.arg is None for k in node.keywords):
        return None  # other keywords (max_shard_size, zipped, save_format) change the rule
    if name == "save" and "overwrite" in kwargs and kwargs["overwrite"] != Const(True):
        return None
    expr = node.args[0] if node.args else next(
        (k.value for k in node.keywords if k.arg == "filepath"), None)
    value = args[0] if args else kwargs.get("filepath")
    end = _known_end(expr, value)
    if end is None:
        return None
    wanted = _WEIGHTS if name == "save_weights" else ".keras"
    if name == "save_weights" and end.endswith(_WEIGHTS):
        return None
    if name == "save" and (end.endswith(_MODEL_ENDS) or _may_start_with_hf(expr, end)):
        return None
    whole = isinstance(value, Const)  # else the literal tail of an f-string
    _, old = split_suffix(end, whole)
    if whole:
        shown, better = repr(end), repr(end[:len(end) - len(old)] + wanted)
    else:
        shown = ast.unparse(expr) if expr is not None else "..."
        better = shown[:len(shown) - 1 - len(old)] + wanted + shown[-1]
    call = f"{_receiver(node)}.{name}({shown})"
    if name == "save_weights":
        message = (f"{call}: Keras 3 raises ValueError, the filename must end in "
                   "`.weights.h5` (a TF checkpoint prefix or an .h5 name was Keras 2's); "
                   f"save to {better}")
    else:
        message = (f"{call}: Keras 3 raises ValueError, the path must end in `.keras` (or "
                   f"`.h5`); save to {better}, or use model.export(...) for a SavedModel")
    where = expr if expr is not None else node
    return message, where, _fix(expr, old, wanted)


def _receiver(node: ast.Call) -> str:
    func = node.func
    text = ast.unparse(func.value) if isinstance(func, ast.Attribute) else "model"
    return text if len(text) <= 30 else "model"


def _known_end(expr: ast.expr | None, value: Value | None) -> str | None:
    """The known end of the path: all of it for a known string, the literal tail of an
    f-string; None when unknown (a ``pathlib.Path``, a computed string...)."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    if isinstance(expr, ast.JoinedStr) and expr.values and \
            isinstance(expr.values[-1], ast.Constant) and \
            isinstance(expr.values[-1].value, str):
        return expr.values[-1].value
    return None


def _may_start_with_hf(expr: ast.expr | None, end: str) -> bool:
    """An ``hf://`` path saves unzipped (no extension check); an f-string's start is
    unknown unless it begins with literal text."""
    if isinstance(expr, ast.JoinedStr):
        first = expr.values[0] if expr.values else None
        start = first.value if isinstance(first, ast.Constant) and \
            isinstance(first.value, str) else None
        return start is None or start.startswith("hf://") or "hf://".startswith(start)
    return end.startswith("hf://")


def split_suffix(path: str, whole: bool = True) -> tuple[str, str]:
    """``(stem, replaced suffix)`` of the file name (``model.h5`` -> ``model``, ``.h5``;
    ``ckpt`` -> ``ckpt``, ``""``: the new suffix is appended). ``whole``: ``path`` is all of
    it, not the tail of an f-string (then ``.h5`` alone has a stem before it)."""
    name = path.rsplit("/", 1)[-1]
    for suffix in _REPLACED:
        if name.endswith(suffix) and (len(name) > len(suffix) or not whole):
            return path[:-len(suffix)], suffix
    return path, ""


def _fix(expr: ast.expr | None, old: str, wanted: str) -> Fix | None:
    """Only a literal written in the call is edited (a name may be used elsewhere)."""
    if not isinstance(expr, ast.Constant | ast.JoinedStr):
        return None
    return Fix(FIX_ID, f"Save to a name ending in {wanted}", False,
               (("old_suffix", old), ("new_suffix", wanted)))


def keras_model_class(cls: ClassValue, depth: int = 0) -> bool:
    """A subclass of ``keras.Model`` (or ``Sequential``): it has ``save_weights``."""
    if depth > 8:
        return False
    for base in cls.bases:
        if isinstance(base, Ref) and base.name in ("keras.Model", "keras.models.Model",
                                                    "keras.Sequential",
                                                    "keras.models.Sequential"):
            return True
        if isinstance(base, ClassValue) and keras_model_class(base, depth + 1):
            return True
    return False
