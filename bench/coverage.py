"""API coverage: which ``tf.*``, ``np.*`` and ``keras.*`` names real code uses, how often, and
whether ShapeLens resolves them.

Coverage work is driven by frequency, not guesses: this counts every call, method call and
attribute of TensorFlow, NumPy and Keras in the ecosystem check's pinned code (materialised
from the git mirrors by ``bench/ecosystem.py``'s own loader) and in ``fixtures/``, and prints
the table sorted by sites, each name marked with what the engine has for it
(``coverage_engine.py``): a shape function (``fn``: a tensor), a known non-tensor value
(``value``: None, a str or bool, a library object of a named kind: ``model.summary()``,
``tf.train.Checkpoint``), an engine hook that builds the object (``engine``: Keras layers and
models, tapes, variables, optimizers), a known attribute (``attr``: dtypes, ``newaxis``,
constants) or nothing (``-``). Two more classes are never counted as resolved: ``out``, a
method whose receiver another library made (``ax.set_title()`` after ``plt.subplots()``, with
that library named, or a method no TF/NumPy/Keras class has: ``coverage_scope.py``), ``type``,
a name used only as an annotation, base class, caught exception or ``isinstance`` class the
engine does not model, and, for names TF 2.21 / Keras 3 / NumPy 2 lack as spelled
(``coverage_engine_absent.py``, checked under TF), ``absent`` (``tf.estimator.*``,
``np.float``, a Keras 3 metric's ``reset_states()``) and ``tf1`` (kept only as
``tf.compat.v1.X``, spelled so).

Names are found syntactically: imports are followed (``import tensorflow as tf``, ``from
tensorflow.keras import layers``, ``from keras.layers import Dense``), and so are names bound
once to a library name (``mnist = tf.keras.datasets.mnist``); every spelling is brought to
the engine's canonical name (``tf.keras.layers.Dense`` is ``keras.layers.Dense``). Names
inside a library's own modules (``keras.src.*``) are not its API and are left out. A method
call on anything that is not an imported name (``x.reshape(...)``, ``model.fit(...)``) is
counted by its method name (``.reshape()``), since the receiver's type is not known without
running the analysis; calls of Python's own ``str``/``list``/``dict``/``set`` methods, of
other modules (``plt.plot``) and of the file's own functions (``self.*``, names defined in
the file) are left out.

    python bench/coverage.py                 # every pinned repository and the fixtures
    python bench/coverage.py --json out.json # also save the table
    python bench/coverage.py --top 60 --unresolved
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from coverage_engine import resolution
from coverage_engine_absent import absent_method, spelled_absence, spellings
from coverage_scope import (
    defined_names,
    foreign_bindings,
    foreign_method,
    keras_backend,
    module_bindings,
    outside_root,
    root,
    type_positions,
    undefined_root,
)
from ecosystem import DEFAULT_CACHE, DEFAULT_MIRRORS, LOCK, load_lock, materialise

import shapelens.core  # noqa: F401  # the engine's own import order (sources needs core first)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
LIBRARIES = ("tensorflow", "numpy", "keras", "tf_keras")
ROOTS = ("tf.", "np.", "keras.", "tnp.")
INTERNAL = ("keras.src.", "tf.python.", "tf.__internal__.")  # a library's own, not its API

_BUILTIN_METHODS = frozenset(n for t in (str, list, dict, set, bytes) for n in dir(t)) - {
    "copy", "sort", "index", "count"}


@dataclass(frozen=True)
class Site:
    """One API name in one role: ``call`` (``tf.reshape(...)``), ``method`` (``.fit()``) or
    ``attribute`` (``tf.float32``)."""

    name: str
    kind: str
    # Out of scope: why the receiver of this method is not a TF/NumPy/Keras value ("" if it
    # may be one), e.g. "matplotlib object".
    outside: str = ""
    # Not in TF 2.21 / Keras 3 / NumPy 2 as spelled: "absent", or "tf1" for a TF1 API that
    # TF 2.21 keeps as tf.compat.v1.X, spelled so; "backend" (Keras on JAX/PyTorch); "".
    missing: str = ""


def _aliases(tree: ast.AST) -> tuple[dict[str, str], dict[str, str]]:
    """(local name → full library path, local name → top-level package of every other
    imported name), from every import in the file."""
    from shapelens.domain.names import canonical

    found: dict[str, str] = {}
    other: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                if alias.name.split(".")[0] in LIBRARIES:
                    found[local] = canonical(alias.name if alias.asname else local)
                else:
                    other[local] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            library = bool(node.module) and not node.level and \
                str(node.module).split(".")[0] in LIBRARIES
            for alias in node.names:
                if library and alias.name != "*":
                    found[alias.asname or alias.name] = canonical(f"{node.module}.{alias.name}")
                elif not library:
                    other[alias.asname or alias.name] = \
                        str(node.module or "").split(".")[0] if not node.level else ""
    return found, {k: v for k, v in other.items() if k not in found}


def _qualified(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """The canonical library name an expression spells (``tf.image.resize``), if any."""
    from shapelens.domain.names import canonical

    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    name = canonical(".".join([aliases[node.id], *reversed(parts)]))
    return name if name.startswith(ROOTS) and not name.startswith(INTERNAL) else None


def _own_names(tree: ast.AST) -> set[str]:
    """Functions and classes the file defines: calls of them are the program's, not APIs."""
    return {n.name for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def count_source(text: str) -> Counter[Site]:
    """Sites of every library call, method call and attribute in one program's text."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return Counter()
    aliases, other = _aliases(tree)
    aliases.update(_assigned_aliases(tree, aliases))
    v1, package = spellings(tree)
    own = _own_names(tree) | set(other)
    typed = type_positions(tree)
    bound = foreign_bindings(tree, aliases, other)
    scoped = module_bindings(tree, aliases, other)
    made = _constructed(tree, aliases)
    defined = defined_names(tree)
    backend = keras_backend(tree)
    sites: Counter[Site] = Counter()
    callees: set[int] = set()
    inner: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            callees.add(id(node.func))
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _qualified(node.func, aliases)
            if name is not None:
                sites[Site(name, "call", "", spelled_absence(name, node.func, v1, package))] += 1
            elif isinstance(node.func, ast.Attribute) and \
                    _is_method(node.func, own | set(aliases)):
                method = node.func.attr
                start = root(node.func.value)
                outside = outside_root(start, aliases, other,
                                       {**bound, **scoped.get(id(node), {})}) or \
                    foreign_method(method) or _internal(start, aliases) or \
                    undefined_root(start, defined)
                receiver = node.func.value
                missing = "absent" if isinstance(receiver, ast.Name) and absent_method(
                    made.get(receiver.id, ""), method) else ""
                if backend and not outside and resolution(Site(f".{method}()", "method")) == "-":
                    missing = "backend"  # Keras on JAX/PyTorch: that backend's method
                sites[Site(f".{method}()", "method", outside, missing)] += 1
        elif isinstance(node, ast.Attribute) and id(node) not in callees and \
                id(node) not in inner:
            name = _qualified(node, aliases)
            if name is not None:
                kind = "type" if id(node) in typed else "attribute"
                sites[Site(name, kind, "", spelled_absence(name, node, v1, package))] += 1
    return sites


def _internal(start: ast.expr, aliases: dict[str, str]) -> str:
    """Why a chain that starts at a library's own module (``knp.Add().symbolic_call(x)``
    with ``from keras.src.ops import numpy as knp``) is not an API use ("" otherwise)."""
    path = aliases.get(start.id, "") if isinstance(start, ast.Name) else ""
    return f"an object of {path} (a library's own module, not its API)" \
        if path.startswith(INTERNAL) else ""


def _constructed(tree: ast.AST, aliases: dict[str, str]) -> dict[str, str]:
    """Names the file binds only to calls of one library name (``m =
    tf.keras.metrics.Mean()``) → that canonical name: the kind of object they hold."""
    made: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign) and \
                node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            callee = _qualified(value.func, aliases) if isinstance(value, ast.Call) else None
            for target in targets:
                kind = callee if isinstance(target, ast.Name) and callee else ""
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        made.setdefault(name.id, set()).add(kind)
        elif isinstance(node, ast.For | ast.comprehension | ast.With | ast.arg):
            bound = [node.target] if isinstance(node, ast.For | ast.comprehension) else \
                [i.optional_vars for i in node.items if i.optional_vars] \
                if isinstance(node, ast.With) else []
            for target in bound:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        made.setdefault(name.id, set()).add("")
            if isinstance(node, ast.arg):
                made.setdefault(node.arg, set()).add("")
    return {n: next(iter(k)) for n, k in made.items() if len(k) == 1 and "" not in k}


def _assigned_aliases(tree: ast.AST, aliases: dict[str, str]) -> dict[str, str]:
    """Names bound once, to a library name itself (``mnist = tf.keras.datasets.mnist``,
    ``Dense = layers.Dense``): the engine reads ``mnist.load_data()`` as that library call,
    and so does the count."""
    bound: dict[str, list[ast.expr]] = {}
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    value = node.value if isinstance(node, ast.Assign) and \
                        len(node.targets) == 1 and target is name else None
                    bound.setdefault(name.id, []).append(value)  # type: ignore[arg-type]
    found: dict[str, str] = {}
    for local, values in bound.items():
        if len(values) == 1 and isinstance(values[0], ast.Attribute) and local not in aliases:
            name = _qualified(values[0], aliases)
            if name is not None:
                found[local] = name
    return found


def _is_method(func: ast.Attribute, own: set[str]) -> bool:
    """A method of a value (not a function of another module, not the program's own)."""
    receiver = func.value
    while isinstance(receiver, ast.Attribute):  # layers.core.Dense(...): a module path
        receiver = receiver.value
    if isinstance(receiver, ast.Name) and (receiver.id in ("self", "cls") or receiver.id in own):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and \
            receiver.func.id == "super":
        return False
    if isinstance(receiver, ast.Constant):  # "...".format(), b"".join()
        return False
    return func.attr not in _BUILTIN_METHODS and func.attr not in own and \
        not func.attr.startswith("__")


def program_text(path: Path) -> str:
    """A script's text, or a notebook's code cells as one program."""
    from shapelens.notebook import NotebookError, read_notebook
    from shapelens.sources import UnreadableSource, read_source

    try:
        text = read_source(path)
        return read_notebook(text).source if path.suffix == ".ipynb" else text
    except (OSError, UnreadableSource, NotebookError):
        return ""


def count_files(files: Iterable[Path]) -> tuple[Counter[Site], Counter[Site]]:
    """(sites, files using each name) over many programs."""
    sites: Counter[Site] = Counter()
    used_in: Counter[Site] = Counter()
    for path in files:
        found = count_source(program_text(path))
        sites.update(found)
        used_in.update(found.keys())
    return sites, used_in


def pinned_files(cache: Path, mirrors: Path) -> list[Path]:
    """Every program of the pinned repositories (materialised as the ecosystem check does)
    and of the fixtures."""
    files: list[Path] = []
    for repo in load_lock(LOCK):
        folder, message = materialise(repo, cache, mirrors)
        if folder is None:
            print(f"coverage: skipping {repo.name}: {message}", file=sys.stderr)
            continue
        for sub in repo.paths:
            base = folder / sub
            files += sorted(p for p in (base.rglob("*") if base.is_dir() else [base])
                            if p.suffix in (".py", ".ipynb") and p.is_file())
    files += sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".py", ".ipynb"))
    return files


