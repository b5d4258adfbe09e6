"""Editor settings (``shapelens.*``): typed, defaulted, and merged with ``pyproject.toml``.

Settings arrive as camelCase JSON from two places, merged in this order (later wins):
``initializationOptions`` and the ``shapelens`` section of ``workspace/configuration``.
They are structured into the dataclasses below with a cattrs converter that renames
snake_case fields to camelCase, ignores unknown keys (clients send extra things), and is
strict about types (``"yes"`` is not a boolean). Anything invalid yields the defaults plus a
readable error that the server shows once with ``window/showMessage``: a typo in a settings
file must never stop the server.

The rule selection of a document is ``[tool.shapelens]`` from the nearest ``pyproject.toml``
(the same as ``shapelens check``), overlaid with the editor's ``select`` (replaces) and
``ignore`` (extends). ``ProjectConfigs`` caches the parsed files by modification time so the
per-keystroke cost is one ``stat``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import cattrs
from cattrs.gen import make_dict_structure_fn, override

from .. import structs
from ..core.config import (
    DEFAULT_TIME_BUDGET,
    Config,
    ConfigError,
    find_pyproject,
    is_seconds,
    load_config,
)

SEVERITIES = ("error", "warning", "information", "hint")
LOG_LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO,
              "debug": logging.DEBUG}
SECTION = "shapelens"


@dataclass(kw_only=True)
class InlayHintSettings:
    """``shapelens.inlayHints``: the ``: (4, 2)`` shape after assignment targets."""

    enable: bool = True


@dataclass(kw_only=True)
class Settings:
    """Everything under ``shapelens.*``; every field has a default so ``{}`` is valid."""

    enable: bool = True
    """Off: no diagnostics, hovers, hints or actions (the server stays up)."""
    select: list[str] = field(default_factory=list)
    """Rule codes or prefixes to enable; empty keeps ``pyproject.toml`` (or all rules)."""
    ignore: list[str] = field(default_factory=list)
    """Rule codes or prefixes to disable, added to ``pyproject.toml``'s ``ignore``."""
    severity: dict[str, str] = field(default_factory=dict)
    """Per-code severity overrides, e.g. ``{"SL211": "warning"}``."""
    inlay_hints: InlayHintSettings = field(default_factory=InlayHintSettings)
    debounce: int = 150
    """Milliseconds to wait after the last edit before analysing (0 in tests)."""
    log_level: str = "warning"
    """Lowest level forwarded to the editor's output with ``window/logMessage``."""
    progress_delay: int = 500
    """Milliseconds an analysis may run before a ``$/progress`` indicator is shown."""
    analysis_time_budget: float = DEFAULT_TIME_BUDGET
    """Seconds one document may be analysed before the rest is marked unknown (0: none).
    Left at its default, ``time-budget`` of ``pyproject.toml`` applies."""

    def __post_init__(self) -> None:
        if self.debounce < 0 or self.progress_delay < 0:
            raise ValueError("debounce and progressDelay must be >= 0 milliseconds")
        if not is_seconds(self.analysis_time_budget):
            raise ValueError(f"analysisTimeBudget must be a number of seconds (0 for no "
                             f"budget), got {self.analysis_time_budget!r}")
        if self.log_level.lower() not in LOG_LEVELS:
            raise ValueError(f"logLevel must be one of {', '.join(LOG_LEVELS)}, "
                             f"got {self.log_level!r}")
        for code, level in self.severity.items():
            if level not in SEVERITIES:
                raise ValueError(f"severity.{code} must be one of {', '.join(SEVERITIES)}, "
                                 f"got {level!r}")
        self.severity = {code.upper(): level for code, level in self.severity.items()}
        self.select = [c.strip().upper() for c in self.select if c.strip()]
        self.ignore = [c.strip().upper() for c in self.ignore if c.strip()]
        self.log_level = self.log_level.lower()

    @property
    def log_level_number(self) -> int:
        return LOG_LEVELS[self.log_level]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _strict(kind: type) -> Any:
    """A structure hook that accepts only ``kind`` (cattrs would coerce ``"0"`` to ``True``)."""

    def hook(value: Any, _: type) -> Any:
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise TypeError(f"expected {kind.__name__}, got {value!r}")
        return value

    return hook


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=False)
    for kind in (bool, int, str):
        converter.register_structure_hook(kind, _strict(kind))

    def codes(value: Any, _: type) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"expected a list of rule codes, got {value!r}")
        return list(value)

    converter.register_structure_hook_func(lambda t: t == list[str], codes)

    def number(value: Any, _: type) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)

    converter.register_structure_hook(float, number)

    def factory(cls: type) -> Any:
        renames = {f.name: override(rename=_camel(f.name)) for f in fields(cls)}
        return make_dict_structure_fn(cls, converter, **renames)  # type: ignore[arg-type]

    converter.register_structure_hook_factory(is_dataclass, factory)
    return converter


