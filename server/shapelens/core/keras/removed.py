"""SL214: Keras 2 spellings that Keras 3 (TF 2.21's ``tf.keras``) removed, on objects the
engine knows are Keras 3's.

What TF 2.21 / Keras 3.15 does (``tests/unit/keras3_removed_cases.py``, run under TF by
``tests/oracle/test_keras3_removed_oracle.py``):

* ``metric.reset_states`` on any ``keras.metrics`` object: ``AttributeError`` (Keras 3 has
  ``reset_state()``, which does what ``reset_states()`` did);
* ``model.fit_generator`` / ``evaluate_generator`` / ``predict_generator``: ``AttributeError``
  (``fit``/``evaluate``/``predict`` take generators); ``model.reset_states``: ``AttributeError``
  too, even with stateful layers (each such layer has ``reset_state()``);
* ``keras.optimizers.Adam(lr=...)`` (every optimizer class): ``ValueError: Argument(s) not
  recognized: {'lr': ...}`` (the keyword is ``learning_rate``);
* ``keras.optimizers.legacy.SGD()`` (any spelling: ``tf.keras``, ``tf.optimizers``):
  ``ImportError: `keras.optimizers.legacy` is not supported in Keras 3``.

Reported only where the receiver is certainly such an object: a metric the program built
from ``keras.metrics.<Class>()``, a model the engine built or a loaded one; an attribute read
is the error (``getattr(m, "reset_states", None)`` is not an attribute read), and a ``try``
that catches ``AttributeError``/``ValueError``/``ImportError`` silences it as for any rule.
The fixes are text edits of one name (``fixes/rename_api.py``); a metric's and an optimizer
keyword's are safe (the line raised before, and the new name does what the old one did), a
model's ``*_generator`` rename is not (``fit`` does not take ``max_queue_size``/``workers``/
``use_multiprocessing``, and the generator's batching rules differ).
"""

from __future__ import annotations

import ast

from ...domain.values import ModelValue, Opaque, Value
from ...shapefns.api_objects import LOADED_MODEL
from ...shapefns.keras_metrics import KIND as METRIC
from ..interpreter.module_facts import legacy_keras
from ..results import Fix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays
    from ..interpreter.state import RunState

CODE = "SL214"
FIX_ID = "rename-api"
_GENERATORS = {"fit_generator": "fit", "evaluate_generator": "evaluate",
               "predict_generator": "predict"}
OPTIMIZERS = frozenset({"Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl",
                        "Lamb", "Lion", "Muon", "Nadam", "RMSprop", "SGD"})
_OPTIMIZER_MODULES = ("keras.optimizers.", "tf.optimizers.")
_ATTRIBUTES = frozenset({"reset_states", *_GENERATORS})


def removed_attribute(base: Value, node: ast.Attribute,
                      tree: ast.Module | None) -> tuple[str, Fix | None] | None:
    """SL214's message and fix for ``base.<attr>`` if Keras 3 removed that attribute of it
    (never in a module that may switch ``tf.keras`` to Keras 2: ``legacy_keras``)."""
    attr = node.attr
    if attr not in _ATTRIBUTES or legacy_keras(tree):
        return None
    where = ast.unparse(node)
    if isinstance(base, Opaque) and base.kind == METRIC and attr == "reset_states":
        return (f"{where}: Keras 3 metrics have no reset_states (AttributeError); call "
                "reset_state()", _rename(node, "reset_state", safe=True))
    if not (isinstance(base, ModelValue) or (isinstance(base, Opaque) and
            base.kind == LOADED_MODEL)):
        return None
    if attr in _GENERATORS:
        new = _GENERATORS[attr]
        return (f"{where}: Keras 3 models have no {attr} (AttributeError); {new}() takes "
                "the generator", _rename(node, new, safe=False))
    if attr == "reset_states":
        return (f"{where}: Keras 3 models have no reset_states (AttributeError); call "
                "reset_state() on each stateful layer", None)
    return None


def _rename(node: ast.Attribute, new: str, safe: bool) -> Fix | None:
    """Rename the attribute's name, the last ``len(attr)`` characters of the node."""
    if node.end_lineno is None or node.end_col_offset is None:
        return None
    col = node.end_col_offset - len(node.attr)
    return Fix(FIX_ID, f"Use {new}", safe, (("line", node.end_lineno), ("col", col),
                                            ("old", node.attr), ("new", new)))


class Keras3Removals:
    """The optimizer constructors Keras 3 refuses: ``lr=`` and ``keras.optimizers.legacy``.
    Registered ahead of the optimizer builder; reports and lets it build the object."""

    def __init__(self, state: RunState) -> None:
        self.state = state

    def register(self, overlays: Overlays) -> None:
        for prefix in _OPTIMIZER_MODULES:
            overlays.family(prefix, self.optimizer)

    def optimizer(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  node: ast.AST | None) -> Value | None:
        if not isinstance(node, ast.Call):
            return None
        module, _, leaf = name.rpartition(".")
        if leaf not in OPTIMIZERS or legacy_keras(self.state.tree):
            return None
        if module.endswith(".legacy"):
            written = ast.unparse(node.func)
            self.state.report(CODE, f"{written}: keras.optimizers.legacy is not supported in "
                              "Keras 3 (ImportError); use "
                              f"{written.replace('.legacy.', '.', 1)}", node,
                              fix=_drop_legacy(node))
        elif "lr" in kwargs:
            keyword = next(k for k in node.keywords if k.arg == "lr")
            both = "learning_rate" in kwargs
            self.state.report(CODE, f"{leaf}(lr=...): Keras 3 optimizers take learning_rate=, "
                              "not lr= (ValueError: Argument(s) not recognized)", keyword,
                              fix=None if both else Fix(FIX_ID, "Use learning_rate=", True, (
                                  ("line", keyword.lineno), ("col", keyword.col_offset),
                                  ("old", "lr"), ("new", "learning_rate"))))
        return None


def _drop_legacy(node: ast.Call) -> Fix | None:
    """Remove ``.legacy`` from ``<...>.legacy.<Optimizer>`` written as one attribute chain."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and
            func.value.attr == "legacy"):
        return None
    outer, inner = func.value, func.value.value
    if outer.end_lineno != inner.end_lineno or inner.end_lineno is None or \
            inner.end_col_offset is None or outer.end_col_offset is None:
        return None
    return Fix(FIX_ID, "Use the Keras 3 optimizer", False, (
        ("line", inner.end_lineno), ("col", inner.end_col_offset),
        ("old", ".legacy"), ("new", "")))
