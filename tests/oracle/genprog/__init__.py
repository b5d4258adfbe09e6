"""A seeded generator of well-formed TF2/Keras programs for differential testing against
real TensorFlow (the random-program oracle of ``tests/oracle/test_random_programs.py`` and
``bench/fuzz.py``).

``generate(seed)`` returns one ``Program``: the same seed always gives the same text. Kinds:
op chains (TF, NumPy and keras.ops spellings), convolution chains, helper functions (also
under ``tf.function``), GradientTape training code (helpers called in and out of tapes, loops
around tapes, ``apply_gradients``) and Keras models (Sequential and functional, with ``fit``
on drawn targets), ``tf.Module`` / ``keras.Model`` subclasses trained by tape loops or a
custom ``train_step``. Chains also use Python patterns (shape unpacking, loops, branches),
direct Keras layer calls and probes of ~220 API spellings (``probes.py``; ``sweep.py`` runs them
all). A share of programs is drawn to fail under TF (one invalid parameter).

Judging: ``check.judge`` (false alarms, shape/dtype disagreements, misses); running:
``run.Session`` (TF in this process) or ``python -m genprog.run`` (a batch, for pytest);
shrinking: ``shrink.shrink``. Known engine bugs whose constructs are left out unless
``known_bugs``: bench/FUZZ.md.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .chains import chain_program, function_program, image_program
from .core import FLAVOURS, Gen
from .models import keras_program
from .subclass import class_program
from .training import tape_program

KINDS = (
    ("chain", chain_program, 45),
    ("image", image_program, 8),
    ("function", function_program, 10),
    ("tape", tape_program, 18),
    ("keras", keras_program, 12),
    ("class", class_program, 8),
)


@dataclass(frozen=True)
class Program:
    """One generated program: its seed, kind and text."""

    seed: int
    kind: str
    source: str

    @property
    def name(self) -> str:
        return f"gen_{self.kind}_{self.seed}"


def generate(seed: int, fail_rate: float = 0.12, kind: str | None = None,
             known_bugs: bool = False) -> Program:
    """The program of ``seed`` (deterministic). ``kind`` forces one kind of program;
    ``known_bugs`` also writes the constructs left out for known engine false alarms."""
    rng = random.Random(seed)
    total = sum(w for _, _, w in KINDS)
    r = rng.uniform(0, total)
    chosen = KINDS[-1]
    for entry in KINDS:
        r -= entry[2]
        if r <= 0:
            chosen = entry
            break
    if kind is not None:
        chosen = next(k for k in KINDS if k[0] == kind)
    g = Gen(rng, flavour=rng.choice(FLAVOURS), fail_rate=fail_rate, known_bugs=known_bugs)
    chosen[1](g)
    return Program(seed, chosen[0], g.source())


__all__ = ["KINDS", "Program", "generate"]
