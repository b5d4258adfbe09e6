"""What Keras 3 does with targets in ``fit``/``evaluate``: the rank squeeze/expand it applies,
then each built-in loss's own shape check. Only certain failures are reported (SL207).

Facts (truth table §2.5): sparse categorical wants rank(target) == rank(output) - 1 after a
trailing 1 is squeezed; categorical and binary crossentropy want equal rank and equal
non-batch dims; MSE-like losses broadcast (``(N, 1)`` vs ``(N, 10)`` silently trains).
"""

from __future__ import annotations

import re

from ...domain.shapes import Dim, broadcast, format_shape
from ...domain.values import Tensor, Value
from ...shapefns import ShapeError

_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error",
    "meansquarederror": "mean_squared_error", "meanabsoluteerror": "mean_absolute_error",
    "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy",
    "categoricalcrossentropy": "categorical_crossentropy",
    "binarycrossentropy": "binary_crossentropy", "huber": "huber", "logcosh": "log_cosh",
}
_BROADCASTING = {"mean_squared_error", "mean_absolute_error", "huber", "log_cosh"}
_SAME_SHAPE = {"categorical_crossentropy", "binary_crossentropy"}


def loss_name(text: str) -> str:
    """``SparseCategoricalCrossentropy`` / ``"mse"`` → canonical snake-case name."""
    key = re.sub(r"[^a-z]", "", text.lower())
    return _ALIASES.get(key, _ALIASES.get(text, text))


def _squeeze_or_expand(t: tuple[Dim, ...], o: tuple[Dim, ...]) -> tuple[tuple[Dim, ...],
                                                                         tuple[Dim, ...]]:
    if len(t) == len(o) + 1 and t[-1] == 1:
        return (t, (*o, 1)) if len(o) == 1 else (t[:-1], o)
    if len(o) == len(t) + 1 and o[-1] == 1:
        return ((*t, 1), o) if len(t) == 1 else (t, o[:-1])
    return t, o


def _may_squeeze(t: tuple[Dim, ...], o: tuple[Dim, ...], sparse: bool) -> bool:
    """Keras squeezes or expands a trailing 1 before the loss sees the shapes; a trailing
    dimension the analyzer does not know may be that 1, and then no rank is certain."""
    if len(t) == len(o) + 1 or (sparse and len(t) == len(o)):
        return not isinstance(t[-1], int)
    if len(o) == len(t) + 1:
        return not isinstance(o[-1], int)
    return False


def check_targets(loss: str | None, x: Value, y: Value, output: Value) -> None:
    if isinstance(x, Tensor) and isinstance(y, Tensor) and x.shape and y.shape:
        nx, ny = x.shape[0], y.shape[0]
        if isinstance(nx, int) and isinstance(ny, int) and nx != ny:
            raise ShapeError("SL207", f"data cardinality is ambiguous: x has {nx} samples but "
                             f"y has {ny}")
    if loss is None or not isinstance(y, Tensor) or not isinstance(output, Tensor) or \
            y.shape is None or output.shape is None or not y.shape or not output.shape:
        return
    name = loss_name(loss)
    received = f"targets {format_shape(y.shape)}, model output {format_shape(output.shape)}"
    received += _explain(output, len(y.shape))
    if _may_squeeze(y.shape, output.shape, name == "sparse_categorical_crossentropy"):
        return
    t, o = _squeeze_or_expand(y.shape, output.shape)
    if name == "sparse_categorical_crossentropy":
        if len(t) == len(o) and t[-1] == 1:
            t = t[:-1]
        if len(t) != len(o) - 1:
            hint = "; for one-hot targets use categorical_crossentropy" \
                if len(t) >= len(o) else ""
            raise ShapeError("SL207", f"sparse_categorical_crossentropy needs integer targets "
                             f"of rank {len(o) - 1} (one class id per output row) but got "
                             f"{received}{hint}")
        return
    if name in _SAME_SHAPE:
        if len(t) != len(o):
            hint = " (integer class ids need sparse_categorical_crossentropy)" \
                if name == "categorical_crossentropy" and len(t) == len(o) - 1 else ""
            raise ShapeError("SL207", f"{name} needs targets of the same rank as the model "
                             f"output, got {received}{hint}")
        for a, b in zip(t[1:], o[1:]):
            if isinstance(a, int) and isinstance(b, int) and a != b:
                raise ShapeError("SL207", f"{name} needs targets of the same shape as the "
                                 f"model output, got {received}")
        return
    if name in _BROADCASTING and len(t) == len(o):
        _, ok = broadcast(t[1:], o[1:])
        if not ok:
            raise ShapeError("SL207", f"{name}: targets and model output cannot be "
                             f"broadcast together: {received}")


def _explain(output: Tensor, target_rank: int) -> str:
    """Why the output has more axes than the targets: Dense acts on the last axis only."""
    if output.shape is None or len(output.shape) <= max(target_rank, 2):
        return ""
    origin = f" (from {output.origin})" if output.origin else ""
    if len(output.shape) == 3:
        fix = ("return_sequences=False on the last RNN, GlobalAveragePooling1D or Flatten "
               "before the output layer")
    else:
        fix = "Flatten or GlobalAveragePooling2D before the output layer"
    extra = len(output.shape) - 2
    axes = "1 extra axis" if extra == 1 else f"{extra} extra axes"
    return (f"; the output keeps {axes}{origin} because Dense "
            f"acts on the last axis only: {fix} gives one row per sample")
