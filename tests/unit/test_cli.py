"""``shapelens check`` / ``shapes`` end to end: output formats, exit codes, suppressions,
``[tool.shapelens]``, folder walking, parallel runs and files that are not clean Python."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shapelens import __version__
from shapelens.cli import main
from shapelens.rules import BY_CODE

BUG = "import tensorflow as tf\nx = tf.reshape(tf.constant([1.0]), [400])\n"
CLEAN = "import tensorflow as tf\nx = tf.reshape(tf.zeros((2, 3)), (3, 2))\n"
JSON_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "severity", "message",
             "fixable"}


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict]]:
    code = main(["check", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def codes(findings: list[dict]) -> list[str]:
    return [f["code"] for f in findings]


# ------------------------------------------------------------------ text output, exit codes


def test_text_output_is_ruff_style_with_one_based_columns(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    assert main(["check", str(bug)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"{re.escape(str(bug))}:2:5: SL101 \[error\] .*400.*", lines[0])
    assert lines[-1] == "Found 1 problem."


def test_clean_file_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "clean.py", CLEAN)
    assert main(["check", str(clean)]) == 0
    assert capsys.readouterr().out.strip() == "All checks passed!"


def test_exit_zero_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    assert main(["check", "--exit-zero", str(bug)]) == 0
    assert "SL101" in capsys.readouterr().out


def test_information_findings_do_not_fail_the_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = write(tmp_path / "info.py", textwrap.dedent("""\
        import tensorflow as tf
        w = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = w * w
            dy = tape.gradient(y, w)
        """))
    code, findings = check_json(capsys, str(info))
    assert codes(findings) == ["SL310"]
    assert findings[0]["severity"] == "information"
    assert code == 0


def test_missing_path_is_a_usage_error(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.py")]) == 2
    captured = capsys.readouterr()
    assert "No such file or directory" in captured.err
    assert "Traceback" not in captured.err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--no-such-option"]) == 2
    capsys.readouterr()


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    report = tmp_path / "report.json"
    assert main(["check", "--format", "json", "-o", str(report), str(bug)]) == 1
    assert capsys.readouterr().out == ""
    assert codes(json.loads(report.read_text(encoding="utf-8"))) == ["SL101"]


# ------------------------------------------------------------------ JSON and SARIF


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    code, findings = check_json(capsys, str(bug))
    assert code == 1
    assert len(findings) == 1
    finding = findings[0]
    assert set(finding) == JSON_KEYS
    assert finding["path"] == str(bug)
    assert (finding["line"], finding["column"]) == (2, 5)
    assert finding["end_line"] == 2 and finding["end_column"] > finding["column"]
    assert (finding["code"], finding["severity"]) == ("SL101", "error")
    assert isinstance(finding["message"], str) and finding["message"]
    assert isinstance(finding["fixable"], bool)


def test_json_output_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "clean.py", CLEAN)
    assert check_json(capsys, str(clean)) == (0, [])


def _check_sarif_structure(doc: dict) -> None:
    """The parts of the SARIF 2.1.0 schema that code-scanning consumers rely on (the schema
    itself is not available offline, so its required properties are checked by hand)."""
    assert doc["version"] == "2.1.0"
    assert "sarif-2.1.0" in doc["$schema"]
    assert isinstance(doc["runs"], list) and len(doc["runs"]) == 1
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "shapelens" and driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        catalogue = BY_CODE[rule["id"]]
        assert rule["name"] == catalogue.name
        assert rule["shortDescription"]["text"] == catalogue.summary
        assert rule["helpUri"] == catalogue.url
        assert rule["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("none", "note", "warning", "error")
        assert isinstance(result["message"]["text"], str) and result["message"]["text"]
        assert len(result["locations"]) >= 1
        for location in result["locations"]:
            physical = location["physicalLocation"]
            assert isinstance(physical["artifactLocation"]["uri"], str)
            assert "\\" not in physical["artifactLocation"]["uri"]
            region = physical["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
            assert region["endLine"] >= region["startLine"]
            assert region["endColumn"] >= 1


def test_sarif_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    assert main(["check", "--format", "sarif", str(bug)]) == 1
    doc = json.loads(capsys.readouterr().out)
    _check_sarif_structure(doc)
    [result] = doc["runs"][0]["results"]
    assert result["ruleId"] == "SL101" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == bug.as_posix()
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (2, 5)


def test_sarif_levels_and_clean_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "clean.py", CLEAN)
    assert main(["check", "--format", "sarif", str(tmp_path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    _check_sarif_structure(doc)
    assert doc["runs"][0]["results"] == []
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in doc["runs"][0]["tool"]
              ["driver"]["rules"]}
    assert levels["SL101"] == "error" and levels["SL301"] == "warning"
    assert levels["SL310"] == "note" and levels["SL211"] == "note"


# ------------------------------------------------------------------ suppression comments


@pytest.mark.parametrize(("comment", "reported"), [
    ("# shapelens: ignore[SL101]", False),
    ("# shapelens: ignore", False),
    ("# shapelens: ignore[SL102, SL101]", False),
    ("#shapelens:ignore[sl101]", False),
    ("# shapelens: ignore[SL102]", True),
    ("# shapelens: ignore[SL101", True),  # unclosed: not a blanket suppression
    ("# shapelens: ignored for now", True),
    ("# noqa: SL101", True),
])
def test_suppression_comments(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              comment: str, reported: bool) -> None:
    source = BUG.rstrip("\n") + f"  {comment}\n"
    code, findings = check_json(capsys, str(write(tmp_path / "bug.py", source)))
    assert codes(findings) == (["SL101"] if reported else [])
    assert code == (1 if reported else 0)


def test_suppression_inside_a_string_is_not_a_comment(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ('import tensorflow as tf\n'
              'x = tf.reshape(tf.constant([1.0]), [400]); s = "# shapelens: ignore"\n')
    _, findings = check_json(capsys, str(write(tmp_path / "bug.py", source)))
    assert codes(findings) == ["SL101"]


# ------------------------------------------------------------------ [tool.shapelens]


def _project(tmp_path: Path, table: str) -> Path:
    write(tmp_path / "pyproject.toml", "[tool.shapelens]\n" + textwrap.dedent(table))
    write(tmp_path / "model.py", BUG)
    write(tmp_path / "gen_model.py", BUG)
    return tmp_path


def test_config_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, 'ignore = ["SL101"]\n')
    assert check_json(capsys, str(project)) == (0, [])


def test_config_select_by_prefix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, 'select = ["SL2"]\n')
    write(project / "layers.py", textwrap.dedent("""\
        from tensorflow import keras
        inputs = keras.Input(shape=5)
        """))
    code, findings = check_json(capsys, str(project))
    assert codes(findings) == ["SL209"]
    assert code == 1


def test_config_per_file_ignores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, 'per-file-ignores = {"gen_*.py" = ["SL101"]}\n')
    code, findings = check_json(capsys, str(project))
    assert [(Path(f["path"]).name, f["code"]) for f in findings] == [("model.py", "SL101")]
    assert code == 1


def test_config_found_from_a_file_inside_the_project(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, 'ignore = ["SL1"]\n')
    assert check_json(capsys, str(project / "model.py")) == (0, [])


def test_command_line_select_and_ignore(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    assert check_json(capsys, "--ignore", "SL101", str(bug)) == (0, [])
    assert check_json(capsys, "--select", "SL3", str(bug)) == (0, [])
    assert codes(check_json(capsys, "--select", "SL1", str(bug))[1]) == ["SL101"]


@pytest.mark.parametrize("table", [
    "bogus = 1\n",
    'ignore = "SL101"\n',
    'per-file-ignores = ["SL101"]\n',
    "max-file-size = -1\n",
    "[broken toml\n",
])
def test_bad_config_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     table: str) -> None:
    project = _project(tmp_path, table)
    assert main(["check", str(project)]) == 2
    captured = capsys.readouterr()
    assert "shapelens:" in captured.err and "Traceback" not in captured.err


def test_broken_pyproject_of_another_tool_is_skipped(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "pyproject.toml", "[tool.black\n")
    bug = write(tmp_path / "bug.py", BUG)
    assert codes(check_json(capsys, str(bug))[1]) == ["SL101"]


def test_unknown_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, "bogus = 1\n")
    assert main(["check", str(project)]) == 2
    assert "bogus" in capsys.readouterr().err


# ------------------------------------------------------------------ folders and -j


def test_folder_recursion_skips_venv_and_non_python(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "a.py", BUG)
    write(tmp_path / "pkg" / "sub" / "b.py", BUG)
    write(tmp_path / "notes.txt", BUG)
    write(tmp_path / ".venv" / "lib" / "site.py", BUG)
    write(tmp_path / "node_modules" / "x.py", BUG)
    write(tmp_path / "pkg" / "__pycache__" / "c.py", BUG)
    _, findings = check_json(capsys, str(tmp_path))
    found = sorted(Path(f["path"]).relative_to(tmp_path).as_posix() for f in findings)
    assert found == ["a.py", "pkg/sub/b.py"]


def test_explicit_file_is_checked_even_in_an_excluded_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inside = write(tmp_path / ".venv" / "lib" / "site.py", BUG)
    assert codes(check_json(capsys, str(inside))[1]) == ["SL101"]


def test_config_exclude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project(tmp_path, 'exclude = ["gen_*.py"]\n')
    _, findings = check_json(capsys, str(project))
    assert [Path(f["path"]).name for f in findings] == ["model.py"]


def test_parallel_run_matches_serial_run(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(6):
        write(tmp_path / f"m{i}.py", BUG if i % 2 else CLEAN)
    write(tmp_path / "broken.py", "def f(:\n")
    # Keras programs too: their analyses hold layer rules, which must not cross processes.
    write(tmp_path / "model.py", "import keras\nfrom keras import layers\n"
          "x = layers.Conv2D(8, 3)(keras.Input((28, 28, 1)))\n"
          "y = layers.Dense(4)(x)\n"
          "m = keras.Sequential([keras.Input((28, 28)), layers.Conv2D(8, 3)])\n")
    serial = check_json(capsys, "-j", "1", str(tmp_path))
    parallel = check_json(capsys, "-j", "2", str(tmp_path))
    assert parallel == serial
    assert sorted(codes(serial[1])) == ["SL101"] * 3 + ["SL202", "SL901"]


# ------------------------------------------------------------------ files that are not clean


@pytest.mark.parametrize(("name", "data"), [
    ("latin1.py", 'label = "caf\xe9"\n'.encode("latin-1")),
    ("binary.py", b"\x00\x01\x02\xff binary"),
    ("bad_cookie.py", b"# -*- coding: no-such-codec -*-\nx = 1\n"),
])
def test_undecodable_files_give_sl904(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      name: str, data: bytes) -> None:
    path = write(tmp_path / name, data)
    write(tmp_path / "bug.py", BUG)
    code, findings = check_json(capsys, str(tmp_path))
    assert sorted((Path(f["path"]).name, f["code"]) for f in findings) == sorted([
        ("bug.py", "SL101"), (name, "SL904")])
    [unreadable] = [f for f in findings if f["code"] == "SL904"]
    assert unreadable["path"] == str(path) and unreadable["line"] == 1
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err


def test_coding_cookie_and_bom_are_honoured(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    latin = ('# -*- coding: latin-1 -*-\nimport tensorflow as tf\n'
             'x = tf.reshape(tf.constant([1.0]), [400])  # café\n')
    write(tmp_path / "latin.py", latin.encode("latin-1"))
    write(tmp_path / "bom.py", b"\xef\xbb\xbf" + BUG.encode("utf-8"))
    _, findings = check_json(capsys, str(tmp_path))
    assert sorted((Path(f["path"]).name, f["code"], f["line"], f["column"])
                  for f in findings) == [("bom.py", "SL101", 2, 5), ("latin.py", "SL101", 3, 5)]


def test_non_ascii_columns_are_code_points(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = 'import tensorflow as tf\né = 1; x = tf.reshape(tf.constant([1.0]), [400])\n'
    _, findings = check_json(capsys, str(write(tmp_path / "u.py", source)))
    assert [(f["code"], f["line"], f["column"]) for f in findings] == [("SL101", 2, 12)]


def test_syntax_error_still_reports_other_statements(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = ("import tensorflow as tf\n"
              "y = tf.zeros((2, 3)\n"
              "x = tf.reshape(tf.constant([1.0]), [400])\n")
    code, findings = check_json(capsys, str(write(tmp_path / "typing.py", source)))
    assert [(f["code"], f["line"]) for f in findings] == [("SL901", 2), ("SL101", 3)]
    assert findings[0]["severity"] == "error"
    assert code == 1


def test_very_long_expression_is_an_analysis_limit(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = "x = " + " + ".join(["1.0"] * 5000) + "\n" + BUG
    _, findings = check_json(capsys, str(write(tmp_path / "generated.py", source)))
    assert "SL903" in codes(findings)
    assert "SL101" in codes(findings)  # the rest of the file is still analysed


def test_empty_file_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_json(capsys, str(write(tmp_path / "empty.py", ""))) == (0, [])


# ------------------------------------------------------------------ shapelens shapes

SHAPES = textwrap.dedent("""\
    import sys
    import tensorflow as tf

    x = tf.zeros((2, 3))
    y = tf.reshape(x, (3, -1))
    rows = tf.zeros((len(sys.argv), 3))
    total = tf.reduce_sum(x)
    unknown = tf.zeros(tf.shape(undefined_name))
    import keras
    events = keras.Input(shape=(None, 8))
    """)


def test_shapes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "shapes.py", SHAPES)
    assert main(["shapes", "--format", "json", str(path)]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert isinstance(facts, list)
    for fact in facts:
        assert set(fact) == {"line", "name", "shape", "dtype"}
        assert isinstance(fact["line"], int)
        assert fact["shape"] is None or all(d is None or d == "?" or isinstance(d, int)
                                            for d in fact["shape"])
    by_name = {f["name"]: f for f in facts}
    assert by_name["x"] == {"line": 4, "name": "x", "shape": [2, 3], "dtype": "float32"}
    assert by_name["y"]["shape"] == [3, 2]
    # Not known to the analyzer ("?") is not TensorFlow's static None (null).
    assert by_name["rows"]["shape"] == ["?", 3]
    assert by_name["events"]["shape"] == [None, None, 8]
    assert by_name["total"]["shape"] == []
    assert by_name["unknown"]["shape"] is None


def test_shapes_json_for_a_folder_is_keyed_by_path(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "shapes.py", SHAPES)
    assert main(["shapes", "--format", "json", str(tmp_path)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert list(payload) == [str(path)]


def test_shapes_text_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "shapes.py", SHAPES)
    assert main(["shapes", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == str(path)
    assert lines[1].split() == ["line", "name", "shape", "dtype", "kind"]
    assert set(lines[2].replace(" ", "")) == {"-"}
    rows = {line.split()[1]: line for line in lines[3:] if line.strip()}
    assert rows["x"].split()[0] == "4" and "(2, 3)" in rows["x"] and "float32" in rows["x"]
    assert "(?, 3)" in rows["rows"]  # unknown to the analyzer: not TF's None
    assert "(None, None, 8)" in rows["events"]  # TF's static None, Keras' batch axis


def test_shapes_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["shapes", str(tmp_path / "nope.py")]) == 2
    assert "No such file" in capsys.readouterr().err


# ------------------------------------------------------------------ the installed command


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def test_python_m_shapelens_version() -> None:
    proc = _run("-m", "shapelens", "--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"shapelens {__version__}"


def test_python_m_shapelens_check(tmp_path: Path) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    proc = _run("-m", "shapelens", "check", str(bug))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{bug}:2:5: SL101 [error] ")


def test_checking_does_not_import_tensorflow(tmp_path: Path) -> None:
    bug = write(tmp_path / "bug.py", BUG)
    probe = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        import shapelens.cli as cli
        from shapelens.core import load_config
        result = cli.analyze_path(Path({str(bug)!r}), load_config(Path({str(tmp_path)!r})))
        assert [f.code for f in result.findings] == ["SL101"], result.findings
        cli.main(["check", "--format", "json", {str(bug)!r}])
        heavy = sorted(m for m in sys.modules
                       if m.split(".")[0] in ("tensorflow", "keras", "tf_keras", "torch"))
        print("HEAVY", heavy)
        """)
    proc = _run("-c", probe)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout


def test_notebook_messages_quote_cell_lines_not_program_lines(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A line a message quotes is named as the user sees it in a notebook: cell and line."""
    cells = [
        "import tensorflow as tf\nx = tf.Variable(3.0)",
        "step = 0.1\nx = x - step",
        "with tf.GradientTape() as tape:\n    y = x * x\ng = tape.gradient(y, x)",
    ]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                           "execution_count": None, "source": c} for c in cells]}
    path = write(tmp_path / "nb.ipynb", json.dumps(notebook))
    _, found = check_json(capsys, str(path))
    messages = [f["message"] for f in found if f["code"] == "SL308"]
    assert len(messages) == 1
    assert "until cell 2, line 2 rebound it" in messages[0]
