"""Shape-moving ops: reshape (incl. -1), transpose, expand_dims/squeeze, concat/stack/split,
tile/pad, gather, slicing and indexing, in the TF, NumPy and keras.ops spellings.

Each emitter takes the generator and an input value, writes one or two statements and
returns True, or returns False when the op does not apply to that value.
"""

from __future__ import annotations

import math

from .core import Gen, Var, lit, random_shape_of_size, tup
from .values import operand


def spelling(g: Gen) -> str:
    """Which library spells the next op: ``tf``, ``np`` or ``kops``."""
    if g.flavour == "np":
        return "np" if g.chance(0.85) else "tf"
    if g.flavour == "kops":
        return "kops" if g.chance(0.75) else "tf"
    return "tf"


def out_lib(sp: str) -> str:
    return "np" if sp == "np" else "tf"


def _fn(sp: str, tf: str, np_: str, kops: str) -> str:
    """The qualified function name in spelling ``sp`` (imports are recorded by callers)."""
    return {"tf": f"tf.{tf}", "np": f"np.{np_}", "kops": f"keras.ops.{kops}"}[sp]


def use(g: Gen, sp: str) -> None:
    g.imports.add({"tf": "import tensorflow as tf", "np": "import numpy as np",
                   "kops": "import keras"}[sp])


def axis_of(g: Gen, rank: int, extra: int = 0) -> int:
    """A valid axis for ``rank + extra`` positions, sometimes written negative."""
    n = rank + extra
    a = g.rng.randrange(n)
    return a - n if g.chance(0.3) else a


def reshape(g: Gen, x: Var) -> bool:
    sp = spelling(g)
    use(g, sp)
    bad = g.bad()
    if not bad and x.rank >= 2 and sp == "tf" and g.chance(0.15):
        lead = g.pick([f"{x.name}.shape[0]", f"tf.shape({x.name})[0]"])
        g.bind(f"tf.reshape({x.name}, [{lead}, -1])", (x.shape[0], x.size // x.shape[0]),
               x.dtype, "tf")
        return True
    rank = g.rng.randint(1, 4)
    dims = random_shape_of_size(g.rng, x.size, rank)
    out = tuple(dims)
    if bad:
        if g.chance(0.3) and rank >= 2:
            dims[0], dims[1] = -1, -1
        else:
            dims[g.rng.randrange(rank)] += g.rng.randint(1, 2)
    elif g.chance(0.4):
        dims[g.rng.randrange(rank)] = -1
    if sp == "np" and x.lib == "np" and g.chance(0.5):
        expr = f"{x.name}.reshape({tup(dims)})"
    elif sp == "tf":
        expr = f"tf.reshape({x.name}, {lit(dims)})"
    else:
        expr = f"{_fn(sp, 'reshape', 'reshape', 'reshape')}({x.name}, {tup(dims)})"
    g.bind(expr, out, x.dtype, out_lib(sp) if x.lib == "tf" or sp == "np" else x.lib)
    return True


def transpose(g: Gen, x: Var) -> bool:
    if x.rank < 2:
        return False
    sp = spelling(g)
    use(g, sp)
    perm = list(range(x.rank))
    g.rng.shuffle(perm)
    out = tuple(x.shape[p] for p in perm)
    if g.bad():
        perm = [*perm, x.rank] if g.chance(0.5) else [perm[0], *perm[:-1]]
    elif g.chance(0.2):
        expr = f"{x.name}.T" if x.lib == "np" else f"tf.transpose({x.name})"
        use(g, "tf")
        g.bind(expr, tuple(reversed(x.shape)), x.dtype, x.lib if x.lib == "np" else "tf")
        return True
    if sp == "tf":
        expr = f"tf.transpose({x.name}, perm={lit(perm)})"
    elif sp == "np":
        expr = f"np.transpose({x.name}, {tup(perm)})"
    else:
        expr = f"keras.ops.transpose({x.name}, axes={tup(perm)})"
    g.bind(expr, out, x.dtype, out_lib(sp))
    return True


def expand_dims(g: Gen, x: Var) -> bool:
    if x.rank >= 4:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank, 1)
    pos = a if a >= 0 else a + x.rank + 1
    out = (*x.shape[:pos], 1, *x.shape[pos:])
    if g.bad():
        a = x.rank + 1 if g.chance(0.5) else -x.rank - 2
    g.bind(f"{_fn(sp, 'expand_dims', 'expand_dims', 'expand_dims')}({x.name}, axis={a})",
           out, x.dtype, out_lib(sp))
    return True


