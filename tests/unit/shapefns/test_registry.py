"""The shape-function table sees every op module: each ``@op("name", ...)`` written in any
module of ``shapelens/shapefns`` is registered under every one of its names, to that very
function or to a replacement made by a module loaded later (``tf1`` wraps some TF2 rules to
accept TF1 keywords). Splitting a module, or adding one, without loading it in the package's
``_load`` would silently turn its ops into unknowns; this test fails instead."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from shapelens.shapefns import REGISTRY, lookup

PACKAGE = Path(__file__).resolve().parents[3] / "server" / "shapelens" / "shapefns"


def _op_names(decorator: ast.expr) -> list[str] | None:
    """The literal names of an ``@op("a", "b")`` decorator, or None for anything else."""
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Name) and \
            decorator.func.id == "op":
        return [a.value for a in decorator.args
                if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return None


def _declared() -> list[tuple[str, str, str]]:
    """(module, function, name) for every literal name of every ``@op`` decorator."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        module = f"shapelens.shapefns.{path.stem}"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    found.extend((module, node.name, name) for name in _op_names(decorator) or ())
    return found


DECLARED = _declared()


def test_the_scan_finds_the_ops() -> None:
    modules = {module for module, _, _ in DECLARED}
    assert {"shapelens.shapefns.tf_array", "shapelens.shapefns.tf_linalg"} <= modules
    assert ("shapelens.shapefns.tf_array", "reshape", "tf.reshape") in DECLARED


@pytest.mark.parametrize("module", sorted({module for module, _, _ in DECLARED}))
def test_every_op_module_is_loaded(module: str) -> None:
    assert module in sys.modules


@pytest.mark.parametrize(("module", "function", "name"), DECLARED,
                         ids=[f"{n}" for _, _, n in DECLARED])
def test_every_declared_name_is_registered_to_its_function(module: str, function: str,
                                                           name: str) -> None:
    fn = REGISTRY.get(name)
    assert fn is not None, f"{name} ({module}.{function}) is not registered"
    assert lookup(name) is fn
    declared = getattr(sys.modules[module], function)
    assert fn is declared or fn.__module__ != module
