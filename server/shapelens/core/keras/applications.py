"""``keras.applications`` model builders (``VGG19``, ``MobileNetV2``, ``ResNet50``...): a
functional model whose input and output shapes are the ones Keras 3 builds for the given
arguments, and whose inner layers are not modelled.

Why a model and not a library object: the model is called on images, stacked in a Sequential
or a functional model, trained through a tape. Its output shape is what every later line needs,
and it follows from a few numbers per architecture (the default input size, the minimum size
Keras accepts, the channels of the last feature map and how each downsampling step rounds the
spatial size), all checked against Keras 3.15 with ``weights=None`` (the oracle case table).
What the engine gives, and why it is safe:

* the input ``(None, rows, cols, channels)``: ``imagenet_utils.obtain_input_shape``'s rules
  (``include_top`` fixes the default size, ``input_shape`` spatial ``None`` only without the
  top, ``weights="imagenet"`` wants 3 channels and, with the top, exactly the default shape);
  arguments Keras refuses (or the engine cannot read) give an unknown value, never a finding;
* the output ``(None, classes)`` with the top, ``(None, channels)`` with ``pooling="avg"`` or
  ``"max"``, else the last feature map (``None`` spatial sizes stay ``None``);
* its weights: the model itself stands for them (``owners.py``: a call of it uses them, its
  ``trainable_variables`` are them), so a gradient through it is never a false None; one
  pseudo layer (rule ``INNER_LAYERS``) stands for the layers inside, so the model has no
  per-layer table and ``count_params()`` stays unknown, and ``layers``/``get_layer(name)``
  stay unknown (the pseudo layer has no ``name=`` of its own).
"""

from __future__ import annotations

import ast

from ...domain.shapes import DYNAMIC, Dim
from ...domain.values import UNKNOWN, Const, LayerValue, ModelValue, Seq, Tensor, Value
from ...shapefns._common import Call, to_static_dims
from .summary import BATCH, INNER_LAYERS, symbolic

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays

Step = tuple[int, int] | str  # (kernel, stride) of a "valid" op, or "ceil" / "floor" halving

_STANDARD = ("include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
             "classifier_activation", "name")
_MOBILENET = ("input_shape", "alpha", "depth_multiplier", "dropout", "include_top", "weights",
              "input_tensor", "pooling", "classes", "classifier_activation", "name")
_MOBILENET_V2 = ("input_shape", "alpha", "include_top", "weights", "input_tensor", "pooling",
                 "classes", "classifier_activation", "name")
_MOBILE_SIZES = {"MobileNet": (128, 160, 192, 224), "MobileNetV2": (96, 128, 160, 192, 224)}
_MOBILE_ALPHAS = {"MobileNet": (0.25, 0.5, 0.75, 1.0),
                  "MobileNetV2": (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)}

_HALVE5 = ("ceil",) * 5
_INCEPTION: tuple[Step, ...] = ((3, 2), (3, 1), (3, 2), (3, 1), (3, 2), (3, 2), (3, 2))


class Arch:
    """One architecture: its modules (``keras.applications.<module>.<name>``), default and
    minimum input size, the channels of its last feature map and its downsampling steps."""

    __slots__ = ("modules", "default", "minimum", "channels", "steps", "params")

    def __init__(self, modules: tuple[str, ...], default: int, minimum: int, channels: int,
                 steps: tuple[Step, ...], params: tuple[str, ...] = _STANDARD) -> None:
        self.modules = modules
        self.default = default
        self.minimum = minimum
        self.channels = channels
        self.steps = steps
        self.params = params


def _efficientnet(default: int, channels: int) -> Arch:
    return Arch(("efficientnet",), default, 32, channels, _HALVE5)


