"""Lists built by loops: a loop over a known non-empty range that certainly completes a pass
leaves its appended list non-empty (``ListOf.at_least``), so ``np.array`` of it has the
elements' shape behind an axis of unknown length; where the loop may not run, or may leave
before the append, the list may be empty (``(0,)``, another rank) and nothing is claimed."""

from __future__ import annotations

import pytest

from shapelens.core import analyze


def _shape(source: str, name: str = "arr") -> object:
    analysis = analyze("import numpy as np\n" + source, "t.py")
    shapes = {a.name: a.shape for a in analysis.assignments}
    return shapes.get(name)


def test_appends_in_a_known_range_make_a_non_empty_list() -> None:
    src = "rows = []\nfor _ in range(100):\n    rows.append(np.zeros([62]))\narr = np.array(rows)\n"
    assert _shape(src) == (None, 62)


@pytest.mark.parametrize("loop", [
    "for _ in range(n):\n",                     # n unknown: maybe no pass
    "for i in range(100):\n    if i > 3:\n        break\n",  # may leave before appending
    "for i in range(100):\n    if i % 2:\n        continue\n",
])
def test_a_loop_that_may_not_append_claims_nothing(loop: str) -> None:
    src = f"rows = []\n{loop}    rows.append(np.zeros([62]))\narr = np.array(rows)\n"
    assert _shape(src) is None


def test_elements_of_differing_shapes_claim_nothing() -> None:
    src = ("rows = []\nfor i in range(100):\n    if i % 2:\n        rows.append(np.zeros([3]))\n"
           "    else:\n        rows.append(np.zeros([4]))\narr = np.array(rows)\n")
    assert _shape(src) is None


def test_no_pass_leaves_the_empty_list() -> None:
    src = "rows = []\nfor _ in range(0):\n    rows.append(np.zeros([62]))\narr = np.array(rows)\n"
    assert _shape(src) == (0,)


def test_pop_and_del_lower_the_bound() -> None:
    """One append to a list of unknown length: at least one item, none after a pop."""
    head = "rows = [np.zeros([2]) for _ in range(n)]\nrows.append(np.zeros([2]))\n"
    assert _shape(head + "arr = np.array(rows)\n") == (None, 2)
    assert _shape(head + "rows.pop()\narr = np.array(rows)\n") is None
    assert _shape(head + "del rows[:]\narr = np.array(rows)\n") is None


def test_the_values_after_the_loop_are_those_of_a_pass() -> None:
    """After a loop that certainly ran, a name bound in its body is bound."""
    src = "for i in range(20):\n    arr = np.zeros([i + 1, 3])\n"
    assert _shape(src) == (None, 3)
