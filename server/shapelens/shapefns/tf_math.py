"""Math: elementwise unary and binary ops (NumPy broadcasting), the arithmetic operators,
matmul/tensordot/einsum/matvec, reductions, arg-reductions, cumsum, softmax, norm, top_k,
sort."""

from __future__ import annotations

from ..core.shapes import Dim, broadcast, dims_equal, format_list, merge_dim, normalize_axis
from ..core.values import UNKNOWN, Const, Seq, Tensor, Value
from . import op
from ._common import Call, ShapeError, shape_text, to_axes, to_bool, to_dtype, to_int, to_str, \
    to_tensor

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
    return sorted(set(names) - {"keras.ops.relu_", "tf.math.cumprod"})


@op(*_unary_names())
def unary(call: Call) -> Value:
    t = call.tensor(0, None)
    if t is None:
        return UNKNOWN
    leaf = call.name.rsplit(".", 1)[-1]
    dtype = "bool" if leaf in _BOOL_RESULT else t.dtype
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


def _is_tf(t: Tensor | None) -> bool:
    return t is not None and t.kind in ("tensor", "variable", "keras")


def _origin(v: Value) -> str:
    """"tf" for a TensorFlow tensor, "np" for a NumPy array, "lit" for a Python literal."""
    if isinstance(v, Tensor):
        return "np" if v.kind == "ndarray" else "tf"
    return "lit"


_NP_ORDER = ["bool", "int32", "int64", "float32", "float64"]


def _binary_dtype(call: Call, leaf: str, a: Tensor, b: Tensor, a_v: Value, b_v: Value) -> \
        str | None:
    """Result dtype; raises SL111 for a certain TF dtype conflict."""
    if leaf in _COMPARE:
        return "bool"
    kinds = (_origin(a_v), _origin(b_v))
    arith = leaf in _ARITH_OPS | {"add", "truediv", "divide"}
    if "tf" in kinds:
        main, other, other_v = (a, b, b_v) if kinds[0] == "tf" else (b, a, a_v)
        if kinds == ("tf", "tf") and a.dtype and b.dtype and a.dtype != b.dtype and arith:
            raise ShapeError("SL111", f"{_describe(call, leaf)}: operands have different "
                             f"dtypes, {a.dtype} {shape_text(a)} and {b.dtype} "
                             f"{shape_text(b)}; cast one of them with tf.cast")
        if main.dtype and main.dtype.startswith("int") and isinstance(other_v, Const) and \
                isinstance(other_v.value, float) and leaf in _ARITH_OPS:
            raise ShapeError("SL111", f"{_describe(call, leaf)}: the Python float "
                             f"{other_v.value!r} cannot be converted to the {main.dtype} "
                             f"tensor's dtype; cast the tensor with tf.cast first")
        del other
        if leaf in _TRUEDIV and main.dtype in ("int32", "int64", "int8", "int16", "uint8"):
            return "float64"
        return main.dtype
    if not (a.dtype and b.dtype):
        return None
    if "lit" in kinds:  # NumPy 2: a Python scalar is "weak" and keeps the array's dtype kind
        arr, lit = (b, a) if kinds[0] == "lit" else (a, b)
        if leaf in _TRUEDIV and not arr.dtype.startswith("float"):
            return "float64"
        if arr.dtype.startswith("float") or not lit.dtype.startswith("float"):
            return arr.dtype
        return "float64"
    if leaf in _TRUEDIV and not a.dtype.startswith("float") and not b.dtype.startswith("float"):
        return "float64"
    if a.dtype in _NP_ORDER and b.dtype in _NP_ORDER:
        return _NP_ORDER[max(_NP_ORDER.index(a.dtype), _NP_ORDER.index(b.dtype))]
    return None


def _describe(call: Call, leaf: str) -> str:
    return f"operator {_OP_SYMBOL[leaf]}" if call.name.startswith("operator.") else call.name


