"""The dimension vocabulary: a dim proven None in TF's static shape (``DYNAMIC``) is not a dim
the analyzer does not know (``None``); every operation keeps the two apart and claims nothing
from either (``dims_equal`` never proves a conflict with them)."""

from __future__ import annotations

import copy
import pickle

import pytest

from shapelens.domain.shapes import (
    DYNAMIC,
    Count,
    Dynamic,
    broadcast,
    dims_equal,
    format_list,
    format_shape,
    join_dim,
    keep_dynamic,
    merge_dim,
    num_elements,
    static_only,
)


def test_one_instance_that_survives_copies_and_processes() -> None:
    assert Dynamic() is DYNAMIC
    assert copy.deepcopy(DYNAMIC) is DYNAMIC
    assert pickle.loads(pickle.dumps((DYNAMIC, 3)))[0] is DYNAMIC
    assert DYNAMIC != None  # noqa: E711 - the point: not the unknown dim


@pytest.mark.parametrize("other", [DYNAMIC, None, 3, "batch"])
def test_a_dynamic_dim_proves_no_equality_or_conflict(other: object) -> None:
    assert dims_equal(DYNAMIC, other) is None  # type: ignore[arg-type]
    assert dims_equal(other, DYNAMIC) is None  # type: ignore[arg-type]


def test_joins_and_merges() -> None:
    assert join_dim(DYNAMIC, DYNAMIC) is DYNAMIC
    assert join_dim(DYNAMIC, None) is None and join_dim(DYNAMIC, 3) is None
    assert merge_dim(DYNAMIC, 4) == 4 and merge_dim("batch", DYNAMIC) == "batch"
    assert merge_dim(DYNAMIC, DYNAMIC) is DYNAMIC
    assert merge_dim(DYNAMIC, None) is None  # TF may know the other one


def test_broadcasting_follows_tf_static_shapes() -> None:
    assert broadcast((DYNAMIC, 3), (1, 3)) == ((DYNAMIC, 3), True)
    assert broadcast((DYNAMIC,), (5,)) == ((5,), True)
    assert broadcast((DYNAMIC,), (None,)) == ((None,), True)
    assert broadcast((DYNAMIC,), (DYNAMIC,)) == ((DYNAMIC,), True)


def test_counts_and_sizes_are_unknown() -> None:
    assert Count.of((DYNAMIC, 3)) is None
    assert num_elements((DYNAMIC, 3)) is None


def test_helpers() -> None:
    assert static_only(("batch", DYNAMIC, 3)) == ("batch", None, 3)
    assert static_only(None) is None
    assert keep_dynamic(DYNAMIC, None) is DYNAMIC
    assert keep_dynamic(None, None) is None and keep_dynamic(DYNAMIC, 4) == 4


def test_printing() -> None:
    """TF prints a dynamic dim (and Keras its batch axis) as None; unknown is ``?``."""
    assert format_shape(("batch", DYNAMIC, None, 8)) == "(None, None, ?, 8)"
    assert format_shape((DYNAMIC,)) == "(None,)"
    assert format_list((DYNAMIC, None, 2)) == "[?,?,2]"  # TF's graph-mode message style
