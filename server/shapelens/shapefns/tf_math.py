"""Elementwise math: unary and binary ops with NumPy broadcasting and TF's dtype rules, and
the Python arithmetic and comparison operators on tensors (matrix products: ``tf_linalg``)."""

from __future__ import annotations

from ..domain.scalars import compared
from ..domain.shapes import (
    Dim,
    broadcast,
)
from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import (
    Call,
    ShapeError,
    np_float_result,
    np_promote,
    np_weak_promote,
    shape_text,
    to_tensor,
)
from .registry import op

_UNARY = (
    "abs", "negative", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt", "square", "sin", "cos",
    "tan", "tanh", "sigmoid", "sign", "round", "floor", "ceil", "reciprocal", "erf", "softplus",
    "asin", "acos", "atan", "sinh", "cosh", "relu", "log_sigmoid", "logical_not", "is_nan",
    "is_inf", "is_finite", "isnan", "isinf", "isfinite", "exp2", "log2", "log10", "cumprod",
    "conj", "real", "imag", "angle", "rint", "trunc", "fabs", "invert", "positive", "silu",
)
_BOOL_RESULT = {"logical_not", "is_nan", "is_inf", "is_finite", "isnan", "isinf", "isfinite"}
_NO_TF_MATH = {"relu", "silu", "rint", "trunc", "fabs", "invert", "positive", "exp2", "isnan",
               "isinf", "isfinite", "negative_", "conj_", "angle"}


# NumPy ufuncs whose integer/bool inputs give floats (floor/ceil/trunc keep integers).
_NP_FLOAT_UFUNCS = {"exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tan", "tanh",
                    "arcsin", "arccos", "arctan", "sinh", "cosh", "exp2", "log2", "log10",
                    "rint", "fabs"}


def _unary_names() -> list[str]:
    names: list[str] = []
    for n in _UNARY:
        if n not in _NO_TF_MATH:
            names += [f"tf.math.{n}"]
            if n not in ("log_sigmoid", "is_nan", "is_inf", "is_finite", "erf", "expm1",
                         "log1p", "reciprocal", "softplus", "asin", "acos", "atan", "sinh",
                         "cosh", "cumprod", "relu", "sigmoid", "tanh"):
                names += [f"tf.{n}"]
        if n not in ("rsqrt", "sigmoid", "relu", "softplus", "log_sigmoid", "is_nan", "is_inf",
                     "is_finite", "erf", "reciprocal", "silu", "cumprod"):
            names += [f"np.{n}"]
        names += [f"keras.ops.{n}"]
    names += ["tf.sigmoid", "tf.tanh", "tf.log", "np.arcsin", "np.arccos", "np.arctan",
              "tf.math.softsign", "tf.nn.softsign", "tf.reciprocal", "np.reciprocal",
              "tf.nn.log_sigmoid", "tf.math.erf", "tf.erf"]
    # keras.ops.cumprod flattens by default and checks its axis: tf_reduce.cumsum_keras
    return sorted(set(names) - {"keras.ops.relu_", "tf.math.cumprod", "keras.ops.cumprod"})


@op(*_unary_names())
def unary(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    leaf = call.name.rsplit(".", 1)[-1]
    dtype = "bool" if leaf in _BOOL_RESULT else t.dtype
    if call.numpy and leaf in _NP_FLOAT_UFUNCS:
        dtype = np_float_result(t.dtype)
    kind = "ndarray" if call.numpy else "tensor"
    return Tensor(t.shape, dtype, kind, origin=call.name)


_TF_BINARY = ("add", "subtract", "multiply", "divide", "truediv", "maximum", "minimum", "pow",
              "squared_difference", "floordiv", "floormod", "mod", "equal", "not_equal", "less",
              "less_equal", "greater", "greater_equal", "logical_and", "logical_or",
              "logical_xor", "atan2", "divide_no_nan", "multiply_no_nan", "xdivy", "xlogy")
_NP_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum",
              "power", "floor_divide", "mod", "remainder", "equal", "not_equal", "less",
              "less_equal", "greater", "greater_equal", "logical_and", "logical_or",
              "logical_xor", "arctan2", "fmax", "fmin", "hypot")
_COMPARE = {"equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "eq", "ne",
            "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_xor", "and_", "or_",
            "xor"}
_TRUEDIV = {"divide", "truediv", "true_divide"}

