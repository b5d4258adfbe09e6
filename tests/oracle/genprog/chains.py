"""Op-chain programs: a few drawn inputs, then a chain of drawn ops, each reading a recent
value. After an invalid parameter was drawn the chain ends, because what TF does next is no
longer what the generator predicts."""

from __future__ import annotations

from collections.abc import Callable

from . import array_ops as A
from . import math_ops as M
from . import patterns as P
from .core import Gen, Var
from .layers import layer_call
from .probes import probe
from .values import new_source

Emitter = Callable[[Gen, Var], bool]

# (emitter, weight)
OPS: list[tuple[Emitter, int]] = [
    (A.reshape, 6), (A.transpose, 4), (A.expand_dims, 3), (A.squeeze, 3), (A.concat, 4),
    (A.stack, 3), (A.split, 3), (A.tile, 2), (A.pad, 2), (A.gather, 3), (A.index, 5),
    (A.broadcast_to, 2), (A.unstack, 1),
    (M.matmul, 5), (M.einsum, 3), (M.tensordot, 1), (M.arith, 7), (M.reduce, 5),
    (M.argmax, 2), (M.softmax, 2), (M.top_k, 2), (M.cast, 2), (M.unary, 2), (M.one_hot, 1),
    (M.where, 1), (M.axis_op, 2),
    (P.shape_names, 2), (P.split_join, 1), (P.loop, 2), (P.comprehension, 1), (P.branch, 1),
    (P.assign, 1), (P.mixed_operand, 1), (layer_call, 4), (probe, 6),
]
IMAGE_OPS: list[tuple[Emitter, int]] = [(M.conv2d, 6), (layer_call, 5), (probe, 3), (M.arith, 1),
                                        (M.reduce, 1),
                                        (A.transpose, 1), (A.index, 1)]


def _draw_op(g: Gen, table: list[tuple[Emitter, int]]) -> Emitter:
    total = sum(w for _, w in table)
    r = g.rng.uniform(0, total)
    for fn, w in table:
        r -= w
        if r <= 0:
            return fn
    return table[-1][0]


def run_chain(g: Gen, steps: int, table: list[tuple[Emitter, int]] = OPS) -> None:
    """Emit up to ``steps`` ops; stop one op after an invalid parameter."""
    done, tries = 0, 0
    while done < steps and tries < steps * 6:
        tries += 1
        x = g.choose(lambda v: v.size <= 4000 and v.lib in ("tf", "np"))
        if x is None:
            return
        was_broken = g.broken
        if _draw_op(g, table)(g, x):
            done += 1
            if was_broken:
                return
        if g.broken and g.chance(0.7):
            return


def chain_program(g: Gen) -> None:
    """Module-level chain of ops on one to three inputs."""
    for _ in range(g.rng.randint(1, 2)):
        new_source(g)
    run_chain(g, g.rng.randint(3, 8))


def image_program(g: Gen) -> None:
    """Convolutions and pooling on an NHWC batch, then a few ordinary ops."""
    g.flavour = "tf"
    shape = (g.dim(1, 3), g.dim(4, 10), g.dim(4, 10), g.dim(1, 4))
    new_source(g, shape, "float32")
    run_chain(g, g.rng.randint(1, 3), IMAGE_OPS)
    if not g.broken:
        run_chain(g, g.rng.randint(1, 3))


def function_program(g: Gen) -> None:
    """The same chain inside a helper function, called once or twice (also under
    ``tf.function``): the engine must give the body's shapes from the call."""
    g.imports.add("import tensorflow as tf")
    x = new_source(g)
    decorated = g.flavour == "tf" and g.chance(0.3)
    body = Gen(g.rng, g.flavour, g.fail_rate, imports=g.imports, indent="    ",
               counter=g.counter)
    body.env.append(Var("inp", x.shape, x.dtype, x.lib))
    run_chain(body, g.rng.randint(2, 5))
    result = body.env[-1].name
    g.counter = body.counter
    if decorated:
        g.emit("@tf.function")
    g.emit("def block(inp):")
    g.lines.extend(body.lines)
    g.emit(f"    return {result}")
    g.emit("")
    g.emit("")
    out = body.env[-1]
    g.bind(f"block({x.name})", out.shape, out.dtype, out.lib, prefix="y")
    g.broken = body.broken
    if not body.broken and g.chance(0.4):
        g.bind(f"block({x.name})", out.shape, out.dtype, out.lib, prefix="y")