ARCHS: dict[str, Arch] = {
    "VGG16": Arch(("vgg16",), 224, 32, 512, ("floor",) * 5),
    "VGG19": Arch(("vgg19",), 224, 32, 512, ("floor",) * 5),
    **{f"ResNet{n}": Arch(("resnet", "resnet50") if n == 50 else ("resnet",), 224, 32, 2048,
                          _HALVE5) for n in (50, 101, 152)},
    **{f"ResNet{n}V2": Arch(("resnet_v2",), 224, 32, 2048, _HALVE5) for n in (50, 101, 152)},
    "DenseNet121": Arch(("densenet",), 224, 32, 1024, ("ceil", "ceil", "floor", "floor", "floor")),
    "DenseNet169": Arch(("densenet",), 224, 32, 1664, ("ceil", "ceil", "floor", "floor", "floor")),
    "DenseNet201": Arch(("densenet",), 224, 32, 1920, ("ceil", "ceil", "floor", "floor", "floor")),
    "MobileNet": Arch(("mobilenet",), 224, 32, 1024, ("ceil",) + ("floor",) * 4, _MOBILENET),
    "MobileNetV2": Arch(("mobilenet_v2",), 224, 32, 1280, _HALVE5, _MOBILENET_V2),
    "InceptionV3": Arch(("inception_v3",), 299, 75, 2048, _INCEPTION),
    "InceptionResNetV2": Arch(("inception_resnet_v2",), 299, 75, 1536, _INCEPTION),
    "Xception": Arch(("xception",), 299, 71, 2048, ((3, 2), (3, 1), *("ceil",) * 4)),
    "EfficientNetB0": _efficientnet(224, 1280), "EfficientNetB1": _efficientnet(240, 1280),
    "EfficientNetB2": _efficientnet(260, 1408), "EfficientNetB3": _efficientnet(300, 1536),
    "EfficientNetB4": _efficientnet(380, 1792), "EfficientNetB5": _efficientnet(456, 2048),
    "EfficientNetB6": _efficientnet(528, 2304), "EfficientNetB7": _efficientnet(600, 2560),
}

# Every spelling of a builder (``keras.applications.VGG19``, ``...vgg19.VGG19``): its name.
BUILDERS: dict[str, str] = {
    **{f"keras.applications.{n}": n for n in ARCHS},
    **{f"keras.applications.{m}.{n}": n for n, a in ARCHS.items() for m in a.modules},
}


def register_applications(overlays: Overlays) -> None:
    """Register every builder spelling with the overlay table (``keras/overlay.py``)."""
    for name in BUILDERS:
        overlays.builder(name, build_application)


def build_application(name: str, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST | None) -> Value:
    """``keras.applications.<Arch>(...)``: the model, or unknown when an argument is not
    readable or is one Keras refuses."""
    arch_name = BUILDERS.get(name)
    arch = ARCHS.get(arch_name) if arch_name is not None else None
    if arch is None or arch_name is None or len(args) > len(arch.params):
        return UNKNOWN
    given = dict(zip(arch.params, args)) | kwargs
    if any(k not in arch.params for k in given):
        return UNKNOWN  # an argument this builder does not take: a TypeError
    shapes = application_shapes(arch_name, given)
    if shapes is None:
        return UNKNOWN
    in_shape, out_shape = shapes
    body = LayerValue(INNER_LAYERS, Call(name, [], {}), built_shape=in_shape,
                      output_shape=out_shape, params=None, line=getattr(node, "lineno", 0))
    out = Tensor(out_shape, "float32", "keras", origin=f"keras.applications.{arch_name}",
                 history=(body,))
    return ModelValue("functional", inputs=[symbolic(in_shape)], outputs=out, built=True,
                      line=getattr(node, "lineno", 0))


_MISSING = object()


def _const(given: dict[str, Value], key: str, default: object) -> object:
    """A constant argument's value, ``default`` when not given, ``_MISSING`` when unreadable."""
    if key not in given:
        return default
    v = given[key]
    return v.value if isinstance(v, Const) else _MISSING