# Python operators, dispatched by the interpreter for BinOp/Compare nodes.
_OPERATORS = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "eq", "ne", "lt", "le",
              "gt", "ge", "and_", "or_", "xor")
_OP_SYMBOL = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
              "pow": "**", "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
              "and_": "&", "or_": "|", "xor": "^"}
_ARITH_OPS = {"add", "sub", "mul", "floordiv", "mod", "pow", "subtract", "multiply", "maximum",
              "minimum", "squared_difference", "floormod"}


def _origin(v: Value) -> str:
    """"tf" for a TensorFlow tensor, "np" for a NumPy array, "lit" for a Python literal."""
    if isinstance(v, Tensor):
        if v.kind == "pyscalar":
            return "lit"
        return "np" if v.kind == "ndarray" else "tf"
    return "lit"


_LOGICAL = {"logical_and", "logical_or", "logical_xor", "and_", "or_", "xor"}
# TF's true division of integers: small ints become float32, int32/int64 float64.
_TF_INT_TRUEDIV = {"int8": "float32", "uint8": "float32", "int16": "float32",
                   "uint16": "float32", "int32": "float64", "int64": "float64"}


def _float_literal(v: Value, t: Tensor) -> bool:
    """A Python float (or a list literal holding floats) that TF must convert."""
    if isinstance(v, Const):
        return isinstance(v.value, float)
    return isinstance(v, Seq) and t.dtype is not None and t.dtype.startswith("float")


def _check_tf_dtypes(call: Call, leaf: str, a: Tensor, b: Tensor, a_v: Value, b_v: Value,
                     kinds: tuple[str, str]) -> None:
    """Raise SL111 for a dtype conflict TensorFlow certainly rejects."""
    if kinds == ("tf", "tf") and a.dtype and b.dtype and a.dtype != b.dtype:
        raise ShapeError("SL111", f"{_describe(call, leaf)}: operands have different "
                         f"dtypes, {a.dtype} {shape_text(a)} and {b.dtype} "
                         f"{shape_text(b)}; cast one of them with tf.cast")
    main, other, other_v = (a, b, b_v) if kinds[0] == "tf" else (b, a, a_v)
    if main.dtype and main.dtype.startswith(("int", "uint")) and \
            _float_literal(other_v, other):
        shown = other_v.value if isinstance(other_v, Const) else "list"
        raise ShapeError("SL111", f"{_describe(call, leaf)}: the Python float "
                         f"{shown!r} cannot be converted to the {main.dtype} "
                         f"tensor's dtype; cast the tensor with tf.cast first")


def _binary_dtype(call: Call, leaf: str, a: Tensor, b: Tensor, a_v: Value, b_v: Value) -> \
        str | None:
    """Result dtype; raises SL111 for a certain TF dtype conflict.

    TF ops and operators on a TF tensor convert the other operand to the tensor's dtype;
    NumPy functions (also on TF tensors) promote like NumPy 2; Keras ops promote on their
    own (left unknown when the dtypes differ).
    """
    kinds = (_origin(a_v), _origin(b_v))
    if call.numpy:  # NumPy converts TF tensors to arrays
        kinds = ("np" if kinds[0] == "tf" else kinds[0], "np" if kinds[1] == "tf" else kinds[1])
    keras_operand = any(isinstance(v, Tensor) and v.kind == "keras" for v in (a_v, b_v))
    if call.name.startswith("keras.") or keras_operand:  # Keras symbolic tensors use keras.ops
        if leaf in _COMPARE:
            return "bool"
        literal = [isinstance(v, Const | Seq) for v in (a_v, b_v)]
        if literal[0] != literal[1]:  # a Python number keeps a float tensor's dtype
            t, lit = (b, a) if literal[0] else (a, b)
            keeps = t.dtype is not None and (t.dtype.startswith("float") or (
                lit.dtype is not None and lit.dtype.startswith("int") and
                t.dtype.startswith("int")))
            divides_ok = leaf not in _TRUEDIV or (t.dtype or "").startswith("float")
            return t.dtype if keeps and divides_ok else None
        divides_ok = leaf not in _TRUEDIV or (a.dtype or "").startswith("float")
        return a.dtype if a.dtype == b.dtype and divides_ok else None
    if "tf" in kinds and call.promotes():  # NumPy behaviour: promoted, not rejected
        same = kinds == ("tf", "tf") and a.dtype == b.dtype
        if leaf in _COMPARE:
            return "bool"
        return a.dtype if same and leaf not in _TRUEDIV else None
    if "tf" in kinds:
        if leaf not in _LOGICAL:
            _check_tf_dtypes(call, leaf, a, b, a_v, b_v, kinds)
        if leaf in _COMPARE:
            return "bool"
        main = a if kinds[0] == "tf" else b
        if leaf in _TRUEDIV and main.dtype in _TF_INT_TRUEDIV:
            return _TF_INT_TRUEDIV[main.dtype]
        return main.dtype
    if leaf in _COMPARE:
        return "bool"
    if kinds[0] != kinds[1] and "lit" in kinds:  # NEP 50: a Python scalar is "weak"
        arr, lit = (b, a) if kinds[0] == "lit" else (a, b)
        dtype = np_weak_promote(arr.dtype, lit.dtype)
    else:
        dtype = np_promote(a.dtype, b.dtype)
    if dtype and leaf in _TRUEDIV and not dtype.startswith(("float", "complex")):
        return "float64"
    return dtype


