"""Shrink a failing program: drop statements and unwrap blocks while the failure persists.

``shrink(source, still_fails)`` greedily tries, over and over until nothing more goes:
removing one statement anywhere (an emptied block gets ``pass``), replacing a ``for`` /
``with`` / ``if`` statement by its body, and replacing a decorated function by the same
function undecorated. A candidate is kept when ``still_fails(text)`` holds (the caller
checks that the same kind of failure is still there, e.g. the same false-alarm code). The
number of candidates tried is capped, since each one runs TensorFlow.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator

MAX_TRIES = 250


def _bodies(tree: ast.AST) -> Iterator[list[ast.stmt]]:
    for node in ast.walk(tree):
        for attr in ("body", "orelse", "finalbody"):
            body = getattr(node, attr, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                yield body


def _candidates(tree: ast.Module) -> Iterator[ast.Module]:
    """Every one-step simplification of ``tree`` (each a fresh copy)."""
    n_bodies = len(list(_bodies(tree)))
    for b in range(n_bodies):
        length = len(list(_bodies(tree))[b])
        for i in reversed(range(length)):
            for how in ("drop", "unwrap", "undecorate"):
                new = copy.deepcopy(tree)
                body = list(_bodies(new))[b]
                stmt = body[i]
                if how == "drop":
                    del body[i]
                    if not body:
                        body.append(ast.Pass())
                elif how == "unwrap" and isinstance(stmt, (ast.For, ast.With, ast.If)):
                    body[i:i + 1] = stmt.body
                elif how == "undecorate" and getattr(stmt, "decorator_list", None):
                    stmt.decorator_list = []  # type: ignore[attr-defined]
                else:
                    continue
                yield new


def shrink(source: str, still_fails: Callable[[str], bool], max_tries: int = MAX_TRIES) -> str:
    """The smallest variant of ``source`` found that still fails."""
    best = source
    tree = ast.parse(source)
    best_len = len(ast.unparse(tree)) + 1
    tries = 0
    improved = True
    while improved and tries < max_tries:
        improved = False
        for candidate in _candidates(tree):
            tries += 1
            if tries > max_tries:
                break
            text = ast.unparse(ast.fix_missing_locations(candidate)) + "\n"
            if len(text) >= best_len:
                continue
            if still_fails(text):
                best, tree, improved, best_len = text, candidate, True, len(text)
                break
    return best
