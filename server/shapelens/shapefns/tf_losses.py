"""Losses called as functions: ``tf.nn`` cross entropies and ``keras.losses`` /
``keras.metrics`` functions, with the rules TF 2.21 and Keras 3 enforce on labels against
logits or predictions.

* ``tf.nn.softmax_cross_entropy_with_logits``: both sides are flattened to ``(rows,
  classes)`` and the labels must broadcast to the logits (``InvalidArgumentError``).
* ``tf.nn.sparse_softmax_cross_entropy_with_logits``: integer labels of rank
  ``rank(logits) - 1`` with the logits' leading dims (``ValueError``), values in
  ``[0, classes)`` (the kernel's check).
* ``tf.nn.sigmoid_cross_entropy_with_logits``: labels of the logits' exact shape and dtype.
* ``keras.losses``: cross entropies want equal ranks and shapes (sparse: one rank less,
  after a trailing 1 is squeezed); the regression losses squeeze or expand a trailing 1 and
  then broadcast (``(N, 1)`` against ``(N, 10)`` silently works, ``(N,)`` against
  ``(N, 10)`` does not).

Label/logit rank and shape rules are SL119; where TF's error is a failed broadcast
(softmax labels, the regression losses) it is SL103, and a dtype conflict TF reports as such
is SL111.
"""

from __future__ import annotations

from ..domain.shapes import Dim, broadcast, num_elements
from ..domain.values import UNKNOWN, Tensor, Value
from ._common import Call, ShapeError, shape_text, to_int
from .registry import op

CODE = "SL119"


def _logits(call: Call, pos: int = 1) -> Tensor | None:
    return call.tensor(None, "logits") or call.tensor(pos, None)


def _labels(call: Call) -> Tensor | None:
    return call.tensor(None, "labels") or call.tensor(0, None)


def _flat(shape: tuple[Dim, ...]) -> tuple[Dim, Dim]:
    """``_flatten_outer_dims``: (rows, classes) of a rank >= 1 shape."""
    classes = shape[-1]
    return num_elements(shape[:-1]), classes


@op("tf.nn.softmax_cross_entropy_with_logits")
def softmax_xent(call: Call) -> Value:
    logits, labels = _logits(call), _labels(call)
    if logits is None or logits.shape is None or not logits.shape:
        return UNKNOWN
    axis = to_int(call.arg(3, "axis")) if call.has(3, "axis") else -1
    rank = len(logits.shape)
    if axis is None or not -rank <= axis < rank:
        return call.result(None, logits.dtype, call.name)
    if axis % rank != rank - 1:
        return call.result(logits.shape[:axis % rank] + logits.shape[axis % rank + 1:],
                           logits.dtype, call.name)
    if labels is not None and labels.shape:
        got, want = _flat(labels.shape), _flat(logits.shape)
        fits = True
        for a, b in zip(got, want):
            if isinstance(a, int) and isinstance(b, int) and a != b and a != 1 and b != 1:
                raise ShapeError("SL103", f"{call.name}: labels {shape_text(labels)} and logits "
                                 f"{shape_text(logits)} are flattened to {list(got)} and "
                                 f"{list(want)}, which are not broadcastable", runtime=True)
            fits = fits and (a == b or a == 1)
        if not fits:
            return call.result(None, logits.dtype, call.name)
    return call.result(logits.shape[:-1], logits.dtype, call.name)


@op("tf.nn.sparse_softmax_cross_entropy_with_logits")
def sparse_softmax_xent(call: Call) -> Value:
    logits, labels = _logits(call), _labels(call)
    if logits is None or logits.shape is None:
        return UNKNOWN
    if not logits.shape:
        raise ShapeError(CODE, f"{call.name}: logits cannot be a scalar; they need a class "
                         f"axis")
    if labels is not None and labels.dtype is not None and \
            not labels.dtype.startswith("int") and labels.dtype not in ("uint8",):
        raise ShapeError(CODE, f"{call.name}: labels must be int32 or int64 class ids, got "
                         f"{labels.dtype} (for one-hot or probability labels use "
                         f"tf.nn.softmax_cross_entropy_with_logits)")
    if labels is not None and labels.shape is not None:
        want = logits.shape[:-1]
        if len(labels.shape) != len(want):
            hint = " (one-hot labels need tf.nn.softmax_cross_entropy_with_logits)" \
                if len(labels.shape) == len(logits.shape) else ""
            raise ShapeError(CODE, f"{call.name}: labels {shape_text(labels)} must have rank "
                             f"{len(want)}, one less than the logits {shape_text(logits)}"
                             f"{hint}")
        for a, b in zip(labels.shape, want):
            if isinstance(a, int) and isinstance(b, int) and a != b:
                raise ShapeError(CODE, f"{call.name}: labels {shape_text(labels)} must have "
                                 f"the shape of the logits {shape_text(logits)} without the "
                                 f"last axis")
        _label_values(call, labels, logits.shape[-1])
    return call.result(logits.shape[:-1], logits.dtype, call.name)


