"""``[tool.shapelens]`` in ``pyproject.toml``, read the way ruff reads ``[tool.ruff]``.

Codes are selected by prefix (``"SL1"`` selects every tensor-op rule); ``ignore`` wins over
``select``; ``per-file-ignores`` maps glob patterns (relative to the project root) to codes;
``exclude`` skips files when walking folders; ``time-budget`` is the seconds one file may be
analysed before the rest is marked unknown (0 or less: no budget). The nearest
``pyproject.toml`` with a ``[tool.shapelens]`` table, searching upward from the analysed path,
is the one used.
"""

from __future__ import annotations

import fnmatch
import math
import re
import sys
from pathlib import Path

from ..structs import Mutable

# ``typing`` and ``tomllib`` are not imported at start-up: ``shapelens check`` on a small file
# would spend more time importing them than analysing it. Annotations are strings here
# (``from __future__ import annotations``); TOML is parsed only when a file may hold our table.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024
DEFAULT_TIME_BUDGET = 10.0  # seconds of analysis per file; partial results after that
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "__pycache__", "build", "dist",
                   ".tox", ".mypy_cache", ".ruff_cache")


class ConfigError(ValueError):
    """An invalid ``[tool.shapelens]`` table; the message says which key and why."""


class Config(Mutable):
    """The settings of one analysis: ``[tool.shapelens]`` of a ``pyproject.toml`` (or the
    defaults), with the command line's or the editor's selection applied."""

    __slots__ = ("select", "ignore", "per_file_ignores", "exclude", "max_file_size", "root",
                 "source", "time_budget")

    def __init__(self, select: tuple[str, ...] = ("SL",), ignore: tuple[str, ...] = (),
                 per_file_ignores: dict[str, tuple[str, ...]] | None = None,
                 exclude: tuple[str, ...] = (), max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 root: Path | None = None, source: Path | None = None,
                 time_budget: float = DEFAULT_TIME_BUDGET) -> None:
        self.select = select
        self.ignore = ignore
        self.per_file_ignores = {} if per_file_ignores is None else per_file_ignores
        self.exclude = exclude
        self.max_file_size = max_file_size
        self.root = root
        self.source = source  # the pyproject.toml read, if any
        # Seconds one file may be analysed; 0 or negative: no budget.
        self.time_budget = time_budget

    def enabled(self, code: str, path: str | None = None) -> bool:
        if not any(code.startswith(p) for p in self.select):
            return False
        if any(code.startswith(p) for p in self.ignore):
            return False
        if path and self.per_file_ignores:
            rel = self._relative(path)
            for pattern, codes in self.per_file_ignores.items():
                if _matches(rel, pattern) and any(code.startswith(c) for c in codes):
                    return False
        return True

    def excluded(self, path: Path) -> bool:
        rel = self._relative(str(path))
        parts = Path(rel).parts
        if any(part in DEFAULT_EXCLUDE for part in parts[:-1]):
            return True
        return any(_matches(rel, pattern) for pattern in self.exclude)

    def _relative(self, path: str) -> str:
        if self.root is not None:
            try:
                return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
            except ValueError:
                pass
        return Path(path).as_posix()


def _matches(rel: str, pattern: str) -> bool:
    return fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(Path(rel).name, pattern) or \
        rel.startswith(pattern.rstrip("/") + "/")


def _codes(table: dict[str, Any], key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.shapelens] {key} must be a list of rule codes, got {value!r}")
    return tuple(v.strip().upper() for v in value)


def from_table(table: dict[str, Any], root: Path | None = None,
               source: Path | None = None) -> Config:
    known = {"select", "extend-select", "ignore", "extend-ignore", "per-file-ignores",
             "exclude", "extend-exclude", "max-file-size", "time-budget"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"[tool.shapelens] unknown key(s): {', '.join(unknown)}")
    select = _codes(table, "select") or ("SL",)
    select += _codes(table, "extend-select")
    ignore = _codes(table, "ignore") + _codes(table, "extend-ignore")
    pfi_raw = table.get("per-file-ignores", {})
    if not isinstance(pfi_raw, dict):
        raise ConfigError("[tool.shapelens] per-file-ignores must be a table of "
                          "pattern = [codes]")
    pfi = {str(k): _codes(pfi_raw, k) for k in pfi_raw}
    exclude = tuple(map(str, table.get("exclude", []))) + \
        tuple(map(str, table.get("extend-exclude", [])))
    size = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or size <= 0:
        raise ConfigError(f"[tool.shapelens] max-file-size must be a positive integer, "
                          f"got {size!r}")
    budget = table.get("time-budget", DEFAULT_TIME_BUDGET)
    if not is_seconds(budget):
        raise ConfigError(f"[tool.shapelens] time-budget must be a number of seconds "
                          f"(0 for no budget), got {budget!r}")
    return Config(select, ignore, pfi, exclude, size, root, source, time_budget=float(budget))


def is_seconds(value: object) -> bool:
    """An int or float that is not a bool or NaN (``inf`` and ``<= 0`` mean no budget)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        not math.isnan(value)


def _toml() -> ModuleType:
    """``tomllib`` (``tomli`` before Python 3.11), imported when first needed."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # pyright: ignore[reportMissingImports]
    return tomllib


# Every way a TOML file can put a key into its top-level ``tool`` table, found in the text:
# a ``tool.shapelens`` key path (header or dotted key, quotes and spaces allowed), a
# ``[tool]`` header, an inline ``tool = {...}``, or a ``\\u``/``\\U`` escape (a quoted key
# can spell any name with those).
_MAY_HOLD_TABLE = re.compile(r"""tool["']?\s*(?:\.\s*["']?shapelens|=)"""
                             r"""|\[\s*["']?tool["']?\s*\]|\\[uU]""")


def may_hold_table(text: str) -> bool:
    """Whether TOML ``text`` may have a ``[tool.shapelens]`` table (or be a broken file that
    mentions ``tool.shapelens``, which ``find_pyproject`` reports as ours): ``False`` only
    when parsing it could not find one, so most ``pyproject.toml`` files are not parsed."""
    return _MAY_HOLD_TABLE.search(text) is not None


def find_pyproject(start: Path) -> Path | None:
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if not may_hold_table(text):
                continue
            tomllib = _toml()
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                if "tool.shapelens" in text:  # ours but broken: load_config reports it
                    return candidate
                continue
            if "shapelens" in data.get("tool", {}):
                return candidate
    return None


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Config for files under ``start`` (or from ``explicit``); defaults when none found."""
    path = explicit or (find_pyproject(start) if start is not None else None)
    if path is None:
        return Config(root=start.resolve() if start and start.is_dir() else None)
    tomllib = _toml()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read {path}: {err}") from err
    table = data.get("tool", {}).get("shapelens", {})
    return from_table(table, path.parent, path)
