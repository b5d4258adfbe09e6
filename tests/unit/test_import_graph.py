"""The shape of the package, read from its source with ``ast`` (nothing is imported):

* no import circle: the modules of ``server/shapelens`` form a DAG, so each can be read,
  tested and replaced knowing only what it imports. Every import counts, also one inside a
  function or under ``if TYPE_CHECKING``: a circle of type annotations is still two modules
  that cannot be understood one without the other;
* no module over 400 lines and no function over 80 lines (the house rules).

An edge goes to the module an import names: ``from .pkg import name`` to ``pkg.name`` when
that is a module, else to ``pkg`` (its ``__init__``). Importing ``a.b.c`` also runs the
``__init__`` of ``a`` and ``a.b``, so those are edges too, except for the importer's own
enclosing packages (they are being imported already). This is what Python does: with
``shapefns._common`` importing ``core.names``, ``import shapelens.shapefns`` runs
``core/__init__``, and a ``core/__init__`` that imports the interpreter, which imports the
shape functions, makes that first import fail.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "server" / "shapelens"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80

Graph = dict[str, set[str]]


def module_name(path: Path, root: Path) -> str:
    """``shapelens.lsp.server`` for ``<root>/shapelens/lsp/server.py``; a package is named
    by its directory."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Every absolute dotted name ``tree`` imports, with relative imports resolved; for
    ``from X import a`` both ``X`` and ``X.a`` (which one is a module is decided later)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            names.update(f"{source}\0{alias.name}" for alias in node.names)
    return names


def _targets(name: str, modules: Iterable[str], importer: str, is_package: bool) -> set[str]:
    """The modules of the package that importing ``name`` runs: the one it names (also the
    importer's own package: ``from . import REGISTRY`` reads its ``__init__``) and the
    ``__init__`` of each package above that, except the importer's own packages."""
    known = set(modules)
    if "\0" in name:
        source, _, attribute = name.partition("\0")
        name = f"{source}.{attribute}" if f"{source}.{attribute}" in known else source
    while name and name not in known:
        name = name.rpartition(".")[0]
    if not name:
        return set()
    own = importer.split(".") if is_package else importer.split(".")[:-1]
    enclosing = {".".join(own[:i]) for i in range(1, len(own) + 1)}
    parts = name.split(".")
    packages = {".".join(parts[:i]) for i in range(1, len(parts))}
    return ({name} | ({p for p in packages if p in known} - enclosing)) - {importer}


def import_graph(root: Path, package: str = "shapelens") -> Graph:
    """Module -> the modules of ``package`` it imports, for every module under
    ``root / package``."""
    paths = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    graph: Graph = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        graph[module] = {target for name in imported_names(tree, module, is_package)
                         for target in _targets(name, paths, module, is_package)}
    return graph


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative), each
    sorted; a module in none of them is in no circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph.get(step, ())))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def describe(component: list[str], graph: Mapping[str, set[str]]) -> str:
    """One circle as its modules and the edges inside it, for a readable failure."""
    members = set(component)
    return "; ".join(f"{m} -> {', '.join(sorted(graph[m] & members))}" for m in component)


def long_functions(tree: ast.AST) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function or method over the limit, nested ones
    included; a function's lines run from ``def`` to its last line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


@cache
def _package_graph() -> Graph:
    return import_graph(PACKAGE.parent)


# -- the package ---------------------------------------------------------------------------
def test_the_graph_covers_the_package() -> None:
    graph = _package_graph()
    assert "shapelens" in graph and "shapelens.core" in graph and len(graph) > 40
    assert "shapelens.core.results" in graph["shapelens.fixes.base"]


def test_no_import_cycle() -> None:
    graph = _package_graph()
    assert [describe(c, graph) for c in cycles(graph)] == []


