"""The call part: calling a value — a library function, a user function, a class, a bound
method, a Keras object.

User functions are analysed at their call sites with the argument values, memoised
(``memo.py`` says what a result depends on) and depth-bounded; a class is instantiated by
running its ``__init__``. Library functions go through the library door (``evaluate.py``),
methods of library objects through the overlays, Keras objects through the Keras overlay.
"""

from __future__ import annotations

import ast

from ...domain.shapes import format_shape
from ...domain.values import (
    NONE,
    UNKNOWN,
    BoundMethod,
    ClassValue,
    Const,
    DType,
    Function,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    Tensor,
    Value,
    join,
)
from ...structs import replace
from ..keras.subclass import forwards_to_keras
from ..keras.weights import mark_built
from .generators import generator_value
from .memo import Key, context_key, mutable, yields
from .mutation import MUTATORS, apply, changed, is_list
from .operators import str_method
from .scope import Scope, class_member
from .state import Frame
from .truth import eager

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from ..evaluate import Overlays
    from .ports import ExpressionsApi, KerasApi, LibraryApi, ProvenanceApi, StatementsApi
    from .state import RunState

    class CallSummariesApi(Protocol):
        """``incremental.summaries.CallSummaries``, as the call part sees it."""

        def enter(self, key: Any, state: RunState) -> tuple[Value | None, Any]: ...

        def leave(self, recording: Any, result: Value, state: RunState,
                  memoised: bool) -> None: ...

        def abandon(self, recording: Any) -> None: ...

        def body(self, body: list[ast.stmt], run: Any, state: RunState) -> Any: ...

MAX_CALL_DEPTH = 8
_TENSOR_METHOD_PREFIX = {"ndarray": "ndarray", "tensor": "Tensor", "variable": "Tensor",
                         "keras": "Tensor"}


