"""``train_test_split`` against scikit-learn itself: for a spread of data set sizes and every
form of ``test_size``/``train_size`` (floats, ints, one, both, neither), the engine's shapes of
the four parts are the shapes scikit-learn returns, and where scikit-learn raises the engine
claims no shape (every literal form is modelled)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from shapelens.core import analyze

sklearn_split = pytest.importorskip("sklearn.model_selection").train_test_split

SIZES = [None, 0.1, 0.2, 0.25, 0.3, 0.33, 0.5, 0.7, 0.75, 0.8, 0.9, 0.0, 1.0, 1, 3, 7, 10]


def _engine_shapes(n: int, test: object, train: object) -> list[object]:
    args = "".join(f", {k}={v!r}" for k, v in (("test_size", test), ("train_size", train))
                   if v is not None)
    source = ("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
              f"X = np.zeros(({n}, 4), np.float32)\nY = np.zeros({n})\n"
              f"parts = train_test_split(X, Y{args}, random_state=0)\n"
              + "".join(f"p{i} = parts[{i}]\n" for i in range(4)))
    analysis = analyze(source, "t.py")
    assert analysis.findings == []
    shapes = {a.name: a.shape for a in analysis.assignments}
    return [shapes.get(f"p{i}") for i in range(4)]


@pytest.mark.parametrize("n", [2, 13, 100, 1001])
def test_split_shapes_match_scikit_learn(n: int) -> None:
    checked = 0
    for test, train in itertools.product(SIZES, SIZES):
        try:
            parts = sklearn_split(np.zeros((n, 4), np.float32), np.zeros(n), test_size=test,
                                  train_size=train, random_state=0)
        except ValueError:
            assert _engine_shapes(n, test, train) == [None] * 4, (test, train)
            continue
        assert _engine_shapes(n, test, train) == [p.shape for p in parts], (test, train)
        checked += 1
    assert checked >= 40
