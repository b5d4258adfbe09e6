"""Keras layers and models in the interpreter: building layers on their first input, the
input-spec checks Keras makes, Sequential/functional/subclassed models, and the data checks of
``fit``/``evaluate``/``predict`` against the compiled loss.

Where Keras raises decides where we report: a Sequential with a known input is built at its
construction; a lazily built one at its first call, ``fit`` or ``predict``; a functional graph
at each layer call; a model applied to data at that call.
"""

from __future__ import annotations

import ast

from ..shapefns import ShapeError
from ..shapefns._common import Call, to_static_dims, to_str
from ..shapefns.keras_common import LAYERS, check_spec, layer_label
from ..shapefns.keras_core import input_shape_of
from ..shapefns.keras_rnn import (
    FUNCTIONAL_MERGES,
    attention_output,
    bidirectional_output,
    mha_output,
    mha_params,
)
from ..structs import replace
from .evaluate import Evaluator
from .keras_losses import check_targets, loss_name
from .shapes import DYNAMIC, Dim, Shape, dims_equal, format_shape, static_only
from .values import (
    UNKNOWN,
    BoundMethod,
    ClassValue,
    Const,
    Function,
    Instance,
    LayerValue,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Value,
)
from .weights import CALLED, NOT_BUILDING, mark_built

BATCH = "batch"
_DATA_METHODS = ("fit", "evaluate", "train_on_batch", "test_on_batch")
_PREDICT = ("predict", "predict_on_batch")


def _symbolic(shape: Shape, history: tuple[object, ...] = ()) -> Tensor:
    return Tensor(shape, "float32", "keras", origin="keras.Input", history=history)


