"""Gradient provenance: one component, notified by the interpreter, owning every tape fact.

``Provenance`` (``tracker.py``) is the interface, ``register`` (``overlay.py``) plugs tapes
and optimizers into the overlay table; ``deps.py`` the vocabulary of recorded
paths, ``gradients.py`` what ``tape.watch``/``tape.gradient`` decide, ``reasons.py`` the
proofs of a None gradient, ``optimizers.py`` the checks of ``apply_gradients``.
"""

from .deps import INCOMPLETE
from .overlay import register
from .tracker import Provenance

__all__ = ["INCOMPLETE", "Provenance", "register"]
