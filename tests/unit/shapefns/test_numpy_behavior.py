"""``tnp.experimental_enable_numpy_behavior()`` makes TF promote mixed dtypes like NumPy, so a
dtype conflict is no longer a certain error (SL111). Outcomes verified with TF 2.21 (one
process per mode, since the switch cannot be undone; which is also why this is a unit test and
not an oracle fixture, whose programs share one TF process):

* every mode: ``i32 + i64`` -> int64, ``i32 + f32`` -> float64, ``f32 @ f64`` -> float64;
* default ("legacy") mode, also with ``prefer_float32=True``: ``tf.add(i32, i64)`` and
  ``tf.matmul(f32, f64)`` still raise InvalidArgumentError;
* "all" / "safe" modes: ``tf.add(i32, i64)`` -> int64, ``tf.matmul(f32, f64)`` -> float64;
* every mode: ``tf.concat`` of int32 and int64 still raises.
"""

from __future__ import annotations

import pytest

from shapelens.core import analyze

PRELUDE = "import tensorflow as tf\nimport tensorflow.experimental.numpy as tnp\n"
MIXED = ("a = tf.constant(1, tf.int32)\nb = tf.constant(2, tf.int64)\n"
         "x = tf.zeros((2, 2))\ny = tf.zeros((2, 2), tf.float64)\n")


def _codes(body: str, enable: str | None) -> list[tuple[int, str]]:
    switch = "" if enable is None else f"tnp.experimental_enable_numpy_behavior({enable})\n"
    source = PRELUDE + switch + MIXED + body
    first = len((PRELUDE + switch + MIXED).splitlines()) + 1
    return [(f.span.line - first, f.code) for f in analyze(source, time_budget=None).findings]


@pytest.mark.parametrize("enable", ["", "prefer_float32=True", "dtype_conversion_mode='all'",
                                    "dtype_conversion_mode='safe'"])
def test_operators_promote_once_numpy_behavior_is_on(enable: str) -> None:
    assert _codes("c = a + b\nd = a * 0.5\ne = x @ y\nf = a < b\n", enable) == []


def test_without_the_switch_the_conflict_is_reported() -> None:
    assert _codes("c = a + b\n", None) == [(0, "SL111")]


@pytest.mark.parametrize("enable", ["", "prefer_float32=True"])
def test_tf_functions_still_reject_mixed_dtypes_in_legacy_mode(enable: str) -> None:
    assert _codes("f = tf.add(a, b)\n", enable) == [(0, "SL111")]
    assert _codes("g = tf.matmul(x, y)\n", enable) == [(0, "SL111")]


@pytest.mark.parametrize("enable", ["dtype_conversion_mode='all'",
                                    "dtype_conversion_mode='safe'", "dtype_conversion_mode=m"])
def test_tf_functions_promote_in_the_other_modes(enable: str) -> None:
    assert _codes("f = tf.add(a, b)\ng = tf.matmul(x, y)\n", enable) == []


def test_promoted_dtypes_are_left_unknown() -> None:
    """The engine does not model NumPy's promotion table: unknown, never a wrong dtype."""
    source = PRELUDE + "tnp.experimental_enable_numpy_behavior()\n" + MIXED + \
        "c = a + b\nd = a * 0.5\nsame = a + a\n"
    facts = {a.name: a for a in analyze(source, time_budget=None).assignments}
    assert facts["c"].shape == () and facts["c"].dtype is None
    assert facts["d"].dtype is None
    assert facts["same"].dtype == "int32"


def test_concat_still_rejects_mixed_dtypes() -> None:
    assert _codes("h = tf.concat([a[None], b[None]], 0)\n", "dtype_conversion_mode='all'") == \
        [(0, "SL111")]