def squeeze(g: Gen, x: Var) -> bool:
    ones = [i for i, d in enumerate(x.shape) if d == 1]
    others = [i for i, d in enumerate(x.shape) if d != 1]
    sp = spelling(g)
    bad = bool(others) and g.bad()
    if bad:
        a = g.pick(others)
    elif ones:
        a = g.pick(ones)
    else:
        return False
    use(g, sp)
    out = tuple(d for i, d in enumerate(x.shape) if i != a)
    if not bad and g.chance(0.25):
        out = tuple(d for d in x.shape if d != 1)
        g.bind(f"{_fn(sp, 'squeeze', 'squeeze', 'squeeze')}({x.name})", out, x.dtype,
               out_lib(sp))
        return True
    written = a - x.rank if g.chance(0.3) else a
    arg = f"[{written}]" if sp == "tf" and g.chance(0.3) else str(written)
    g.bind(f"{_fn(sp, 'squeeze', 'squeeze', 'squeeze')}({x.name}, axis={arg})", out, x.dtype,
           out_lib(sp))
    return True


def concat(g: Gen, x: Var) -> bool:
    if x.rank == 0 or x.size > 3000:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank)
    pos = a % x.rank
    other = list(x.shape)
    other[pos] = g.dim(1, 4)
    if x.rank >= 2 and g.bad():
        j = g.pick([i for i in range(x.rank) if i != pos])
        other[j] += 1
    second = x.name if tuple(other) == x.shape and g.chance(0.4) else operand(
        g, tuple(other), x)
    out = list(x.shape)
    out[pos] += other[pos]
    g.bind(f"{_fn(sp, 'concat', 'concatenate', 'concatenate')}([{x.name}, {second}], "
           f"axis={a})", tuple(out), x.dtype, out_lib(sp))
    return True


def stack(g: Gen, x: Var) -> bool:
    if x.rank >= 4:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank, 1)
    pos = a % (x.rank + 1)
    other = list(x.shape)
    if x.rank >= 1 and g.bad():
        other[g.rng.randrange(x.rank)] += 1
    second = x.name if g.chance(0.4) and tuple(other) == x.shape else operand(
        g, tuple(other), x)
    out = (*x.shape[:pos], 2, *x.shape[pos:])
    g.bind(f"{_fn(sp, 'stack', 'stack', 'stack')}([{x.name}, {second}], axis={a})", out,
           x.dtype, out_lib(sp))
    return True


