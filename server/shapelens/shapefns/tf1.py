"""TensorFlow 1.x names (and their ``tf.compat.v1`` spellings, which ``names.canonical`` maps to
the same ``tf.X``) on the shape-function table.

Most TF1 functions are TF2 functions under an older name or with older keyword spellings
(``reduction_indices=``, ``keep_dims=``, ``dimension=``): those are registered here by looking
up the TF2 function, so one shape rule serves both. The graph-mode-only objects get their own
functions: ``placeholder`` (a ``None`` dimension is TF's dynamic one, ``DYNAMIC``),
``get_variable``, ``tf.layers``, the ``tf.nn.rnn_cell`` cells with ``dynamic_rnn``, and the
objects whose methods ``core/overlays/graph_mode.py`` knows (sessions, operations, TF1 optimizers).
``tf.contrib`` stays unknown: it is gone from TF 2.x and its contents varied by release.
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim, keep_dynamic
from ..domain.values import NONE, UNKNOWN, Const, Opaque, Seq, Tensor, Value
from ._common import Call, ShapeFn, to_dtype, to_int, to_static_dims, to_str
from .registry import REGISTRY, lookup, op
from .tf_nn import window_out

# ---------------------------------------------------------------- renamed functions

_RENAMED = {
    "tf.truncated_normal": "tf.random.truncated_normal",
    "tf.random_normal": "tf.random.normal",
    "tf.random_uniform": "tf.random.uniform",
    "tf.arg_max": "tf.argmax",
    "tf.arg_min": "tf.argmin",
    "tf.log1p": "tf.math.log1p",
    "tf.nn.softmax_cross_entropy_with_logits_v2": "tf.nn.softmax_cross_entropy_with_logits",
    "tf.initializers.truncated_normal": "tf.random.truncated_normal",
}

# TF1 keyword spellings of TF2 arguments, per function family.
_OLD_KEYWORDS = {"reduction_indices": "axis", "keep_dims": "keepdims", "dimension": "axis",
                 "dim": "axis", "squeeze_dims": "axis"}


def _with_new_keywords(fn: ShapeFn) -> ShapeFn:
    """``fn`` reading TF1 keywords as their TF2 names (``tf.reduce_sum(x,
    reduction_indices=[1], keep_dims=True)`` is ``axis=[1], keepdims=True``). Without it the
    TF2 rule would ignore them and reduce every axis."""

    def translated(call: Call) -> Value:
        old = [k for k in call.kwargs if k in _OLD_KEYWORDS]
        if not old:
            return fn(call)
        kwargs = dict(call.kwargs)
        for key in old:
            new = _OLD_KEYWORDS[key]
            if new in kwargs:
                return UNKNOWN  # both spellings: TF raises a TypeError, not a shape matter
            kwargs[new] = kwargs.pop(key)
        return fn(Call(call.name, call.args, kwargs, call.numpy, call.promote))

    translated.__doc__ = fn.__doc__
    return translated


def _register_renamed() -> None:
    for old, new in _RENAMED.items():
        fn = lookup(new)
        if fn is not None and old not in REGISTRY:
            REGISTRY[old] = fn
    families = ("tf.reduce_", "tf.math.reduce_", "tf.argm", "tf.math.argm", "tf.arg_m",
                "tf.nn.softmax", "tf.nn.log_softmax", "tf.nn.l2_normalize", "tf.expand_dims",
                "tf.squeeze", "tf.nn.softmax_cross_entropy_with_logits")
    for name in [n for n in REGISTRY if n.startswith(families)]:
        REGISTRY[name] = _with_new_keywords(REGISTRY[name])


_register_renamed()


@op("tf.to_float", "tf.to_double", "tf.to_int32", "tf.to_int64", "tf.to_bfloat16")
def to_type(call: Call) -> Value:
    t = call.tensor(0, "x")
    dtype = {"float": "float32", "double": "float64", "int32": "int32", "int64": "int64",
             "bfloat16": "bfloat16"}[call.name.rsplit("_", 1)[-1]]
    return UNKNOWN if t is None else Tensor(t.shape, dtype, "tensor", origin=call.name)


# ---------------------------------------------------------------- graph inputs and variables

# The origin of a placeholder made without a shape: of unknown rank, it accepts any feed.
ANY_SHAPE = "placeholder (any shape)"
_DTYPE_STRINGS = {"float": "float32", "double": "float64", "int": "int32"}


def _dtype(v: Value) -> str | None:
    """A dtype argument; TF1 code often spells it ``"float"`` (``tf.as_dtype`` reads it as
    float32)."""
    text = to_str(v)
    if text in _DTYPE_STRINGS:
        return _DTYPE_STRINGS[text]
    return to_dtype(v)


def static_shape(v: Value) -> tuple[Dim, ...] | None:
    """A TF1 ``shape=`` argument: ``None`` elements are dynamic; ``None`` itself (or absent)
    is an unknown rank."""
    if isinstance(v, Const) and v.value is None:
        return None
    return to_static_dims(v)


@op("tf.placeholder")
def placeholder(call: Call) -> Value:
    """``tf.placeholder(dtype, shape=None)``: its static shape is exactly the one given;
    without one (``shape=None``) it is of unknown rank and TF accepts a feed of any shape."""
    shape = call.arg(1, "shape", NONE)
    return Tensor(static_shape(shape), _dtype(call.arg(0, "dtype")), "tensor",
                  origin=ANY_SHAPE if shape == NONE else "placeholder")


@op("tf.placeholder_with_default")
def placeholder_with_default(call: Call) -> Value:
    t = call.tensor(0, "input")
    shape = static_shape(call.arg(1, "shape", NONE))
    return Tensor(shape, t.dtype if t else None, "tensor", origin="placeholder")


@op("tf.get_variable")
def get_variable(call: Call) -> Value:
    """``tf.get_variable(name, shape, dtype, initializer)``: the shape is ``shape`` or, for a
    tensor initializer, the initializer's."""
    shape = static_shape(call.arg(1, "shape", NONE))
    init = call.arg(3, "initializer")
    dtype = _dtype(call.arg(2, "dtype", NONE)) if call.has(2, "dtype") else None
    if isinstance(init, Tensor):
        if shape is None:
            shape = init.shape
        dtype = dtype or init.dtype
    elif not call.has(2, "dtype"):
        dtype = "float32"
    trainable = call.arg(None, "trainable")
    return Tensor(shape, dtype, "variable",
                  trainable=not (isinstance(trainable, Const) and trainable.value is False),
                  origin=call.name)