CONVERTER = _make_converter()


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Deep merge of JSON objects; ``extra`` wins."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _section(raw: Any) -> dict[str, Any]:
    """Accept both ``{"shapelens": {...}}`` and a bare ``{...}`` (clients differ)."""
    if not isinstance(raw, dict):
        return {}
    inner = raw.get(SECTION)
    return inner if isinstance(inner, dict) else raw


def parse_settings(*sources: Any) -> tuple[Settings, str | None]:
    """Merge the raw setting objects (later wins) into ``Settings``.

    Returns the settings and ``None``, or the defaults and an error message naming every
    invalid key, e.g. ``$.inlayHints.enable: expected bool, got 'yes'``.
    """
    merged: dict[str, Any] = {}
    for raw in sources:
        merged = _merge(merged, _section(raw))
    try:
        return CONVERTER.structure(merged, Settings), None
    except Exception as err:  # cattrs wraps every failure in ExceptionGroups
        if isinstance(err, cattrs.BaseValidationError):
            problems = cattrs.transform_error(err, path="shapelens", format_exception=_describe)
        else:
            problems = [str(err)]
        return Settings(), "; ".join(_camel_path(p) for p in problems)


def _describe(exc: BaseException, _: type | None) -> str:
    if isinstance(exc, KeyError):
        return "missing"
    return str(exc) or type(exc).__name__


def _camel_path(problem: str) -> str:
    """``... @ shapelens.inlay_hints.enable`` → ``shapelens.inlayHints.enable: ...``."""
    message, _, path = problem.rpartition(" @ ")
    if not path:
        return problem
    return ".".join(_camel(part) for part in path.split(".")) + ": " + message


class ProjectConfigs:
    """``[tool.shapelens]`` per document, cached by file and modification time.

    ``invalidate()`` is called on ``workspace/didChangeWatchedFiles`` for a
    ``pyproject.toml``; the mtime check also catches edits from clients that cannot watch.
    """

    def __init__(self) -> None:
        self._nearest: dict[Path, Path | None] = {}
        self._parsed: dict[Path, tuple[float, Config | ConfigError]] = {}

    def invalidate(self) -> None:
        self._nearest.clear()
        self._parsed.clear()

    def for_path(self, path: Path | None, fallback_root: Path | None) -> tuple[Config, str | None]:
        """The project config of ``path`` (or of ``fallback_root`` for unsaved buffers)."""
        start = path.parent if path is not None else fallback_root
        if start is None:
            return Config(), None
        if start not in self._nearest:
            try:
                self._nearest[start] = find_pyproject(start)
            except OSError:
                self._nearest[start] = None
        pyproject = self._nearest[start]
        if pyproject is None:
            return Config(root=fallback_root), None
        try:
            mtime = pyproject.stat().st_mtime
        except OSError:
            self.invalidate()
            return Config(root=fallback_root), None
        cached = self._parsed.get(pyproject)
        if cached is None or cached[0] != mtime:
            try:
                value: Config | ConfigError = load_config(explicit=pyproject)
            except ConfigError as err:
                value = err
            cached = self._parsed[pyproject] = (mtime, value)
        if isinstance(cached[1], ConfigError):
            return Config(root=pyproject.parent), str(cached[1])
        return cached[1], None


def effective_config(project: Config, settings: Settings) -> Config:
    """``project`` with the editor's ``select`` (replaces) and ``ignore`` (extends) applied,
    and its ``analysisTimeBudget`` unless that is left at the default (then the project's
    ``time-budget`` holds)."""
    select = tuple(settings.select) or project.select
    budget = settings.analysis_time_budget
    if budget == DEFAULT_TIME_BUDGET:
        budget = project.time_budget
    return structs.replace(project, select=select, ignore=project.ignore + tuple(settings.ignore),
                   time_budget=budget)