def table(sites: Counter[Site], used_in: Counter[Site]) -> list[dict[str, object]]:
    rows = [{"name": s.name, "kind": s.kind, "sites": n, "files": used_in[s],
             "resolved": resolution(s), "outside": s.outside, "missing": s.missing}
            for s, n in sites.items()]
    rows.sort(key=lambda r: (-int(r["sites"]), str(r["name"]),  # type: ignore[call-overload]
                             str(r["outside"])))
    return rows


UNRESOLVED = ("-", "out", "type", "absent", "tf1", "backend")
# The classes of the split: what the engine gives at the name's sites.
CLASSES = {"fn": "tensor (shape function)", "engine": "engine objects (layers, models, "
           "tapes...)", "attr": "attributes (dtypes, constants, modules)",
           "value": "known non-tensor values (None, str, bool, named objects)",
           "type": "types only (annotations, base classes: no value to resolve)",
           "out": "out of scope (receiver not a tf/np/keras value)",
           "absent": "not in TF 2.21 / Keras 3 / NumPy 2 as spelled (AttributeError there)",
           "tf1": "TF1 APIs TF 2.21 keeps only as tf.compat.v1.X (issue 19)",
           "backend": "a method of Keras on another backend (KERAS_BACKEND=jax/torch)",
           "-": "unresolved"}


