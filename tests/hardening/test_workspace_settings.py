"""A workspace cannot make the server or the CLI run anything.

``[tool.shapelens]`` in a repository's ``pyproject.toml`` may only change analysis options:
a key that would name a program, a plugin or a path to run is an unknown key (a clear
message, the defaults used), and nothing it names is imported or started. The editor
settings the server accepts name no program either (the VS Code extension keeps its
interpreter setting on the client, out of workspace scope).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from shapelens.cli import main
from shapelens.core.config import Config, ConfigError, from_table
from shapelens.lsp.config import Settings, parse_settings
from shapelens.structs import fields

from .wire import LspServer

pytestmark = pytest.mark.hardening

PROGRAM_KEYS = ["interpreter", "python", "python-path", "command", "cmd", "plugins",
                "load-plugins", "init-hook", "hooks", "exec", "run", "env", "server",
                "server-path", "executable", "import", "preload", "sitecustomize",
                "extend", "path", "args"]
ANALYSIS = {"select": ["SL1"], "extend-select": ["SL3"], "ignore": ["SL105"],
            "extend-ignore": ["SL2"], "per-file-ignores": {"tests/*": ["SL1"]},
            "exclude": ["build"], "extend-exclude": ["gen"], "max-file-size": 1000}
SOURCE = "import tensorflow as tf\nx = tf.reshape(tf.zeros((2, 3)), [7])\n"
NAMES_A_PROGRAM = ("interpreter", "python", "command", "path", "executable", "program",
                   "plugin", "env", "args", "cmd", "script", "hook")


@pytest.mark.parametrize("key", PROGRAM_KEYS)
def test_pyproject_keys_that_would_run_something_are_refused(key: str) -> None:
    with pytest.raises(ConfigError, match=rf"unknown key\(s\): {key}"):
        from_table({key: ["evil_helper"] if key.endswith("s") else "/bin/sh"})


def test_every_accepted_pyproject_key_is_an_analysis_option() -> None:
    config = from_table(ANALYSIS)
    assert isinstance(config, Config)
    assert "select" in fields(Config)
    for name in fields(Config):
        assert not any(word in name for word in NAMES_A_PROGRAM if word != "path"), name


def test_editor_settings_name_no_program() -> None:
    names = {f.name for f in dataclasses.fields(Settings)}
    assert not [n for n in names if any(word in n for word in NAMES_A_PROGRAM)]
    settings, error = parse_settings({"shapelens": {"interpreter": "/bin/sh",
                                                    "serverPath": "/tmp/evil",
                                                    "command": ["sh", "-c", "touch x"]}})
    assert error is None and settings == Settings()  # unknown keys: ignored


def workspace_with(tmp_path: Path, table: str) -> tuple[Path, Path]:
    workspace, sentinels = tmp_path / "workspace", tmp_path / "sentinels"
    workspace.mkdir()
    sentinels.mkdir()
    (workspace / "pyproject.toml").write_text(f"[tool.shapelens]\n{table}\n")
    (workspace / "evil_helper.py").write_text(
        f'open(r"{sentinels}/imported.txt", "w").write("imported")\n')
    (workspace / "model.py").write_text(SOURCE)
    return workspace, sentinels


@pytest.mark.parametrize("table", [
    'interpreter = "/bin/sh"', 'plugins = ["evil_helper"]',
    'init-hook = "import evil_helper"', 'command = ["touch", "/tmp/shapelens-evil"]'])
def test_the_cli_refuses_them_before_analysing(tmp_path: Path, table: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    workspace, sentinels = workspace_with(tmp_path, table)
    assert main(["check", str(workspace)]) == 2
    captured = capsys.readouterr()
    assert "unknown key(s)" in captured.err and "Traceback" not in captured.err
    assert list(sentinels.iterdir()) == [] and "evil_helper" not in sys.modules


def test_the_server_refuses_them_and_keeps_working(tmp_path: Path) -> None:
    workspace, sentinels = workspace_with(
        tmp_path, 'select = ["SL1"]\nplugins = ["evil_helper"]\ninterpreter = "/bin/sh"')
    with LspServer(cwd=tmp_path) as lsp:
        lsp.initialize(root=workspace)
        uri = (workspace / "model.py").as_uri()
        lsp.open(uri, SOURCE)
        assert [d["code"] for d in lsp.published(uri, 1)] == ["SL101"]  # the defaults
        warning = lsp.wait_for(lambda m: m.get("method") == "window/showMessage")
        assert "unknown key(s): interpreter, plugins" in warning["params"]["message"]
        assert lsp.shutdown_and_exit(timeout=5)[0] == 0
    assert list(sentinels.iterdir()) == []


def test_analysis_options_from_the_workspace_apply(tmp_path: Path) -> None:
    workspace, _ = workspace_with(tmp_path, 'ignore = ["SL101"]')
    with LspServer(cwd=tmp_path) as lsp:
        lsp.initialize(root=workspace)
        uri = (workspace / "model.py").as_uri()
        lsp.open(uri, SOURCE)
        assert lsp.published(uri, 1) == []
        assert lsp.problems() == []
