"""A compact notation for shape-function tests, in the style of TensorFlow's INFER_OK /
INFER_ERROR shape-inference tests.

A case is ``(expression, inputs, expected)``:

* ``inputs`` maps names to tensor specs or to raw Python source. A spec is
  ``[kind.]dtype[dims]``: ``"f32[2,3]"`` is ``tf.zeros((2, 3), tf.float32)``,
  ``"np.f64[4]"`` is ``np.zeros((4,), np.float64)``, ``"var.f32[3]"`` is a ``tf.Variable``,
  ``"i32[]"`` a scalar. Anything else is Python source bound as is (``{"k": "3"}``); inputs
  are bound in order, so later ones may use earlier ones.
* ``expected`` is the value of ``out = <expression>``: ``"[3,2]"`` (shape only),
  ``"f32[3,2]"`` (shape and dtype), ``"np.f64[3]"`` / ``"tf.i32[]"`` / ``"var.f32[2]"``
  (also the kind: ndarray / tensor / variable), ``"[?,4]"`` (a dimension the engine leaves
  unknown), ``"[batch,None]"`` (``None``: a dimension proven None in TF's static shape),
  ``"[batch,3]"`` (a named symbolic dimension such as Keras' batch axis; not
  checked against TF), ``"?"`` (unknown rank, or not a tensor at all), ``"f32?"`` (unknown
  rank, known dtype); or a rule code such as ``"SL101"``: that finding, and only that one, on the
  ``out`` line.

Every case must also be what real TensorFlow / NumPy does; the tables are checked against
them by a verifier outside the test suite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from shapelens.core import analyze
from shapelens.domain.shapes import DYNAMIC

Case = tuple[str, Mapping[str, str], str]

DTYPES = {
    "f16": "float16", "bf16": "bfloat16", "f32": "float32", "f64": "float64",
    "i8": "int8", "i16": "int16", "i32": "int32", "i64": "int64", "u8": "uint8",
    "bool": "bool", "c64": "complex64", "c128": "complex128",
}
KINDS = {"np.": "ndarray", "tf.": "tensor", "var.": "variable"}
_DT = "|".join(sorted(DTYPES, key=len, reverse=True))
INPUT_RE = re.compile(rf"^(np\.|var\.)?({_DT})\[([\d,\s]*)\]$")
EXPECT_RE = re.compile(rf"^(np\.|tf\.|var\.)?({_DT})?(?:\[([\w,?\s]*)\]|(\?))$")
CODE_RE = re.compile(r"^SL\d{3}$")
PRELUDE = ["import keras", "import numpy as np", "import tensorflow as tf"]


@dataclass(frozen=True)
class Expected:
    """A parsed expectation: a rule code, or kind/dtype/shape (None = not checked)."""

    code: str | None = None
    kind: str | None = None
    dtype: str | None = None
    shape: tuple[object, ...] | None = None  # None: unknown rank
    rank_known: bool = True


def parse_expected(text: str) -> Expected:
    text = text.replace(" ", "")
    if CODE_RE.match(text):
        return Expected(code=text)
    m = EXPECT_RE.match(text)
    if m is None:
        raise ValueError(f"bad expectation {text!r}")
    kind = KINDS[m.group(1)] if m.group(1) else None
    dtype = DTYPES[m.group(2)] if m.group(2) else None
    if m.group(4):
        return Expected(kind=kind, dtype=dtype, shape=None, rank_known=False)
    body = m.group(3)
    dims = tuple(None if d == "?" else DYNAMIC if d == "None" else int(d) if d.isdigit() else d
                 for d in body.split(",")) if body else ()
    return Expected(kind=kind, dtype=dtype, shape=dims)


def input_source(name: str, spec: str) -> str:
    """``x = tf.zeros((2, 3), tf.float32)`` for a spec; ``x = <spec>`` for raw source."""
    m = INPUT_RE.match(spec.replace(" ", ""))
    if m is None:
        return f"{name} = {spec}"
    prefix, dt, body = m.groups()
    dims = [int(d) for d in body.split(",") if d]
    shape = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
    dtype = DTYPES[dt]
    if prefix == "np.":
        if dtype == "bfloat16":
            raise ValueError("NumPy has no bfloat16")
        return f"{name} = np.zeros({shape}, np.{'bool_' if dtype == 'bool' else dtype})"
    value = f"tf.zeros({shape}, tf.{dtype})"
    return f"{name} = tf.Variable({value})" if prefix == "var." else f"{name} = {value}"


def build_source(expression: str, inputs: Mapping[str, str]) -> str:
    lines = [*PRELUDE, *(input_source(k, v) for k, v in inputs.items()),
             f"out = {expression}"]
    return "\n".join(lines) + "\n"


def case_id(case: Case) -> str:
    expression, _, expected = case
    return f"{expression} -> {expected}"


def unwrap(item: Any) -> Case:
    """A case from a table entry (a plain tuple or a ``pytest.param`` around one)."""
    return item.values[0] if hasattr(item, "values") else item


def cases(table: list[Any]) -> list[Any]:
    """Table entries as pytest params with readable ids (xfail marks kept)."""
    out = []
    for item in table:
        case = unwrap(item)
        marks = getattr(item, "marks", ())
        out.append(pytest.param(case, marks=marks, id=case_id(case)))
    return out


def xfail(case: Case, reason: str) -> Any:
    """A case the engine gets wrong today (the expectation is TensorFlow's)."""
    return pytest.param(case, marks=pytest.mark.xfail(strict=True, reason=reason))


def check(case: Case) -> None:
    """Analyse the case's snippet and compare ``out`` with the expectation."""
    expression, inputs, expected_text = case
    expected = parse_expected(expected_text)
    source = build_source(expression, inputs)
    out_line = len(source.splitlines())
    analysis = analyze(source, time_budget=None)
    setup = [f for f in analysis.findings if f.span.line != out_line]
    assert not setup, f"findings before the out line: {setup}\n{source}"
    codes = sorted({f.code for f in analysis.findings})
    messages = [f"{f.code}: {f.message}" for f in analysis.findings]
    if expected.code is not None:
        assert codes == [expected.code], f"expected {expected.code}, got {messages}\n{source}"
        return
    assert not codes, f"expected no finding, got {messages}\n{source}"
    facts = [a for a in analysis.assignments if a.line == out_line and a.name == "out"]
    fact = facts[0] if facts else None
    if not expected.rank_known:
        got_shape = None if fact is None else fact.shape
        assert got_shape is None, f"expected unknown rank, got {got_shape}\n{source}"
    else:
        assert fact is not None, f"out is not a known tensor\n{source}"
        assert fact.shape == expected.shape, \
            f"shape: expected {expected.shape}, got {fact.shape}\n{source}"
    if expected.dtype is not None:
        got_dtype = None if fact is None else fact.dtype
        assert got_dtype == expected.dtype, \
            f"dtype: expected {expected.dtype}, got {got_dtype}\n{source}"
    if expected.kind is not None:
        got_kind = None if fact is None else fact.kind
        assert got_kind == expected.kind, \
            f"kind: expected {expected.kind}, got {got_kind}\n{source}"
