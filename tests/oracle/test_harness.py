"""Self-tests of the oracle's own machinery (annotation parser, runner instrumentation).

They need no TensorFlow and run in milliseconds; a harness bug would otherwise show up as a
confusing engine or TF failure.
"""

from __future__ import annotations

import textwrap
from types import SimpleNamespace
from typing import Any

import pytest
from oracle_support import compare_model_table, output_agrees
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


def test_recorder_tables_built_models_now_and_unbuilt_ones_at_finish() -> None:
    class FakeModel:
        def __init__(self, built: bool) -> None:
            self.built = built

    def describe_model(value: Any) -> dict[str, Any] | None:
        if not isinstance(value, FakeModel):
            return None
        if not value.built:
            return {"built": False, "class": "FakeModel"}
        return {
            "built": True,
            "class": "FakeModel",
            "params": 3,
            "layers": [{"layer": "Dense", "name": "d", "output_shape": [None, 3], "params": 3}],
        }

    statements = [
        {"line": n, "col": 0, "name": name}
        for n, name in ((1, "eager"), (2, "lazy"), (3, "never"), (4, "x"))
    ]
    recorder = Recorder(statements, lambda v: {"kind": "other", "shape": None}, describe_model)
    lazy, never = FakeModel(False), FakeModel(False)
    recorder(0, FakeModel(True))
    recorder(1, lazy)
    recorder(2, never)
    recorder(3, 42)
    assert [(m["name"], m["when"]) for m in recorder.models] == [("eager", "assignment")]
    lazy.built = True
    recorder.finish()
    assert [(m["name"], m["when"]) for m in recorder.models] == [
        ("eager", "assignment"),
        ("lazy", "end"),
    ]
    assert recorder.models[1]["layers"][0]["params"] == 3


def _table(*rows: tuple[str, Any, int]) -> dict[str, Any]:
    return {
        "params": sum(r[2] for r in rows),
        "layers": [{"layer": c, "output_shape": s, "params": p} for c, s, p in rows],
    }


def _fact(*rows: tuple[str, Any, Any], params: Any = None) -> Any:
    layers = [SimpleNamespace(layer=c, output_shape=s, params=p) for c, s, p in rows]
    return SimpleNamespace(line=1, name="model", layers=layers, params=params)


def test_model_tables_are_compared_row_by_row() -> None:
    tf = _table(
        ("InputLayer", [None, 4], 0),
        ("Dense", [None, 8], 40),
        ("LSTM", [[None, 5, 8], [None, 8]], 96),
    )
    same = _fact(
        ("InputLayer", (None, 4), 0),
        ("Dense", (None, 8), 40),
        ("LSTM", ((None, 5, 8), (None, 8)), 96),
        params=136,
    )
    assert compare_model_table(same, tf).agrees
    partial = _fact(("InputLayer", None, None), ("Dense", ("batch", 8), None), ("LSTM", None, 96))
    result = compare_model_table(partial, tf)
    assert result.agrees and (result.params_compared, result.shapes_compared) == (1, 1)
    wrong = _fact(
        ("InputLayer", (None, 4), 0),
        ("Dense", (None, 9), 36),
        ("LSTM", (None, 5, 8), 96),
        params=140,
    )
    problems = compare_model_table(wrong, tf).problems
    assert len(problems) == 4 and "36 params vs tf 40" in problems[0]
    assert not compare_model_table(_fact(("Dense", (None, 8), 40)), tf).agrees
    swapped = _fact(("Dense", (None, 8), 40), ("InputLayer", (None, 4), 0), ("LSTM", None, 96))
    result = compare_model_table(swapped, tf)
    assert result.agrees and result.reordered
    assert output_agrees((None, 8), [None, 8]) and output_agrees(None, [2]) is None
    assert not output_agrees((None, 8), [None, 9]) and not output_agrees((8,), [[8], [8]])
