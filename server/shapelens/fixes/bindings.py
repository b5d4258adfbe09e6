"""What the top-level statements of a module bind, read from the ``ast`` tree, without LibCST.

A statement-scoped fixer (``fixes.scope``) must decide from the ``ast`` tree which statements
its LibCST pass needs, and whether a name is bound elsewhere in the module scope: these
helpers answer such questions on ``ModuleIndex`` groups (``constant_to_variable``,
``float_variable``).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Sequence

from .scope import ModuleIndex


def target_names(target: ast.expr) -> list[str]:
    """Plain names bound by an assignment target (as ``bound_names`` of the LibCST fixers)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple | ast.List):
        return [n for e in target.elts for n in target_names(e)]
    if isinstance(target, ast.Starred):
        return target_names(target.value)
    return []


def dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def module_bindings(index: ModuleIndex, groups: Iterable[int], name: str) -> tuple[int, bool]:
    """(bindings of ``name`` in the module's own scope, is it declared ``global`` there), as
    far as plain statements show them: a lower bound of what the LibCST scope walk of
    ``constant_to_variable`` counts (walrus targets and ``match`` captures are not counted)."""
    count, declared = 0, False

    def visit(stmts: Sequence[ast.stmt]) -> None:
        nonlocal count, declared
        for stmt in stmts:
            if isinstance(stmt, ast.Assign):
                count += sum(name in target_names(t) for t in stmt.targets)
            elif isinstance(stmt, ast.AnnAssign | ast.AugAssign):
                count += name in target_names(stmt.target)
            elif isinstance(stmt, ast.Delete):
                count += any(name in target_names(t) for t in stmt.targets)
            elif isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                count += stmt.name == name
                continue  # a scope of its own
            elif isinstance(stmt, ast.Import | ast.ImportFrom):
                count += sum((a.asname or a.name.split(".")[0]) == name for a in stmt.names)
            elif isinstance(stmt, ast.Global):
                declared |= name in stmt.names
            if isinstance(stmt, ast.For | ast.AsyncFor):
                count += name in target_names(stmt.target)
            if isinstance(stmt, ast.With | ast.AsyncWith):
                count += sum(item.optional_vars is not None and
                             name in target_names(item.optional_vars) for item in stmt.items)
            for handler in getattr(stmt, "handlers", None) or ():  # try / try*
                if isinstance(handler, ast.ExceptHandler):
                    count += handler.name == name
                    visit(handler.body)
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(stmt, field, None)
                if isinstance(inner, list):
                    visit(inner)
            if isinstance(stmt, ast.Match):
                for case in stmt.cases:
                    visit(case.body)

    for group in sorted(set(groups)):
        visit(index.groups[group].stmts)
    return count, declared


def comprehension_binds(index: ModuleIndex, groups: Iterable[int], name: str) -> bool:
    """Is ``name`` the variable of a comprehension (``[... for name in ...]``) in ``groups``?"""
    return any(isinstance(node, ast.comprehension) and name in target_names(node.target)
               for group in groups for node in index.nodes(group))


# -- imports, as the LibCST fixers read them (``numpy_to_tf._aliases``, ``_keras``) -----------
KERAS_SPELLINGS = frozenset({"keras", "tensorflow.keras", "tensorflow"})


def alias_groups(index: ModuleIndex, package: str) -> set[int]:
    """One group for each name a top-level ``import <package> [as name]`` binds: the set of
    names ``numpy_to_tf._aliases`` collects is the same from these groups alone."""
    first: dict[str, int] = {}
    for group in index.word_groups(package):
        for stmt in index.groups[group].stmts:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.name == package:
                        first.setdefault(alias.asname or alias.name, group)
    return set(first.values())


def keras_import_groups(index: ModuleIndex) -> set[int]:
    """For each name top-level imports bind, the group of its last binding when that binds
    it to ``keras``, ``tensorflow.keras`` or ``tensorflow``: the entries of
    ``_keras.imported_names`` that ``keras_module`` can pick, as the whole module has them
    (a later import of the same name replaces an earlier one there, so only the last
    counts)."""
    last: dict[str, tuple[int, str]] = {}
    for group, found in enumerate(index.groups):
        for stmt in found.stmts:
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    local = alias.asname or alias.name.split(".")[0]
                    last[local] = (group, alias.name if alias.asname else local)
            elif isinstance(stmt, ast.ImportFrom) and stmt.module is not None:
                for alias in stmt.names:
                    if alias.name != "*":
                        last[alias.asname or alias.name] = (group,
                                                            f"{stmt.module}.{alias.name}")
    return {group for group, full in last.values() if full in KERAS_SPELLINGS}


def last_group(index: ModuleIndex, candidates: Iterable[int], before: int,
               test: Callable[[ast.AST], bool]) -> int | None:
    """The last of ``candidates`` before group ``before`` holding a node that passes
    ``test`` (at any depth), or None."""
    for group in sorted((g for g in set(candidates) if g < before), reverse=True):
        if any(map(test, index.nodes(group))):
            return group
    return None


def first_group(index: ModuleIndex, candidates: Iterable[int], after: int,
                test: Callable[[ast.AST], bool]) -> int | None:
    """The first of ``candidates`` after group ``after`` holding a node that passes
    ``test``, or None."""
    for group in sorted(g for g in set(candidates) if g > after):
        if any(map(test, index.nodes(group))):
            return group
    return None


def callee(call: ast.Call) -> str:
    """The last component of a call's function name, as ``_cst.callee`` reads it."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