def elementwise(call: Call) -> Value:
    a_v, b_v = call.arg(0, "x"), call.arg(1, "y")
    leaf = call.name.rsplit(".", 1)[-1]
    a, b = to_tensor(a_v, call.numpy), to_tensor(b_v, call.numpy)
    if a is None or b is None:
        return UNKNOWN
    shape, ok = broadcast(a.shape, b.shape)
    if not ok:
        raise ShapeError("SL103", f"{_describe(call, leaf)}: shapes {shape_text(a)} and "
                         f"{shape_text(b)} cannot be broadcast together")
    dtype = _binary_dtype(call, leaf, a, b, a_v, b_v)
    origins = (_origin(a_v), _origin(b_v))
    kind = "tensor" if "tf" in origins or (not call.numpy and "np" not in origins) \
        else "ndarray"
    content = None
    if shape == () and a.content and b.content and leaf in ("add", "sub", "mul", "floordiv"):
        x, y = a.content[0], b.content[0]
        if isinstance(x, int) and isinstance(y, int):
            content = ({"add": x + y, "sub": x - y, "mul": x * y,
                        "floordiv": x // y if y else None}[leaf],)
            content = content if content[0] is not None else None
    return Tensor(shape, dtype, kind, content, origin=call.name)


op(*(f"tf.{n}" for n in _TF_BINARY), *(f"tf.math.{n}" for n in _TF_BINARY),
   *(f"np.{n}" for n in _NP_BINARY), *(f"keras.ops.{n}" for n in _NP_BINARY),
   *(f"operator.{n}" for n in _OPERATORS), "tf.realdiv")(elementwise)


# ---------------------------------------------------------------- matmul family

def _matmul_tf(call: Call, a: Tensor, b: Tensor, ta: bool, tb: bool) -> Value:
    assert a.shape is not None and b.shape is not None
    for i, t in enumerate((a, b)):
        if t.shape is not None and len(t.shape) < 2:
            raise ShapeError("SL102", f"{_mm_name(call)}: operand {i} {shape_text(t)} has rank "
                             f"{len(t.shape)}, but matmul needs rank >= 2 (use "
                             f"tf.linalg.matvec or tf.expand_dims)")
    m, k1 = (a.shape[-1], a.shape[-2]) if ta else (a.shape[-2], a.shape[-1])
    k2, n = (b.shape[-1], b.shape[-2]) if tb else (b.shape[-2], b.shape[-1])
    if dims_equal(k1, k2) is False:
        raise ShapeError("SL102", f"{_mm_name(call)}: inner dimensions differ, {k1} vs {k2} "
                         f"(shapes {shape_text(a)} and {shape_text(b)}"
                         f"{', transpose_a' if ta else ''}{', transpose_b' if tb else ''})")
    batch, ok = broadcast(a.shape[:-2], b.shape[:-2])
    if not ok:
        raise ShapeError("SL102", f"{_mm_name(call)}: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    shape = None if batch is None else (*batch, m, n)
    return call.result(shape, _mm_dtype(call, a, b), call.name)


def _mm_name(call: Call) -> str:
    return "operator @" if call.name == "operator.matmul" else call.name


def _mm_dtype(call: Call, a: Tensor, b: Tensor) -> str | None:
    if _is_tf(a) and _is_tf(b) and a.dtype and b.dtype and a.dtype != b.dtype:
        raise ShapeError("SL111", f"{_mm_name(call)}: operands have different dtypes, "
                         f"{a.dtype} and {b.dtype}; cast one of them with tf.cast")
    tf_side = [t for t in (a, b) if _is_tf(t)]
    if tf_side:
        return tf_side[0].dtype
    return a.dtype if a.dtype == b.dtype else None


def _matmul_np(call: Call, a: Tensor, b: Tensor) -> Value:
    assert a.shape is not None and b.shape is not None
    sa, sb = a.shape, b.shape
    if not sa or not sb:
        return UNKNOWN
    a2 = (1, *sa) if len(sa) == 1 else sa
    b2 = (*sb, 1) if len(sb) == 1 else sb
    if dims_equal(a2[-1], b2[-2]) is False:
        raise ShapeError("SL102", f"{_mm_name(call)}: inner dimensions differ, {a2[-1]} vs "
                         f"{b2[-2]} (shapes {shape_text(a)} and {shape_text(b)})")
    batch, ok = broadcast(a2[:-2], b2[:-2])
    if not ok:
        raise ShapeError("SL102", f"{_mm_name(call)}: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    assert batch is not None
    out = [*batch, a2[-2], b2[-1]]
    if len(sb) == 1:
        out.pop()
    if len(sa) == 1:
        out.pop(-1 if len(sb) == 1 else -2)
    return Tensor(tuple(out), _mm_dtype(call, a, b), "ndarray", origin=call.name)


@op("tf.matmul", "tf.linalg.matmul", "operator.matmul", "np.matmul", "keras.ops.matmul")
def matmul(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return call.result(None, None) if a is not None or b is not None else UNKNOWN
    ta = bool(to_bool(call.arg(2, "transpose_a")) or to_bool(call.arg(4, "adjoint_a")))
    tb = bool(to_bool(call.arg(3, "transpose_b")) or to_bool(call.arg(5, "adjoint_b")))
    if call.name in ("np.matmul", "keras.ops.matmul") or (
            call.name == "operator.matmul" and not (_is_tf(a) or _is_tf(b))):
        return _matmul_np(call, a, b)
    return _matmul_tf(call, a, b, ta, tb)


@op("np.dot")
def np_dot(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    if len(a.shape) <= 2 and len(b.shape) <= 2 and a.shape and b.shape:
        return _matmul_np(call, a, b)
    return UNKNOWN


@op("tf.linalg.matvec")
def matvec(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    ta = bool(to_bool(call.arg(2, "transpose_a")) or to_bool(call.arg(3, "adjoint_a")))
    if len(a.shape) < 2 or len(b.shape) < 1:
        raise ShapeError("SL102", f"tf.linalg.matvec: needs a matrix and a vector, got "
                         f"{shape_text(a)} and {shape_text(b)}")
    m, k = (a.shape[-1], a.shape[-2]) if ta else (a.shape[-2], a.shape[-1])
    if dims_equal(k, b.shape[-1]) is False:
        raise ShapeError("SL102", f"tf.linalg.matvec: inner dimensions differ, {k} vs "
                         f"{b.shape[-1]} (shapes {shape_text(a)} and {shape_text(b)})")
    batch, ok = broadcast(a.shape[:-2], b.shape[:-1])
    if not ok:
        raise ShapeError("SL102", f"tf.linalg.matvec: batch dimensions of {shape_text(a)} and "
                         f"{shape_text(b)} are not compatible")
    return call.result(None if batch is None else (*batch, m), _mm_dtype(call, a, b), call.name)


@op("tf.tensordot", "np.tensordot", "tf.linalg.tensordot", "keras.ops.tensordot")
def tensordot(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    axes_v = call.arg(2, "axes", Const(2))
    if a is None or b is None or a.shape is None or b.shape is None:
        return UNKNOWN
    n = to_int(axes_v)
    if n is not None:
        ax_a = tuple(range(len(a.shape) - n, len(a.shape)))
        ax_b = tuple(range(n))
    elif isinstance(axes_v, Seq) and len(axes_v.items) == 2:
        pa, pb = to_axes(axes_v.items[0]), to_axes(axes_v.items[1])
        if pa is None or pb is None or len(pa) != len(pb):
            return UNKNOWN
        ax_a = tuple(normalize_axis(x, len(a.shape)) or 0 for x in pa)
        ax_b = tuple(normalize_axis(x, len(b.shape)) or 0 for x in pb)
    else:
        return UNKNOWN
    if any(x < 0 or x >= len(a.shape) for x in ax_a) or \
            any(x < 0 or x >= len(b.shape) for x in ax_b):
        return UNKNOWN
    for x, y in zip(ax_a, ax_b):
        if dims_equal(a.shape[x], b.shape[y]) is False:
            raise ShapeError("SL102", f"{call.name}: contracted dimensions differ, "
                             f"{a.shape[x]} (axis {x} of {shape_text(a)}) vs {b.shape[y]} "
                             f"(axis {y} of {shape_text(b)})")
    shape = tuple(d for i, d in enumerate(a.shape) if i not in ax_a) + \
        tuple(d for i, d in enumerate(b.shape) if i not in ax_b)
    return call.result(shape, _mm_dtype(call, a, b), call.name)


@op("tf.einsum", "np.einsum", "tf.linalg.einsum", "keras.ops.einsum")
def einsum(call: Call) -> Value:
    eq = to_str(call.arg(0, "equation"))
    operands = [to_tensor(v, call.numpy) for v in call.args[1:]]
    if eq is None or "." in eq or any(t is None or t.shape is None for t in operands):
        return UNKNOWN
    eq = eq.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(operands):
        return UNKNOWN
    sizes: dict[str, Dim] = {}
    for i, (spec, t) in enumerate(zip(specs, operands)):
        assert t is not None and t.shape is not None
        if len(spec) != len(t.shape):
            raise ShapeError("SL112", f"{call.name}: operand {i} {shape_text(t)} has rank "
                             f"{len(t.shape)} but subscripts '{spec}' name {len(spec)} axes")
        for letter, d in zip(spec, t.shape):
            prev = sizes.get(letter)
            if letter in sizes and dims_equal(prev, d) is False and prev != 1 and d != 1:
                raise ShapeError("SL112", f"{call.name}: subscript '{letter}' is {prev} in one "
                                 f"operand but {d} in operand {i} {shape_text(t)}")
            sizes[letter] = merge_dim(prev, d) if letter in sizes else d
    if not arrow:
        counts = {c: lhs.count(c) for c in sizes}
        out = "".join(sorted(c for c, k in counts.items() if k == 1))
    if any(c not in sizes for c in out):
        return UNKNOWN
    dtypes = {t.dtype for t in operands if t is not None}
    return call.result(tuple(sizes[c] for c in out),
                       next(iter(dtypes)) if len(dtypes) == 1 else None, call.name)
