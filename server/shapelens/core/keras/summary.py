"""Reading Keras objects the interpreter built: layer tables, parameter counts, histories.

Pure functions of the values (``LayerValue``, ``ModelValue``, ``Instance``): used by the
overlay while it runs and by ``analysis.py`` for the model facts it reports.
"""

from __future__ import annotations

from ...domain.shapes import Dim, Shape, static_only
from ...domain.values import (
    UNKNOWN,
    ClassValue,
    Const,
    Instance,
    LayerValue,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Value,
)
from ...shapefns.keras_common import LayerRule
from ...structs import replace
from .losses import loss_name

BATCH = "batch"


def symbolic(shape: Shape, history: tuple[object, ...] = ()) -> Tensor:
    """A symbolic Keras tensor of ``shape`` (what ``keras.Input`` gives)."""
    return Tensor(shape, "float32", "keras", origin="keras.Input", history=history)


def loss_const(loss: Value) -> Value:
    """compile(loss=...) given as a name or a loss object → its canonical name."""
    if isinstance(loss, Opaque) and loss.kind.startswith("loss:"):
        return Const(loss.kind[5:].partition("/")[0])  # the name without its reduction
    if isinstance(loss, Const) and isinstance(loss.value, str):
        return Const(loss_name(loss.value))
    return UNKNOWN


def model_params(model: ModelValue) -> int | None:
    rows = model_rows(model)
    if not rows or any(r[2] is None for r in rows):
        return None
    return sum(r[2] for r in rows if r[2] is not None)


def model_layers(model: ModelValue) -> list[object]:
    if model.kind == "sequential":
        return list(model.layers)
    outputs = model.outputs.items if isinstance(model.outputs, Seq) else (model.outputs,)
    ordered: list[object] = []
    for out in outputs:
        if isinstance(out, Tensor):
            ordered += [h for h in out.history if h not in ordered]
    return ordered


# The rule of a pseudo layer that stands for layers the engine does not model (a
# ``keras.applications`` model's, ``applications.py``; never applied): no table for its model.
def _not_modelled(*args: object) -> None:
    """The pseudo layer's output shape and parameter count: not modelled."""


INNER_LAYERS = LayerRule("(inner layers)", _not_modelled, _not_modelled)


def model_rows(model: ModelValue) -> list[tuple[str, Shape, int | None]]:
    """``model.summary()``: (layer class, output shape, parameter count) per layer."""
    rows: list[tuple[str, Shape, int | None]] = []
    if any(isinstance(i, LayerValue) and i.rule.name == INNER_LAYERS.name
           for i in model_layers(model)):
        return rows  # (so its count_params() is unknown too)
    if model.kind == "functional":
        for t in model.inputs:
            if isinstance(t, Tensor):
                rows.append(("InputLayer", t.shape, 0))
    for item in model_layers(model):
        if isinstance(item, LayerValue):
            out = item.output_shape if isinstance(item.output_shape, tuple) else None
            rows.append((item.rule.name, out, item.params))
        elif isinstance(item, Instance):
            rows.append(instance_row(item))
        elif isinstance(item, ModelValue):
            inner = model_rows(item)
            params = model_params(item)
            last = inner[-1][1] if inner else \
                item.outputs.shape if isinstance(item.outputs, Tensor) else None
            rows.append(("Sequential" if item.kind == "sequential" else "Functional", last,
                         params))
    return rows


def as_one_layer(owner: object, args: list[Value], out: Value) -> Value:
    """A model or custom layer called on symbolic tensors is one layer of the outer model:
    its output's history is the inputs' history plus the owner (not its inner layers)."""
    if not isinstance(out, Tensor) or out.kind != "keras":
        return out
    history: tuple[object, ...] = ()
    for t in args:
        if isinstance(t, Tensor):
            history += tuple(h for h in t.history if h not in history)
    return replace(out, history=(*history, owner))


def instance_row(item: Instance) -> tuple[str, Shape, int | None]:
    """A subclassed Layer/Model used inside a model: one row, its layers' params summed."""
    inner = [v for v in item.attrs.values() if isinstance(v, LayerValue | ModelValue | Instance)]
    params: int | None = 0
    for v in inner:
        p = v.params if isinstance(v, LayerValue) else model_params(v) \
            if isinstance(v, ModelValue) else instance_row(v)[2]
        params = None if p is None or params is None else params + p
    out = item.attrs.get("__output_shape__")
    shape = out.shape if isinstance(out, Tensor) else None
    return (item.cls.node.name, shape, params)


def with_batch(value: Value, batch: Dim, kind: str) -> Value:
    """A functional model's outputs for inputs of batch size ``batch``."""
    if isinstance(value, Tensor):
        shape = value.shape
        if shape and shape[0] == BATCH and batch is not None:
            shape = (batch, *shape[1:])
        if kind != "keras":  # called on data: its sizes are concrete, no static None
            shape = static_only(shape)
        return replace(value, shape=shape, kind=kind if kind != "keras" else value.kind)
    if isinstance(value, Seq):
        return Seq(tuple(with_batch(v, batch, kind) for v in value.items), value.kind)
    return UNKNOWN


def is_keras_subclass(cls: ClassValue) -> bool:
    """A user class deriving (directly or not) from a Keras Model or Layer."""
    for base in cls.bases:
        if isinstance(base, Ref) and base.name.startswith(("keras.", "tf.Module")):
            return True
        if isinstance(base, ClassValue) and is_keras_subclass(base):
            return True
    return False


def is_model(value: Value) -> bool:
    """A Keras model or a subclassed Model/Layer instance (it owns trainable variables)."""
    return isinstance(value, ModelValue) or (isinstance(value, Instance) and
                                             is_keras_subclass(value.cls))