def _variable_validating(fn: ShapeFn) -> ShapeFn:
    """``tf.Variable(..., validate_shape=False)``: TF gives it an unknown static shape."""

    def variable(call: Call) -> Value:
        result = fn(call)
        validate = call.flag(None, "validate_shape", True)
        if validate is not False or not isinstance(result, Tensor):
            return result
        return Tensor(None, result.dtype, result.kind, trainable=result.trainable,
                      origin=result.origin)

    variable.__doc__ = fn.__doc__
    return variable


REGISTRY["tf.Variable"] = _variable_validating(REGISTRY["tf.Variable"])


@op("tf.nn.embedding_lookup")
def embedding_lookup(call: Call) -> Value:
    params, ids = call.tensor(0, "params"), call.tensor(1, "ids")
    if params is None or ids is None or params.shape is None or ids.shape is None:
        return UNKNOWN if params is None else call.result(None, params.dtype)
    return call.result((*ids.shape, *params.shape[1:]), params.dtype, call.name)


# ---------------------------------------------------------------- objects with methods

SESSION = "tf1.session"
OPERATION = "tf1.operation"
OPTIMIZER = "tf1.optimizer"


@op("tf.Session", "tf.InteractiveSession")
def session(call: Call) -> Value:
    return Opaque(SESSION)


@op("tf.global_variables_initializer", "tf.initialize_all_variables",
    "tf.local_variables_initializer", "tf.variables_initializer", "tf.tables_initializer",
    "tf.no_op", "tf.group")
def operation(call: Call) -> Value:
    return Opaque(OPERATION)


_OPTIMIZERS = ("GradientDescent", "Adam", "Adagrad", "Adadelta", "RMSProp", "Momentum", "Ftrl",
               "ProximalGradientDescent", "ProximalAdagrad")


@op(*(f"tf.train.{n}Optimizer" for n in _OPTIMIZERS))
def optimizer(call: Call) -> Value:
    return Opaque(OPTIMIZER)


@op("tf.variable_scope", "tf.name_scope")
def scope(call: Call) -> Value:
    return Opaque("tf1.scope")


@op("tf.gradients")
def gradients(call: Call) -> Value:
    """``tf.gradients(ys, xs)``: a list with one gradient per x, each a tensor of x's shape
    or ``None`` when the ys do not depend on that x, so each is unknown here. No tape is
    involved: the GradientTape rules (SL3xx) do not apply to it."""
    xs = call.arg(1, "xs")
    items = xs.items if isinstance(xs, Seq) else (xs,)
    if not all(isinstance(x, Tensor) for x in items):
        return UNKNOWN
    return Seq(tuple(UNKNOWN for _ in items), "list")


# ---------------------------------------------------------------- tf.layers (TF1 functional)

def _last(call: Call) -> tuple[Tensor | None, int | None]:
    return call.tensor(0, "inputs"), to_int(call.arg(1, "units"))


@op("tf.layers.dense")
def dense(call: Call) -> Value:
    t, units = _last(call)
    if t is None or t.shape is None or units is None or len(t.shape) < 2:
        return UNKNOWN if t is None else call.result(None, t.dtype)
    return call.result((*t.shape[:-1], units), t.dtype, call.name)


@op("tf.layers.dropout", "tf.layers.batch_normalization")
def same_as_inputs(call: Call) -> Value:
    t = call.tensor(0, "inputs")
    return UNKNOWN if t is None else call.result(t.shape, t.dtype, call.name)


