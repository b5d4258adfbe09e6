"""Python around the ops, as users write it: shapes read into names (``rows, cols =
x.shape``, ``n = x.shape[-1]``), split results joined again, loops that accumulate or grow a
tensor, list comprehensions stacked back, branches on a dim, and ``tf.Variable.assign``
(drawn to fail: a value of another shape)."""

from __future__ import annotations

from .array_ops import axis_of
from .core import Gen, Var, lit
from .values import operand


def shape_names(g: Gen, x: Var) -> bool:
    if x.rank == 2 and g.chance(0.5):
        rows, cols = g.fresh("rows"), g.fresh("cols")
        g.emit(f"{rows}, {cols} = {x.name}.shape")
        r, c = x.shape
        if x.lib == "np":
            g.bind(f"np.zeros(({cols}, {rows} * 2))", (c, r * 2), "float64", "np")
        else:
            g.bind(f"tf.reshape({x.name}, [{cols}, {rows}])", (c, r), x.dtype, "tf")
        return True
    if x.rank == 0 or x.lib != "tf":
        return False
    n = g.fresh("n")
    i = g.rng.randrange(-x.rank, x.rank)
    g.emit(f"{n} = {x.name}.shape[{i}]")
    g.bind(f"tf.ones([{n}, 2])", (x.shape[i], 2), "float32", "tf")
    return True


def split_join(g: Gen, x: Var) -> bool:
    if x.rank == 0 or x.lib != "tf" or g.flavour != "tf":
        return False
    a = axis_of(g, x.rank)
    d = x.shape[a % x.rank]
    k = g.pick([k for k in range(1, d + 1) if d % k == 0])
    parts = g.fresh("parts")
    g.emit(f"{parts} = tf.split({x.name}, {k}, axis={a})")
    piece = list(x.shape)
    piece[a % x.rank] = d // k
    how = g.pick(["reverse", "stack", "sum"])
    if how == "reverse":
        g.bind(f"tf.concat({parts}[::-1], axis={a})", x.shape, x.dtype, "tf")
    elif how == "stack":
        g.bind(f"tf.stack({parts}, axis=0)", (k, *piece), x.dtype, "tf")
    else:
        g.bind(f"sum({parts})", tuple(piece), x.dtype, "tf")
    return True


def loop(g: Gen, x: Var) -> bool:
    """An accumulating loop (same shape) or a growing one (concat each step)."""
    if x.lib != "tf" or x.dtype == "bool":
        return False
    steps = g.rng.randint(1, 3)
    acc = g.fresh("acc")
    if x.rank >= 1 and x.size <= 300 and g.chance(0.5):
        a = axis_of(g, x.rank)
        g.emit(f"{acc} = {x.name}\nfor _ in range({steps}):\n"
               f"    {acc} = tf.concat([{acc}, {x.name}], axis={a})")
        out = list(x.shape)
        out[a % x.rank] *= steps + 1
    else:
        g.emit(f"{acc} = tf.zeros_like({x.name})\nfor i in range({steps}):\n"
               f"    {acc} = {acc} + {x.name}")
        out = list(x.shape)
    g.env.append(Var(acc, tuple(out), x.dtype, "tf"))
    return True


def comprehension(g: Gen, x: Var) -> bool:
    if x.rank != 2 or x.lib != "tf":
        return False
    k = g.rng.randint(1, x.shape[1])
    cols = g.fresh("cols")
    g.emit(f"{cols} = [{x.name}[:, i] for i in range({k})]")
    g.bind(f"tf.stack({cols}, axis=1)", (x.shape[0], k), x.dtype, "tf")
    return True


def branch(g: Gen, x: Var) -> bool:
    if x.rank == 0:
        return False
    d = x.shape[0]
    v = g.fresh("v")
    g.emit(f"if {x.name}.shape[0] > 2:\n    {v} = {x.name}[:2]\nelse:\n    {v} = {x.name}")
    g.env.append(Var(v, (min(d, 2), *x.shape[1:]) if d > 2 else x.shape, x.dtype, x.lib))
    return True


def assign(g: Gen, x: Var) -> bool:
    """``var.assign(x)`` / ``assign_add`` on a variable of x's shape (another shape: bad)."""
    if x.lib != "tf" or not x.is_float or x.dtype != "float32":
        return False
    shape = list(x.shape)
    method = g.pick(["assign", "assign_add", "assign_sub"])
    # A wrong shape only for assign (unless known_bugs): no rule models variable updates, and
    # assign_add's error happens to match SL312's regex (meant for apply_gradients), so
    # (c) would count it as a miss (bench/FUZZ.md).
    if shape and (method == "assign" or g.known_bugs) and g.bad():
        shape[g.rng.randrange(len(shape))] += 1
    var = g.bind(f"tf.Variable(tf.zeros({lit(shape)}))", tuple(shape), "float32", "tf",
                 prefix="var")
    g.emit(f"{var.name}.{method}({x.name})")
    if g.chance(0.5):
        g.bind(f"{var.name} * 2.0", var.shape, "float32", "tf")
    return True


def mixed_operand(g: Gen, x: Var) -> bool:
    """A NumPy operand for a TF op and the other way round (conversion both ways)."""
    if x.rank == 0 or not x.is_float or g.flavour == "kops":
        return False
    if x.lib == "tf":
        g.imports.add("import numpy as np")
        other = f'np.ones({tuple(x.shape)!r}, dtype="{x.dtype}")'
        g.bind(f"tf.add({x.name}, {other})", x.shape, x.dtype, "tf")
    else:
        other = operand(g, x.shape, x)
        g.bind(f"tf.multiply({x.name}, {other})", x.shape, x.dtype, "tf")
    return True
