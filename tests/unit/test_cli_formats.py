"""``shapelens check`` for CI systems: GitHub Actions workflow commands, GitLab Code Quality,
JUnit XML, pylint lines, JSON Lines; and ``--statistics``, ``--show-files``,
``--show-settings``, ``--force-exclude``, ``--output-format``."""

from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from shapelens.cli import main
from shapelens.cli.formats import github, github_data, github_property, gitlab
from shapelens.core.results import Finding, Span
from shapelens.report import FileFinding

BUG = "import tensorflow as tf\nx = tf.reshape(tf.constant([1.0]), [400])\n"
CLEAN = "import tensorflow as tf\nx = tf.reshape(tf.zeros((2, 3)), (3, 2))\n"
UNWATCHED = textwrap.dedent("""\
    import tensorflow as tf
    images = tf.random.normal((2, 16))
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(images * 2.0)
    saliency = tape.gradient(score, images)
    """)  # SL301, a warning with a fix
INFO = textwrap.dedent("""\
    import tensorflow as tf
    w = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = w * w
        dy = tape.gradient(y, w)
    """)  # SL310, information


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().out


def as_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    return json.loads(run(capsys, "--format", "json", *argv)[1])


# ------------------------------------------------------------------ GitHub workflow commands
#
# GitHub's documented syntax: ``::{command} {parameters}::{message}`` on one line, the
# parameters ``key=value`` separated by commas. In a value, %, CR, LF, ':' and ',' are written
# %25, %0D, %0A, %3A, %2C; in the message, %, CR and LF. The parser below follows that
# grammar (and the runner's order: the command ends at the first '::' after the leading one).

COMMANDS = {"error", "warning", "notice"}
PARAMETERS = {"title", "file", "col", "endColumn", "line", "endLine"}


def _unescape(text: str, prop: bool) -> str:
    for code, char in [("%0D", "\r"), ("%0A", "\n"), *([("%3A", ":"), ("%2C", ",")] * prop),
                       ("%25", "%")]:
        text = text.replace(code, char)
    return text


def parse_workflow_command(line: str) -> tuple[str, dict[str, str], str]:
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::"), line
    end = line.index("::", 2)
    head, message = line[2:end], line[end + 2:]
    command, _, params = head.partition(" ")
    assert command in COMMANDS, command
    props: dict[str, str] = {}
    for item in params.split(",") if params else []:
        key, sep, value = item.partition("=")
        assert sep and key in PARAMETERS and key not in props, item
        assert ":" not in value and "," not in value
        props[key] = _unescape(value, prop=True)
    for number in ("line", "col", "endLine", "endColumn"):
        if number in props:
            assert re.fullmatch(r"[1-9]\d*", props[number]), props
    return command, props, _unescape(message, prop=False)


def test_github_escaping_of_messages_and_properties() -> None:
    assert github_data("50% done: a,b\r\nc") == "50%25 done: a,b%0D%0Ac"
    assert github_property("50% done: a,b\r\nc") == "50%25 done%3A a%2Cb%0D%0Ac"
    assert github_property("%3A") == "%253A"  # an escape sequence in the text stays text
    assert github_data("") == "" and github_property("plain") == "plain"


def test_github_lines_parse_back_to_the_findings(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    weird = write(tmp_path / "odd,name: 100%.py", BUG)
    [expected] = as_json(capsys, str(weird))
    code, out = run(capsys, "--format", "github", str(weird))
    assert code == 1
    [line] = out.splitlines()
    command, props, message = parse_workflow_command(line)
    assert command == "error"
    assert props == {"file": str(weird), "line": str(expected["line"]),
                     "col": str(expected["column"]), "endLine": str(expected["end_line"]),
                     "endColumn": str(expected["end_column"]), "title": "SL101"}
    assert list(props) == ["file", "line", "col", "endLine", "endColumn", "title"]
    assert message == expected["message"]


def test_github_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "a_warning.py", UNWATCHED)
    write(tmp_path / "b_info.py", INFO)
    code, out = run(capsys, "--format", "github", str(tmp_path))
    assert code == 1
    parsed = [parse_workflow_command(line) for line in out.splitlines()]
    assert [(c, p["title"]) for c, p, _ in parsed] == [("warning", "SL301"), ("notice", "SL310")]


