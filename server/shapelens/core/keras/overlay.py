"""The Keras overlay: Keras semantics plugged into the interpreter.

It registers the ``keras.*`` family of library names (layers, models, ``keras.Input``,
losses) with the overlay table, and is asked explicitly by the call part for what only Keras
knows: calling a layer, model or subclassed Keras object (``call``), their methods
(``method``: ``compile``/``fit``/``evaluate``/``predict``/``add``...) and attributes
(``attribute``: ``model.layers``, ``model.output``). Every layer or model call is handed to
the provenance component (``layer_result``), which links its output to the owner's weights.
"""

from __future__ import annotations

import ast

from ...domain.shapes import format_shape
from ...domain.values import (
    UNKNOWN,
    BoundMethod,
    Const,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Seq,
    Tensor,
    Value,
)
from ...shapefns import ShapeError
from ...shapefns.api_objects import model_method, table_method
from ...shapefns.tf_data import dataset_arguments
from ...structs import replace
from ..interpreter.scope import class_member
from .applications import register_applications
from .cloning import ConfigOverlay
from .configs import class_of, config_of
from .get_layer import get_layer
from .layer_attrs import layer_attribute, sequential_end
from .layers import Layers
from .losses import check_targets
from .models import Models
from .remedies import target_fix, targets_made
from .saving import keras_model_class, saved_path_error
from .subclass import (
    BUILD_RAN,
    FUNCTIONAL,
    WEIGHTS,
    as_call_sees,
    build_arguments,
    functional_arguments,
    implicit_arguments,
    inherited_attribute,
    layer_mask,
    make_weight,
    positional_name,
    predicted,
)
from .summary import as_one_layer, is_keras_subclass, loss_const, model_layers, model_params
from .weights import BUILT, CALLED, NOT_BUILDING, mark_built

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..evaluate import Overlays
    from ..interpreter.ports import CallsApi, ProvenanceApi
    from ..interpreter.state import RunState

DATA_METHODS = ("fit", "evaluate", "train_on_batch", "test_on_batch")
PREDICT = ("predict", "predict_on_batch")
_STEPS = {"fit": "train_step", "train_on_batch": "train_step", "evaluate": "test_step",
          "test_on_batch": "test_step"}  # the class's own step, which Keras calls per batch


