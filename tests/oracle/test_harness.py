"""Self-tests of the oracle's own machinery (annotation parser, runner instrumentation).

They need no TensorFlow and run in milliseconds; a harness bug would otherwise show up as a
confusing engine or TF failure.
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest
from tf_runner import Recorder, error_line, instrument

from fixture_expectations import AnnotationError, parse_shape_literal, parse_source

pytestmark = pytest.mark.oracle


def test_expect_and_shape_comments_are_parsed() -> None:
    source = textwrap.dedent(
        """\
        x = f()  # shape: (8, None, 'batch')
        s = "# expect: SL999 inside a string is not an annotation"
        y = g(x)  # expect: SL101, SL103
        z = (
            h(y)
        )  # shape: (2,)  # expect: SL102
        """
    )
    exp = parse_source(source)
    assert exp.codes == {3: ("SL101", "SL103"), 6: ("SL102",)}
    assert [(s.line, s.comment_line, s.name, s.shape) for s in exp.shapes] == [
        (1, 1, "x", (8, None, "batch")),
        (4, 6, "z", (2,)),
    ]
    assert exp.expected_pairs() == {(3, "SL101"), (3, "SL103"), (6, "SL102")}


@pytest.mark.parametrize(
    ("text", "shape"),
    [("()", ()), ("(3,)", (3,)), ("[4, 5] trailing words", (4, 5)), ("None", None), ("7", (7,))],
)
def test_shape_literals(text: str, shape: Any) -> None:
    assert parse_shape_literal(text) == shape


def test_bad_annotations_are_errors() -> None:
    with pytest.raises(AnnotationError):
        parse_shape_literal("(3, 4.5)")
    with pytest.raises(AnnotationError):
        parse_source("print(1)  # shape: (3,)\n")


def test_instrumentation_keeps_lines_and_records_first_reach() -> None:
    source = textwrap.dedent(
        """\
        total = 0
        for i in range(3):
            if i: a = i; b = a * 10
            total = total + i  # comment stays
        class C:
            attr = 'x'
        def f():
            try:
                inner = (
                    41 + 1
                )
            finally:
                pass
            return inner
        out = f()
        """
    )
    instrumented, statements = instrument(source)
    assert len(instrumented.splitlines()) == len(source.splitlines())
    assert "# comment stays" in instrumented.splitlines()[3]
    recorder = Recorder(statements, lambda v: {"kind": "other", "shape": None, "value": v})
    exec(compile(instrumented, "<fixture>", "exec"), {"__shapelens_record__": recorder})
    got = [(r["line"], r["name"], r["value"]) for r in recorder.records]
    assert got == [
        (1, "total", 0), (4, "total", 0), (3, "a", 1), (3, "b", 10),
        (6, "attr", "x"), (9, "inner", 42), (15, "out", 42),
    ]  # fmt: skip


def test_error_line_prefers_autograph_user_frames() -> None:
    path = "/x/fixture.py"
    try:
        exec(compile("\n\nraise ValueError('boom')\n", path, "exec"), {})
    except ValueError as exc:
        where = error_line(exc, exc.__traceback__, path)
        assert where["line"] == where["frame_line"] == 3
    message = f'in user code:\n\n    File "{path}", line 7, in g  *\n        b = 1\n'
    try:
        exec(compile(f"\nraise ValueError({message!r})\n", path, "exec"), {})
    except ValueError as exc:
        where = error_line(exc, exc.__traceback__, path)
        assert (where["line"], where["frame_line"]) == (7, 2)
