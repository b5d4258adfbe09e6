"""The Keras overlay: layers, models, fit/evaluate/predict, next to ``shapefns``' layer table.

``KerasOverlay`` (``overlay.py``) is what the interpreter talks to; ``models.py`` builds
Keras objects and runs models, ``layers.py`` applies layers, ``summary.py`` reads the built
objects (layer tables, parameter counts) for the overlay and for ``analysis.py``.
"""

from .overlay import KerasOverlay
from .subclass import subclass_rows
from .summary import is_keras_subclass, is_model, model_rows

__all__ = ["KerasOverlay", "is_keras_subclass", "is_model", "model_rows", "subclass_rows"]