def summary(rows: list[dict[str, object]], min_sites: int = 1) -> dict[str, object]:
    """Names and sites resolved, over the names with at least ``min_sites`` sites (an
    out-of-scope name counts as not resolved), and the names and sites of each class."""
    kept = [r for r in rows if int(r["sites"]) >= min_sites]  # type: ignore[call-overload]
    hit = [r for r in kept if r["resolved"] not in UNRESOLVED]
    sites = sum(int(r["sites"]) for r in kept)  # type: ignore[call-overload]
    hit_sites = sum(int(r["sites"]) for r in hit)  # type: ignore[call-overload]
    classes = {c: [sum(1 for r in kept if r["resolved"] == c),
                   sum(int(r["sites"]) for r in kept  # type: ignore[call-overload]
                       if r["resolved"] == c)] for c in CLASSES}
    return {"names": len(kept), "resolved_names": len(hit), "sites": sites,
            "resolved_sites": hit_sites,
            "site_share": round(hit_sites / sites, 4) if sites else 0.0, "classes": classes}


def _label(row: dict[str, object]) -> str:
    why = row.get("outside")
    if why:
        return f"{row['name']}  [out of scope: {why}]"
    missing = row.get("missing")
    return f"{row['name']}  [{CLASSES[str(missing)]}]" if missing else str(row["name"])


