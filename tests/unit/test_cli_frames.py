"""The default text report (``--format full``): each finding with its source lines, a caret
span under the exact range, related places, the fix's title; ``--format concise`` keeps the
one-line form; colour only for a terminal (or when asked), never from the analysed file."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shapelens.cli import main
from shapelens.cli.frames import visible

BUG = "import tensorflow as tf\nx = tf.reshape(tf.constant([1.0]), [400])\n"
TWICE = textwrap.dedent("""\
    import tensorflow as tf
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    g1 = tape.gradient(y, x)
    g2 = tape.gradient(y, x)
    """)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out.splitlines()


def findings(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict]:
    main(["check", "--format", "json", str(path)])
    return json.loads(capsys.readouterr().out)


def caret_columns(row: str, mark: str = "^") -> tuple[int, int]:
    """Start and end (exclusive) of the run of ``mark`` after a frame row's ``|``."""
    text = row.split("|", 1)[1][1:]
    start = text.index(mark)
    end = start
    while end < len(text) and text[end] == mark:
        end += 1
    return start, end


def test_full_is_the_default_and_frames_the_exact_range(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    [f] = findings(capsys, bug)
    code, lines = check(capsys, str(bug))
    assert code == 1
    assert lines[0] == f"{bug}:2:5: SL101 [error] {f['message']}"
    assert lines[1:5] == [
        "  |", "2 | x = tf.reshape(tf.constant([1.0]), [400])", lines[3], "  |"]
    assert caret_columns(lines[3]) == (f["column"] - 1, f["end_column"] - 1)
    assert lines[3].endswith("^ SL101")
    assert lines[-1] == "Found 1 problem."
    assert check(capsys, "--format", "full", str(bug))[1] == lines
    assert check(capsys, "--format", "text", str(bug))[1] == lines


def test_concise_keeps_the_one_line_form(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "a.py", BUG)
    write(tmp_path / "b.py", TWICE)
    found = findings(capsys, tmp_path)
    code, lines = check(capsys, "--format", "concise", str(tmp_path))
    assert code == 1
    assert lines == [f"{f['path']}:{f['line']}:{f['column']}: {f['code']} [{f['severity']}] "
                     f"{f['message']}" for f in found] + [
        f"Found {len(found)} problems. (1 fixable in the editor.)"]
    full = check(capsys, str(tmp_path))[1]
    assert [line for line in full if line in lines] == lines  # each header, in order


def test_related_place_and_fix_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "twice.py", TWICE)
    _, lines = check(capsys, str(path))
    assert lines[0].startswith(f"{path}:6:6: SL309 [error] ")
    assert lines[2] == "6 | g2 = tape.gradient(y, x)"
    assert lines[5] == f" ::: {path}:5:6"
    assert lines[7] == "5 | g1 = tape.gradient(y, x)"
    assert lines[8] == "  |      " + "-" * len("tape.gradient(y, x)") + \
        " the first gradient call on this tape"
    assert lines[10] == "  = help: Make the tape persistent"


def test_a_range_over_several_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ("import tensorflow as tf\nx = tf.zeros((32, 16))\n"
              "y = tf.reshape(x,\n               (32, 4, 9))\n")
    path = write(tmp_path / "multi.py", source)
    [f] = findings(capsys, path)
    assert (f["line"], f["end_line"]) == (3, 4)
    _, lines = check(capsys, str(path))
    assert lines[1:7] == [
        "  |",
        "3 |   y = tf.reshape(x,",
        "  |  " + "_" * f["column"] + "^",
        "4 | |                (32, 4, 9))",
        "  | |" + "_" * (f["end_column"] - 1) + "^ SL101",
        "  |"]
    # the start caret sits under the range's first character, the end caret under its last
    assert lines[3].index("^") == lines[2].index("tf.reshape")
    assert lines[5].index("^") == lines[4].rindex(")")


def test_a_long_range_is_shortened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ("import tensorflow as tf\nx = tf.zeros((32, 16))\ny = tf.reshape(x, (\n"
              + "    1,\n" * 12 + "    7))\n")
    path = write(tmp_path / "long.py", source)
    _, lines = check(capsys, str(path))
    frame = lines[1:lines.index("", 1) if "" in lines else -1]
    assert "..." in frame
    assert sum(1 for line in frame if re.match(r"^\s*\d+ \|", line)) <= 7
    assert frame[-2].endswith("^ SL101") and frame[-3].startswith("16 | |")