class Calls:
    """Calls of every kind of value; handed the run state, the expression part, the library
    door, the overlays and provenance, and linked to the statement part (function bodies)
    and the Keras overlay once they exist."""

    statements: StatementsApi
    keras: KerasApi
    # Set by the incremental session: replays unchanged calls (``incremental/summaries.py``).
    summaries: CallSummariesApi | None = None

    def __init__(self, state: RunState, expressions: ExpressionsApi, library: LibraryApi,
                 overlays: Overlays, provenance: ProvenanceApi) -> None:
        self.state = state
        self.expressions = expressions
        self.library = library
        self.overlays = overlays
        self.provenance = provenance

    def call_value(self, func: Value, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST) -> Value:
        if isinstance(func, Ref):
            name = func.name
            result = self.library.call_library(name, args, kwargs, node,
                                               numpy=name.startswith(("np.", "tnp.")))
            if name.startswith("tnp.") and isinstance(result, Tensor):
                return replace(result, kind="tensor")  # NumPy semantics, TF tensors
            return result
        if isinstance(func, Function):
            return self.call_function(func, args, kwargs, node)
        if isinstance(func, ClassValue):
            return self.instantiate(func, args, kwargs, node)
        if isinstance(func, DType):  # np.float32(0.5): a NumPy scalar
            scalar = args and isinstance(args[0], Const)
            if len(args) == 1 and not kwargs and isinstance(args[0], Tensor | Seq | ListOf):
                # np.float32(rows): an array of that dtype, as np.asarray(rows, np.float32)
                return self.library.call_library("np.asarray", args, {"dtype": func}, node,
                                                 numpy=True)
            return Tensor((), func.name, "ndarray", origin="scalar") if scalar else UNKNOWN
        if isinstance(func, BoundMethod):
            return self.call_method(func, args, kwargs, node)
        if isinstance(func, LayerValue | ModelValue | Instance):
            return self.keras.call(func, args, kwargs, node)
        if isinstance(func, Opaque) and func.kind.startswith("loss:"):  # a Keras loss object
            pred = args[1] if len(args) > 1 else kwargs.get("y_pred", UNKNOWN)
            if not isinstance(pred, Tensor):
                return UNKNOWN
            # Its label-against-prediction checks (shapefns/tf_losses.py), reported here;
            # with reduction=None its result is the per-sample losses.
            name, _, mode = func.kind[5:].partition("/")
            checked = self.library.call_library(
                f"keras.losses.{name}.__call__", args[:2],
                {k: v for k, v in kwargs.items() if k in ("y_true", "y_pred")} |
                ({"reduction": NONE} if mode == "none" else {}), node)
            if mode:
                return checked if mode == "none" else UNKNOWN
            loss = Tensor((), "float32", "tensor", origin=name)
            return self.provenance.op_result("keras.loss", args, kwargs, loss)
        if isinstance(func, Opaque):  # a callable library object (an initializer)
            return self.library.call_library(f"{func.kind}.__call__", args, kwargs, node)
        return UNKNOWN

    def call_method(self, method: BoundMethod, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        receiver = method.receiver
        if isinstance(receiver, Instance):
            if method.name == "build":
                mark_built(receiver)  # its own build(): the weights exist from here on
            member = class_member(receiver.cls, method.name)
            if isinstance(member, Function):
                return self.call_function(member, [receiver, *args], kwargs, node)
            return self.keras.method(receiver, method.name, args, kwargs, node)
        if isinstance(receiver, LayerValue | ModelValue):
            return self.keras.method(receiver, method.name, args, kwargs, node)
        if isinstance(receiver, Tensor):
            prefix = _TENSOR_METHOD_PREFIX.get(receiver.kind, "Tensor")
            if receiver.kind == "variable" and method.name.startswith("assign"):
                # the shape check TF makes (shapefns/tf_variables.py): unknown if it raises
                checked = self.library.call_library(f"Variable.{method.name}",
                                                    [receiver, *args], kwargs, node)
                self.provenance.variable_assigned(receiver, args)
                return UNKNOWN if checked is UNKNOWN else receiver
            return self.library.call_library(f"{prefix}.{method.name}", [receiver, *args],
                                             kwargs, node, numpy=prefix == "ndarray")
        if isinstance(receiver, Const) and isinstance(receiver.value, str):
            return str_method(receiver.value, method.name, args)
        if method.name in MUTATORS and is_list(receiver):
            # ``x = xs.pop()``: the list's own place is found among its holders
            new, result = apply(receiver, method.name, args)
            changed(self.state, receiver, new)
            return result
        if isinstance(receiver, Seq) and receiver.kind == "shape":
            return self.library.call_library(f"TensorShape.{method.name}", [receiver, *args],
                                             kwargs, node)
        return self.overlays.call_method(receiver, method.name, args, kwargs, node)

    # ------------------------------------------------------------------ user functions
    def call_function(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                      node: ast.AST, unknown_params: bool = False) -> Value:
        state = self.state
        state.called.add(fn)
        if len(state.frames) > MAX_CALL_DEPTH or any(f.fn is fn for f in state.frames):
            return UNKNOWN
        key = self.memo_key(fn, args, kwargs, unknown_params)
        if key is not None:
            try:
                cached = state.memo.get(key)
            except TypeError:  # an unhashable value: analyse without memo
                cached, key = None, None
            if cached is not None:
                return cached
        recording = None
        if key is not None and self.summaries is not None:
            replayed, recording = self.summaries.enter(key, state)
            if replayed is not None:
                return replayed
        scope = Scope(self.bind_params(fn, args, kwargs, unknown_params), fn.scope)
        frame = Frame(fn, unknown_params, generator=yields(fn.node))
        outer = state.scope
        outer_class_parent = state.class_parent
        state.scope, state.class_parent = scope, None
        state.frames.append(frame)
        state.callers.append(outer)
        state.foreign += fn.foreign
        escaped = state.escaped_mutations
        try:
            # A body no summary covers: its simple statements are summarised one by one
            # (a module-level function's: every name it does not bind is the module's).
            result = self._run_body(fn, frame, recording is None and not unknown_params and
                                    fn.scope is state.module_scope)
        except BaseException:
            if recording is not None:
                self.summaries.abandon(recording)  # type: ignore[union-attr]
            raise
        finally:
            state.frames.pop()
            state.callers.pop()
            state.foreign -= fn.foreign
            state.scope, state.class_parent = outer, outer_class_parent
        if "tf.custom_gradient" in fn.decorators and not unknown_params:
            result = self._custom_gradient_result(fn, args, result, node)
        memoised = key is not None and not mutable(result) and \
            escaped == state.escaped_mutations
        if memoised and key is not None:
            # A call that mutated a list of its caller's is analysed afresh each time: its
            # memoised result would not repeat the mutation.
            state.memo[key] = result  # layers and models are objects: build them each call
        if recording is not None:
            self.summaries.leave(recording, result, state, memoised)  # type: ignore[union-attr]
        return result

    def _run_body(self, fn: Function, frame: Frame, by_statement: bool = False) -> Value:
        """The value of the call: the lambda's expression, the generator's elements, or the
        join of every ``return`` (and ``None`` if the body can fall off its end).
        ``by_statement``: replay the body's unchanged statements (``incremental/statements``)."""
        if isinstance(fn.node, ast.Lambda):
            return self.expressions.eval(fn.node.body)
        state = self.state
        if yields(fn.node):
            self.statements.exec_block(fn.node.body)
            state.just_raised = False
            if not frame.yields:
                return UNKNOWN
            element = frame.yields[0]
            for other in frame.yields[1:]:
                element = join(element, other)
            return generator_value(frame, element)
        summaries = self.summaries
        if by_statement and summaries is not None:
            body = summaries.body(fn.node.body, self.statements.step,  # type: ignore[attr-defined]
                                  state)
            falls_off = self.statements.exec_block(fn.node.body, body.step)
            body.close()
        else:
            falls_off = self.statements.exec_block(fn.node.body)
        state.just_raised = False
        results = frame.returns + ([NONE] if falls_off else [])
        result = results[0] if results else UNKNOWN
        for other in results[1:]:
            result = join(result, other)
        return result

    def memo_key(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                 unknown_params: bool) -> tuple[object, ...] | None:
        """What the call's result depends on (``memo.py``), or None: analyse it afresh.
        Mutable arguments (layers, models, tapes, instances) are never part of a key: their
        state changes between calls while their identity does not."""
        if any(mutable(a) for a in args) or any(mutable(v) for v in kwargs.values()):
            return None
        tapes = self.provenance.active_tapes
        context = context_key(fn, tapes, bool(tapes) and self.state.in_tf_function())
        if context is None:
            return None
        return Key((fn, tuple(args), tuple(sorted(kwargs.items())), unknown_params, context,
                    eager(self.state)))  # (an ``if`` on a tensor's value: ``truth.py``)

    def bind_params(self, fn: Function, args: list[Value], kwargs: dict[str, Value],
                    unknown: bool) -> dict[str, Value]:
        spec = fn.node.args
        positional = [*spec.posonlyargs, *spec.args]
        bound: dict[str, Value] = {}
        first_default = len(positional) - len(fn.defaults)
        for i, param in enumerate(positional):
            if unknown:
                value: Value = UNKNOWN
            elif i < len(args):
                value = args[i]
            elif param.arg in kwargs:
                value = kwargs[param.arg]
            elif i >= first_default:
                value = fn.defaults[i - first_default]
            else:
                value = UNKNOWN
            bound[param.arg] = value
        for param in spec.kwonlyargs:
            bound[param.arg] = UNKNOWN if unknown else kwargs.get(
                param.arg, fn.kw_defaults.get(param.arg, UNKNOWN))
        if spec.vararg:
            bound[spec.vararg.arg] = UNKNOWN
        if spec.kwarg:
            bound[spec.kwarg.arg] = UNKNOWN
        if unknown and fn.owner is not None and positional:
            bound[positional[0].arg] = Instance(fn.owner)
        return bound

    def instantiate(self, cls: ClassValue, args: list[Value], kwargs: dict[str, Value],
                    node: ast.AST) -> Value:
        instance = Instance(cls)
        init = class_member(cls, "__init__")
        if isinstance(init, Function):
            if forwards_to_keras(init):  # super().__init__(*args, **kwargs): keras.Model's
                self.keras.method(instance, "__init__", args, kwargs, node)
            self.call_function(init, [instance, *args], kwargs, node)
        elif args or kwargs:  # a library base's __init__: keras.Model(inputs, outputs)
            self.keras.method(instance, "__init__", args, kwargs, node)
        return instance

    def _custom_gradient_result(self, fn: Function, args: list[Value], result: Value,
                                node: ast.AST) -> Value:
        """``@tf.custom_gradient``: the call returns only ``y``; its ``grad(dy)`` is checked
        once here, with ``dy`` shaped like ``y``: gradients shaped unlike the inputs make the
        backward pass fail or give wrong-shape gradients, reported at ``tape.gradient``."""
        if not isinstance(result, Seq) or len(result.items) != 2:
            return UNKNOWN
        y, grad_fn = result.items
        if not isinstance(y, Tensor) or not isinstance(grad_fn, Function):
            return y
        dy = Tensor(y.shape, y.dtype, "tensor", origin="upstream gradient")
        grads = self.call_function(grad_fn, [dy], {}, node)
        outs = list(grads.items) if isinstance(grads, Seq) else [grads]
        for i, (x, g) in enumerate(zip(args, outs)):
            if isinstance(x, Tensor) and isinstance(g, Tensor) and x.shape is not None and \
                    g.shape is not None and _known(x.shape) and _known(g.shape) and \
                    x.shape != g.shape:
                why = (f"the @tf.custom_gradient function {fn.name}() returns a gradient of "
                       f"shape {format_shape(g.shape)} for its input {i} of shape "
                       f"{format_shape(x.shape)}")
                return self.provenance.bad_gradient(y, why)
        return y


def _known(shape: tuple[object, ...]) -> bool:
    return all(isinstance(d, int) for d in shape)