@op("tf.layers.flatten")
def flatten(call: Call) -> Value:
    t = call.tensor(0, "inputs")
    if t is None or t.shape is None or not t.shape:
        return UNKNOWN if t is None else call.result(None, t.dtype)
    rest = t.shape[1:]
    size: Dim = 1
    for d in rest:
        size = size * d if isinstance(size, int) and isinstance(d, int) else \
            DYNAMIC if DYNAMIC in rest and all(isinstance(x, int) or x is DYNAMIC
                                                for x in rest) else None
    return call.result((t.shape[0], size), t.dtype, call.name)


def _pair(v: Value) -> tuple[int, int] | None:
    n = to_int(v)
    if n is not None:
        return n, n
    if isinstance(v, Seq) and len(v.items) == 2:
        a, b = to_int(v.items[0]), to_int(v.items[1])
        return (a, b) if a is not None and b is not None else None
    return None


def _window_2d(call: Call, window: tuple[int, int] | None, strides: Value, channels: Dim,
               padding_pos: int) -> Value:
    t = call.tensor(0, "inputs")
    if t is None or t.shape is None or len(t.shape) != 4 or window is None:
        return UNKNOWN if t is None else call.result(None, t.dtype)
    padding = (to_str(call.arg(padding_pos, "padding", Const("valid"))) or "").upper()
    step = _pair(strides)
    fmt = to_str(call.arg(None, "data_format", Const("channels_last")))
    if step is None or padding not in ("SAME", "VALID") or fmt != "channels_last":
        return call.result(None, t.dtype)
    out = [keep_dynamic(size, window_out(size, w, s, padding))
           for size, w, s in zip(t.shape[1:3], window, step)]
    out = [d if not isinstance(d, int) or d > 0 else None for d in out]
    return call.result((t.shape[0], *out, channels), t.dtype, call.name)


@op("tf.layers.conv2d")
def conv2d(call: Call) -> Value:
    filters = to_int(call.arg(1, "filters"))
    return _window_2d(call, _pair(call.arg(2, "kernel_size")),
                      call.arg(3, "strides", Const(1)), filters, 4)


@op("tf.layers.max_pooling2d", "tf.layers.average_pooling2d")
def pooling2d(call: Call) -> Value:
    t = call.tensor(0, "inputs")
    channels = t.shape[-1] if t is not None and t.shape else None
    return _window_2d(call, _pair(call.arg(1, "pool_size")), call.arg(2, "strides"),
                      channels, 3)


# ---------------------------------------------------------------- tf.nn.rnn_cell and dynamic_rnn

_CELLS = {"BasicLSTMCell": "lstm", "LSTMCell": "lstm", "GRUCell": "gru", "BasicRNNCell": "rnn"}


@op(*(f"tf.nn.rnn_cell.{c}" for c in _CELLS))
def rnn_cell(call: Call) -> Value:
    """A cell as ``Opaque("tf1.cell:<kind>:<units>")``: all dynamic_rnn needs to know."""
    units = to_int(call.arg(0, "num_units"))
    if units is None:
        return UNKNOWN
    return Opaque(f"tf1.cell:{_CELLS[call.name.rsplit('.', 1)[-1]]}:{units}")


def _cell(v: Value) -> tuple[str, int] | None:
    if isinstance(v, Opaque) and v.kind.startswith("tf1.cell:"):
        _, kind, units = v.kind.split(":")
        return kind, int(units)
    return None


def _state(kind: str, batch: Dim, units: int, dtype: str | None) -> Value:
    h = Tensor((batch, units), dtype, "tensor", origin="rnn state")
    return Seq((h, h), "tuple") if kind == "lstm" else h


def _run_cell(cell: Value, t: Tensor, time_major: bool) -> tuple[Value, Value] | None:
    found = _cell(cell)
    if found is None or t.shape is None or len(t.shape) != 3:
        return None
    kind, units = found
    batch = t.shape[1] if time_major else t.shape[0]
    out = Tensor((*t.shape[:2], units), t.dtype, "tensor", origin="dynamic_rnn")
    return out, _state(kind, batch, units, t.dtype)


@op("tf.nn.dynamic_rnn")
def dynamic_rnn(call: Call) -> Value:
    """(outputs (batch, time, units), state): an LSTM's state is its (c, h) pair."""
    t = call.tensor(1, "inputs")
    time_major = call.flag(None, "time_major")
    if t is None or time_major is None:
        return UNKNOWN
    ran = _run_cell(call.arg(0, "cell"), t, time_major)
    return UNKNOWN if ran is None else Seq(ran, "tuple")


@op("tf.nn.bidirectional_dynamic_rnn")
def bidirectional_dynamic_rnn(call: Call) -> Value:
    """((out_fw, out_bw), (state_fw, state_bw))."""
    t = call.tensor(2, "inputs")
    time_major = call.flag(None, "time_major")
    if t is None or time_major is None:
        return UNKNOWN
    fw = _run_cell(call.arg(0, "cell_fw"), t, time_major)
    bw = _run_cell(call.arg(1, "cell_bw"), t, time_major)
    if fw is None or bw is None:
        return UNKNOWN
    return Seq((Seq((fw[0], bw[0]), "tuple"), Seq((fw[1], bw[1]), "tuple")), "tuple")

