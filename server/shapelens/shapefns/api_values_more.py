"""Known non-tensor values of a few more APIs with three or more sites in
``bench/coverage.py``: TF's value asserts (None eagerly, an op in a graph), ``tf.get_static_value``
(an array or None: whether TF knows the value depends on the graph), ``do_not_convert`` (the
function itself) and a Keras 3 model's ``get_state_tree()`` (a dict).

Probed under TF 2.21 / Keras 3 (``tests/unit/api_iterators_cases.py``, run under TF by
``tests/oracle/test_api_iterators_oracle.py``); none of them reports anything: an assert that
fails raises from the values, which the engine does not know.
"""

from __future__ import annotations

from ..domain.values import UNKNOWN, Function, Opaque, Tensor, Value
from ._common import Call
from .registry import op

ASSERT_RESULT = "None (eager) or tf.Operation (graph)"
STATIC_VALUE = "np.ndarray or None"
_ASSERTS = ("assert_greater", "assert_less", "assert_equal")
_DEBUGGING_ONLY = ("assert_greater_equal", "assert_less_equal", "assert_positive",
                   "assert_negative", "assert_non_negative", "assert_non_positive",
                   "assert_near", "assert_none_equal")
ASSERT_NAMES = (*(f"tf.{n}" for n in _ASSERTS),
                *(f"tf.debugging.{n}" for n in (*_ASSERTS, *_DEBUGGING_ONLY)))


@op(*ASSERT_NAMES)
def value_assert(call: Call) -> Value:
    """``tf.debugging.assert_greater(x, y)``...: None when run eagerly, the assert's op in a
    graph (``tf.function``); InvalidArgumentError when the values fail it."""
    return Opaque(ASSERT_RESULT)


@op("tf.get_static_value")
def get_static_value(call: Call) -> Value:
    """``tf.get_static_value(tensor)``: its value as a NumPy array when TF knows it (always
    eagerly), else None (a graph tensor computed at run time)."""
    return Opaque(STATIC_VALUE) if isinstance(call.arg(0, "tensor"), Tensor) else UNKNOWN


@op("tf.autograph.experimental.do_not_convert")
def do_not_convert(call: Call) -> Value:
    """``do_not_convert(func)``: ``func``, run as it is (not converted by AutoGraph); used as
    a decorator, the engine keeps the decorated function itself."""
    func = call.arg(0, "func")
    return func if isinstance(func, Function) else UNKNOWN


@op("keras.Model.get_state_tree")
def get_state_tree(call: Call) -> Value:
    """A Keras 3 model's ``get_state_tree()``: a nested dict of its variables' values."""
    return Opaque("py:dict")


# The names of this module (all with a known non-tensor result): bench/coverage.py.
NON_TENSOR_NAMES = frozenset({*ASSERT_NAMES, "tf.get_static_value",
                              "tf.autograph.experimental.do_not_convert",
                              "keras.Model.get_state_tree"})