def test_tabs_wide_characters_and_controls_keep_carets_aligned(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = 'import tensorflow as tf\ns = "日本"; z = tf.reshape(tf.constant([1.0]),\t[400])\n'
    path = write(tmp_path / "wide.py", source)
    _, lines = check(capsys, str(path))
    shown = lines[2].split("| ", 1)[1]
    assert shown == 's = "日本"; z = tf.reshape(tf.constant([1.0]),  [400])'  # tab to stop 4*k
    start, end = caret_columns(lines[3])
    prefix = shown[:shown.index("tf.reshape")]
    assert start == len(prefix) + 2  # two wide characters take two cells each
    assert end - start == len("tf.reshape(tf.constant([1.0]),  [400])")


def test_the_analysed_file_cannot_send_terminal_controls(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ("import tensorflow as tf\n"
              "x = tf.reshape(tf.constant([1.0]), [400])  # \x1b[2J\u202e gnp.\x07\n")
    path = write(tmp_path / "ctl.py", source)
    _, lines = check(capsys, "--color", "never", str(path))
    text = "\n".join(lines)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "# ␛[2J\ufffd gnp.␇" in lines[2]
    assert visible("a\x00b\u2067") == ("a␀b\ufffd", [0, 1, 2, 3, 4])


def test_notebook_frames_show_cell_lines(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    cells = ["import tensorflow as tf\nx = tf.Variable(3.0)",
             "%time\nwith tf.GradientTape() as tape:\n    y = x * x\ng1 = tape.gradient(y, x)",
             "g2 = tape.gradient(y, x)"]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
          "cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                     "execution_count": None, "source": c} for c in cells]}
    path = write(tmp_path / "nb.ipynb", json.dumps(nb))
    _, lines = check(capsys, str(path))
    assert lines[0].startswith(f"{path}:cell 3:1:6: SL309 [error] ")
    assert lines[2] == "1 | g2 = tape.gradient(y, x)"
    assert lines[5] == f" ::: {path}:cell 2:4:6"  # the related place, in its own cell
    assert lines[7] == "4 | g1 = tape.gradient(y, x)"


def test_unreadable_file_gets_its_line_without_a_frame(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bin.py", b"\x00\x01 binary")
    code, lines = check(capsys, str(path))
    assert code == 1
    assert lines[0].startswith(f"{path}:1:1: SL904 [error]")
    assert lines[1:] == ["", "Found 1 problem."]


def test_colour_only_when_asked_or_on_a_terminal(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    plain = check(capsys, str(bug))[1]
    assert not any(ANSI.search(line) for line in plain)  # captured output is no terminal
    coloured = check(capsys, "--color", "always", str(bug))[1]
    assert any(ANSI.search(line) for line in coloured)
    assert [ANSI.sub("", line) for line in coloured] == plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert check(capsys, str(bug))[1] == coloured
    assert [ANSI.sub("", line) for line in check(capsys, "--format", "concise", str(bug))[1]] \
        == check(capsys, "--format", "concise", "--color", "never", str(bug))[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert check(capsys, str(bug))[1] == plain
    assert check(capsys, "--color", "always", str(bug))[1] == coloured
    report = tmp_path / "report.txt"
    monkeypatch.delenv("NO_COLOR")
    assert main(["check", "-o", str(report), str(bug)]) == 1
    assert report.read_text(encoding="utf-8").splitlines() == plain


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_a_terminal_gets_colour_unless_no_color(tmp_path: Path, no_color: str | None,
                                                coloured: bool) -> None:
    import pty

    bug = write(tmp_path / "bug.py", BUG)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["TERM"] = "xterm"
    if no_color:
        env["NO_COLOR"] = no_color
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "shapelens", "check", str(bug)],
                              stdout=follower, stderr=subprocess.PIPE, env=env, timeout=120)
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)
    out = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 1, proc.stderr
    assert "SL101" in out
    assert bool(ANSI.search(out)) is coloured
