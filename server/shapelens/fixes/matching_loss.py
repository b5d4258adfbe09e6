"""SL207 "use the loss that matches the targets": one-hot targets with a sparse loss ->
``categorical_crossentropy``; integer class ids with ``categorical_crossentropy`` ->
``sparse_categorical_crossentropy``.

The engine offers it only when the target check passes with the other loss; it gives
``model`` (the receiver of ``fit``) and ``loss`` (the loss to use). The fix edits the last
``<model>.compile(...)`` before the finding: the ``loss`` argument, spelled as it was (a string
``"sparse_categorical_crossentropy"``, a class ``keras.losses.SparseCategoricalCrossentropy(
from_logits=True)`` with its arguments kept, a function ``keras.losses.
sparse_categorical_crossentropy``), and the matching accuracy metric of the same call, if
it names one (``"sparse_categorical_accuracy"``, ``SparseCategoricalAccuracy()``).

The fix is **unsafe**: it changes what the model is trained to minimise (right for the
targets given, but a program may mean to change the targets instead).
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, dotted, parse, transform
from .base import Edit, register
from .bindings import dotted as ast_dotted
from .bindings import last_group
from .scope import ModuleIndex

FIX_ID = "matching-loss"
_SPARSE = "sparse_categorical_crossentropy"
_NAMES = {  # loss to use -> {spelling of the other loss: spelling of this one}
    "categorical_crossentropy": {
        "sparse_categorical_crossentropy": "categorical_crossentropy",
        "SparseCategoricalCrossentropy": "CategoricalCrossentropy",
        "sparse_categorical_accuracy": "categorical_accuracy",
        "SparseCategoricalAccuracy": "CategoricalAccuracy",
    },
    _SPARSE: {
        "categorical_crossentropy": _SPARSE,
        "CategoricalCrossentropy": "SparseCategoricalCrossentropy",
        "categorical_accuracy": "sparse_categorical_accuracy",
        "CategoricalAccuracy": "SparseCategoricalAccuracy",
    },
}


def _renamed(node: cst.BaseExpression, names: dict[str, str]) -> cst.BaseExpression | None:
    """``node`` with the other loss's (or metric's) name swapped, None if it names neither."""
    if isinstance(node, cst.SimpleString):
        text = node.raw_value
        if text in names:
            return node.with_changes(value=f"{node.prefix}{node.quote}{names[text]}"
                                     f"{node.quote}")
        return None
    target = node.func if isinstance(node, cst.Call) else node
    if isinstance(target, cst.Attribute) and target.attr.value in names:
        new = target.with_changes(attr=cst.Name(names[target.attr.value]))
        return node.with_changes(func=new) if isinstance(node, cst.Call) else new
    if isinstance(target, cst.Name) and target.value in names:
        new_name = cst.Name(names[target.value])
        return node.with_changes(func=new_name) if isinstance(node, cst.Call) else new_name
    return None


class _LastCompile(FixVisitor):
    def __init__(self, model: str, line: int) -> None:
        super().__init__()
        self.model, self.limit = model, line
        self.found: cst.Call | None = None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "compile" and \
                dotted(func.value) == self.model and self.line(node) <= self.limit:
            self.found = node


class _SwapLoss(FixTransformer):
    def __init__(self, target: cst.Call, names: dict[str, str]) -> None:
        super().__init__()
        self.target, self.names = target, names

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if original_node is not self.target:
            return updated_node
        args = list(updated_node.args)
        loss = next((i for i, a in enumerate(args)
                     if (a.keyword is not None and a.keyword.value == "loss") or
                     (a.keyword is None and i == 1)), None)
        new = None if loss is None else _renamed(args[loss].value, self.names)
        if loss is None or new is None:
            return updated_node
        args[loss] = args[loss].with_changes(value=new)
        for i, a in enumerate(args):
            if a.keyword is not None and a.keyword.value == "metrics" and \
                    isinstance(a.value, cst.List | cst.Tuple):
                elements = [e.with_changes(value=_renamed(e.value, self.names) or e.value)
                            if isinstance(e, cst.Element) else e for e in a.value.elements]
                args[i] = a.with_changes(value=a.value.with_changes(elements=elements))
        self.changed = True
        return updated_node.with_changes(args=args)


class MatchingLossFixer:
    """``FIXERS["matching-loss"]``: swap sparse and categorical crossentropy in compile."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        model, loss = arg(finding, "model"), arg(finding, "loss")
        if not isinstance(model, str) or loss not in _NAMES or \
                not re.fullmatch(r"[A-Za-z_]\w*", model):
            return []
        assert isinstance(loss, str)
        wrapper = parse(source)
        if wrapper is None:
            return []
        last = _LastCompile(model, finding.span.line)
        wrapper.visit(last)
        if last.found is None:
            return []
        return transform(source, _SwapLoss(last.found, _NAMES[loss]), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the finding and the last statement
        before it that calls ``<model>.compile`` (the call the fixer edits is in one of
        them), found without LibCST."""
        model = arg(finding, "model")
        group = index.group_at(finding.span.line)
        if not isinstance(model, str) or group is None:
            return index.run(self.edits, finding, None)

        def compiles(node: ast.AST) -> bool:
            return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr == "compile" and ast_dotted(node.func.value) == model

        last = last_group(index, index.word_groups("compile"), group, compiles)
        return index.run(self.edits, finding, [group] if last is None else [last, group])


MATCHING_LOSS = register(MatchingLossFixer())
