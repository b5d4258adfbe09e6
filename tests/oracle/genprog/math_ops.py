"""Computing ops: matmul/@/einsum/tensordot, broadcasting arithmetic, reductions with
axis/keepdims, argmax, softmax/top_k, conv2d and pooling, casts, elementwise functions,
one_hot, where, and axis ops (reverse, roll, cumsum, sort)."""

from __future__ import annotations

import math

from .array_ops import _fn, axis_of, out_lib, spelling, use
from .core import Gen, Var, lit
from .values import operand


def matmul(g: Gen, x: Var) -> bool:
    if x.rank < 2 or not x.is_float:
        return False
    sp = spelling(g)
    use(g, sp)
    k, n = x.shape[-1], g.dim(1, 6)
    batch = x.shape[:-2] if x.rank > 2 and g.chance(0.7) else ()
    inner = k + 1 if g.bad() else k
    transpose_b = sp == "tf" and g.chance(0.2)
    shape = (*batch, n, inner) if transpose_b else (*batch, inner, n)
    other = operand(g, shape, x)
    out = (*x.shape[:-1], n)
    form = g.pick(["fn", "at"]) if not transpose_b else "fn"
    if form == "at":
        expr = f"{x.name} @ {other}"
    elif transpose_b:
        expr = f"tf.matmul({x.name}, {other}, transpose_b=True)"
    else:
        expr = f"{_fn(sp, 'matmul', 'matmul', 'matmul')}({x.name}, {other})"
    g.bind(expr, out, x.dtype, x.lib if form == "at" else out_lib(sp))
    return True


def einsum(g: Gen, x: Var) -> bool:
    if x.rank not in (2, 3) or not x.is_float:
        return False
    sp = spelling(g)
    use(g, sp)
    fn = _fn(sp, "einsum", "einsum", "einsum")
    if x.rank == 2:
        i, j = x.shape
        forms = [("ij,jk->ik", (j, 3), (i, 3)), ("ij->ji", None, (j, i)), ("ij->j", None, (j,)),
                 ("ij,ij->i", (i, j), (i,)), ("ij,kj->ik", (2, j), (i, 2))]
    else:
        b, i, j = x.shape
        forms = [("bij,bjk->bik", (b, j, 2), (b, i, 2)), ("bij->bji", None, (b, j, i)),
                 ("bij->b", None, (b,)), ("bij,jk->bik", (j, 4), (b, i, 4))]
    eq, other_shape, out = g.pick(forms)
    if other_shape is None:
        g.bind(f'{fn}("{eq}", {x.name})', out, x.dtype, out_lib(sp))
        return True
    other_shape = list(other_shape)
    if g.bad():
        other_shape[-1 if eq.endswith("->i") else 0] += 1
    other = operand(g, tuple(other_shape), x)
    g.bind(f'{fn}("{eq}", {x.name}, {other})', out, x.dtype, out_lib(sp))
    return True


def tensordot(g: Gen, x: Var) -> bool:
    if x.rank < 1 or not x.is_float or g.flavour == "kops":
        return False
    sp = "np" if g.flavour == "np" else "tf"
    use(g, sp)
    k = x.shape[-1] + (1 if g.bad() else 0)
    n = g.dim(1, 5)
    other = operand(g, (k, n), x)
    g.bind(f"{sp}.tensordot({x.name}, {other}, axes=1)", (*x.shape[:-1], n), x.dtype,
           out_lib(sp))
    return True


