"""The functions beside the ``keras.applications`` models (the models themselves are built by
``core/keras/applications.py``): ``<module>.preprocess_input`` and ``decode_predictions``.

``preprocess_input(x)`` keeps ``x``'s shape (Keras 3.15, ``imagenet_utils``): mode ``"tf"``
(MobileNets, Inception, Xception, ResNetV2) scales, ``"caffe"`` (VGG, ResNet) flips RGB to BGR
and subtracts the ImageNet means, ``"torch"`` (DenseNet) scales and normalises per channel; the
EfficientNet one gives ``x`` back. The last two index or broadcast three channels, so their
value is claimed only for a last axis of 3 (else Keras raises or changes it). A float input
keeps its dtype, a non-float NumPy array becomes ``floatx`` (float32); other dtypes (an int
tensor divided in place) are left unknown.

``decode_predictions(preds, top=5)``: one list per sample of ``(class id, name, score)``
tuples; Keras raises unless ``preds`` is ``(samples, 1000)``, so other shapes are unknown.
"""

from __future__ import annotations

from ..domain.values import UNKNOWN, Const, ListOf, Opaque, Seq, Tensor, Value
from ._common import Call
from .registry import op

_APPS = "keras.applications."
_MODES = {
    **dict.fromkeys(("vgg16", "vgg19", "resnet", "resnet50"), "caffe"),
    **dict.fromkeys(("resnet_v2", "mobilenet", "mobilenet_v2", "inception_v3",
                     "inception_resnet_v2", "xception", "nasnet"), "tf"),
    "densenet": "torch",
    **dict.fromkeys(("efficientnet", "efficientnet_v2", "convnext", "mobilenet_v3"), "same"),
}
_FLOATS = ("float16", "bfloat16", "float32", "float64")


@op(*(f"{_APPS}{m}.preprocess_input" for m in _MODES))
def preprocess_input(call: Call) -> Value:
    """``<module>.preprocess_input(x, data_format=None)``: ``x``'s shape."""
    x = call.arg(0, "x")
    fmt = call.arg(1, "data_format", Const(None))
    if not isinstance(x, Tensor) or not (isinstance(fmt, Const) and fmt.value is None):
        return UNKNOWN
    mode = _MODES[call.name[len(_APPS):].rsplit(".", 1)[0]]
    if mode == "same":
        return x
    if mode != "tf" and (x.shape is None or not x.shape or x.shape[-1] != 3):
        return UNKNOWN
    if x.dtype in _FLOATS:
        dtype = x.dtype
    elif x.kind == "ndarray" and x.dtype is not None:
        dtype = "float32"
    else:
        return UNKNOWN
    return Tensor(x.shape, dtype, x.kind, origin=call.name.rsplit(".", 2)[-2] + ".preprocess_input")


@op(*(f"{_APPS}{m}.decode_predictions" for m in (*_MODES, "imagenet_utils")))
def decode_predictions(call: Call) -> Value:
    """One list per sample of ``(class id, class name, score)``, the ``top`` best."""
    preds = call.arg(0, "preds")
    if not isinstance(preds, Tensor) or preds.shape is None or len(preds.shape) != 2 or \
            preds.shape[1] != 1000:
        return UNKNOWN
    name = Opaque("py:str")
    row = Seq((name, name, Tensor((), "float32", "ndarray", origin="score")), "tuple")
    batch = preds.shape[0]
    return ListOf(ListOf(row), batch if isinstance(batch, int) else 0)


# The names of this module with a known non-tensor result: bench/coverage.py.
NON_TENSOR_NAMES = frozenset(f"{_APPS}{m}.decode_predictions"
                             for m in (*_MODES, "imagenet_utils"))
