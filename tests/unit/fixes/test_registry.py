"""The fixer registry is filled from the package's ``__init__`` and nowhere else: every module
of ``shapelens/fixes`` that registers a fixer is either imported eagerly by the package
(``suppress``) or listed in ``BUILTIN`` and loaded by ``load_builtin_fixers``; once loaded,
``FIXERS`` holds that module's own fixer under its ``FIX_ID``, not a stand-in."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import shapelens.fixes as fixes
from shapelens.fixes import BUILTIN, FIXERS, LazyFixer, load_builtin_fixers

PACKAGE = Path(__file__).resolve().parents[3] / "server" / "shapelens" / "fixes"


def _registering_modules() -> list[str]:
    """Modules with a top-level ``NAME = register(...)``."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and \
                    isinstance(node.value.func, ast.Name) and node.value.func.id == "register":
                found.append(path.stem)
    return found


REGISTERING = _registering_modules()


def test_the_scan_finds_the_fixers() -> None:
    assert {"add_watch", "suppress", "move_into_tape"} <= set(REGISTERING)


def test_every_registering_module_is_known_to_the_package() -> None:
    assert sorted(set(REGISTERING) - {"suppress"}) == sorted(BUILTIN.values())


@pytest.mark.parametrize("module", REGISTERING)
def test_each_fixer_is_registered_under_its_id(module: str) -> None:
    load_builtin_fixers()
    loaded = sys.modules[f"shapelens.fixes.{module}"]
    fixer = FIXERS[loaded.FIX_ID]
    assert not isinstance(fixer, LazyFixer)
    assert type(fixer).__module__ == loaded.__name__
    assert getattr(fixes, module) is loaded


def test_each_builtin_id_is_its_modules_fix_id() -> None:
    load_builtin_fixers()
    for fix_id, module in BUILTIN.items():
        assert fix_id == sys.modules[f"shapelens.fixes.{module}"].FIX_ID
