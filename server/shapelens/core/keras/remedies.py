"""What a ``fit``/``evaluate`` target mismatch (SL207) adds to its finding: the quick fix
that makes targets and model output agree, and where the targets got their shape.

A fix is offered only when the engine proves it removes the error: the same target check
(``losses.check_targets``) passes with the other loss, or with the output a ``Flatten``
before the first ``Dense`` would give. Both fixes are unsafe (they change the model or the
loss a program trains), so ``check --fix`` applies them only with ``--unsafe-fixes``.

The related location is the assignment that bound the targets (``y_train = ...``), or the
inputs for a model input mismatch (SL206), the place a reader must go to see why they have
that shape: in a notebook, usually the data cell, several cells above the ``fit`` call where
TF raises.
"""

from __future__ import annotations

import ast

from ...domain.shapes import format_shape
from ...domain.values import ModelValue, Tensor, Value
from ...shapefns import ShapeError
from ..results import Fix
from .losses import check_targets, loss_name

_SPARSE, _CATEGORICAL = "sparse_categorical_crossentropy", "categorical_crossentropy"


def _passes(loss: str, x: Value, y: Value, out: Value) -> bool:
    try:
        check_targets(loss, x, y, out)
    except ShapeError:
        return False
    return True


def target_fix(model: Value, loss: str | None, x: Value, y: Value, out: Value,
               node: ast.AST) -> Fix | None:
    """The fix of an SL207 on ``<name>.fit(x, y)``: the matching loss for one-hot or integer
    targets, or a ``Flatten`` before ``Dense`` when the output keeps spatial axes (in a
    Sequential or a functional model)."""
    if loss is None or not isinstance(node, ast.Call) or \
            not isinstance(node.func, ast.Attribute) or \
            not isinstance(node.func.value, ast.Name) or not isinstance(y, Tensor) or \
            not isinstance(out, Tensor) or not y.shape or not out.shape:
        return None
    name, receiver = loss_name(loss), node.func.value.id
    other = {_SPARSE: _CATEGORICAL, _CATEGORICAL: _SPARSE}.get(name)
    if other is not None and _passes(other, x, y, out):
        return Fix("matching-loss", f"Use {other} for these targets", False,
                   (("model", receiver), ("loss", other)))
    flat = Tensor((out.shape[0], out.shape[-1]), out.dtype, out.kind)
    if isinstance(model, ModelValue) and model.kind in ("sequential", "functional") and \
            len(out.shape) > max(len(y.shape), 2) and _passes(name, x, y, flat):
        return Fix("insert-flatten", "Insert Flatten() before the Dense output layer", False,
                   (("model", receiver), ("functional", model.kind == "functional")))
    return None


def _made_at(tree: ast.Module, expr: ast.expr | None, value: Value, line: int,
             what: str) -> tuple[tuple[ast.AST, str], ...]:
    """The last top-level ``name = ...`` before ``line`` that bound ``expr`` (a name), as
    related information. Read from the syntax tree, not from what the run recorded, so
    that a statement replayed by the incremental session says the same as a fresh run."""
    if not isinstance(expr, ast.Name) or not isinstance(value, Tensor) or value.shape is None:
        return ()
    made = [stmt.targets[0] for stmt in tree.body
            if isinstance(stmt, ast.Assign) and stmt.lineno < line and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name) and stmt.targets[0].id == expr.id]
    if not made:
        return ()
    return ((made[-1], f"{what} get their shape {format_shape(value.shape)} here"),)


def targets_made(tree: ast.Module, y: Value, node: ast.AST) -> tuple[tuple[ast.AST, str], ...]:
    """Where the targets of ``<model>.fit(x, y)`` were made (in a notebook, usually the
    data cell)."""
    if not isinstance(node, ast.Call):
        return ()
    named = {k.arg: k.value for k in node.keywords}
    expr = node.args[1] if len(node.args) > 1 else named.get("y")
    return _made_at(tree, expr, y, getattr(node, "lineno", 0), "the targets")


def inputs_made(tree: ast.Module, x: Value, node: ast.AST | None
                ) -> tuple[tuple[ast.AST, str], ...]:
    """Where the inputs of ``model.fit(x, ...)``, ``model.predict(x)`` or ``model(x)`` were
    made."""
    if not isinstance(node, ast.Call):
        return ()
    named = {k.arg: k.value for k in node.keywords}
    expr = node.args[0] if node.args else named.get("x", named.get("inputs"))
    return _made_at(tree, expr, x, getattr(node, "lineno", 0), "the inputs")
