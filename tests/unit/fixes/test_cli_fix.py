"""``shapelens check --fix``, ``--diff`` and ``--unsafe-fixes`` (ruff-like behaviour)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shapelens.cli import main

from .helpers import dedent

TWO_CALLS = dedent("""
    import tensorflow as tf
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        a = tf.reduce_sum(w * w)
    ga = tape.gradient(a, w)
    gb = tape.gradient(a, w)
    """)
INT_VARIABLE = dedent("""
    import tensorflow as tf
    scale = tf.Variable(2)
    with tf.GradientTape() as tape:
        y = tf.cast(scale, tf.float32) * 3.0
    g = tape.gradient(y, scale)
    """)
CLEAN = "import tensorflow as tf\nx = tf.ones((2, 3))\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "two_calls.py").write_text(TWO_CALLS, encoding="utf-8")
    (tmp_path / "int_variable.py").write_text(INT_VARIABLE, encoding="utf-8")
    (tmp_path / "clean.py").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_fix_writes_safe_fixes_and_reports_what_remains(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", str(project)]) == 1  # the unsafe SL302 remains
    out = capsys.readouterr().out
    assert "persistent=True" in (project / "two_calls.py").read_text()
    assert (project / "int_variable.py").read_text() == INT_VARIABLE
    assert (project / "clean.py").read_text() == CLEAN
    assert "SL302" in out and "SL309" not in out
    assert "Fixed 1 problem in 1 file." in out


def test_unsafe_fixes_with_fix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--unsafe-fixes", str(project)]) == 0
    assert "tf.Variable(2.0)" in (project / "int_variable.py").read_text()
    out = capsys.readouterr().out
    assert "All checks passed!" in out and "Fixed 2 problems in 2 files." in out


def test_fix_exit_zero_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "--exit-zero", "--format", "json", str(project)]) == 0
    captured = capsys.readouterr()
    assert [r["code"] for r in json.loads(captured.out)] == ["SL302"]  # stdout stays JSON
    assert "Fixed 1 problem" in captured.err


def test_diff_prints_and_changes_nothing(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", str(project)]) == 1
    captured = capsys.readouterr()
    assert (project / "two_calls.py").read_text() == TWO_CALLS
    assert f"--- {project / 'two_calls.py'}" in captured.out
    assert "-with tf.GradientTape() as tape:\n+with tf.GradientTape(persistent=True) as tape:" \
        in captured.out
    assert "+del tape" in captured.out
    assert "int_variable" not in captured.out
    assert "Would fix 1 problem in 1 file." in captured.err


def test_diff_with_unsafe_fixes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", "--unsafe-fixes", str(project / "int_variable.py")]) == 1
    out = capsys.readouterr().out
    assert "-scale = tf.Variable(2)\n+scale = tf.Variable(2.0)" in out
    assert (project / "int_variable.py").read_text() == INT_VARIABLE


def test_diff_without_changes_exits_zero(project: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", str(project / "clean.py")]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "No fixes available." in captured.err


def test_fix_keeps_encoding_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.py"
    data = ("\ufeff# é\n" + TWO_CALLS).replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(data)
    main(["check", "--fix", str(path)])
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf# \xc3\xa9\r\n")
    assert b"persistent=True" in fixed and b"\r\ndel tape\r\n" in fixed
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_fix_missing_path_and_plain_check_unchanged(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", str(project / "nope.py")]) == 2
    assert main(["check", str(project)]) == 1
    assert (project / "two_calls.py").read_text() == TWO_CALLS  # plain check never writes


def test_fix_in_parallel(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--fix", "-j", "2", str(project)]) == 1
    assert "persistent=True" in (project / "two_calls.py").read_text()