def _describe(call: Call, leaf: str) -> str:
    return f"operator {_OP_SYMBOL[leaf]}" if call.name.startswith("operator.") else call.name


def _keras_bias_add(a: tuple[Dim, ...] | None, b: tuple[Dim, ...] | None) -> bool | None:
    """Does keras.ops.add (TF backend) run ``tf.nn.bias_add`` here? It does when ``b``
    squeezes to a vector whose length is dim 1 or the last dim of ``a`` (rank >= 2): then the
    result has ``a``'s shape, even where broadcasting would fail (NCHW: [5, 5, 4, 4] + [5]).
    None when the dims needed are not known."""
    if a is None or b is None or len(a) < 2:
        return False
    kept = [d for d in b if not (isinstance(d, int) and d <= 1)]
    if len(kept) != 1:
        return False if all(isinstance(d, int) for d in kept) else None
    n, ends = kept[0], (a[1], a[-1])
    if not isinstance(n, int) or not all(isinstance(d, int) for d in ends):
        return None
    return n in ends


def elementwise(call: Call) -> Value:
    a_v, b_v = call.arg(0, "x"), call.arg(1, "y")
    leaf = call.name.rsplit(".", 1)[-1]
    a, b = to_tensor(a_v, call.numpy), to_tensor(b_v, call.numpy)
    if a is None or b is None:
        return UNKNOWN
    if call.name.startswith("np.") and "keras" in (a.kind, b.kind):
        return UNKNOWN  # Keras refuses to make an array of a KerasTensor, whatever the shapes
    shape, ok = broadcast(a.shape, b.shape)
    bias = _keras_bias_add(a.shape, b.shape) if call.name == "keras.ops.add" else False
    if bias:
        shape, ok = a.shape, True
    if not ok and bias is None:
        return call.result(None, None, call.name)  # maybe Keras' bias add: no claim
    if not ok:
        raise ShapeError("SL103", f"{_describe(call, leaf)}: shapes {shape_text(a)} and "
                         f"{shape_text(b)} cannot be broadcast together")
    dtype = _binary_dtype(call, leaf, a, b, a_v, b_v)
    origins = (_origin(a_v), _origin(b_v))
    # NumPy functions return arrays; operators return a tensor when a TF tensor is involved.
    kind = "ndarray" if call.numpy or (call.name.startswith("operator.") and
                                       "tf" not in origins) else "tensor"
    content = None
    if shape == () and a.content and b.content and leaf in ("add", "sub", "mul", "floordiv"):
        x, y = a.content[0], b.content[0]
        if isinstance(x, int) and isinstance(y, int):
            content = ({"add": x + y, "sub": x - y, "mul": x * y,
                        "floordiv": x // y if y else None}[leaf],)
            content = content if content[0] is not None else None
    scalar = compared(leaf, a_v, b_v) if shape == () and dtype == "bool" else None
    return Tensor(shape, dtype, kind, content, origin=call.name, scalar=scalar)


op(*(f"tf.{n}" for n in _TF_BINARY), *(f"tf.math.{n}" for n in _TF_BINARY),
   *(f"np.{n}" for n in _NP_BINARY), *(f"keras.ops.{n}" for n in _NP_BINARY),
   *(f"operator.{n}" for n in _OPERATORS), "tf.realdiv")(elementwise)


# ------------------------------------------------ 2-site TF calls (bench/coverage.py)
_FLOAT_ONLY = {"tf.acos": True, "tf.math.acosh": True, "tf.math.asinh": True,
               "tf.math.atanh": True, "tf.math.erfc": False, "tf.math.special.bessel_i0": False,
               "tf.math.bessel_i0": False}  # name -> also takes complex inputs


@op(*_FLOAT_ONLY)
def float_unary(call: Call) -> Value:
    """Elementwise ops whose kernels take floats (and, some, complex) only: an integer
    input is TF's InvalidArgumentError, whose value is unknown here."""
    t = call.tensor(0, "x")
    if t is None:
        return UNKNOWN
    dtype = t.dtype or ""
    complex_ok = _FLOAT_ONLY[call.name] and dtype.startswith("complex")
    if t.dtype is not None and not (dtype in ("float16", "float32", "float64") or
                                    complex_ok):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


_TF_INTS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


@op("tf.bitwise.invert")
def bitwise_invert(call: Call) -> Value:
    """Integers only; the input's shape and dtype."""
    t = call.tensor(0, "x")
    if t is None or (t.dtype is not None and t.dtype not in _TF_INTS):
        return UNKNOWN
    return call.result(t.shape, t.dtype, call.name)


@op("tf.bitwise.left_shift", "tf.bitwise.right_shift")
def bitwise_binary(call: Call) -> Value:
    """Two integer tensors of one dtype (a Python int takes the tensor's), broadcast: shapes
    that do not broadcast are TF's "Incompatible shapes" (SL103) at this line."""
    x_v, y_v = call.arg(0, "x"), call.arg(1, "y")
    x, y = to_tensor(x_v), to_tensor(y_v)
    if x is None or y is None or "keras" in (x.kind, y.kind):
        return UNKNOWN  # a KerasTensor in a TF op is Keras' own error
    tf_side = [t for t, v in ((x, x_v), (y, y_v)) if _origin(v) != "lit"]
    dtypes = {t.dtype for t in tf_side}
    if not tf_side or len(dtypes) != 1 or not dtypes <= {*_TF_INTS, None}:
        return UNKNOWN  # a dtype clash or a non-integer: TF refuses (not claimed here)
    shape, ok = broadcast(x.shape, y.shape)
    if not ok:
        raise ShapeError("SL103", f"{call.name}: shapes {shape_text(x)} and {shape_text(y)} "
                         f"cannot be broadcast together")
    return call.result(shape, next(iter(dtypes)), call.name)


@op("tf.math.angle")
def angle(call: Call) -> Value:
    """A complex input's argument is real (complex64 -> float32); a float input gives its
    own dtype; an integer one is TF's TypeError (unknown)."""
    t = call.tensor(0, "input")
    real = {"complex64": "float32", "complex128": "float64", "float16": "float16",
            "float32": "float32", "float64": "float64"}
    if t is None or t.dtype not in real:
        return UNKNOWN
    return call.result(t.shape, real[t.dtype], call.name)


_FLOAT_BINARY = {"tf.math.igamma": ("float16", "float32", "float64"),
                 "tf.math.igammac": ("float16", "float32", "float64"),
                 "tf.math.nextafter": ("float32", "float64")}


@op(*_FLOAT_BINARY)
def float_binary(call: Call) -> Value:
    """Two float tensors of one dtype (a Python number takes the tensor's), broadcast:
    shapes that do not broadcast are TF's "Incompatible shapes" (SL103) at this line."""
    x_v, y_v = call.arg(0, None), call.arg(1, None)
    x, y = to_tensor(x_v), to_tensor(y_v)
    if x is None or y is None or call.kwargs.keys() - {"name"} or "keras" in (x.kind, y.kind):
        return UNKNOWN
    tf_side = [t for t, v in ((x, x_v), (y, y_v)) if _origin(v) != "lit"]
    dtypes = {t.dtype for t in tf_side}
    if not tf_side or len(dtypes) != 1 or not dtypes <= {*_FLOAT_BINARY[call.name], None}:
        return UNKNOWN
    shape, ok = broadcast(x.shape, y.shape)
    if not ok:
        raise ShapeError("SL103", f"{call.name}: shapes {shape_text(x)} and {shape_text(y)} "
                         f"cannot be broadcast together")
    return call.result(shape, next(iter(dtypes)), call.name)
