"""Editor settings parsing and the pyproject overlay, without a server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shapelens.core import Config
from shapelens.lsp.config import (
    InlayHintSettings,
    ProjectConfigs,
    Settings,
    effective_config,
    parse_settings,
)


@pytest.mark.parametrize(("sources", "expected"), [
    pytest.param([{}], Settings(), id="empty"),
    pytest.param([None], Settings(), id="none"),
    pytest.param([{"inlayHints": {"enable": False}, "debounce": 0}],
                 Settings(inlay_hints=InlayHintSettings(enable=False), debounce=0),
                 id="camel-case"),
    pytest.param([{"shapelens": {"logLevel": "INFO"}}], Settings(log_level="info"),
                 id="namespaced"),
    pytest.param([{"debounce": 5, "somethingElse": 1}], Settings(debounce=5),
                 id="unknown-keys-ignored"),
    pytest.param([{"debounce": 5, "select": ["sl1"]}, {"shapelens": {"debounce": 7}}],
                 Settings(debounce=7, select=["SL1"]), id="later-source-wins"),
    pytest.param([{"severity": {"sl211": "warning"}, "ignore": [" SL3 "]}],
                 Settings(severity={"SL211": "warning"}, ignore=["SL3"]), id="normalised"),
])
def test_valid(sources: list[object], expected: Settings) -> None:
    assert parse_settings(*sources) == (expected, None)


@pytest.mark.parametrize(("raw", "error"), [
    ({"inlayHints": {"enable": "yes"}}, "shapelens.inlayHints.enable: expected bool, got 'yes'"),
    ({"debounce": True}, "shapelens.debounce: expected int, got True"),
    ({"select": "SL1"}, "shapelens.select: expected a list of rule codes, got 'SL1'"),
    ({"debounce": -1}, "shapelens: debounce and progressDelay must be >= 0 milliseconds"),
    ({"severity": {"SL101": "fatal"}},
     "shapelens: severity.SL101 must be one of error, warning, information, hint, got 'fatal'"),
    ({"logLevel": "loud"}, "shapelens: logLevel must be one of error, warning, info, debug, "
                           "got 'loud'"),
])
def test_invalid_gives_defaults_and_a_message(raw: dict[str, object], error: str) -> None:
    assert parse_settings(raw) == (Settings(), error)


def test_editor_select_replaces_and_ignore_extends() -> None:
    project = Config(select=("SL1",), ignore=("SL102",))
    merged = effective_config(project, Settings(select=["SL2"], ignore=["SL201"]))
    assert (merged.select, merged.ignore) == (("SL2",), ("SL102", "SL201"))
    assert effective_config(project, Settings()).select == ("SL1",)


def test_project_configs_follow_the_file(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.shapelens]\nignore = ["SL101"]\n')
    source = tmp_path / "pkg" / "m.py"
    source.parent.mkdir()
    source.write_text("")
    projects = ProjectConfigs()
    config, error = projects.for_path(source, None)
    assert (config.ignore, error) == (("SL101",), None)

    pyproject.write_text("[tool.shapelens]\nbad = 1\n")
    stat = pyproject.stat()
    os.utime(pyproject, (stat.st_atime, stat.st_mtime + 10))  # a new mtime, even on coarse fs
    config, error = projects.for_path(source, None)
    assert (config.ignore, error) == ((), "[tool.shapelens] unknown key(s): bad")

    assert projects.for_path(None, None) == (Config(), None)
