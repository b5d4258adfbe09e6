"""The last iteration of a long known ``range`` (``core/interpreter/last_iteration.py``): a
minibatch loop's last, smaller batch is seen, so a reshape to the full batch size is reported
where TF raises, and loops that divide evenly or drop the remainder stay silent."""

from __future__ import annotations

import textwrap

import pytest

from shapelens.core import analyze
from shapelens.core.results import Analysis


def _run(body: str, n: int = 100) -> Analysis:
    head = (f"import numpy as np\nimport tensorflow as tf\nx = np.zeros(({n}, 8), 'float32')\n"
            "bs = 6\n")
    return analyze(head + textwrap.dedent(body), "t.py")


def _codes(body: str, n: int = 100) -> list[tuple[int, str]]:
    return [(f.span.line, f.code) for f in _run(body, n).findings]


LOOP = """\
for start in range(0, len(x), bs):
    xb = x[start:start + bs]
    y = tf.reshape(xb, [bs, 2, 4])
"""


def test_the_partial_last_batch_fails_the_reshape() -> None:
    assert _codes(LOOP) == [(7, "SL101")]
    assert "input [4,8]" in _run(LOOP).findings[0].message


@pytest.mark.parametrize("n", [96, 6, 0])
def test_an_exact_multiple_or_an_empty_range_is_silent(n: int) -> None:
    assert _codes(LOOP, n) == []


@pytest.mark.parametrize("loop", [
    "for start in range(0, len(x) - bs + 1, bs):\n",       # drops the remainder
    "for i in range(len(x) // bs):\n    start = i * bs\n",  # whole batches only
])
def test_dropping_the_remainder_is_silent(loop: str) -> None:
    body = loop + "    xb = x[start:start + bs]\n    y = tf.reshape(xb, [bs, 2, 4])\n"
    assert _codes(body) == []


@pytest.mark.parametrize("exit_", ["break", "raise ValueError()"])
def test_a_loop_that_may_leave_early_claims_nothing_about_its_last_pass(exit_: str) -> None:
    body = f"""\
    for start in range(0, len(x), bs):
        xb = x[start:start + bs]
        if start > 50:
            {exit_}
        y = tf.reshape(xb, [bs, 2, 4])
    """
    assert _codes(body) == []


def test_bounds_are_known_at_a_call_and_unknown_otherwise() -> None:
    inner = textwrap.indent(LOOP.replace("len(x)", "n"), "    ")
    assert _codes("def f(n):\n" + inner + "f(100)\n") == [(8, "SL101")]
    assert _codes("def g(n):\n" + inner) == []


def test_the_state_after_the_loop_is_the_last_iteration() -> None:
    body = "for start in range(0, len(x), bs):\n    xb = x[start:start + bs]\nlast = xb\n"
    shapes = {a.name: a.shape for a in _run(body).assignments}
    assert shapes["last"] == (4, 8)


def test_the_range_is_evaluated_once_before_the_loop() -> None:
    """``bs`` changed in the body does not change the range Python already made."""
    body = """\
    for start in range(0, len(x), bs):
        xb = x[start:start + 6]
        y = tf.reshape(xb, [6, 2, 4])
        bs = 7
    """
    assert _codes(body) == [(7, "SL101")]