def test_github_message_with_newlines_and_percent_stays_one_command() -> None:
    finding = Finding("SL101", "first: 100%\nsecond, line\r", Span(3, 4, 5, 6), "error")
    [line] = github([FileFinding("dir:x/a,b.py", finding)]).splitlines()
    command, props, message = parse_workflow_command(line)
    assert (command, message) == ("error", "first: 100%\nsecond, line\r")
    assert props["file"] == "dir:x/a,b.py"
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == \
        ("3", "5", "5", "7")


def test_github_notebook_annotates_the_file_and_names_the_cell(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells = ["import tensorflow as tf", "x = 1\ny = tf.reshape(tf.constant([1.0]), [400])"]
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
          "cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                     "execution_count": None, "source": c} for c in cells]}
    path = write(tmp_path / "nb.ipynb", json.dumps(nb))
    _, out = run(capsys, "--format", "github", str(path))
    [(command, props, message)] = [parse_workflow_command(line) for line in out.splitlines()]
    assert command == "error" and props == {"file": str(path), "title": "SL101"}
    assert message.startswith("cell 2, line 2, column 5: tf.reshape")


def test_github_clean_run_prints_nothing(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--format", "github", str(write(tmp_path / "c.py", CLEAN))) == (0, "")


# ------------------------------------------------------------------ GitLab Code Quality


def test_gitlab_code_quality_report(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path))
    write(tmp_path / "pkg" / "bug.py", BUG)
    write(tmp_path / "warn.py", UNWATCHED)
    expected = as_json(capsys, str(tmp_path))
    code, out = run(capsys, "--format", "gitlab", str(tmp_path))
    assert code == 1
    issues = json.loads(out)
    assert len(issues) == len(expected) == 2
    for issue, finding in zip(issues, expected):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == finding["code"]
        assert issue["description"] == f"{finding['code']}: {finding['message']}"
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
        assert issue["location"]["path"] == Path(finding["path"]).relative_to(tmp_path).as_posix()
        positions = issue["location"]["positions"]
        assert positions["begin"] == {"line": finding["line"], "column": finding["column"]}
        assert positions["end"] == {"line": finding["end_line"], "column": finding["end_column"]}
    assert {i["check_name"]: i["severity"] for i in issues} == {"SL101": "major",
                                                                 "SL301": "minor"}
    assert len({i["fingerprint"] for i in issues}) == 2


def test_gitlab_fingerprints_are_unique_and_do_not_depend_on_lines() -> None:
    same = Finding("SL101", "m", Span(2, 0, 2, 1))
    moved = Finding("SL101", "m", Span(9, 0, 9, 1))
    first = [i["fingerprint"] for i in json.loads(gitlab([FileFinding("a.py", same)] * 2))]
    assert len(set(first)) == 2
    assert json.loads(gitlab([FileFinding("a.py", moved)]))[0]["fingerprint"] == first[0]
    assert json.loads(gitlab([FileFinding("b.py", same)]))[0]["fingerprint"] != first[0]


def test_gitlab_clean_run_is_an_empty_array(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "--format", "gitlab", str(write(tmp_path / "c.py", CLEAN)))
    assert (code, json.loads(out)) == (0, [])


# ------------------------------------------------------------------ JUnit, pylint, JSON Lines


def test_junit_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    clean = write(tmp_path / "clean.py", CLEAN)
    info = write(tmp_path / "info.py", INFO)
    code, out = run(capsys, "--format", "junit", str(tmp_path))
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites" and root.get("name") == "shapelens"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("3", "1", "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {str(bug), str(clean), str(info)}
    [case] = suites[str(bug)].findall("testcase")
    assert case.get("name") == "shapelens.SL101" and case.get("line") == "2"
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "error"
    assert failure.text is not None and failure.text.startswith("line 2, col 5, tf.reshape")
    [passing] = suites[str(clean)].findall("testcase")
    assert passing.find("failure") is None
    [information] = suites[str(info)].findall("testcase")
    assert information.find("failure") is None and information.get("name") == "shapelens.SL310"


def test_junit_survives_characters_xml_cannot_hold() -> None:
    from shapelens.cli.formats import junit

    finding = Finding("SL101", "bad \x00\x1b char \ud800 <&>", Span(1, 0, 1, 1))
    root = ET.fromstring(junit([FileFinding("a\x01.py", finding)], []).split("\n", 1)[1])
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "bad \ufffd\ufffd char \ufffd <&>"


def test_pylint_and_json_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    [expected] = as_json(capsys, str(bug))
    code, out = run(capsys, "--output-format", "pylint", str(bug))
    assert code == 1
    assert out.splitlines() == [f"{bug}:2: [SL101] {expected['message']}"]
    code, out = run(capsys, "--output-format", "json-lines", str(bug))
    assert code == 1
    assert [json.loads(line) for line in out.splitlines()] == [expected]


# ------------------------------------------------------------------ options


@pytest.mark.parametrize("name", ["full", "concise", "text", "json", "json-lines", "sarif",
                                  "github", "gitlab", "junit", "pylint"])
def test_output_format_is_rufs_spelling_too(tmp_path: Path, name: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    assert main(["check", "--output-format", name, str(bug)]) == 1
    via_output_format = capsys.readouterr().out
    assert main(["check", "--format", name, str(bug)]) == 1
    assert capsys.readouterr().out == via_output_format
    assert "SL101" in via_output_format


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--output-format", "azure", "x.py"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_statistics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(3):
        write(tmp_path / f"bug{i}.py", BUG)
    write(tmp_path / "warn.py", UNWATCHED)
    code, out = run(capsys, "--statistics", str(tmp_path))
    assert code == 1
    assert [line.split("\t") for line in out.splitlines()] == [
        ["3", "SL101", "[ ] reshape-size-mismatch"], ["1", "SL301", "[*] unwatched-source"]]
    code, out = run(capsys, "--statistics", "--format", "json", str(tmp_path))
    assert json.loads(out) == [
        {"code": "SL101", "name": "reshape-size-mismatch", "count": 3, "fixable": False,
         "fixable_count": 0},
        {"code": "SL301", "name": "unwatched-source", "count": 1, "fixable": True,
         "fixable_count": 1}]
    assert run(capsys, "--statistics", "--exit-zero", str(tmp_path))[0] == 0


def test_show_files_lists_what_would_be_checked(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "pyproject.toml", '[tool.shapelens]\nexclude = ["gen_*.py"]\n')
    model = write(tmp_path / "b" / "model.py", BUG)
    notebook = write(tmp_path / "a.ipynb", '{"cells": []}')
    write(tmp_path / "gen_model.py", BUG)
    write(tmp_path / ".venv" / "x.py", BUG)
    code, out = run(capsys, "--show-files", str(tmp_path))
    assert code == 0
    assert out.splitlines() == [str(notebook), str(model)]


def test_show_files_wins_over_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As in ruff: a debugging view changes nothing."""
    source = ("import tensorflow as tf\nw = tf.Variable([1.0, 2.0])\n"
              "with tf.GradientTape() as tape:\n    a = tf.reduce_sum(w * w)\n"
              "ga = tape.gradient(a, w)\ngb = tape.gradient(a, w)\n")  # SL309, a safe fix
    path = write(tmp_path / "fixable.py", source)
    assert main(["check", "--diff", str(path)]) == 1  # there is a fix to apply
    capsys.readouterr()
    assert run(capsys, "--fix", "--show-files", str(path)) == (0, f"{path}\n")
    assert path.read_text(encoding="utf-8") == source


def test_show_settings_names_the_configuration(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    project = write(tmp_path / "pyproject.toml",
                    '[tool.shapelens]\nignore = ["SL2"]\ntime-budget = 3\n')
    bug = write(tmp_path / "src" / "bug.py", BUG)
    code, out = run(capsys, "--show-settings", "--select", "SL1,SL3", "-j", "2", str(bug))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"Resolved settings for: {bug}"
    assert lines[1] == f"Settings path: {project}"
    assert 'select = ["SL1", "SL3"]' in lines and 'ignore = ["SL2"]' in lines
    assert "time-budget = 3.0" in lines and "jobs = 2" in lines
    assert 'output-format = "full"' in lines
    code, out = run(capsys, "--show-settings", str(write(tmp_path.parent / "lone.py", BUG)))
    assert code == 0 and "Settings path: (none: defaults)" in out


def test_force_exclude_applies_exclude_to_named_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "pyproject.toml", '[tool.shapelens]\nexclude = ["gen_*.py"]\n')
    generated = write(tmp_path / "gen_model.py", BUG)
    model = write(tmp_path / "model.py", BUG)
    assert [f["path"] for f in as_json(capsys, str(generated), str(model))] == \
        [str(generated), str(model)]
    assert [f["path"] for f in as_json(capsys, "--force-exclude", str(generated),
                                       str(model))] == [str(model)]
    assert run(capsys, "--force-exclude", str(generated)) == (0, "All checks passed!\n")
