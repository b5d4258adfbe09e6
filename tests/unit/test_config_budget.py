"""The analysis time budget as a setting: ``time-budget`` in ``[tool.shapelens]``,
``shapelens.analysisTimeBudget`` in the editor, ``Config.time_budget`` for the engine."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from shapelens.core.config import DEFAULT_TIME_BUDGET, Config, ConfigError, from_table, load_config
from shapelens.lsp.config import ProjectConfigs, Settings, effective_config, parse_settings

PACKAGE = Path(__file__).resolve().parents[2] / "client-vscode" / "package.json"


def test_default_is_ten_seconds() -> None:
    assert Config().time_budget == DEFAULT_TIME_BUDGET == 10.0
    assert Settings().analysis_time_budget == 10.0


@pytest.mark.parametrize(("value", "seconds"), [(2.5, 2.5), (30, 30.0), (0, 0.0), (-1, -1.0)])
def test_pyproject_time_budget(value: float, seconds: float) -> None:
    config = from_table({"time-budget": value})
    assert config.time_budget == seconds and isinstance(config.time_budget, float)


@pytest.mark.parametrize("value", ["10", True, [], math.nan])
def test_pyproject_time_budget_must_be_a_number(value: object) -> None:
    with pytest.raises(ConfigError, match=r"^\[tool\.shapelens\] time-budget must be a number "
                                          r"of seconds \(0 for no budget\), got "):
        from_table({"time-budget": value})


def test_pyproject_time_budget_is_read_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.shapelens]\ntime-budget = 0.5\n")
    assert load_config(tmp_path).time_budget == 0.5


@pytest.mark.parametrize(("sources", "seconds"), [
    pytest.param([{"analysisTimeBudget": 2.5}], 2.5, id="initialization-options"),
    pytest.param([{"shapelens": {"analysisTimeBudget": 3}}], 3.0, id="namespaced-int"),
    pytest.param([{"analysisTimeBudget": 1}, {"analysisTimeBudget": 0}], 0.0,
                 id="later-source-wins"),
])
def test_editor_setting_parses(sources: list[object], seconds: float) -> None:
    settings, error = parse_settings(*sources)
    assert (settings.analysis_time_budget, error) == (seconds, None)
    assert isinstance(settings.analysis_time_budget, float)


@pytest.mark.parametrize(("raw", "error"), [
    ({"analysisTimeBudget": "10"}, "shapelens.analysisTimeBudget: expected a number, got '10'"),
    ({"analysisTimeBudget": True}, "shapelens.analysisTimeBudget: expected a number, got True"),
    ({"analysisTimeBudget": None}, "shapelens.analysisTimeBudget: expected a number, got None"),
    ({"analysisTimeBudget": math.nan}, "shapelens: analysisTimeBudget must be a number of "
                                       "seconds (0 for no budget), got nan"),
])
def test_bad_editor_setting_gives_defaults_and_a_message(raw: dict[str, object],
                                                         error: str) -> None:
    assert parse_settings(raw) == (Settings(), error)


@pytest.mark.parametrize(("project", "editor", "seconds"), [
    pytest.param(10.0, 2.5, 2.5, id="editor-sets-it"),
    pytest.param(30.0, 2.5, 2.5, id="editor-wins-over-pyproject"),
    pytest.param(30.0, 10.0, 30.0, id="editor-default-keeps-pyproject"),
    pytest.param(10.0, 0.0, 0.0, id="no-budget"),
])
def test_effective_config_carries_the_budget(project: float, editor: float,
                                             seconds: float) -> None:
    base = Config(select=("SL1",), ignore=("SL102",), time_budget=project)
    merged = effective_config(base, Settings(analysis_time_budget=editor, ignore=["SL2"]))
    assert (merged.time_budget, merged.select, merged.ignore) == (seconds, ("SL1",),
                                                                  ("SL102", "SL2"))


def test_project_budget_reaches_the_editor_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.shapelens]\ntime-budget = 45\n")
    source = tmp_path / "m.py"
    source.write_text("")
    project, error = ProjectConfigs().for_path(source, tmp_path)
    assert error is None
    assert effective_config(project, Settings()).time_budget == 45.0


def test_vscode_contribution() -> None:
    manifest = json.loads(PACKAGE.read_text(encoding="utf-8"))
    contributed = manifest["contributes"]["configuration"]["properties"]
    budget = contributed["shapelens.analysisTimeBudget"]
    assert (budget["type"], budget["default"], budget["minimum"]) == ("number", 10, 0)
    assert budget["scope"] == "machine-overridable"
