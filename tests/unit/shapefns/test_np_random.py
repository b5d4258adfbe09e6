"""np.random: legacy functions and default_rng() Generator methods. A sample's shape is
``size``, else the broadcast of the parameters; a Python scalar result stays unknown."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

RNG = {"rng": "np.random.default_rng(0)"}
STATE = {"rs": "np.random.RandomState(0)"}

CASES: list[Any] = [
    ("np.random.rand(2, 3)", {}, "np.f64[2,3]"),
    ("np.random.randn(4)", {}, "np.f64[4]"),
    ("np.random.rand()", {}, "?"),
    ("np.random.randint(0, 5, (2,))", {}, "np.i64[2]"),
    ("np.random.randint(0, 5, size=3, dtype=np.int32)", {}, "np.i32[3]"),
    ("np.random.randint(0, x)", {"x": "np.full(3, 5)"}, "np.i64[3]"),
    ("np.random.randint(5)", {}, "?"),
    ("np.random.normal(0, 1, (2, 3))", {}, "np.f64[2,3]"),
    ("np.random.normal(x)", {"x": "np.f64[5]"}, "np.f64[5]"),
    ("np.random.normal(0, x)", {"x": "np.f64[2,1]"}, "np.f64[2,1]"),
    ("np.random.normal()", {}, "?"),
    ("np.random.uniform(x, 1)", {"x": "np.f64[3]"}, "np.f64[3]"),
    ("np.random.uniform(-1, 1, size=(4, 2))", {}, "np.f64[4,2]"),
    ("np.random.random((2, 3))", {}, "np.f64[2,3]"),
    ("np.random.random(3)", {}, "np.f64[3]"),
    ("np.random.random_sample(size=5)", {}, "np.f64[5]"),
    ("np.random.standard_normal((2, 2))", {}, "np.f64[2,2]"),
    ("np.random.choice(5, 3)", {}, "np.i64[3]"),
    ("np.random.choice(x, (2, 2))", {"x": "np.f32[5]"}, "np.f32[2,2]"),
    ("np.random.choice([1, 2, 3], 2)", {}, "np.i64[2]"),
    ("np.random.choice(x)", {"x": "np.f64[5]"}, "np.f64[]"),
    ("np.random.choice(10, size=4, replace=False)", {}, "np.i64[4]"),
    ("np.random.permutation(5)", {}, "np.i64[5]"),
    ("np.random.permutation(x)", {"x": "np.f32[4,3]"}, "np.f32[4,3]"),
    ("np.random.permutation([1, 2, 3])", {}, "np.i64[3]"),
    ("np.random.binomial(1, 0.5, size=4)", {}, "np.i64[4]"),
    ("np.random.poisson(3, (2,))", {}, "np.i64[2]"),
    ("np.random.exponential(1.0, 3)", {}, "np.f64[3]"),
    ("np.random.multinomial(10, [0.2, 0.8], size=3)", {}, "np.i64[3,2]"),
    ("np.random.dirichlet([1, 1, 1], 4)", {}, "np.f64[4,3]"),
    ("rs.randn(2, 5)", STATE, "np.f64[2,5]"),
    ("rs.randint(0, 9, size=(3,))", STATE, "np.i64[3]"),
    # Generator methods
    ("rng.integers(0, 5, size=3)", RNG, "np.i64[3]"),
    ("rng.integers(0, 5, (2, 3))", RNG, "np.i64[2,3]"),
    ("rng.integers(5)", RNG, "np.i64[]"),
    ("rng.integers(0, 5, 3, dtype=np.int32)", RNG, "np.i32[3]"),
    ("rng.integers(0, x)", {**RNG, "x": "np.full(2, 5)"}, "np.i64[2]"),
    ("rng.normal(size=(2, 3))", RNG, "np.f64[2,3]"),
    ("rng.normal(0, 1, 4)", RNG, "np.f64[4]"),
    ("rng.normal()", RNG, "?"),
    ("rng.uniform(0, 1, (3,))", RNG, "np.f64[3]"),
    ("rng.random((2, 2))", RNG, "np.f64[2,2]"),
    ("rng.random(3, dtype=np.float32)", RNG, "np.f32[3]"),
    ("rng.standard_normal((2,), dtype=np.float32)", RNG, "np.f32[2]"),
    ("rng.choice(5, 3)", RNG, "np.i64[3]"),
    ("rng.choice(x, 2)", {**RNG, "x": "np.f64[4,3]"}, "np.f64[2,3]"),
    ("rng.choice(x, 2, axis=1)", {**RNG, "x": "np.f64[4,3]"}, "np.f64[4,2]"),
    ("rng.choice(x)", {**RNG, "x": "np.f64[4,3]"}, "np.f64[3]"),
    ("rng.choice(x, (2, 2))", {**RNG, "x": "np.f64[4,3]"}, "np.f64[2,2,3]"),
    ("rng.permutation(6)", RNG, "np.i64[6]"),
    ("rng.permutation(x, axis=1)", {**RNG, "x": "np.f64[4,3]"}, "np.f64[4,3]"),
    ("rng.permuted(x, axis=1)", {**RNG, "x": "np.f64[4,3]"}, "np.f64[4,3]"),
    ("rng.binomial(10, 0.5, 3)", RNG, "np.i64[3]"),
    ("rng.poisson(2.0, (2, 2))", RNG, "np.i64[2,2]"),
    ("rng.exponential(size=3)", RNG, "np.f64[3]"),
    ("rng.multinomial(10, [0.5, 0.5], size=3)", RNG, "np.i64[3,2]"),
    ("np.random.default_rng(42).integers(0, 10, size=(8,))", {}, "np.i64[8]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_np_random(case: Any) -> None:
    check(case)


def test_shuffle_and_seed_return_none() -> None:
    """In-place shuffles and seeding return None; the array keeps its shape."""
    from shapelens.core import analyze

    source = ("import numpy as np\nrng = np.random.default_rng(0)\nx = np.zeros((4, 3))\n"
              "a = rng.shuffle(x)\nb = np.random.shuffle(x)\nc = np.random.seed(0)\n"
              "y = x\n")
    analysis = analyze(source, time_budget=None)
    facts = {f.name: f for f in analysis.assignments}
    assert facts["y"].shape == (4, 3)
    assert not {"a", "b", "c"} & facts.keys()  # None, not an array
    assert not analysis.findings
