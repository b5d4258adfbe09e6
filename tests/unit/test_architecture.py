"""Layering: only ``shapelens.lsp`` may import pygls or lsprotocol."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "shapelens"
PURE = ["core", "rules", "shapefns", "fixes"]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_the_protocol(package: str) -> None:
    offenders = [str(p.relative_to(PACKAGE)) for p in sorted((PACKAGE / package).rglob("*.py"))
                 if _imports(p) & {"pygls", "lsprotocol"}]
    assert offenders == []