def test_no_module_is_over_400_lines() -> None:
    offenders = {_rel(p): n for p in sorted(PACKAGE.rglob("*.py"))
                 if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert offenders == {}


def test_no_function_is_over_80_lines() -> None:
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, line, length in long_functions(tree):
            offenders[f"{_rel(path)}:{line} {name}"] = length
    assert offenders == {}


# The layers of ``lsp/`` (``lsp/server.py`` describes them): a module imports modules of its
# own layer or of layers below, never above.
LSP_LAYERS = [
    {"convert", "config", "cells", "cards", "workspace", "transport"},  # conversions, settings
    {"results", "host"},  # one analysis; what the parts see of the server
    {"documents", "publisher", "notebook_store"},  # the server's parts
    {"state"},  # the server object
    {"lifecycle", "diagnostics", "hover", "inlay_hints", "code_actions", "notebooks"},  # features
    {"server"},  # registration and serving
]


def test_the_lsp_layers_import_downwards() -> None:
    graph = _package_graph()
    layer = {f"shapelens.lsp.{name}": i for i, names in enumerate(LSP_LAYERS) for name in names}
    modules = {m for m in graph if m.startswith("shapelens.lsp.")}
    assert modules == set(layer), "a module of lsp/ is missing from LSP_LAYERS"
    upward = sorted(f"{m} -> {t}" for m in modules for t in graph[m]
                    if t in layer and layer[t] > layer[m])
    assert upward == []


# -- the checks themselves ------------------------------------------------------------------
def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_imports_are_resolved_to_modules(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "from .a import f\n",
        "pkg/a.py": "from . import b\nfrom .sub import thing\n",
        "pkg/b.py": "import pkg.sub.deep\nfrom os import path\n",
        "pkg/sub/__init__.py": "thing = 1\n",
        "pkg/sub/deep.py": "from .. import a\nfrom ..a import f\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert graph == {
        "pkg": {"pkg.a"},
        "pkg.a": {"pkg.b", "pkg.sub"},
        "pkg.b": {"pkg.sub.deep", "pkg.sub"},
        "pkg.sub": set(),
        "pkg.sub.deep": {"pkg.a"},
    }
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.sub.deep"]]


def test_importing_a_module_runs_the_init_of_its_packages(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/core/__init__.py": "from .engine import run\n",
        "pkg/core/engine.py": "from ..ops import table\nfrom . import shapes\n",
        "pkg/core/shapes.py": "",
        "pkg/ops/__init__.py": "from . import table\n",
        "pkg/ops/table.py": "from ..core.shapes import Shape\n",
        "pkg/ops/more.py": "from . import table\nfrom .table import x\n",
        "pkg/ops/own.py": "from . import REGISTRY\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.ops.table"] == {"pkg.core.shapes", "pkg.core"}
    assert graph["pkg.ops.more"] == {"pkg.ops.table"}
    assert graph["pkg.ops.own"] == {"pkg.ops"}
    assert graph["pkg.core.engine"] == {"pkg.ops.table", "pkg.ops", "pkg.core.shapes"}
    assert cycles(graph) == [["pkg.core", "pkg.core.engine", "pkg.ops", "pkg.ops.table"]]


def test_type_checking_and_function_imports_count(tmp_path: Path) -> None:
    _write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/server.py": "def build():\n    from . import feature\n",
        "pkg/feature.py": "from typing import TYPE_CHECKING\n"
                          "if TYPE_CHECKING:\n    from .server import Server\n",
        "pkg/leaf.py": "import pkg\n",
    })
    graph = import_graph(tmp_path, "pkg")
    assert cycles(graph) == [["pkg.feature", "pkg.server"]]
    assert describe(cycles(graph)[0], graph) == \
        "pkg.feature -> pkg.server; pkg.server -> pkg.feature"


def test_a_dag_has_no_cycle() -> None:
    graph = {"a": {"b", "c"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}
    assert cycles(graph) == []
    assert cycles({**graph, "c": {"d"}}) == [["a", "b", "c", "d"]]
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}) == [["a", "b"], ["c", "d"]]


def test_function_length_counts_from_def_to_the_last_line() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES - 1))
    fits = f"def fits():\n{body}\n"
    assert long_functions(ast.parse(fits)) == []
    over = f"class C:\n    def over(self):\n    {body.replace(chr(10), chr(10) + '    ')}\n" \
           f"        return 1\n"
    assert long_functions(ast.parse(over)) == [("over", 2, MAX_FUNCTION_LINES + 1)]