def render(rows: list[dict[str, object]], top: int | None, unresolved: bool) -> str:
    shown = [r for r in rows if not unresolved or r["resolved"] == "-"]
    lines = [f"{'sites':>6} {'files':>5}  {'kind':9} {'resolved':8} name"]
    lines += [f"{r['sites']:>6} {r['files']:>5}  {r['kind']:9} {r['resolved']:8} {_label(r)}"
              for r in shown[:top]]
    for threshold in (1, 3, 10):
        s = summary(rows, threshold)
        lines.append(f"names with >= {threshold} sites: {s['resolved_names']}/{s['names']} "
                     f"resolved, sites {s['resolved_sites']}/{s['sites']} "
                     f"({100 * float(s['site_share']):.1f}%)")  # type: ignore[arg-type]
        classes: dict[str, list[int]] = s["classes"]  # type: ignore[assignment]
        lines += [f"    {c:6} {CLASSES[c]}: {n} names, {k} sites"
                  for c, (n, k) in classes.items() if n]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get(
        "SHAPELENS_ECO_CACHE", DEFAULT_CACHE)))
    parser.add_argument("--mirrors", type=Path, default=Path(DEFAULT_MIRRORS))
    parser.add_argument("--dir", action="append", type=Path, default=[],
                        help="count this folder instead of the pins and fixtures (repeat)")
    parser.add_argument("--json", type=Path, help="save the table and summary as JSON here")
    parser.add_argument("--top", type=int, default=None, help="print only the first N rows")
    parser.add_argument("--unresolved", action="store_true",
                        help="print only the names the engine does not resolve")
    args = parser.parse_args(argv)
    if args.dir:
        files = [p for d in args.dir for p in sorted(d.rglob("*"))
                 if p.suffix in (".py", ".ipynb") and p.is_file()]
    else:
        files = pinned_files(args.cache, args.mirrors)
    rows = table(*count_files(files))
    print(render(rows, args.top, args.unresolved))
    if args.json:
        report = {"files": len(files), "summary": {str(t): summary(rows, t) for t in (1, 3, 10)},
                  "rows": rows}
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0 if files else 2


if __name__ == "__main__":
    sys.exit(main())
