"""Layering and safety rules, checked on the source with ``ast`` (nothing is imported):

* only ``shapelens.lsp`` may import pygls or lsprotocol;
* nothing in the package imports TensorFlow, Keras or another ML framework: the analysis is
  static, and ``shapelens check`` must start in milliseconds without them;
* nothing runs code: no ``exec``/``eval``/``compile``, dynamic imports, ``runpy`` or child
  processes, so analysing a file can never execute what is in it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "shapelens"
PURE = ["core", "rules", "shapefns", "fixes"]
ALL_MODULES = sorted(PACKAGE.rglob("*.py"))

PROTOCOL = {"pygls", "lsprotocol"}
FRAMEWORKS = {"tensorflow", "keras", "tf_keras", "torch", "jax", "flax"}
# Modules whose only purpose is running code or other programs.
RUNNERS = {"runpy", "subprocess", "code", "codeop", "pty"}
BUILTIN_RUNNERS = {"exec", "eval", "compile", "__import__", "breakpoint"}
ATTRIBUTE_RUNNERS = {
    ("importlib", "import_module"), ("importlib", "__import__"),
    ("builtins", "exec"), ("builtins", "eval"), ("builtins", "compile"),
    ("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"), ("os", "spawnv"),
}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _imports(path: Path) -> set[str]:
    return _imports_in(_tree(path), ["shapelens", *path.relative_to(PACKAGE).parent.parts])


def _imports_in(tree: ast.AST, package: list[str]) -> set[str]:
    """Absolute module names imported anywhere in ``tree`` (also inside functions and
    ``if TYPE_CHECKING`` blocks); relative imports are resolved against ``package``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _top(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_the_package_is_found() -> None:
    assert (PACKAGE / "__init__.py").is_file()
    assert len(ALL_MODULES) > 20
    for package in PURE:
        assert (PACKAGE / package / "__init__.py").is_file(), package


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_the_protocol(package: str) -> None:
    offenders = [_rel(p) for p in sorted((PACKAGE / package).rglob("*.py"))
                 if _top(_imports(p)) & PROTOCOL]
    assert offenders == []


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_the_language_server(package: str) -> None:
    offenders = [_rel(p) for p in sorted((PACKAGE / package).rglob("*.py"))
                 if any(n == "shapelens.lsp" or n.startswith("shapelens.lsp.")
                        for n in _imports(p))]
    assert offenders == []


def test_relative_imports_are_resolved() -> None:
    tree = ast.parse("from ..lsp import server\nfrom .config import Config\n"
                     "def f():\n    import tensorflow as tf\n")
    names = _imports_in(tree, ["shapelens", "core"])
    assert {"shapelens.lsp", "shapelens.lsp.server", "shapelens.core.config",
            "tensorflow"} <= names


def test_no_module_imports_an_ml_framework() -> None:
    offenders = {_rel(p): sorted(_top(_imports(p)) & FRAMEWORKS) for p in ALL_MODULES}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_imports_a_code_runner() -> None:
    offenders = {_rel(p): sorted(_top(_imports(p)) & RUNNERS) for p in ALL_MODULES}
    assert {k: v for k, v in offenders.items() if v} == {}
    dynamic = [_rel(p) for p in ALL_MODULES if "importlib.import_module" in _imports(p)]
    assert dynamic == []


def _runner_calls(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in BUILTIN_RUNNERS:
            found.append(f"{func.id}() at line {node.lineno}")
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                (func.value.id, func.attr) in ATTRIBUTE_RUNNERS:
            found.append(f"{func.value.id}.{func.attr}() at line {node.lineno}")
    return found


def test_no_module_runs_code() -> None:
    offenders = {_rel(p): _runner_calls(_tree(p)) for p in ALL_MODULES}
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.parametrize(("source", "flagged"), [
    ("exec(text)", True),
    ("eval(text)", True),
    ("compile(text, 'f', 'exec')", True),
    ("__import__(name)", True),
    ("importlib.import_module(name)", True),
    ("os.system(cmd)", True),
    ("re.compile(pattern)", False),
    ("self.eval(node)", False),
    ("ast.parse(text, mode='eval')", False),
])
def test_runner_scan_itself(source: str, flagged: bool) -> None:
    assert bool(_runner_calls(ast.parse(source))) is flagged


# ---------------------------------------------------------------------- the rooms (issue 17)
CORE = PACKAGE / "core"
# Record bases (structs) and the root of the abstract values: the only in-project classes a
# class may derive from. Everything else is composed: a part is handed what it needs.
RECORD_BASES = {"Mutable", "Frozen", "Entity", "Value"}
DOMAIN = ["domain/values.py", "domain/shapes.py", "domain/names.py"]
DOMAIN_IMPORTS = {"shapelens.structs", "shapelens.domain", "shapelens.domain.shapes",
                  "shapelens.domain.values"}
# The interpreter's internals: what library semantics must not reach into.
INTERNALS = ("shapelens.core.interpreter", "shapelens.core.provenance",
             "shapelens.core.keras", "shapelens.core.evaluate", "shapelens.core.execute",
             "shapelens.core.analysis", "shapelens.core.incremental.session")


def _in_project_bases(path: Path) -> list[str]:
    return _bases_in(_tree(path), ["shapelens", *path.relative_to(PACKAGE).parent.parts])


def _bases_in(tree: ast.Module, package: list[str]) -> list[str]:
    """``Class(Base)`` pairs in ``tree`` whose base is a class of this project (defined in
    the module or imported from ``shapelens``) and not a record base."""
    ours = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and \
                _imports_in(ast.Module([node], []), package) and \
                min(_imports_in(ast.Module([node], []), package)).startswith("shapelens"):
            ours.update(alias.asname or alias.name for alias in node.names)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else \
                    base.attr if isinstance(base, ast.Attribute) else ""
                if name in ours and name not in RECORD_BASES:
                    found.append(f"{node.name}({name})")
    return found


def test_nothing_in_the_core_inherits_from_another_project_class() -> None:
    offenders = {_rel(p): _in_project_bases(p) for p in sorted(CORE.rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_inheritance_scan_itself() -> None:
    tree = ast.parse("from .state import RunState\nfrom ...structs import Mutable\n"
                     "from collections import OrderedDict\n"
                     "class A(RunState): ...\nclass B(Mutable): ...\nclass C(Exception): ...\n"
                     "class D(A): ...\nclass E(OrderedDict): ...\n")
    assert _bases_in(tree, ["shapelens", "core", "interpreter"]) == ["A(RunState)", "D(A)"]


@pytest.mark.parametrize("module", DOMAIN)
def test_the_domain_imports_nothing_of_the_interpreter(module: str) -> None:
    names = {n for n in _imports(PACKAGE / module) if n.startswith("shapelens")}
    outside = [n for n in names
               if not any(n == d or n.startswith(d + ".") for d in DOMAIN_IMPORTS)]
    assert sorted(outside) == []


def test_shape_functions_do_not_import_the_interpreter() -> None:
    offenders = {_rel(p): sorted(n for n in _imports(p) if n.startswith(INTERNALS))
                 for p in sorted((PACKAGE / "shapefns").rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_interpreter_parts_are_composed() -> None:
    """The interpreter is wired from parts (no class chain): each part is its own object."""
    from shapelens.core.execute import Interpreter

    interp = Interpreter(ast.parse("x = 1\n"))
    parts = [interp.state, interp.statements, interp.expressions_part, interp.calls,
             interp.keras, interp.provenance, interp.library, interp.overlays]
    assert len({id(p) for p in parts}) == len(parts)
    assert Interpreter.__mro__[1:] == (object,)
    interp.run()
    assert interp.findings == {} and interp.tapes == []


# What a part may import of the interpreter: the run state, the Protocols of the other parts
# and plain helpers; only the wiring (machine.py) knows the parts' classes.
PART_IMPORTS = {"shapelens.core.interpreter", "shapelens.core.interpreter.state",
                "shapelens.core.interpreter.ports", "shapelens.core.interpreter.dispatch",
                "shapelens.core.interpreter.operators", "shapelens.core.interpreter.scope",
                "shapelens.core.interpreter.memo", "shapelens.core.interpreter.mutation",
                "shapelens.core.interpreter.handled", "shapelens.core.interpreter.module_facts",
                "shapelens.core.interpreter.last_iteration",
                "shapelens.core.interpreter.generators", "shapelens.core.interpreter.truth",
                "shapelens.core.interpreter.comprehensions",
                "shapelens.core.interpreter.library_hooks"}


def _interpreter_imports(path: Path) -> set[str]:
    """The ``shapelens.core.interpreter`` modules ``path`` imports (a name imported from a
    module counts as that module)."""
    found = set()
    for name in _imports(path):
        if name == "shapelens.core.interpreter" or \
                name.startswith("shapelens.core.interpreter."):
            module = ".".join(name.split(".")[:4])
            found.add(module)
    return found


@pytest.mark.parametrize("room", ["core/interpreter", "core/keras", "core/provenance"])
def test_parts_know_each_other_only_through_ports(room: str) -> None:
    offenders = {}
    for path in sorted((PACKAGE / room).glob("*.py")):
        if path.name == "machine.py":
            continue
        wrong = sorted(_interpreter_imports(path) - PART_IMPORTS)
        if wrong:
            offenders[_rel(path)] = wrong
    assert offenders == {}