def application_shapes(arch_name: str, given: dict[str, Value]
                       ) -> tuple[tuple[Dim, ...], tuple[Dim, ...]] | None:
    """(input shape, output shape) with the batch axis, or None (unknown or refused)."""
    arch = ARCHS[arch_name]
    top = _const(given, "include_top", True)
    weights = _const(given, "weights", "imagenet")
    pooling = _const(given, "pooling", None)
    classes = _const(given, "classes", 1000)
    activation = _const(given, "classifier_activation", "softmax")
    tensor = _const(given, "input_tensor", None)
    if not isinstance(top, bool | int) or weights not in (None, "imagenet") or \
            tensor is not None or not isinstance(pooling, str | None):
        return None  # (a weights file path: Keras checks it exists and loads it)
    imagenet = weights == "imagenet"
    if top and not (isinstance(classes, int) and not isinstance(classes, bool) and classes > 0
                    and not (imagenet and (classes != 1000 or
                                           activation not in ("softmax", None)))):
        return None
    alpha = _alpha(arch_name, given, imagenet)
    if alpha is None:
        return None
    image = _input_image(arch_name, given, bool(top), imagenet)
    if image is None:
        return None
    rows, cols, channels = image
    in_shape: tuple[Dim, ...] = (BATCH, rows, cols, channels)
    features = _feature_channels(arch_name, alpha)
    if top:
        return in_shape, (BATCH, classes if isinstance(classes, int) else None)
    if pooling in ("avg", "max"):
        return in_shape, (BATCH, features)
    return in_shape, (BATCH, _downsample(rows, arch.steps), _downsample(cols, arch.steps),
                      features)


def _alpha(arch_name: str, given: dict[str, Value], imagenet: bool) -> float | None:
    """MobileNet's width multiplier (1.0 for the others), None when unreadable or refused."""
    if arch_name not in _MOBILE_ALPHAS:
        return 1.0
    alpha = _const(given, "alpha", 1.0)
    if not isinstance(alpha, int | float) or isinstance(alpha, bool) or alpha <= 0:
        return None
    if imagenet and alpha not in _MOBILE_ALPHAS[arch_name]:
        return None
    if arch_name == "MobileNet" and _const(given, "depth_multiplier", 1) != 1:
        return None  # (other multipliers keep the shapes, but the engine does not claim it)
    return float(alpha)


def _feature_channels(arch_name: str, alpha: float) -> int:
    """The channels of the last feature map (MobileNets scale them with ``alpha``)."""
    if arch_name == "MobileNet":
        return int(1024 * alpha)
    if arch_name == "MobileNetV2" and alpha > 1.0:
        return _make_divisible(1280 * alpha, 8)
    return ARCHS[arch_name].channels


def _make_divisible(v: float, divisor: int) -> int:
    """MobileNetV2's rounding of a channel count to a multiple of ``divisor``."""
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


def _input_image(arch_name: str, given: dict[str, Value], top: bool, imagenet: bool
                 ) -> tuple[Dim, Dim, Dim] | None:
    """(rows, cols, channels) of the model's input: ``obtain_input_shape`` (channels_last)."""
    arch = ARCHS[arch_name]
    raw = given.get("input_shape", Const(None))
    if isinstance(raw, Const) and raw.value is None:
        if top:
            return (arch.default, arch.default, 3)
        return (DYNAMIC, DYNAMIC, 3)
    dims = to_static_dims(raw) if isinstance(raw, Seq) else None
    if dims is None or len(dims) != 3 or None in dims:
        return None  # unreadable (a variable), or not three dimensions (Keras raises)
    rows, cols, channels = dims
    if not isinstance(channels, int) or (imagenet and channels != 3):
        return None
    if imagenet and top:  # the one default shape, as a tuple (a list never compares equal)
        default = _mobile_default(arch_name, rows, cols)
        ok = isinstance(raw, Seq) and raw.kind == "tuple" and rows == cols == default
        return (default, default, 3) if ok else None
    for d in (rows, cols):
        if d is DYNAMIC and top:
            return None  # "you should specify a static input_shape"
        if isinstance(d, int) and d < arch.minimum:
            return None  # "Input size must be at least ..."
    return rows, cols, channels


def _mobile_default(arch_name: str, rows: Dim, cols: Dim) -> int:
    """The default size: the MobileNets take a square input of a size they have weights for."""
    sizes = _MOBILE_SIZES.get(arch_name)
    if sizes is not None and rows == cols and rows in sizes:
        return rows  # type: ignore[return-value]
    return ARCHS[arch_name].default


def _downsample(size: Dim, steps: tuple[Step, ...]) -> Dim:
    """The spatial size after the architecture's downsampling (``None`` stays ``None``)."""
    if not isinstance(size, int):
        return size
    for step in steps:
        if isinstance(step, tuple):
            kernel, stride = step
            size = (size - kernel) // stride + 1
        else:
            size = (size + 1) // 2 if step == "ceil" else size // 2
    return size
