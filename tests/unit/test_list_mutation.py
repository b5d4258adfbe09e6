"""Lists mutated in place (``interpreter/mutation.py``): through an attribute, an alias, a
parameter,
an item of another list, or a method call in an expression; and long comprehensions, whose
items are not enumerated but whose length is kept. Each program is also run by
real Python (NumPy only): the engine's shape of every array is either Python's or unknown,
and where the mutation happens at a place the engine tracks, it is Python's exactly."""

from __future__ import annotations

import numpy as np
import pytest

from shapelens.core import analyze

HEAD = "import numpy as np\n"

# (program, names whose shape the engine must know exactly)
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "attribute_in_init": (
        "class D:\n"
        "    def __init__(self):\n"
        "        self.rows = []\n"
        "        for _ in range(10):\n"
        "            self.rows.append([0.0] * 3)\n"
        "a = np.array(D().rows)\n", ("a",)),
    "attribute_by_method": (
        "class Buf:\n"
        "    def __init__(self):\n"
        "        self.rows = []\n"
        "    def add(self, r):\n"
        "        self.rows.append(r)\n"
        "b = Buf()\n"
        "for i in range(4):\n"
        "    b.add([1.0, 2.0])\n"
        "a = np.array(b.rows)\n", ("a",)),
    "module_level_object": (
        "class E:\n"
        "    pass\n"
        "e = E()\n"
        "e.rows = []\n"
        "e.rows.append([1.0, 2.0])\n"
        "e.rows.extend([[3.0, 4.0], [5.0, 6.0]])\n"
        "e.rows.insert(0, [0.0, 0.0])\n"
        "a = np.array(e.rows)\n", ("a",)),
    "parameter": (
        "def add(lst):\n"
        "    lst.append(1)\n"
        "p = []\n"
        "q = []\n"
        "add(p)\n"
        "add(q)\n"
        "a = np.array(p)\n"
        "b = np.array(q)\n", ()),
    "parameter_in_nested_call": (
        "def add(lst):\n"
        "    lst.append(1)\n"
        "def twice(lst):\n"
        "    add(lst)\n"
        "    add(lst)\n"
        "x = [0]\n"
        "twice(x)\n"
        "y = [0]\n"
        "twice(y)\n"
        "a = np.array(y)\n", ()),
    "global_object_in_function": (
        "class E:\n"
        "    pass\n"
        "e = E()\n"
        "e.rows = []\n"
        "def add():\n"
        "    e.rows.append(1.0)\n"
        "add()\n"
        "add()\n"
        "a = np.array(e.rows)\n", ("a",)),
    "global_in_function": (
        "rows = []\n"
        "def add():\n"
        "    rows.append(1.0)\n"
        "add()\n"
        "add()\n"
        "a = np.array(rows)\n", ()),
    "alias": (
        "y = [1, 2]\n"
        "y2 = y\n"
        "y2.append(3)\n"
        "y2 += [4]\n"
        "a = np.array(y)\n"
        "b = np.array(y2)\n", ("b",)),
    "item_of_a_list": (
        "m = [[1, 2], [3, 4]]\n"
        "for r in m:\n"
        "    r.append(0)\n"
        "a = np.array(m)\n", ()),
    "pop_in_expression": (
        "s = [1, 2, 3]\n"
        "z = s.pop()\n"
        "a = np.array(s)\n", ()),
    "item_store_and_del": (
        "s = [[1, 2], [3, 4], [5, 6]]\n"
        "t = s\n"
        "t[0] = [1, 2, 3]\n"
        "del t[1]\n"
        "a = np.array(t[1:])\n"
        "b = np.array(s[2:])\n", ()),
    "attribute_of_class": (
        "class C:\n"
        "    rows = []\n"
        "c = C()\n"
        "c.rows.append(1.0)\n"
        "a = np.array(C.rows)\n", ()),
    "long_comprehension": (
        "n = 500\n"
        "a = np.array([[0.0, 1.0] for _ in range(n)])\n"
        "b = np.array([[float(i)] * 3 for i in range(1, 300, 2)])\n"
        "c = np.array([[1.0, 2.0] if i % 2 else [3.0, 4.0] for i in range(100)])\n"
        "range = lambda k: [0]\n"
        "d = np.array([[0.0, 1.0] for _ in range(n)])\n", ("a",)),
    "local_lists_stay_known": (
        "xs, ys = [], []\n"
        "for i in range(5):\n"
        "    xs.append(i)\n"
        "    ys.append(i * 2)\n"
        "a = np.array(ys)\n"
        "b = np.array(xs)\n", ("a", "b")),
}


def _python_shapes(source: str) -> dict[str, tuple[int, ...]]:
    namespace: dict[str, object] = {}
    exec(compile(source, "t.py", "exec"), namespace)  # the test's own programs, NumPy only
    return {k: v.shape for k, v in namespace.items() if isinstance(v, np.ndarray)}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mutated_list_has_its_true_shape_or_none(case: str) -> None:
    body, exact = CASES[case]
    source = HEAD + body
    truth = _python_shapes(source)
    analysis = analyze(source, "t.py")
    engine = {a.name: a.shape for a in analysis.assignments}
    for name, shape in engine.items():
        if name in truth:
            assert shape == truth[name], f"{case}: {name} is {truth[name]}, engine {shape}"
    for name in exact:
        assert engine.get(name) == truth[name], f"{case}: {name} should be tracked"
    assert not analysis.findings


def test_a_call_that_mutates_its_callers_list_is_not_memoised() -> None:
    """The second ``add(q)`` has the same arguments as ``add(p)``: a memoised result would
    skip the append, and ``q`` would look empty."""
    source = HEAD + CASES["parameter"][0]
    analysis = analyze(source, "t.py")
    engine = {a.name: a.shape for a in analysis.assignments}
    assert "b" not in engine  # its length is lost, never claimed (0,)
