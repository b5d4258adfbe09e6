"""Math: elementwise unary and binary ops (NumPy broadcasting), the arithmetic operators,
matmul/tensordot/einsum/matvec, reductions, arg-reductions, cumsum, softmax, norm, top_k,
sort."""

from __future__ import annotations

from ..core.shapes import (
    Dim,
    Shape,
    broadcast,
    dims_equal,
    format_list,
    merge_dim,
    normalize_axis,
)
from ..core.values import UNKNOWN, Const, Seq, Tensor, Value
from . import op
from ._common import (
    Call,
    ShapeError,
    np_float_result,
    np_promote,
    np_weak_promote,
    on_either,
    shape_text,
    to_axes,
    to_int,
    to_str,
    to_tensor,
)

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


def _is_tf(t: Tensor | None) -> bool:
    return t is not None and t.kind in ("tensor", "variable", "keras")


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
    if call.numpy or (call.name == "operator.matmul" and not (_is_tf(a) or _is_tf(b))):
        return np_promote(a.dtype, b.dtype)  # NumPy promotes (also TF tensors it is given)
    if call.name.startswith("keras."):
        return a.dtype if a.dtype == b.dtype else None
    if call.promotes():  # NumPy behaviour: mixed dtypes are promoted
        return a.dtype if a.dtype == b.dtype else None
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
    kind = "tensor" if call.name.startswith("keras.") else "ndarray"
    return Tensor(tuple(out), _mm_dtype(call, a, b), kind, origin=call.name)


@op("tf.matmul", "tf.linalg.matmul", "operator.matmul", "np.matmul", "keras.ops.matmul")
def matmul(call: Call) -> Value:
    a, b = call.tensor(0, "a"), call.tensor(1, "b")
    if a is None or b is None or a.shape is None or b.shape is None:
        return call.result(None, None) if a is not None or b is not None else UNKNOWN
    if call.name in ("np.matmul", "keras.ops.matmul") or (
            call.name == "operator.matmul" and not (_is_tf(a) or _is_tf(b))):
        return _matmul_np(call, a, b)
    ta = _any_flag(call.flag(2, "transpose_a"), call.flag(4, "adjoint_a"))
    tb = _any_flag(call.flag(3, "transpose_b"), call.flag(5, "adjoint_b"))
    return on_either(ta, lambda ta_: on_either(tb, lambda tb_: _matmul_tf(call, a, b, ta_, tb_)))


def _any_flag(first: bool | None, second: bool | None) -> bool | None:
    """``transpose_x or adjoint_x``: True if either is, unknown unless both are known."""
    if first or second:
        return True
    return None if first is None or second is None else False


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
    if call.flag(2, "transpose_a") is None or call.flag(3, "adjoint_a") is None:
        return call.result(None, _mm_dtype(call, a, b))
    ta = bool(call.flag(2, "transpose_a") or call.flag(3, "adjoint_a"))
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
    if eq is None or any(t is None or t.shape is None for t in operands):
        return UNKNOWN
    eq = eq.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    specs = lhs.split(",")
    if len(specs) != len(operands) or any(
            s.count("...") > 1 or "." in s.replace("...", "") for s in (*specs, out)):
        return UNKNOWN
    sizes: dict[str, Dim] = {}
    batches: list[tuple[Dim, ...]] = []  # the parts of each operand under its "..."
    for i, (spec, t) in enumerate(zip(specs, operands)):
        assert t is not None and t.shape is not None
        letters = spec.replace("...", "")
        dims = t.shape
        if "..." in spec and len(t.shape) >= len(letters):
            pos, width = spec.index("..."), len(t.shape) - len(letters)
            batches.append(t.shape[pos:pos + width])
            dims = t.shape[:pos] + t.shape[pos + width:]
        elif len(letters) != len(t.shape):
            raise ShapeError("SL112", f"{call.name}: operand {i} {shape_text(t)} has rank "
                             f"{len(t.shape)} but subscripts '{spec}' name {len(letters)} "
                             f"axes{' or more' if '...' in spec else ''}")
        for letter, d in zip(letters, dims):
            prev = sizes.get(letter, d)
            if dims_equal(prev, d) is False:
                # NumPy broadcasts a size-1 subscript; TensorFlow does not.
                if not call.numpy or 1 not in (prev, d):
                    raise ShapeError("SL112", f"{call.name}: subscript '{letter}' is {prev} in "
                                     f"one operand but {d} in operand {i} {shape_text(t)}")
                sizes[letter] = d if prev == 1 else prev
            else:
                sizes[letter] = merge_dim(prev, d)
    batch: Shape = ()
    for part in batches:
        batch, ok = broadcast(batch, part)
        if not ok:
            raise ShapeError("SL112", f"{call.name}: the dimensions under '...' do not "
                             f"broadcast: {' vs '.join(format_list(b) for b in batches)}")
    if not arrow:
        counts = {c: lhs.count(c) for c in sizes}
        out = ("..." if call.numpy and batches else "") + "".join(
            sorted(c for c, k in counts.items() if k == 1))
    if any(c not in sizes for c in out.replace("...", "")):
        return UNKNOWN
    if batches and "..." not in out and batch:
        if call.numpy:
            return UNKNOWN
        raise ShapeError("SL112", f"{call.name}: the operands have {len(batch)} dimension(s) "
                         f"under '...' but the output subscripts '{out}' have no '...'")
    head, _, tail = out.partition("...")
    dtype = _einsum_dtype(call, [t for t in operands if t is not None])
    shape = None if batch is None and "..." in out else (
        *(sizes[c] for c in head), *(batch or ()), *(sizes[c] for c in tail))
    return call.result(shape, dtype, call.name)


def _einsum_dtype(call: Call, tensors: list[Tensor]) -> str | None:
    if call.numpy:
        dtype = tensors[0].dtype if tensors else None
        for t in tensors[1:]:
            dtype = np_promote(dtype, t.dtype)
        return dtype
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1 and None not in dtypes and not call.name.startswith("keras.") and \
            all(_is_tf(t) for t in tensors) and not call.promotes():
        raise ShapeError("SL111", f"{call.name}: operands have different dtypes "
                         f"({', '.join(sorted(str(d) for d in dtypes))}); cast them with "
                         "tf.cast")
    return next(iter(dtypes)) if len(dtypes) == 1 else None
