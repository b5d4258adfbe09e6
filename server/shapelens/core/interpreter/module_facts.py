"""Facts read once from a module's syntax tree, for rules that depend on what the program does
elsewhere: whether it switches TF to NumPy type promotion, which calls are whole expression
statements (their value is thrown away). Cached per tree (a tree is never mutated in place
beyond its line numbers), and computed per top-level statement, cached on the statement: an
edited module keeps the nodes of the statements the edit did not touch (``reparse.py``), so
its new tree costs one lookup per statement, not a walk of the whole file."""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...shapefns._common import PROMOTE_ALL, PROMOTE_OPERATORS

TYPE_CHECKING = False
if TYPE_CHECKING:  # (``typing`` is not imported at run time: start-up time)
    from typing import Any, TypeVar

    T = TypeVar("T")


def numpy_promotion(tree: ast.Module | None) -> int:
    """How far ``tnp.experimental_enable_numpy_behavior(...)`` anywhere in the module makes TF
    promote mixed dtypes like NumPy: its default ("legacy") mode promotes in the tensor
    operators, the "all"/"safe" modes (or a mode we cannot read) in tf.add, tf.matmul... too.
    The switch is process-wide and usually sits at the top of a notebook; reading the whole
    module (not the path to each op) can only make the engine quieter."""
    if tree is None:
        return 0
    # Kept on the tree, as the statements' facts are on them: an ``lru_cache`` keyed by the
    # tree held the last sixteen trees (with every statement an edit had replaced) alive.
    found = tree.__dict__.get("_shapelens_promotion")
    if found is None:
        found = tree.__dict__["_shapelens_promotion"] = max(
            (_cached(stmt, "_shapelens_promotion", _promotion) for stmt in tree.body),
            default=0)
    return found  # type: ignore[no-any-return]


def legacy_keras(tree: ast.Module | None) -> bool:
    """``TF_USE_LEGACY_KERAS`` named anywhere in the module (``os.environ[...] = "1"``): its
    ``tf.keras`` may then be Keras 2 (the ``tf_keras`` package), where what Keras 3 removed
    still works, so SL214 says nothing there."""
    if tree is None:
        return False
    found = tree.__dict__.get("_shapelens_legacy_keras")
    if found is None:
        found = tree.__dict__["_shapelens_legacy_keras"] = any(
            _cached(stmt, "_shapelens_legacy_keras", _names_legacy_keras) for stmt in tree.body)
    return found  # type: ignore[no-any-return]


def _names_legacy_keras(stmt: ast.stmt) -> bool:
    if text_lacks(stmt, "TF_USE_LEGACY_KERAS"):
        return False
    return any(isinstance(node, ast.Constant) and node.value == "TF_USE_LEGACY_KERAS"
               for node in ast.walk(stmt))


def _cached(stmt: ast.stmt, name: str, compute: Callable[[ast.stmt], T]) -> T:
    """``compute(stmt)``, kept on the statement (not an ``ast`` field: never dumped)."""
    found = stmt.__dict__.get(name, _NONE)
    if found is _NONE:
        found = stmt.__dict__[name] = compute(stmt)
    return found  # type: ignore[no-any-return]


_NONE = object()
statement_fact = _cached  # for other per-statement facts (``graph_mode.graph_mode_module``)


def text_lacks(stmt: ast.stmt, *words: str) -> bool:
    """The statement's text (as ``parse.mark_statements`` read it) has none of ``words``."""
    markers = stmt.__dict__.get("_shapelens_markers")
    return markers is not None and not markers.intersection(words)


def _promotion(stmt: ast.stmt) -> int:
    if text_lacks(stmt, "experimental_enable_numpy_behavior"):
        return 0
    if isinstance(stmt, ast.ClassDef):  # its methods keep their nodes (and facts) on edits
        header = _walk_promotion([*stmt.bases, *stmt.keywords, *stmt.decorator_list])
        return max([header, *(_cached(s, "_shapelens_promotion", _promotion)
                               for s in stmt.body)])
    return _walk_promotion([stmt])


def _walk_promotion(roots: list[Any]) -> int:
    level = 0
    for node in (n for root in roots for n in ast.walk(root)):
        if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Attribute) and
                 node.func.attr == "experimental_enable_numpy_behavior") or
                (isinstance(node.func, ast.Name) and
                 node.func.id == "experimental_enable_numpy_behavior")):
            mode = next((k.value for k in node.keywords if k.arg == "dtype_conversion_mode"),
                        None)
            legacy = mode is None or (isinstance(mode, ast.Constant) and mode.value == "legacy")
            level = max(level, PROMOTE_OPERATORS if legacy else PROMOTE_ALL)
    return level


def discarded_in(definition: ast.stmt) -> frozenset[int]:
    """Ids of the calls in a definition whose value nothing uses: whole expression
    statements, and calls assigned inside a function to names that function (nested code
    included) never reads. Kept on the definition's node (the node a running function
    executes: one kept from an earlier analysis runs its old node, not the new tree's)."""
    return _cached(definition, "_shapelens_discarded", _discarded)


def _discarded(tree: ast.stmt) -> frozenset[int]:
    if isinstance(tree, ast.ClassDef):  # per member, as for the module's statements
        return frozenset().union(*(_cached(s, "_shapelens_discarded", _discarded)
                                   for s in tree.body))
    roots = [node.value for node in ast.walk(tree)
             if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)]
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and
                not isinstance(n.ctx, ast.Store)}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and all(
                    isinstance(t, ast.Name) and t.id not in read for t in node.targets):
                roots.append(node.value)
    found: set[int] = set()
    for call in roots:
        _add_unused(call, found)
    return frozenset(found)


# Ops a graph keeps although nothing reads their value (automatic control dependencies).
_STATEFUL = frozenset({"print", "Assert", "assign", "assign_add", "assign_sub",
                       "scatter_update", "scatter_nd_update", "write_file", "save"})


def _add_unused(call: ast.Call, found: set[int]) -> None:
    """``call`` and, unless it is a stateful op that runs anyway, the calls that only feed
    its arguments: a graph prunes the whole unused computation, not just its last op."""
    found.add(id(call))
    func = call.func
    if isinstance(func, ast.Attribute) and (func.attr in _STATEFUL or "debugging" in
                                            ast.unparse(func.value)):
        return
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(arg, ast.Starred):
            arg = arg.value
        if isinstance(arg, ast.Call):
            _add_unused(arg, found)
