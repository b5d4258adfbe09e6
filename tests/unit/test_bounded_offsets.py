"""``i % m`` of an int the analyzer does not know lies in ``[0, m - 1]`` (``values.IntIn``):
a slice ``x[o:o + k]`` then takes exactly ``k`` items where both ends provably fit in the
axis, and stays unknown where they may not. ``np.loadtxt`` is at most 2-D, so two indices
prove it 2-D; ``np.float32(rows)`` is an array. Each program is also run by NumPy: the
engine's shape of every array is either NumPy's or unknown."""

from __future__ import annotations

import numpy as np
import pytest

from shapelens.core import analyze

CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "cycling_offset": (
        "X = np.zeros((70, 9))\n"
        "for i in range(500):\n"
        "    offset = (i * 10) % (X.shape[0] - 10)\n"
        "    a = X[offset:(offset + 10), :]\n"
        "    b = X[offset + 1:offset + 11]\n"
        "    c = X[offset:offset + 12]\n"
        "    d = X[offset - 1:offset + 9]\n"
        "    e = X[offset:offset + 10:2]\n", ("a", "b")),
    "fresh_symbol_per_evaluation": (
        "X = np.zeros((70, 9))\n"
        "def off(i):\n"
        "    return i % 60\n"
        "prev = 0\n"
        "for i in range(500):\n"
        "    o = off(i)\n"
        "    p = off(i + 7)\n"
        "    a = X[o:p + 10]\n"
        "    prev = o\n", ()),
    "loadtxt": (
        "table = np.loadtxt(io.StringIO('1,2,3\\n4,5,6\\n'), delimiter=',')\n"
        "f = table[:, :-1]\n"
        "r = table[0]\n"
        "one = np.loadtxt(io.StringIO('1,2,3\\n'), delimiter=',')\n"
        "g = one[:-1]\n"
        "m = np.loadtxt(io.StringIO('1,2,3\\n'), delimiter=',', ndmin=2)\n", ()),
    "dtype_of_rows": (
        "a = np.float32([[1, 2], [3, 4]])\n"
        "b = np.int32(np.zeros((3,)))\n"
        "c = np.float32(2)\n", ("a", "b", "c")),
}


def _numpy_shapes(source: str) -> dict[str, tuple[int, ...]]:
    namespace: dict[str, object] = {}
    exec(compile(source, "t.py", "exec"), namespace)  # the test's own programs, NumPy only
    return {k: np.shape(v) for k, v in namespace.items()
            if isinstance(v, np.ndarray | np.generic)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_shapes_are_numpys_or_unknown(case: str) -> None:
    body, exact = CASES[case]
    source = "import io\nimport numpy as np\n" + body
    truth = _numpy_shapes(source)
    analysis = analyze(source, "t.py")
    engine = {a.name: a.shape for a in analysis.assignments}
    for name, shape in engine.items():
        if name in truth and shape is not None:
            assert len(shape) == len(truth[name]), f"{case}: {name} rank"
            assert all(d is None or d == t for d, t in zip(shape, truth[name])), \
                f"{case}: {name} is {truth[name]}, engine {shape}"
    for name in exact:
        assert engine.get(name) == truth[name], f"{case}: {name} should be known"
    assert not analysis.findings


def test_two_indices_prove_a_loadtxt_table_2d() -> None:
    source = ("import io\nimport numpy as np\n"
              "t = np.loadtxt(io.StringIO('1,2\\n3,4\\n'), delimiter=',')\n"
              "f = t[:, :-1]\nr = t[1:]\n")
    engine = {a.name: a.shape for a in analyze(source, "t.py").assignments}
    assert engine.get("f") == (None, None)
    assert engine.get("t") is None and engine.get("r") is None  # one index proves nothing