class KerasMixin(Evaluator):
    # ------------------------------------------------------------------ evaluator hooks
    def library_object(self, name: str, args: list[Value], kwargs: dict[str, Value],
                       node: ast.AST | None) -> Value | None:
        return self.keras_construct(name, args, kwargs, node)

    def call_keras(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST) -> Value:
        if isinstance(func, LayerValue):
            return self.layer_deps(func, args, self.apply_layer(func, args, kwargs, node))
        if isinstance(func, ModelValue):
            out = self.call_model(func, args, node)
            return self.layer_deps(func, args, _as_one_layer(func, args, out))
        if isinstance(func, Instance):
            member = self._class_member(func.cls, "__call__")
            keras = not isinstance(member, Function) and is_keras_subclass(func.cls)
            if keras:
                member = self._class_member(func.cls, "call")
                func.attrs[CALLED] = Const(True)  # Keras builds it before call() runs
            if isinstance(member, Function):
                out = self.call_function(member, [func, *args], kwargs, node)
                if not keras:  # a tf.Module's own __call__: linked to its variables too
                    return self.layer_deps(func, args, out) \
                        if is_keras_subclass(func.cls) else out
                if isinstance(out, Tensor) and "__output_shape__" not in func.attrs:
                    func.attrs["__output_shape__"] = out
                return self.layer_deps(func, args, _as_one_layer(func, args, out))
        return UNKNOWN

    def call_method(self, method: BoundMethod, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        if method.name == "build" and isinstance(method.receiver, Instance):
            mark_built(method.receiver)  # its own build(): the weights exist from here on
        return super().call_method(method, args, kwargs, node)

    def keras_method(self, receiver: Value, name: str, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> Value:
        if isinstance(receiver, ModelValue):
            return self.model_method(receiver, name, args, kwargs, node)
        if isinstance(receiver, Instance) and is_keras_subclass(receiver.cls):
            return self._subclass_method(receiver, name, args, kwargs, node)
        return UNKNOWN

    def keras_attribute(self, base: Value, attr: str) -> Value:
        if isinstance(base, ModelValue):
            if attr == "layers":
                return Seq(tuple(v for v in model_layers(base) if isinstance(v, Value)), "list")
            if attr in ("output", "outputs") and base.kind == "functional":
                return base.outputs
            if attr in ("input", "inputs") and base.kind == "functional":
                return base.inputs[0] if attr == "input" and base.inputs else \
                    Seq(tuple(base.inputs), "list")
        return BoundMethod(base, attr)

    def _subclass_method(self, model: Instance, name: str, args: list[Value],
                         kwargs: dict[str, Value], node: ast.AST) -> Value:
        """compile/fit/predict on a subclassed keras.Model run its ``call``."""
        if name not in NOT_BUILDING:
            mark_built(model)  # build(), fit(), load_weights()... may create the weights
        if name == "compile":
            model.attrs["__loss__"] = _loss_const(
                kwargs.get("loss", args[1] if len(args) > 1 else UNKNOWN))
            return Const(None)
        if name in _PREDICT or name in _DATA_METHODS:
            x = args[0] if args else kwargs.get("x", UNKNOWN)
            out = self.call_keras(model, [x], {}, node)
            if name in _PREDICT:
                return self.left_tf(replace(out, kind="ndarray"), "model.predict()") \
                    if isinstance(out, Tensor) else UNKNOWN
            y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
            loss = model.attrs.get("__loss__")
            try:
                check_targets(loss.value if isinstance(loss, Const) and
                              isinstance(loss.value, str) else None, x, y, out)
            except ShapeError as err:
                self.report(err.code, err.message, node)
        return UNKNOWN

    # ------------------------------------------------------------------ construction
    def keras_construct(self, name: str, args: list[Value], kwargs: dict[str, Value],
                        node: ast.AST | None) -> Value | None:
        """Library calls that build Keras objects; None when ``name`` is not one of them."""
        if not name.startswith("keras."):
            return None
        if name in ("keras.Input", "keras.layers.Input"):
            return self._make_input(args, kwargs, node)
        if name in ("keras.layers.InputLayer", "keras.InputLayer"):
            # In a Sequential it is the model's Input; ``input_shape=`` is its legacy spelling.
            if "input_shape" in kwargs and "shape" not in kwargs and not args:
                kwargs = {**kwargs, "shape": kwargs["input_shape"]}
            return self._make_input(args, kwargs, node)
        if name in ("keras.Sequential", "keras.models.Sequential"):
            return self._make_sequential(args, kwargs, node)
        if name in ("keras.Model", "keras.models.Model"):
            inputs = kwargs.get("inputs", args[0] if args else UNKNOWN)
            outputs = kwargs.get("outputs", args[1] if len(args) > 1 else UNKNOWN)
            ins = list(inputs.items) if isinstance(inputs, Seq) else [inputs]
            return ModelValue("functional", inputs=ins, outputs=outputs, built=True,
                              line=getattr(node, "lineno", 0))
        leaf = name.rsplit(".", 1)[-1]
        if name.startswith("keras.layers.") and leaf in FUNCTIONAL_MERGES:
            cfg = Call(f"keras.layers.{FUNCTIONAL_MERGES[leaf]}", args[1:], kwargs)
            layer = LayerValue(LAYERS[cfg.name], cfg, line=getattr(node, "lineno", 0))
            return self.apply_layer(layer, [args[0]] if args else [], {}, node)
        if name.startswith("keras.losses.") and leaf[:1].isupper():
            return Opaque(f"loss:{loss_name(leaf)}")
        rule = LAYERS.get(name)
        if rule is not None:
            return LayerValue(rule, Call(name, args, kwargs), line=getattr(node, "lineno", 0),
                              node=node)
        return None

    def _make_input(self, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value:
        shape_v = kwargs.get("shape", args[0] if args else UNKNOWN)
        if isinstance(shape_v, Const) and isinstance(shape_v.value, int):
            if node is not None:
                self.report("SL209", f"keras.Input(shape={shape_v.value}): shape must be a "
                            f"tuple such as ({shape_v.value},), not an int", node)
            return UNKNOWN
        dims = to_static_dims(shape_v)
        batch_v = kwargs.get("batch_size")
        batch: Dim = batch_v.value if isinstance(batch_v, Const) and \
            isinstance(batch_v.value, int) else BATCH
        dtype = to_str(kwargs.get("dtype", Const("float32"))) or "float32"
        full = to_static_dims(kwargs["batch_shape"]) if "batch_shape" in kwargs and \
            "shape" not in kwargs and not args else None
        if full:  # batch_shape=(None, 8): a None batch is still Keras' batch axis
            return Tensor((BATCH if full[0] is DYNAMIC else full[0], *full[1:]), dtype,
                          "keras", origin="keras.Input")
        if dims is None:
            return Tensor(None, dtype, "keras", origin="keras.Input")
        return Tensor((batch, *dims), dtype, "keras", origin="keras.Input")

    def _make_sequential(self, args: list[Value], kwargs: dict[str, Value],
                         node: ast.AST | None) -> Value:
        items = kwargs.get("layers", args[0] if args else Seq(()))
        model = ModelValue("sequential", line=getattr(node, "lineno", 0))
        if not isinstance(items, Seq):
            return model if isinstance(items, Const) and items.value is None else UNKNOWN
        for item in items.items:
            self.sequential_add(model, item, node, build=False)
        if model.input_shape is not None:
            self.forward_sequential(model, _symbolic(model.input_shape), node)
        return model

    def sequential_add(self, model: ModelValue, item: Value, node: ast.AST | None,
                       build: bool = True) -> None:
        if isinstance(item, Tensor) and item.kind == "keras" and not model.layers:
            model.input_shape = item.shape
            # An Input builds the model even when the analyzer cannot read its shape: the
            # data given to fit() must then not stand in for it.
            model.built = True
            return
        if not model.layers and isinstance(item, LayerValue):
            declared = input_shape_of(item.config)
            if declared is not None:
                model.input_shape = declared
                if item.node is not None:
                    # An unknown size has no literal: quote the argument as written instead.
                    shape = format_shape(declared[1:]) if None not in declared[1:] else \
                        "<the same shape>"
                    self.report("SL211", f"input_shape= on {item.rule.name} works but Keras 3 "
                                f"warns; start the Sequential with keras.Input(shape="
                                f"{shape}) instead", item.node)
        model.layers.append(item)
        if build and model.input_shape is not None:
            self.forward_sequential(model, _symbolic(model.input_shape), node)

    # ------------------------------------------------------------------ application
    def apply_layer(self, layer: LayerValue, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST | None) -> Value:
        try:
            return self._apply(layer, args, kwargs, node)
        except ShapeError as err:
            if node is not None:
                self.report(err.code, err.message, node)
            return UNKNOWN

    def _apply(self, layer: LayerValue, args: list[Value], kwargs: dict[str, Value],
               node: ast.AST | None) -> Value:
        rule, cfg = layer.rule, layer.config
        x = args[0] if args else kwargs.get("inputs", UNKNOWN)
        if rule.name == "Lambda":
            fn = cfg.arg(0, "function")
            return self.call_function(fn, [x], {}, node or fn.node) \
                if isinstance(fn, Function) else UNKNOWN
        if rule.merge or rule.name in ("Attention", "AdditiveAttention"):
            tensors = list(x.items) if isinstance(x, Seq) else []
            if not tensors or not all(isinstance(t, Tensor) and t.shape is not None
                                      for t in tensors):
                return UNKNOWN
            shapes = [t.shape for t in tensors if isinstance(t, Tensor) and t.shape is not None]
            out = attention_output(cfg, shapes) if not rule.merge else \
                rule.output(rule, cfg, shapes)
            return self._result(layer, tensors, out, shapes[0], 0)
        if not isinstance(x, Tensor) or x.shape is None:
            mark_built(layer)  # built all the same, for a shape the engine cannot read
            return UNKNOWN
        # A static None is proven only on a symbolic Keras tensor; data has concrete sizes.
        shape = x.shape if x.kind == "keras" else static_only(x.shape)
        assert shape is not None
        check_spec(rule, cfg, shape)
        if layer.built_shape is not None and rule.pinned_axes is not None:
            for axis, dim in rule.pinned_axes(cfg, layer.built_shape).items():
                got = shape[axis] if -len(shape) <= axis < len(shape) else None
                if isinstance(got, int) and got != dim:
                    raise ShapeError("SL201", f"{layer_label(cfg, rule.name)} was built for "
                                     f"inputs with axis {axis} = {dim} "
                                     f"(input {format_shape(layer.built_shape)}) but received "
                                     f"input with shape {format_shape(shape)}")
        if rule.name == "MultiHeadAttention":
            value = args[1] if len(args) > 1 else kwargs.get("value", UNKNOWN)
            if not isinstance(value, Tensor) or value.shape is None:
                return UNKNOWN
            key = kwargs.get("key")
            key_shape = key.shape if isinstance(key, Tensor) else None
            params = mha_params(cfg, shape, value.shape, key_shape)
            return self._result(layer, [x, value], mha_output(cfg, shape, value.shape), shape,
                                params)
        if rule.name in ("Bidirectional", "TimeDistributed"):
            return self._apply_wrapper(layer, x, shape, node)
        out = rule.output(cfg, shape)
        return self._result(layer, [x], out, shape, None)

    def _apply_wrapper(self, layer: LayerValue, x: Tensor, shape: tuple[Dim, ...],
                       node: ast.AST | None) -> Value:
        inner = layer.config.arg(0, "layer")
        if isinstance(inner, ModelValue) and layer.rule.name == "TimeDistributed" and \
                len(shape) >= 3:
            step_out = self.call_model(inner, [_symbolic((shape[0], *shape[2:]))], node)
            if not isinstance(step_out, Tensor) or step_out.shape is None:
                return UNKNOWN
            return self._result(layer, [x], (shape[0], shape[1], *step_out.shape[1:]), shape,
                                model_params(inner))
        if not isinstance(inner, LayerValue):
            return UNKNOWN
        if layer.rule.name == "Bidirectional":
            check_spec(inner.rule, inner.config, shape)
            inner_out = inner.rule.output(inner.config, shape)
            inner_params = inner.rule.params(inner.config, shape)
            out = bidirectional_output(layer.config, inner_out)
            params = None if inner_params is None else 2 * inner_params
            return self._result(layer, [x], out, shape, params)
        if len(shape) < 3:
            return UNKNOWN
        step = (shape[0], *shape[2:])
        check_spec(inner.rule, inner.config, step)
        inner_out = inner.rule.output(inner.config, step)
        if not isinstance(inner_out, tuple) or (inner_out and isinstance(inner_out[0], tuple)):
            return UNKNOWN
        params = inner.rule.params(inner.config, step)
        return self._result(layer, [x], (shape[0], shape[1], *inner_out[1:]), shape, params)

    def _result(self, layer: LayerValue, inputs: list[Value], out: object,
                built: tuple[Dim, ...], params: int | int | None) -> Value:
        if layer.built_shape is None and layer.output_shape is not UNKNOWN:
            # (UNKNOWN: built already, by a call on an input the engine could not read)
            layer.built_shape = built
            layer.params = params if params is not None or layer.rule.merge else \
                layer.rule.params(layer.config, built)
            if layer.rule.merge:
                layer.params = 0
            layer.output_shape = out
        symbolic = any(isinstance(t, Tensor) and t.kind == "keras" for t in inputs)
        history: tuple[object, ...] = ()
        for t in inputs:
            if isinstance(t, Tensor):
                history += tuple(h for h in t.history if h not in history)
        history += (layer,)
        kind = "keras" if symbolic else "tensor"
        label = layer_label(layer.config, layer.rule.name)
        origin = f"{label} on {format_shape(built)}"

        def make(shape: Shape) -> Tensor:
            return Tensor(shape, "float32", kind, origin=origin,
                          history=history if symbolic else ())

        if isinstance(out, tuple) and out and isinstance(out[0], tuple):
            return Seq(tuple(make(s) for s in out), "list")
        return make(out if isinstance(out, tuple) else None)

    # ------------------------------------------------------------------ models
    def forward_sequential(self, model: ModelValue, x: Value, node: ast.AST | None) -> Value:
        """Run data (or a symbolic input) through a Sequential's layers."""
        for item in model.layers:
            if isinstance(item, LayerValue):
                x = self.apply_layer(item, [x], {}, node)
            elif isinstance(item, ModelValue):
                x = self.call_model(item, [x], node)
            else:
                return UNKNOWN
            if not isinstance(x, Tensor):
                return UNKNOWN
        model.built = True
        return x

    def call_model(self, model: ModelValue, args: list[Value], node: ast.AST | None,
                   predict: bool = False) -> Value:
        x = args[0] if args else UNKNOWN
        if model.kind == "sequential":
            if model.input_shape is None and not (isinstance(x, Tensor) and x.shape):
                mark_built(model)  # built on an input the engine cannot read
            if model.input_shape is None and not model.built and isinstance(x, Tensor) and \
                    x.shape:  # a lazy Sequential is built by its first call, batch unknown
                model.input_shape = (BATCH, *x.shape[1:])
                self.forward_sequential(model, _symbolic(model.input_shape), node)
            if model.input_shape is None and model.built:
                return UNKNOWN  # built on an input the analyzer cannot read: no adaptation known
            if model.input_shape is not None and isinstance(x, Tensor):
                x = self._fit_input(model.input_shape, x, node, predict)
                if x is None:
                    return UNKNOWN
            return self.forward_sequential(model, x, node)
        inputs = list(x.items) if isinstance(x, Seq) else [x]
        if len(inputs) != len(model.inputs):
            return UNKNOWN
        batch: Dim = None
        for declared, given in zip(model.inputs, inputs):
            if isinstance(declared, Tensor) and declared.shape is not None and \
                    isinstance(given, Tensor):
                fitted = self._fit_input(declared.shape, given, node, predict)
                if fitted is None:
                    return UNKNOWN
                if fitted.shape:
                    batch = fitted.shape[0]
        kind = "keras" if all(isinstance(i, Tensor) and i.kind == "keras" for i in inputs) \
            else "tensor"
        return _with_batch(model.outputs, batch, kind)

    def _fit_input(self, declared: tuple[Dim, ...], x: Tensor, node: ast.AST | None,
                   predict: bool) -> Tensor | None:
        """Keras' input adaptation: a missing trailing axis of size 1 is added (K7)."""
        if x.shape is None:
            return x
        shape = x.shape
        if len(shape) == len(declared) - 1 and not isinstance(declared[-1], int):
            return None  # a trailing size the analyzer cannot read may be the 1 Keras adds
        if len(shape) == len(declared) - 1 and declared[-1] == 1:
            shape = (*shape, 1)
        ok = len(shape) == len(declared) and all(
            dims_equal(a, b) is not False for a, b in zip(shape[1:], declared[1:]))
        if not ok:
            if len(shape) != len(declared) and not predict:
                return x  # wrong rank: the first layer's input spec reports it
            if node is not None:
                self.report("SL206", f"model input expects shape {format_shape(declared)} but "
                            f"received {format_shape(x.shape)}", node)
            return None
        return replace(x, shape=shape) if shape != x.shape else x

    def model_method(self, model: ModelValue, name: str, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> Value:
        if name not in NOT_BUILDING and name not in _DATA_METHODS and name not in _PREDICT:
            mark_built(model)  # build(), load_weights()... may create the weights
        if name == "add" and model.kind == "sequential":
            self.sequential_add(model, args[0] if args else UNKNOWN, node)
            return Const(None)
        if name == "compile":
            model.loss = _loss_const(kwargs.get("loss", args[1] if len(args) > 1 else UNKNOWN))
            return Const(None)
        if name in _PREDICT:
            out = self.layer_deps(model, args[:1],
                                  self.call_model(model, args[:1], node, predict=True))
            return self.left_tf(replace(out, kind="ndarray"), "model.predict()") \
                if isinstance(out, Tensor) else UNKNOWN
        if name in _DATA_METHODS:
            x = args[0] if args else kwargs.get("x", UNKNOWN)
            y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
            out = self.call_model(model, [x], node)
            loss = model.loss.value if isinstance(model.loss, Const) else None
            try:
                check_targets(loss if isinstance(loss, str) else None, x, y, out)
            except ShapeError as err:
                self.report(err.code, err.message, node)
            return UNKNOWN
        if name == "count_params":
            total = model_params(model)
            return Const(total) if total is not None else UNKNOWN
        return UNKNOWN


def _loss_const(loss: Value) -> Value:
    """compile(loss=...) given as a name or a loss object → its canonical name."""
    if isinstance(loss, Opaque) and loss.kind.startswith("loss:"):
        return Const(loss.kind[5:])
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


def model_rows(model: ModelValue) -> list[tuple[str, Shape, int | None]]:
    """``model.summary()``: (layer class, output shape, parameter count) per layer."""
    rows: list[tuple[str, Shape, int | None]] = []
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
            last = inner[-1][1] if inner else None
            rows.append(("Sequential" if item.kind == "sequential" else "Functional", last,
                         params))
    return rows


def _as_one_layer(owner: object, args: list[Value], out: Value) -> Value:
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


def _with_batch(value: Value, batch: Dim, kind: str) -> Value:
    if isinstance(value, Tensor):
        shape = value.shape
        if shape and shape[0] == BATCH and batch is not None:
            shape = (batch, *shape[1:])
        if kind != "keras":  # called on data: its sizes are concrete, no static None
            shape = static_only(shape)
        return replace(value, shape=shape, kind=kind if kind != "keras" else value.kind)
    if isinstance(value, Seq):
        return Seq(tuple(_with_batch(v, batch, kind) for v in value.items), value.kind)
    return UNKNOWN


def is_keras_subclass(cls: ClassValue) -> bool:
    """A user class deriving (directly or not) from a Keras Model or Layer."""
    for base in cls.bases:
        if isinstance(base, Ref) and base.name.startswith(("keras.", "tf.Module")):
            return True
        if isinstance(base, ClassValue) and is_keras_subclass(base):
            return True
    return False
