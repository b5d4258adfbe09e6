"""What a generator yields last, so that a consumer's last iteration sees the last batch.

A minibatch generator (``for start in range(0, len(x), bs): yield x[start:start + bs]``)
yields a smaller batch at the end, and a ``tf.reshape(xb, [bs, ...])`` in the loop that
consumes it fails there (TF raises on that last batch). The generator's elements are joined
into one (``ListOf``), which loses that last batch; this module keeps it apart when it is
certain which value the generator yields last:

* every ``yield`` of the function's own body is a plain statement (no ``yield from``, no
  ``x = yield ...``) and those of the final loop are direct, unconditional statements of
  its body, which cannot leave early (``break``/``return``/``raise``);
* that loop's last iteration runs with a known index (an unrolled short range, or the last
  pass of a long one, ``last_iteration.py``) and completes;
* no ``yield`` runs after it (checked when the generator returns).

The consumer claims the last element only where it certainly exhausts a fresh generator:
``for xb in gen(...)`` over the call itself, with a body that cannot leave early
(``flow.py``). A generator the consumer may stop early yields nothing more, so no finding is
ever made inside the generator's own last pass: it is run with its findings set aside.
"""

from __future__ import annotations

import ast

from ...domain.values import GeneratorOf, ListOf, Value
from .last_iteration import leaves_early

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .state import Frame


def plain_yields(fn_node: ast.AST) -> bool:
    """Every yield of the function's own body is an expression statement's whole value."""
    cached = getattr(fn_node, "_shapelens_plain_yields", None)
    if cached is not None:
        return bool(cached)
    statements: set[int] = set()
    yields: list[ast.AST] = []
    stack: list[ast.AST] = list(getattr(fn_node, "body", []))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef |
                      ast.Lambda):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield):
            statements.add(id(node.value))
        if isinstance(node, ast.Yield | ast.YieldFrom | ast.Await):
            yields.append(node)
        stack.extend(ast.iter_child_nodes(node))
    plain = all(isinstance(y, ast.Yield) and id(y) in statements for y in yields)
    fn_node._shapelens_plain_yields = plain  # type: ignore[attr-defined]
    return plain


def final_loop(stmt: ast.For, frame: Frame) -> bool:
    """``stmt`` can be a generator's final loop: its frame is a generator with plain yields,
    the loop has no ``else``, cannot leave early or skip to its next iteration, and each of
    its yields is a direct, unconditional statement of its body."""
    fn = frame.fn
    if fn is None or not frame.generator or stmt.orelse or not plain_yields(fn.node):
        return False
    direct = {id(s.value) for s in stmt.body
              if isinstance(s, ast.Expr) and isinstance(s.value, ast.Yield)}
    if not direct or leaves_early(stmt.body, yields_leave=False):
        return False
    nested = [n for s in stmt.body for n in ast.walk(s)]
    # a ``continue`` (even a nested loop's, to keep this simple) may skip the last yield
    return not any(isinstance(n, ast.Continue) for n in nested) and \
        all(id(n) in direct for n in nested if isinstance(n, ast.Yield))


def mark_final(frame: Frame, value: Value | None) -> None:
    """The loop's last iteration yielded ``value`` last (None: not known)."""
    frame.final = value
    frame.final_mark = len(frame.yields)


def generator_value(frame: Frame, element: Value) -> ListOf:
    """The generator's elements, with the last one apart when it is certain."""
    final = frame.final
    if final is not None and frame.final_mark == len(frame.yields):
        return GeneratorOf(element, 0, final)
    return ListOf(element)