def _broadcast_partner(g: Gen, x: Var) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(operand shape, result shape) of a drawn broadcasting partner of ``x``."""
    keep = g.rng.randint(0, x.rank)
    other = [1 if g.chance(0.3) else d for d in x.shape[x.rank - keep:]]
    lead: list[int] = []
    if keep == x.rank < 3 and g.chance(0.2):
        lead = [g.dim(2, 3)]
    if not lead and x.rank and g.chance(0.15):  # x's own 1s broadcast against the partner
        ones = [i for i, d in enumerate(x.shape) if d == 1 and i >= x.rank - keep]
        for i in ones:
            other[i - (x.rank - keep)] = g.dim(2, 4)
    other = lead + other
    if g.bad():
        spots = [i for i in range(len(other)) if i >= len(lead)]
        spots = [i for i in spots if x.shape[x.rank - keep + i - len(lead)] != 1]
        if spots:
            i = g.pick(spots)
            other[i] = x.shape[x.rank - keep + i - len(lead)] + 1
    full = list(x.shape)
    if lead:
        full = lead + full
    for i in range(1, len(other) + 1):
        full[-i] = max(full[-i], other[-i]) if other[-i] != 1 else full[-i]
    return tuple(other), tuple(full)


def arith(g: Gen, x: Var) -> bool:
    """``x op y`` with a broadcasting partner, a scalar, or a mixed dtype when drawn bad."""
    if x.dtype == "bool":
        return False
    if g.chance(0.25):
        scalar = g.pick(["2.0", "0.5"]) if x.is_float else g.pick(["2", "3"])
        op = g.pick(["+", "-", "*"])
        expr = f"{x.name} {op} {scalar}" if g.chance(0.5) else f"{scalar} {op} {x.name}"
        g.bind(expr, x.shape, x.dtype, x.lib)
        return True
    other_shape, out = _broadcast_partner(g, x)
    if x.lib == "tf" and x.dtype == "float32" and not g.broken and g.chance(0.04):
        g.broken = True  # a float64 partner: a dtype mismatch under TF
        use(g, "tf")
        other = f"tf.ones({lit(other_shape)}, dtype=tf.float64)"
    else:
        other = operand(g, other_shape, x)
    sp = spelling(g)
    if g.chance(0.5):
        op = g.pick(["+", "-", "*"] + (["/"] if x.is_float else []))
        g.bind(f"{x.name} {op} {other}", out, x.dtype, x.lib)
        return True
    use(g, sp)
    name = g.pick(["add", "multiply", "subtract", "maximum"])
    g.bind(f"{_fn(sp, name, name, name)}({x.name}, {other})", out, x.dtype, out_lib(sp))
    return True


def reduce(g: Gen, x: Var) -> bool:
    if x.rank == 0:
        return False
    sp = spelling(g)
    use(g, sp)
    kind = g.pick(["sum", "mean", "max"] + (["min"] if x.is_float else []))
    fn = _fn(sp, f"reduce_{kind}", kind, kind)
    keepdims = g.chance(0.3)
    if g.chance(0.15):
        axes: list[int] | None = None
    elif x.rank >= 2 and g.chance(0.25):
        axes = g.rng.sample(range(x.rank), 2)
    else:
        axes = [axis_of(g, x.rank)]
    kept = set(range(x.rank)) - {a % x.rank for a in axes} if axes is not None else set()
    out = tuple(d if i in kept else 1 for i, d in enumerate(x.shape) if keepdims or i in kept)
    if axes is not None and g.bad():
        axes[-1] = x.rank + g.rng.randint(0, 1)
    if axes is None:
        arg = ""
    elif len(axes) == 1:
        arg = f", axis={axes[0]}"
    else:
        arg = f", axis={lit(axes) if sp == 'tf' else tuple(axes)}"
    arg += ", keepdims=True" if keepdims else ""
    dtype = "float64" if kind == "mean" and sp == "np" and not x.is_float else x.dtype
    g.bind(f"{fn}({x.name}{arg})", out, dtype, out_lib(sp))
    return True


def argmax(g: Gen, x: Var) -> bool:
    if x.rank == 0:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank)
    out = tuple(d for i, d in enumerate(x.shape) if i != a % x.rank)
    if g.bad():
        a = x.rank
    name = g.pick(["argmax", "argmin"])
    g.bind(f"{_fn(sp, name, name, name)}({x.name}, axis={a})", out,
           "int32" if sp == "kops" else "int64", out_lib(sp))
    return True


def softmax(g: Gen, x: Var) -> bool:
    if x.rank == 0 or not x.is_float or g.flavour == "np":
        return False
    sp = spelling(g)
    use(g, sp)
    fn = "keras.ops.softmax" if sp == "kops" else g.pick(["tf.nn.softmax", "tf.nn.log_softmax"])
    a = -1 if g.chance(0.5) else axis_of(g, x.rank)
    g.bind(f"{fn}({x.name}, axis={a})", x.shape, x.dtype, "tf")
    return True


def top_k(g: Gen, x: Var) -> bool:
    if x.rank == 0 or x.dtype == "bool":
        return False
    d = x.shape[-1]
    if g.flavour == "np":
        use(g, "np")
        a = axis_of(g, x.rank)
        g.bind(f"np.sort({x.name}, axis={a})", x.shape, x.dtype, "np")
        return True
    k = d + 1 if g.bad() else g.rng.randint(1, d)
    if g.flavour == "kops":
        use(g, "kops")
        g.bind(f"keras.ops.top_k({x.name}, {k})[0]", (*x.shape[:-1], k), x.dtype, "tf")
        return True
    use(g, "tf")
    part, dtype = g.pick([("values", x.dtype), ("indices", "int32")])
    g.bind(f"tf.math.top_k({x.name}, k={k}).{part}", (*x.shape[:-1], k), dtype, "tf")
    return True


def _out_size(size: int, k: int, stride: int, padding: str) -> int:
    if padding == "SAME":
        return math.ceil(size / stride)
    return math.ceil((size - k + 1) / stride)


def conv2d(g: Gen, x: Var) -> bool:
    if x.rank != 4 or x.dtype != "float32" or g.flavour == "np":
        return False
    use(g, "tf")
    _, h, w, c = x.shape
    kh, kw = g.rng.randint(1, 3), g.rng.randint(1, 3)
    stride, padding = g.pick([1, 1, 2]), g.pick(["SAME", "VALID"])
    out_c = g.dim(1, 6)
    fc = c
    if g.bad():
        if g.chance(0.5):
            fc = c + 1
        else:
            kh, padding = h + 1, "VALID"
    oh, ow = _out_size(h, kh, stride, padding), _out_size(w, kw, stride, padding)
    if oh <= 0 or ow <= 0:
        g.broken = True
    if g.chance(0.3):
        # max_pool2d with an output of exactly 0 kills the process (SIGFPE in TF's kernel)
        kind = "avg_pool2d" if 0 in (oh, ow) else g.pick(["max_pool2d", "avg_pool2d"])
        g.bind(f'tf.nn.{kind}({x.name}, ksize={kh}, strides={stride}, padding="{padding}")',
               (x.shape[0], oh, ow, c), x.dtype, "tf")
        return True
    kernel = operand(g, (kh, kw, fc, out_c), x)
    g.bind(f'tf.nn.conv2d({x.name}, {kernel}, strides={stride}, padding="{padding}")',
           (x.shape[0], oh, ow, out_c), x.dtype, "tf")
    return True


def cast(g: Gen, x: Var) -> bool:
    target = "int32" if x.is_float else "float32"
    if x.lib == "np":
        use(g, "np")
        g.bind(f'{x.name}.astype("{target}")', x.shape, target, "np")
        return True
    sp = spelling(g)
    if sp == "np":
        use(g, "np")
        g.bind(f'np.asarray({x.name}).astype("{target}")', x.shape, target, "np")
        return True
    use(g, sp)
    arg = f"tf.{target}" if sp == "tf" else f'"{target}"'
    g.bind(f"{_fn(sp, 'cast', 'cast', 'cast')}({x.name}, {arg})", x.shape, target, "tf")
    return True


def unary(g: Gen, x: Var) -> bool:
    sp = spelling(g)
    use(g, sp)
    names = ["abs", "square"] + (["exp", "sqrt", "tanh"] if x.is_float else [])
    name = g.pick(names)
    if sp == "tf":
        fn = f"tf.{name}" if name != "tanh" else "tf.nn.tanh"
        if name == "exp" and g.chance(0.3):
            fn = "tf.nn.relu"
    else:
        fn = _fn(sp, name, name, name)
    g.bind(f"{fn}({x.name})", x.shape, x.dtype, out_lib(sp))
    return True


def one_hot(g: Gen, x: Var) -> bool:
    if x.dtype not in ("int32", "int64") or x.rank > 2 or g.flavour == "np":
        return False
    use(g, "tf")
    depth = g.dim(2, 5)
    g.bind(f"tf.one_hot({x.name}, {depth})", (*x.shape, depth), "float32", "tf")
    return True


def where(g: Gen, x: Var) -> bool:
    if x.dtype == "bool":
        return False
    sp = spelling(g)
    use(g, sp)
    zero = "0.0" if x.is_float else "0"
    if sp == "tf":
        expr = f"tf.where({x.name} > {zero}, {x.name}, tf.zeros_like({x.name}))"
    else:
        expr = f"{_fn(sp, 'where', 'where', 'where')}({x.name} > {zero}, {x.name}, {zero})"
    g.bind(expr, x.shape, x.dtype, out_lib(sp))
    return True


def axis_op(g: Gen, x: Var) -> bool:
    """reverse / roll / cumsum / sort along one axis (an axis past the rank when bad)."""
    if x.rank == 0 or x.dtype == "bool":
        return False
    a = axis_of(g, x.rank)
    if g.bad():
        a = x.rank
    if g.flavour == "np" and x.lib == "np":
        use(g, "np")
        name = g.pick(["flip", "cumsum", "sort", "roll"])
        extra = ", 1" if name == "roll" else ""
        g.bind(f"np.{name}({x.name}{extra}, axis={a})", x.shape, x.dtype, "np")
        return True
    use(g, "tf")
    forms = [f"tf.reverse({x.name}, axis=[{a}])", f"tf.roll({x.name}, shift=1, axis={a})",
             f"tf.cumsum({x.name}, axis={a})"]
    if x.is_float:
        forms.append(f"tf.sort({x.name}, axis={a})")
    g.bind(g.pick(forms), x.shape, x.dtype, "tf")
    return True
