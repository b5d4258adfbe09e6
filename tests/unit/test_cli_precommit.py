"""The ``shapelens`` pre-commit hook, run by pre-commit itself: ``pre-commit try-repo``
clones the repository, installs the package into a fresh virtualenv with ``pip install .``
(from the package index, as any pre-commit user's machine does) and runs the hook on the
files named, filtered by the hook's ``types_or``.

try-repo clones the committed state and adds uncommitted changes of tracked files as a
temporary commit. In a work tree shared with others those can be anyone's half-done edit, so
the test tries a clone of HEAD: on a clean clone (CI) that is the same thing as ``.``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shapelens.cli import main

ROOT = Path(__file__).resolve().parents[2]
PY_FIXTURE = "fixtures/ops/attention_scores_SL102.py"
NOTEBOOK = "fixtures/notebooks/training_step_SL309.ipynb"

pytestmark = pytest.mark.skipif(shutil.which("git") is None,
                                reason="pre-commit try-repo needs git, which is not installed")


def _expected(path: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The concise locations ``shapelens check`` reports for ``path`` (run in-process)."""
    main(["check", "--format", "json", path])
    found = json.loads(capsys.readouterr().out)
    return [f"{f['path']}:{'cell {}:'.format(f['cell']) if 'cell' in f else ''}{f['line']}:"
            f"{f['column']}: {f['code']} [{f['severity']}]" for f in found]


def test_the_hook_is_declared_for_python_files_and_notebooks() -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "shapelens" and hook["language"] == "python"
    assert set(hook["types_or"]) == {"python", "jupyter"}
    assert hook["entry"].split()[:2] == ["shapelens", "check"]
    assert "--force-exclude" in hook["entry"].split()


def test_pre_commit_try_repo_reports_the_fixtures_findings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    expected = _expected(PY_FIXTURE, capsys) + _expected(NOTEBOOK, capsys)
    assert any("SL102" in e for e in expected) and any("SL309" in e for e in expected)
    clone = tmp_path / "shapelens"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True,
                   capture_output=True, timeout=120)
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PRE_COMMIT_COLOR="never", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(clone), "shapelens",
         "--color", "never", "--verbose", "--files", PY_FIXTURE, NOTEBOOK, "README.md"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"^shapelens\.+Failed$", proc.stdout, re.MULTILINE), out
    assert "- exit code: 1" in proc.stdout, out
    for location in expected:
        assert location in proc.stdout, (location, out)
    assert "README.md" not in proc.stdout.split("- exit code: 1", 1)[1], out  # not Python
    assert re.search(r"^ *\| +\^+ SL102$", proc.stdout, re.MULTILINE), out  # the code frame