def _label_values(call: Call, labels: Tensor, classes: Dim) -> None:
    """The kernel's check of known label values against the number of classes."""
    if not isinstance(classes, int) or labels.content is None:
        return
    bad = [v for v in labels.content if isinstance(v, int) and not 0 <= v < classes]
    if bad:
        raise ShapeError(CODE, f"{call.name}: label value {bad[0]} is outside the valid range "
                         f"[0, {classes}) of the logits' {classes} classes", runtime=True)


@op("tf.nn.sigmoid_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits")
def sigmoid_xent(call: Call) -> Value:
    logits, labels = _logits(call), _labels(call)
    if logits is None:
        return UNKNOWN
    if labels is not None and labels.shape is not None and logits.shape is not None:
        same_rank = len(labels.shape) == len(logits.shape)
        if not same_rank or any(isinstance(a, int) and isinstance(b, int) and a != b
                                for a, b in zip(labels.shape, logits.shape)):
            raise ShapeError(CODE, f"{call.name}: logits {shape_text(logits)} and labels "
                             f"{shape_text(labels)} must have the same shape")
    if labels is not None and labels.dtype and logits.dtype and \
            labels.dtype != logits.dtype and not call.promotes() and \
            call.name == "tf.nn.sigmoid_cross_entropy_with_logits":
        raise ShapeError("SL111", f"{call.name}: labels are {labels.dtype} but logits are "
                         f"{logits.dtype}; cast the labels to {logits.dtype}")
    return call.result(logits.shape, logits.dtype, call.name)


# ---------------------------------------------------------------- keras.losses functions

