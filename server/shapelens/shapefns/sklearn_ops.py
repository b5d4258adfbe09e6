"""scikit-learn's data splitting, as the ML scripts that feed TensorFlow call it.

``train_test_split(X, y, train_size=0.7)`` is how many scripts make their training arrays;
without it every shape after the split is unknown. scikit-learn's rules (checked against
scikit-learn 1.x): a float ``test_size`` takes ``ceil(test_size * n)`` rows, a float
``train_size`` ``floor(train_size * n)``, an int is a row count, the missing side is the rest,
and with neither given the test side is 0.25. Every array must have the same number of rows
or the call raises; so one array of known length proves the others' too.
"""

from __future__ import annotations

import math

from ..domain.values import UNKNOWN, Const, Seq, Tensor, Value
from ._common import Call
from .registry import op

_KNOWN_KEYWORDS = frozenset({"test_size", "train_size", "random_state", "shuffle", "stratify"})


@op("sklearn.model_selection.train_test_split")
def train_test_split(call: Call) -> Value:
    """Each array split in two along its first axis: train part, then test part."""
    arrays = [a for a in call.args if isinstance(a, Tensor)]
    if not arrays or len(arrays) != len(call.args) or call.kwargs.keys() - _KNOWN_KEYWORDS or \
            any(a.kind != "ndarray" or not a.shape for a in arrays):
        return UNKNOWN  # lists come back as lists, DataFrames as DataFrames
    lengths = {a.shape[0] for a in arrays if a.shape and isinstance(a.shape[0], int)}
    if len(lengths) != 1:
        return UNKNOWN  # no length known, or a mismatch scikit-learn rejects
    sizes = _split_sizes(lengths.pop(), call.kwargs.get("test_size"),
                         call.kwargs.get("train_size"))
    if sizes is None:
        return UNKNOWN
    parts: list[Value] = []
    for array in arrays:
        rest = (array.shape or ())[1:]
        parts.extend(Tensor((size, *rest), array.dtype, "ndarray", origin=call.name)
                     for size in sizes)
    return Seq(tuple(parts), "list")


def _size(value: Value | None) -> float | int | str | None:
    """A size argument: a float fraction, an int count, None (absent), or "?" (unknown)."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return None
    if isinstance(value, Const) and type(value.value) in (int, float):
        return value.value  # type: ignore[return-value]
    return "?"


def _split_sizes(n: int, test: Value | None, train: Value | None) -> tuple[int, int] | None:
    test_size, train_size = _size(test), _size(train)
    if "?" in (test_size, train_size):
        return None
    if test_size is None and train_size is None:
        test_size = 0.25
    if isinstance(test_size, float) and isinstance(train_size, float) and \
            train_size + test_size > 1:
        return None  # scikit-learn raises
    n_test = _rows(test_size, n, math.ceil)
    n_train = _rows(train_size, n, math.floor)
    if n_test == -1 or n_train == -1:
        return None
    if n_train is None and n_test is not None:
        n_train = n - n_test
    elif n_test is None and n_train is not None:
        n_test = n - n_train
    if n_train is None or n_test is None or n_train <= 0 or n_train + n_test > n:
        return None  # scikit-learn raises here
    return n_train, n_test


def _rows(size: float | int | str | None, n: int, rounding: object) -> int | None:
    """Rows a size asks for; None if absent, -1 if not one scikit-learn accepts (a float
    outside (0, 1), an int outside [1, n))."""
    if size is None:
        return None
    if isinstance(size, float):
        return int(rounding(size * n)) if 0.0 < size < 1.0 else -1  # type: ignore[operator]
    if isinstance(size, int) and 0 < size < n:
        return size
    return -1
