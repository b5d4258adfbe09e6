"""The record base classes that replaced ``@dataclass`` on the analysis path
(``shapelens/structs.py``): the same equality, hashing, ``repr`` and ``replace`` semantics
the engine relied on, field order included."""

from __future__ import annotations

import copy
import pickle

import pytest

from shapelens.core.results import Span
from shapelens.domain.values import (
    UNKNOWN,
    Const,
    DictValue,
    Function,
    Seq,
    SymDim,
    Tensor,
    Unknown,
)
from shapelens.structs import Entity, Frozen, Mutable, fields, replace


class Point(Frozen):
    __slots__ = ("x", "y")

    def __init__(self, x: int, y: int = 0) -> None:
        self.x = x
        self.y = y


class Labelled(Point):
    __slots__ = ("label",)
    _uncompared = ("label",)

    def __init__(self, x: int, y: int = 0, label: str = "") -> None:
        super().__init__(x, y)
        self.label = label


class Box(Mutable):
    __slots__ = ("items",)

    def __init__(self, items: list[int]) -> None:
        self.items = items


class Thing(Entity):
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


def test_fields_are_the_slots_in_order_base_classes_first() -> None:
    assert fields(Point(1, 2)) == ("x", "y")
    assert fields(Labelled(1)) == ("x", "y", "label")
    assert fields(Tensor((2, 3))) == ("shape", "dtype", "kind", "content", "trainable",
                                      "origin", "history", "source", "deps", "grad_of",
                                      "parts", "scalar")


def test_frozen_records_compare_and_hash_by_value_within_one_class() -> None:
    assert Point(1, 2) == Point(1, 2) and hash(Point(1, 2)) == hash(Point(1, 2))
    assert Point(1, 2) != Point(2, 1)
    assert Const("a") != SymDim("a")  # same field values, different classes
    assert Point(1, 2) != (1, 2)
    assert len({Seq((Const(1),)), Seq((Const(1),)), Seq((Const(1),), "list")}) == 2
    assert Unknown() == UNKNOWN and hash(Unknown()) == hash(UNKNOWN)


def test_uncompared_fields_are_left_out_of_equality_and_hashing() -> None:
    assert Labelled(1, 2, "a") == Labelled(1, 2, "b")
    assert hash(Labelled(1, 2, "a")) == hash(Labelled(1, 2, "b"))
    a = Tensor((2, 3), "float32", origin="tf.zeros")
    b = Tensor((2, 3), "float32", origin="tf.ones", history=("dense",))
    assert a == b and hash(a) == hash(b)
    assert a != Tensor((2, 3), "float32", source=7)


def test_mutable_records_compare_by_value_and_are_not_hashable() -> None:
    box = Box([1])
    assert box == Box([1]) and box != Box([2])
    with pytest.raises(TypeError):
        hash(box)
    box.items.append(2)
    assert box == Box([1, 2])


def test_entities_are_equal_only_to_themselves() -> None:
    a, b = Thing("x"), Thing("x")
    assert a == a and a != b and len({a, b}) == 2
    node = object()
    assert Function(node, None) != Function(node, None)  # type: ignore[arg-type]


def test_replace_copies_with_changes_and_rejects_unknown_fields() -> None:
    t = Tensor((2, 3), "float32", origin="x")
    u = replace(t, shape=(3, 2))
    assert (u.shape, u.dtype, u.origin) == ((3, 2), "float32", "x") and t.shape == (2, 3)
    assert replace(Labelled(1, 2, "a"), label="b").label == "b"
    with pytest.raises(TypeError):
        replace(t, colour="red")


def test_repr_names_every_field() -> None:
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert repr(Labelled(1, label="a")) == "Labelled(x=1, y=0, label='a')"
    assert repr(UNKNOWN) == "Unknown"


def test_spans_order_by_position() -> None:
    spans = [Span(3, 0, 3, 4), Span(1, 5, 1, 6), Span(1, 2, 2, 0), Span(1, 2, 1, 9)]
    assert sorted(spans) == [Span(1, 2, 1, 9), Span(1, 2, 2, 0), Span(1, 5, 1, 6),
                             Span(3, 0, 3, 4)]
    assert Span(1, 0, 1, 1) < Span(1, 0, 1, 2) <= Span(1, 0, 1, 2)
    assert Span(2, 0, 2, 0) > Span(1, 9, 9, 9) >= Span(1, 9, 9, 9)


@pytest.mark.parametrize("value", [Tensor((2, None), "int32", content=(1, 2)), Span(1, 2, 3, 4),
                                   Box([1, 2]), Labelled(1, 2, "a")])
def test_records_survive_pickling_and_copying(value: object) -> None:
    """``check -j`` sends findings and configs between processes."""
    for clone in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert type(clone) is type(value)
        assert clone == value
        assert all(getattr(clone, n) == getattr(value, n) for n in fields(value))  # type: ignore[arg-type]


def test_slots_must_be_a_tuple_of_names() -> None:
    with pytest.raises(TypeError, match="tuple of names"):
        class Bad(Frozen):
            __slots__ = "name"


def test_constants_are_equal_only_with_the_same_type() -> None:
    """Python's ``2 == 2.0 == True`` does not hold for TensorFlow (a float dimension is
    refused, ``True`` makes a bool tensor), so it does not hold for ``Const`` either."""
    assert Const(2) == Const(2) and hash(Const(2)) == hash(Const(2))
    assert Const(2) != Const(2.0) and Const(1) != Const(True) and Const(0) != Const(False)
    assert len({Const(2), Const(2.0), Const(True), Const(1)}) == 4
    table = DictValue(((Const(1), Const("one")), (Const("k"), Const(2.5))))
    assert table.get(Const(True)) == Const("one")  # but a dict's keys are Python's
    assert table.get(Const(1.0)) == Const("one") and table.get(Const("x")) is None