_SAME_SHAPE = ("categorical_crossentropy", "binary_crossentropy", "binary_focal_crossentropy")
_BROADCASTING = ("mean_squared_error", "mean_absolute_error", "mse", "mae", "MSE", "MAE",
                 "kld", "logcosh", "huber",
                 "kl_divergence", "log_cosh", "hinge", "categorical_hinge", "poisson",
                 "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                 "squared_hinge", "categorical_focal_crossentropy", "cosine_similarity")
_NOT_METRICS = ("binary_focal_crossentropy", "categorical_focal_crossentropy",
                "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                "squared_hinge", "cosine_similarity")
_ALL = (*_SAME_SHAPE, *_BROADCASTING, "sparse_categorical_crossentropy")


def _loss_dtype(pred: Tensor) -> str | None:
    return pred.dtype if pred.dtype and pred.dtype.startswith(("float", "bfloat")) else None


def _squeeze_or_expand(t: tuple[Dim, ...], p: tuple[Dim, ...]
                       ) -> tuple[tuple[Dim, ...], tuple[Dim, ...]] | None:
    """Keras' ``squeeze_or_expand_to_same_rank`` on (y_true, y_pred): when one has one axis
    more and it is a trailing 1, it is dropped (or, against a vector, the vector gains one).
    None when that trailing dim is unknown (it may be a 1)."""
    if len(t) == len(p) + 1 or len(p) == len(t) + 1:
        longer, shorter = (t, p) if len(t) > len(p) else (p, t)
        if not isinstance(longer[-1], int):
            return None
        if longer[-1] == 1:
            if len(shorter) == 1:
                shorter = (*shorter, 1)
            else:
                longer = longer[:-1]
        return (longer, shorter) if len(t) > len(p) else (shorter, longer)
    return t, p


@op(*(f"keras.losses.{n}" for n in _ALL),
    *(f"keras.metrics.{n}" for n in _ALL if n not in _NOT_METRICS))
def keras_loss_fn(call: Call) -> Value:
    """Per-sample loss: the prediction's shape without its last axis."""
    name = call.name.rsplit(".", 1)[-1]
    true, pred = call.tensor(0, "y_true"), call.tensor(1, "y_pred")
    if pred is None or pred.shape is None or not pred.shape:
        return UNKNOWN
    dtype = _loss_dtype(pred)
    if true is None or true.shape is None:  # broadcasting: y_true may add axes
        shape = None if name in _BROADCASTING else pred.shape[:-1]
        return call.result(shape, dtype, call.name)
    if name == "sparse_categorical_crossentropy":
        return _sparse(call, true, pred, dtype)
    if name in _SAME_SHAPE:
        if len(true.shape) != len(pred.shape):
            hint = " (integer class ids need sparse_categorical_crossentropy)" \
                if len(true.shape) == len(pred.shape) - 1 and name.startswith("categorical") \
                else ""
            raise ShapeError(CODE, f"{call.name}: y_true {shape_text(true)} and y_pred "
                             f"{shape_text(pred)} must have the same rank{hint}")
        for a, b in zip(true.shape, pred.shape):
            if isinstance(a, int) and isinstance(b, int) and a != b:
                raise ShapeError(CODE, f"{call.name}: y_true {shape_text(true)} and y_pred "
                                 f"{shape_text(pred)} must have the same shape")
        return call.result(pred.shape[:-1], dtype, call.name)
    return _broadcasting(call, true, pred, dtype)


def _sparse(call: Call, true: Tensor, pred: Tensor, dtype: str | None) -> Value:
    assert true.shape is not None and pred.shape is not None
    t = true.shape
    if len(t) == len(pred.shape):
        if not t or not isinstance(t[-1], int):
            return UNKNOWN  # a trailing 1 would be squeezed
        if t[-1] == 1:
            t = t[:-1]
    want = pred.shape[:-1]
    if len(t) != len(want):
        hint = "; for one-hot targets use categorical_crossentropy" \
            if len(t) == len(pred.shape) else ""
        raise ShapeError(CODE, f"{call.name}: y_true {shape_text(true)} must hold one class "
                         f"id per row of y_pred {shape_text(pred)} (rank {len(want)}){hint}")
    for a, b in zip(t, want):
        if isinstance(a, int) and isinstance(b, int) and a != b:
            raise ShapeError(CODE, f"{call.name}: y_true {shape_text(true)} and y_pred "
                             f"{shape_text(pred)} must have the same shape up until the last "
                             f"dimension")
    return call.result(want, dtype, call.name)


def _broadcasting(call: Call, true: Tensor, pred: Tensor, dtype: str | None) -> Value:
    assert true.shape is not None and pred.shape is not None
    if not true.shape:
        return UNKNOWN
    pair = _squeeze_or_expand(true.shape, pred.shape)
    if pair is None:
        return UNKNOWN
    shape, ok = broadcast(*pair)
    if not ok:
        raise ShapeError("SL103", f"{call.name}: y_true {shape_text(true)} and y_pred "
                         f"{shape_text(pred)} cannot be broadcast together (Keras only drops "
                         f"or adds a trailing 1)", runtime=True)
    if shape is None or not shape:
        return call.result(None, dtype, call.name)
    return call.result(shape[:-1], dtype, call.name)


@op(*(f"keras.losses.{n}.__call__" for n in _ALL))
def keras_loss_object(call: Call) -> Value:
    """A loss object's call (``keras.losses.SparseCategoricalCrossentropy()(y, p)``): Keras'
    wrapper first drops or adds a trailing 1 on either side, then runs the loss function;
    the result is the reduced scalar."""
    name = call.name[:-len(".__call__")]
    true, pred = call.tensor(0, "y_true"), call.tensor(1, "y_pred")
    per_sample: Value = UNKNOWN
    if true is not None and pred is not None and true.shape is not None and \
            pred.shape is not None:
        pair = _squeeze_or_expand(true.shape, pred.shape)
        if pair is not None:
            per_sample = keras_loss_fn(Call(name, [true.with_shape(pair[0]),
                                                   pred.with_shape(pair[1])],
                                            {}, call.numpy, call.promote))
    if call.has(None, "reduction"):  # reduction=None: the per-sample losses, float32
        return per_sample if not isinstance(per_sample, Tensor) else \
            Tensor(per_sample.shape, "float32", "tensor", origin=name)
    return Tensor((), "float32", "tensor", origin=name)