class KerasOverlay:
    """Keras layers and models: handed the run state, the call part and provenance."""

    def __init__(self, state: RunState, calls: CallsApi, provenance: ProvenanceApi) -> None:
        self.state = state
        self.calls = calls
        self.provenance = provenance
        self.layers = Layers(state, calls)
        self.models = Models(state, self.layers)
        self.layers.call_model = self.models.call_model

    def register(self, overlays: Overlays) -> None:
        overlays.family("keras.", self.models.construct)
        register_applications(overlays)  # keras.applications.VGG19(...): applications.py
        # clone_model, X.from_config(config), type(layer): cloning.py
        ConfigOverlay(self.state, self.calls, self.models).register(overlays)

    # ------------------------------------------------------------------ calls
    def call(self, func: Value, args: list[Value], kwargs: dict[str, Value],
             node: ast.AST) -> Value:
        """``func(*args)`` for a layer, a model or an instance of a user class."""
        layer_result = self.provenance.layer_result
        if isinstance(func, LayerValue):
            return layer_result(func, args, self.layers.apply_layer(func, args, kwargs, node))
        if isinstance(func, ModelValue):
            out = self.models.call_model(func, args, node)
            return layer_result(func, args, as_one_layer(func, args, out))
        if isinstance(func, Instance):
            return self._call_instance(func, args, kwargs, node)
        return UNKNOWN

    def _call_instance(self, func: Instance, args: list[Value], kwargs: dict[str, Value],
                       node: ast.AST) -> Value:
        member = class_member(func.cls, "__call__")
        if isinstance(member, Function) or not is_keras_subclass(func.cls):
            if not isinstance(member, Function):
                return UNKNOWN
            out = self.calls.call_function(member, [func, *args], kwargs, node)
            # a tf.Module's own __call__: linked to its variables too
            return self.provenance.layer_result(func, args, out) \
                if is_keras_subclass(func.cls) else out
        # In a frame analysed without its arguments the object's state (built for which
        # input, its weights) is not known at that point: nothing found there is proven.
        unknown = int(self.state.point_unknown())
        self.state.foreign += unknown
        try:
            out = self._keras_call(func, args, kwargs, node)
        finally:
            self.state.foreign -= unknown
        return self.provenance.layer_result(func, args, as_one_layer(func, args, out))

    def _keras_call(self, func: Instance, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        """Keras' ``__call__`` of a subclassed layer or model: build on the first call, then
        ``call`` with the arguments as Keras hands them (a functional subclass: its graph)."""
        call = class_member(func.cls, "call")
        functional = func.attrs.get(FUNCTIONAL)
        if not isinstance(call, Function):
            func.attrs[CALLED] = Const(True)
            return self.models.call_model(functional, [as_call_sees(a) for a in args[:1]],
                                          node) if isinstance(functional, ModelValue) else UNKNOWN
        self._maybe_build(func, call, args, kwargs, node)
        func.attrs[CALLED] = Const(True)  # Keras builds it before call() runs
        args = [as_call_sees(a) for a in args]
        kwargs = {k: as_call_sees(v) for k, v in kwargs.items()} | \
            implicit_arguments(call, len(args), kwargs)
        self.layers.in_subclass_call += 1
        try:
            out = self.calls.call_function(call, [func, *args], kwargs, node)
        finally:
            self.layers.in_subclass_call -= 1
        first = args[0] if args else None
        if isinstance(out, Tensor) and isinstance(first, Tensor) and first.shape is not None:
            # the hover says which layer made it, as for a built-in layer
            out = replace(out, origin=f"{func.cls.node.name} on {format_shape(first.shape)}")
        if isinstance(out, Tensor) and "__output_shape__" not in func.attrs:
            func.attrs["__output_shape__"] = out
        return out

    def _maybe_build(self, func: Instance, call: Function, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> None:
        """The first call runs the class's own ``build`` with the input shapes, as Keras'
        ``__call__`` does (``subclass.py``); a built layer is not built again."""
        if BUILD_RAN in func.attrs or CALLED in func.attrs or BUILT in func.attrs:
            return  # (BUILT: its build(), or fit/load_weights..., ran already)
        func.attrs[BUILD_RAN] = Const(True)
        build = class_member(func.cls, "build")
        if isinstance(build, Function):
            self.calls.call_function(build, [func], build_arguments(call, build, args, kwargs),
                                     node)

    def _add_weight(self, owner: Instance, args: list[Value], kwargs: dict[str, Value]) -> Value:
        """``self.add_weight(...)``: a new variable (a source of its own for the tapes),
        remembered among the owner's weights."""
        weight = make_weight(args, kwargs)
        if weight is None:
            return UNKNOWN
        made = self.provenance.op_result("keras.Variable", [], {}, weight)
        held = owner.attrs.get(WEIGHTS)
        owner.attrs[WEIGHTS] = Seq((*held.items, made) if isinstance(held, Seq) else (made,),
                                   "list")
        return made

    # ------------------------------------------------------------------ methods
    def method(self, receiver: Value, name: str, args: list[Value],
               kwargs: dict[str, Value], node: ast.AST) -> Value:
        """A method of a model, or one a subclassed Keras object inherits from Keras."""
        if name in DATA_METHODS or name in PREDICT:  # a tf.data.Dataset gives x and y
            args, kwargs = dataset_arguments(args, kwargs)
        if name == "get_config" and isinstance(receiver, LayerValue | ModelValue) and \
                not args and not kwargs:  # a dict with the plan from_config needs
            return config_of(receiver, self.state, node)
        if isinstance(receiver, ModelValue):
            return self._model_method(receiver, name, args, kwargs, node)
        if isinstance(receiver, LayerValue) and name == "build":  # (its weights exist now)
            mark_built(receiver)
            return Const(None)
        if isinstance(receiver, LayerValue) and name == "compute_mask":
            return layer_mask(receiver, args[0] if args else kwargs.get("inputs", UNKNOWN))
        if isinstance(receiver, LayerValue):  # adapt(), get_weights()...: api_objects
            return table_method("keras.Layer", name, receiver, args, kwargs)
        if isinstance(receiver, Instance) and is_keras_subclass(receiver.cls):
            return self._subclass_method(receiver, name, args, kwargs, node)
        return UNKNOWN

    def _subclass_method(self, model: Instance, name: str, args: list[Value],
                         kwargs: dict[str, Value], node: ast.AST) -> Value:
        """compile/fit/predict on a subclassed keras.Model run its ``call``."""
        if keras_model_class(model.cls):
            self._check_saved_path(name, args, kwargs, node)
        if name in ("add_weight", "add_variable"):  # it holds weights from here on
            named = positional_name(name, args)
            if named is not None:
                self.state.report("SL212", named, node)
            return self._add_weight(model, args, kwargs)
        if name == "__init__":  # keras.Model's own __init__ (maybe functional)
            functional = self.models.construct("keras.Model", args, kwargs, node) \
                if functional_arguments(args, kwargs) else None
            if isinstance(functional, ModelValue):  # built: its graph holds the weights
                model.attrs[FUNCTIONAL] = functional
                model.attrs[BUILT] = Const(True)
            return Const(None)
        if name == "compute_loss":  # the compiled loss of y and y_pred: a scalar
            pred = kwargs.get("y_pred", args[2] if len(args) > 2 else UNKNOWN)
            return self.provenance.op_result(
                "keras.loss", [kwargs.get("y", UNKNOWN), pred], {},
                Tensor((), None, "tensor", origin="compute_loss")) \
                if isinstance(pred, Tensor) else UNKNOWN
        if name == "get_layer":
            return get_layer(model, args, kwargs)
        if name in PREDICT or name in DATA_METHODS:
            out = self._subclass_data(model, name, args, kwargs, node)
            mark_built(model)  # (after: the first call builds it as Keras' fit does)
            return out
        if name not in NOT_BUILDING:
            mark_built(model)  # build(), load_weights()... may create the weights
        if name == "compile":
            model.attrs["__loss__"] = loss_const(
                kwargs.get("loss", args[1] if len(args) > 1 else UNKNOWN))
            return Const(None)
        return model_method(name, model, args, kwargs)  # summary(), save()...: None

    def _subclass_data(self, model: Instance, name: str, args: list[Value],
                       kwargs: dict[str, Value], node: ast.AST) -> Value:
        """fit/evaluate/predict: ``call`` (or the class's own ``train_step``/``test_step``)
        runs on one batch of the data."""
        x = args[0] if args else kwargs.get("x", UNKNOWN)
        y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
        step = class_member(model.cls, _STEPS.get(name, ""))
        if isinstance(step, Function):
            if isinstance(x, Tensor) and isinstance(y, Tensor):  # data = (x, y), batched
                batch = Seq((as_call_sees(x, batch=True), as_call_sees(y, batch=True)), "tuple")
                self.calls.call_function(step, [model, batch], {}, node)
            return UNKNOWN
        out = self.call(model, [as_call_sees(x, batch=True)], {}, node)  # batch by batch
        if name in PREDICT:
            return self.provenance.left_tf(predicted(x, out), "model.predict()")
        loss = model.attrs.get("__loss__")
        self._check_targets(loss.value if isinstance(loss, Const) and
                            isinstance(loss.value, str) else None, x, y, out, node, model)
        return UNKNOWN

    def _check_saved_path(self, name: str, args: list[Value], kwargs: dict[str, Value],
                          node: ast.AST) -> None:
        """``save_weights``/``save`` to a path Keras 3 refuses (SL213, ``saving.py``)."""
        found = saved_path_error(name, args, kwargs, node)
        if found is not None:
            message, where, fix = found
            self.state.report("SL213", message, where, fix=fix)

    def _model_method(self, model: ModelValue, name: str, args: list[Value],
                      kwargs: dict[str, Value], node: ast.AST) -> Value:
        self._check_saved_path(name, args, kwargs, node)
        if name not in NOT_BUILDING and name not in DATA_METHODS and name not in PREDICT:
            mark_built(model)  # build(), load_weights()... may create the weights
        if name == "add" and model.kind == "sequential":
            self.models.sequential_add(model, args[0] if args else UNKNOWN, node)
            return Const(None)
        if name == "compile":
            model.loss = loss_const(kwargs.get("loss", args[1] if len(args) > 1 else UNKNOWN))
            return Const(None)
        if name in PREDICT:
            out = self.provenance.layer_result(
                model, args[:1], self.models.call_model(model, args[:1], node, predict=True))
            return self.provenance.left_tf(replace(out, kind="ndarray"), "model.predict()") \
                if isinstance(out, Tensor) else UNKNOWN
        if name in DATA_METHODS:
            x = args[0] if args else kwargs.get("x", UNKNOWN)
            y = args[1] if len(args) > 1 else kwargs.get("y", UNKNOWN)
            out = self.models.call_model(model, [x], node)
            loss = model.loss.value if isinstance(model.loss, Const) else None
            self._check_targets(loss if isinstance(loss, str) else None, x, y, out, node,
                                model)
            return UNKNOWN
        if name == "get_layer":  # the engine's own layer object (get_layer.py)
            return get_layer(model, args, kwargs)
        if name == "pop" and model.kind == "sequential":  # Keras 3 returns the layer
            return model.layers.pop() if model.layers and \
                isinstance(model.layers[-1], Value) else UNKNOWN
        if name == "count_params":
            total = model_params(model)
            return Const(total) if total is not None else UNKNOWN
        return model_method(name, model, args, kwargs)  # summary(), save()...: None

    def _check_targets(self, loss: str | None, x: Value, y: Value, out: Value,
                       node: ast.AST, model: Value) -> None:
        """The targets given to fit/evaluate against the model's output and loss (the
        finding carries its fix and where the targets were made: ``remedies.py``)."""
        try:
            check_targets(loss, x, y, out)
        except ShapeError as err:
            self.state.report(err.code, err.message, node,
                              fix=target_fix(model, loss, x, y, out, node),
                              related=targets_made(self.state.tree, y, node))

    # ------------------------------------------------------------------ attributes
    def attribute(self, base: Value, attr: str) -> Value:
        if attr == "__class__":  # as type(base): configs.py
            found = base.cls if isinstance(base, Instance) and is_keras_subclass(base.cls) \
                else class_of(base)
            if found is not None:
                return found
        if isinstance(base, ModelValue):
            if attr == "layers" and base.kind != "sequential":  # Keras: its InputLayers,
                return ListOf(UNKNOWN)  # then the layers in an order the engine does not rebuild
            if attr == "layers":
                return Seq(tuple(v for v in model_layers(base) if isinstance(v, Value)), "list")
            if attr in ("output", "outputs") and base.kind == "functional":
                return base.outputs
            if attr in ("input", "inputs") and base.kind == "functional":
                return base.inputs[0] if attr == "input" and base.inputs else \
                    Seq(tuple(base.inputs), "list")
            if attr in ("inputs", "outputs") and base.kind == "sequential":  # (input/output:
                # its own first node, as for any layer: not modelled)
                return sequential_end(base, attr)
        if isinstance(base, Instance):  # not defined by the user's class
            return inherited_attribute(base, attr) if is_keras_subclass(base.cls) else UNKNOWN
        if isinstance(base, LayerValue):  # output, kernel, weights... (layer_attrs.py)
            found = layer_attribute(base, attr)
            if found is not None:
                return found
        return BoundMethod(base, attr)
