"""scikit-learn's ``train_test_split`` (``shapefns/sklearn_ops.py``): sizes as scikit-learn
computes them (checked with scikit-learn 1.x: ceil of a float test size, floor of a float
train size, the rest on the other side, 0.25 for the test side by default); one array of
known length proves the others' (scikit-learn raises on different lengths)."""

from __future__ import annotations

import pytest

from shapelens.core import analyze

HEAD = ("import numpy as np\nfrom sklearn.model_selection import train_test_split\n"
        "X = np.zeros((100, 900), np.float32)\nY = np.zeros((100, 62))\n")


def _shapes(call: str) -> dict[str, object]:
    analysis = analyze(HEAD + f"parts = {call}\n" + "".join(
        f"{name} = parts[{i}]\n" for i, name in enumerate("abcd")), "t.py")
    assert analysis.findings == []
    return {a.name: a.shape for a in analysis.assignments}


@pytest.mark.parametrize(("kwargs", "train", "test"), [
    ("train_size=0.7", 70, 30), ("test_size=0.2", 80, 20), ("", 75, 25),
    ("test_size=0.33", 67, 33), ("test_size=25", 75, 25), ("train_size=60", 60, 40),
    ("train_size=0.5, test_size=0.2", 50, 20),
    ("test_size=0.3, random_state=1, shuffle=False", 70, 30),
])
def test_split_sizes(kwargs: str, train: int, test: int) -> None:
    shapes = _shapes(f"train_test_split(X, Y, {kwargs})")
    assert shapes["a"] == (train, 900) and shapes["b"] == (test, 900)
    assert shapes["c"] == (train, 62) and shapes["d"] == (test, 62)


def test_one_known_length_proves_the_others() -> None:
    analysis = analyze(HEAD + "rows = []\nfor _ in range(n):\n    rows.append(np.zeros(62))\n"
                       "y = np.float32(rows)\n"
                       "parts = train_test_split(X, y, train_size=0.7)\n"
                       "c = parts[2]\nd = parts[3]\n", "t.py")
    shapes = {a.name: a.shape for a in analysis.assignments}
    assert shapes.get("c") is None  # rows may be empty: y's rank is not known
    analysis = analyze(HEAD + "rows = []\nfor _ in range(100):\n    rows.append(np.zeros(62))\n"
                       "y = np.float32(rows)\n"
                       "parts = train_test_split(X, y, train_size=0.7)\n"
                       "c = parts[2]\nd = parts[3]\n", "t.py")
    shapes = {a.name: a.shape for a in analysis.assignments}
    assert shapes["c"] == (70, 62) and shapes["d"] == (30, 62)


@pytest.mark.parametrize("call", [
    "train_test_split(X, Y, test_size=0.0)", "train_test_split(X, Y, test_size=size)",
    "train_test_split(X, Y, train_size=0.8, test_size=0.3)",
    "train_test_split(X, np.zeros((99, 2)))", "train_test_split([[1, 2]] * 100, Y)",
])
def test_what_scikit_learn_rejects_or_the_engine_cannot_know_is_unknown(call: str) -> None:
    analysis = analyze(HEAD + f"parts = {call}\na = parts[0]\n", "t.py")
    shapes = {a.name: a.shape for a in analysis.assignments}
    assert shapes.get("a") is None
