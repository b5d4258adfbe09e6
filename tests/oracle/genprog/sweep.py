"""The probe sweep: every probe template (``probes.TEMPLATES``) on inputs of each rank it fits,
in three contexts, each a small program judged like a generated one:

* ``eager``: ``p = <probe>`` at module level;
* ``graph``: the probe inside a ``tf.function`` whose result is unused, so TF prunes it and
  only checks made while tracing can raise (the engine must not report kernel-only checks);
* ``tape``: the probe on a ``tf.Variable`` inside a ``GradientTape``, the loss summed from it
  (a None-gradient warning must be matched by a None gradient).

Deterministic and exhaustive where the random programs are not: ``bench/fuzz.py --sweep``.
"""

from __future__ import annotations

from collections.abc import Iterator

from .probes import TEMPLATES

SHAPES = {1: [5], 2: [4, 6], 3: [2, 5, 3], 4: [2, 4, 6, 3]}
HEAD = "import keras\nimport numpy as np\nimport tensorflow as tf\n\n"


def _expr(template: str, name: str, rank: int, axis: int, other: int) -> str:
    shape = SHAPES[rank]
    return template.format(x=name, a=axis, c=other, d0=shape[0], d0m=shape[0] - 1,
                           dl=shape[-1], k=2, r=rank)


def sweep_programs() -> Iterator[tuple[str, str]]:
    """(name, source) of every sweep program."""
    for index, (min_rank, _floats, template) in enumerate(TEMPLATES):
        ranks = [min_rank] if min_rank >= 3 else list(range(min_rank, 5))
        for rank in ranks:
            shape = SHAPES[rank]
            for axis in sorted({0, -1, rank - 1}):
                for context in ("eager", "graph", "tape"):
                    if context == "tape" and axis != -1:  # the variable is float32
                        continue
                    other = rank if axis == 0 else axis  # one axis past the rank per template
                    yield (f"sweep_{index}_r{rank}_a{axis}_{context}",
                           _program(context, template, rank, axis, other, shape))


def _program(context: str, template: str, rank: int, axis: int, other: int,
             shape: list[int]) -> str:
    if context == "eager":
        probe = _expr(template, "x", rank, axis, other)
        return f"{HEAD}x = tf.random.normal({shape})\np = {probe}\n"
    if context == "graph":
        probe = _expr(template, "inp", rank, axis, other)
        return (f"{HEAD}x = tf.random.normal({shape})\n\n\n@tf.function\ndef f(inp):\n"
                f"    p = {probe}\n    return inp\n\n\ny = f(x)\n")
    probe = _expr(template, "w", rank, axis, axis)
    return (f"{HEAD}w = tf.Variable(tf.random.normal({shape}))\n"
            f"with tf.GradientTape() as tape:\n    y = {probe}\n"
            "    loss = tf.reduce_sum(tf.cast(y, tf.float32))\n"
            "g = tape.gradient(loss, w)\n")