def split(g: Gen, x: Var) -> bool:
    if x.rank == 0:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank)
    d = x.shape[a % x.rank]
    if g.bad():
        n = next((k for k in range(2, d + 2) if d % k), 2)
        sizes = None
    elif sp == "tf" and d >= 2 and g.chance(0.3):
        first = g.rng.randint(1, d - 1)
        sizes, n = [first, d - first], 2
    else:
        n = g.pick([k for k in range(1, d + 1) if d % k == 0])
        sizes = None
    arg = lit(sizes) if sizes else str(n)
    parts = g.fresh("parts")
    g.emit(f"{parts} = {_fn(sp, 'split', 'split', 'split')}({x.name}, {arg}, axis={a})")
    index = g.rng.randrange(n)
    out = list(x.shape)
    out[a % x.rank] = sizes[index] if sizes else max(d // n, 1)
    g.bind(f"{parts}[{index}]", tuple(out), x.dtype, out_lib(sp))
    return True


def tile(g: Gen, x: Var) -> bool:
    if x.rank == 0 or x.size > 500:
        return False
    sp = spelling(g)
    use(g, sp)
    reps = [g.rng.randint(1, 3) for _ in range(x.rank)]
    out = tuple(d * r for d, r in zip(x.shape, reps))
    if sp == "tf" and g.bad():
        reps.append(2)
    expr = f"tf.tile({x.name}, {lit(reps)})" if sp == "tf" else \
        f"{_fn(sp, 'tile', 'tile', 'tile')}({x.name}, {tup(reps)})"
    g.bind(expr, out, x.dtype, out_lib(sp))
    return True


def pad(g: Gen, x: Var) -> bool:
    if x.rank == 0 or x.size > 2000:
        return False
    sp = spelling(g)
    use(g, sp)
    pads = [[g.rng.randint(0, 2), g.rng.randint(0, 2)] for _ in range(x.rank)]
    out = tuple(d + a + b for d, (a, b) in zip(x.shape, pads))
    if sp == "tf" and g.bad():
        pads.append([1, 1])
    if sp == "tf":
        expr = f"tf.pad({x.name}, {pads})"
    else:
        expr = f"{_fn(sp, 'pad', 'pad', 'pad')}({x.name}, {tuple(tuple(p) for p in pads)})"
    g.bind(expr, out, x.dtype, out_lib(sp))
    return True


def gather(g: Gen, x: Var) -> bool:
    if x.rank == 0:
        return False
    sp = spelling(g)
    use(g, sp)
    a = axis_of(g, x.rank)
    pos = a % x.rank
    d = x.shape[pos]
    idx = [g.rng.randrange(d) for _ in range(g.rng.randint(1, 3))]
    # Out-of-range indices only for tf.gather: the engine does not check np.take's indices
    # (a known miss, bench/FUZZ.md) and keras.ops.take clips them on TF.
    if (sp == "tf" or (g.known_bugs and sp == "np")) and g.bad():
        idx[-1] = d + g.rng.randint(0, 2)
    fn = _fn(sp, "gather", "take", "take")
    if g.chance(0.25):
        out = x.shape[:pos] + x.shape[pos + 1:]
        g.bind(f"{fn}({x.name}, {idx[0]}, axis={a})", out, x.dtype, out_lib(sp))
        return True
    out = (*x.shape[:pos], len(idx), *x.shape[pos + 1:])
    g.bind(f"{fn}({x.name}, {lit(idx)}, axis={a})", out, x.dtype, out_lib(sp))
    return True


def _slice_len(d: int, start: int | None, stop: int | None, step: int | None) -> int:
    return len(range(d)[slice(start, stop, step)])


def _slice_text(start: int | None, stop: int | None, step: int | None) -> str:
    text = f"{'' if start is None else start}:{'' if stop is None else stop}"
    return text + (f":{step}" if step is not None else "")


def index(g: Gen, x: Var) -> bool:
    """``x[i]``, ``x[a:b]``, ``x[:, i]``, ``x[..., i]``, ``x[:, None]``, ``x[::-1]``..."""
    if x.rank == 0:
        return False
    d0, last = x.shape[0], x.shape[-1]
    kind = g.pick(["int", "slice", "int2", "ellipsis", "newaxis", "step", "two"])
    if kind == "int2" and x.rank < 2:
        kind = "int"
    if kind == "two" and x.rank < 2:
        kind = "slice"
    if kind == "int":
        i = g.rng.randrange(-d0, d0)
        if g.bad():
            i = d0 + g.rng.randint(0, 1)
        g.bind(f"{x.name}[{i}]", x.shape[1:], x.dtype, x.lib)
    elif kind == "int2":
        d1 = x.shape[1]
        i = d1 if g.bad() else g.rng.randrange(d1)
        g.bind(f"{x.name}[:, {i}]", x.shape[:1] + x.shape[2:], x.dtype, x.lib)
    elif kind == "ellipsis":
        i = -1 if g.chance(0.3) else g.rng.randrange(last)
        g.bind(f"{x.name}[..., {i}]", x.shape[:-1], x.dtype, x.lib)
    elif kind == "newaxis":
        if x.rank >= 4:
            return False
        none = "tf.newaxis" if x.lib == "tf" and g.chance(0.3) else "None"
        where = g.pick(["lead", "second", "last"])
        if where == "lead":
            g.bind(f"{x.name}[{none}]", (1, *x.shape), x.dtype, x.lib)
        elif where == "second":
            g.bind(f"{x.name}[:, {none}]", (d0, 1, *x.shape[1:]), x.dtype, x.lib)
        else:
            g.bind(f"{x.name}[..., {none}]", (*x.shape, 1), x.dtype, x.lib)
    elif kind == "step":
        step = g.pick([-1, 2])
        g.bind(f"{x.name}[::{step}]", (_slice_len(d0, None, None, step), *x.shape[1:]),
               x.dtype, x.lib)
    elif kind == "two":
        start, stop = g.rng.randint(0, max(d0 - 1, 0)), g.pick([None, -1, d0 + 2])
        n0 = _slice_len(d0, start, stop, None)
        s1 = g.pick([(None, -1), (1, None), (0, 2)])
        n1 = _slice_len(x.shape[1], s1[0], s1[1], None)
        if n0 == 0 or n1 == 0:
            return False
        text = f"{_slice_text(start, stop, None)}, {_slice_text(*s1, None)}"
        g.bind(f"{x.name}[{text}]", (n0, n1, *x.shape[2:]), x.dtype, x.lib)
    else:
        start = g.rng.randint(0, d0 - 1)
        stop = g.rng.randint(start + 1, d0 + 1)  # may pass the end: Python clamps it
        g.bind(f"{x.name}[{start}:{stop}]", (_slice_len(d0, start, stop, None), *x.shape[1:]),
               x.dtype, x.lib)
    return True


def broadcast_to(g: Gen, x: Var) -> bool:
    if x.rank >= 4 or x.size > 500:
        return False
    sp = spelling(g)
    use(g, sp)
    target = [d if d != 1 else g.dim(1, 4) for d in x.shape]
    if g.chance(0.5):
        target = [g.dim(1, 4), *target]
    if g.bad() and any(d != 1 for d in x.shape):
        i = next(i for i in range(x.rank) if x.shape[i] != 1)
        target[len(target) - x.rank + i] += 1
    fn = _fn(sp, "broadcast_to", "broadcast_to", "broadcast_to")
    arg = lit(target) if sp == "tf" else tup(target)
    g.bind(f"{fn}({x.name}, {arg})", tuple(target), x.dtype, out_lib(sp))
    return True


def unstack(g: Gen, x: Var) -> bool:
    if x.rank == 0 or g.flavour != "tf" or math.prod(x.shape) == 0:
        return False
    use(g, "tf")
    a = axis_of(g, x.rank)
    parts = g.fresh("parts")
    g.emit(f"{parts} = tf.unstack({x.name}, axis={a})")
    pos = a % x.rank
    i = g.rng.randrange(x.shape[pos])
    g.bind(f"{parts}[{i}]", x.shape[:pos] + x.shape[pos + 1:], x.dtype, "tf")
    return True
