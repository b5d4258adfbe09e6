"""Tapes and optimizers as library objects: what gradient provenance registers as overlays.

``tf.GradientTape(...)`` builds a tape (``Provenance.make_tape``), a Keras/TF optimizer
class builds an opaque optimizer; their methods are served by ``gradients.tape_method``
(``watch``, ``gradient``, ``jacobian``...) and ``optimizers.optimizer_method``
(``apply_gradients``, ``minimize``).
"""

from __future__ import annotations

import ast

from ...domain.values import Opaque, TapeValue, Value
from .gradients import tape_method
from .optimizers import optimizer_method
from .tracker import Provenance

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays


def register(prov: Provenance, overlays: Overlays) -> None:
    """Register the tape and optimizer overlays of ``prov`` with ``overlays``."""
    overlays.builder("tf.GradientTape", prov.make_tape)
    overlays.family("keras.optimizers.", _make_optimizer)
    overlays.family("tf.optimizers.", _make_optimizer)

    def tape(receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
             node: ast.AST) -> Value:
        assert isinstance(receiver, TapeValue)  # the overlay kind "GradientTape"
        return tape_method(prov, receiver, name, args, kwargs, node)

    def optimizer(receiver: Value, name: str, args: list[Value], kwargs: dict[str, Value],
                  node: ast.AST) -> Value:
        return optimizer_method(prov, name, args, kwargs, node)

    overlays.method("GradientTape", tape)
    overlays.method("optimizer", optimizer)


def _make_optimizer(name: str, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value | None:
    return Opaque("optimizer") if name.rsplit(".", 1)[-1][:1].isupper() else None
