"""SL207 "insert ``Flatten()`` before the first ``Dense``": a Sequential whose output keeps
the spatial axes of a convolution (``Dense`` acts on the last axis only) gives one row per
pixel, not per sample, and ``fit`` fails against per-sample targets.

The engine offers it only when the targets would fit the flattened output (``(batch,
units)``) and the model is a ``Sequential``; it gives ``model``. The fix edits the list of the
last ``<model> = ...Sequential([...])`` before the finding: a ``Flatten()`` goes right before
its first ``Dense`` layer, spelled with that layer's prefix (``keras.layers.Dense`` ->
``keras.layers.Flatten()``). Nothing is offered when a layer before that ``Dense`` already
flattens or pools globally (``Flatten``, ``GlobalAveragePooling2D``, ``Reshape``...): the
extra axes come from somewhere the fix cannot see.

In a functional model (``model = keras.Model(inputs, outputs)``) the ``Dense`` call that
makes ``outputs`` (``outputs = layers.Dense(5)(x)``) gets its input flattened:
``layers.Dense(5)(layers.Flatten()(x))``.

The fix is **unsafe**: it changes the model (the first ``Dense`` gets a new, larger kernel).
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, callee, dotted, parse, transform
from ._keras import SequentialList, insert_element, layers_prefix
from .base import Edit, register
from .bindings import callee as ast_callee
from .bindings import dotted as ast_dotted
from .bindings import keras_import_groups, last_group
from .scope import ModuleIndex

FIX_ID = "insert-flatten"
_FLATTENING = re.compile(r"Flatten|Global\w*Pooling\w*|Reshape|GlobalPool\w*")


class _InsertFlatten(FixTransformer):
    def __init__(self, module: cst.Module, target: cst.List) -> None:
        super().__init__()
        self.module, self.target = module, target

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.List:
        if original_node is not self.target:
            return updated_node
        elements = [e for e in updated_node.elements if isinstance(e, cst.Element)]
        if len(elements) != len(updated_node.elements):
            return updated_node
        for i, element in enumerate(elements):
            value = element.value
            if not isinstance(value, cst.Call):
                return updated_node
            name = callee(value)
            if _FLATTENING.fullmatch(name):
                return updated_node
            if name != "Dense":
                continue
            prefix = layers_prefix(self.module, value.func)
            if prefix is None or i == 0:
                return updated_node
            flatten = cst.parse_expression(f"{prefix}.Flatten()")
            self.changed = True
            elements = insert_element(original_node, elements, i, flatten)
            return updated_node.with_changes(elements=elements)
        return updated_node


class _ModelOutputs(FixVisitor):
    """The outputs name of the last ``<model> = <...>Model(inputs, outputs)`` before ``line``
    and, before that, the last ``<outputs> = <...>Dense(...)(<x>)`` making it."""

    def __init__(self, model: str, line: int) -> None:
        super().__init__()
        self.model, self.limit = model, line
        self.outputs: str | None = None
        self.dense: list[tuple[int, str, cst.Call]] = []  # (line, target, the applied call)

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or self.line(node) > self.limit:
            return
        target, value = dotted(node.targets[0].target), node.value
        if not isinstance(value, cst.Call) or target is None:
            return
        if target == self.model and callee(value) == "Model":
            named = {a.keyword.value: a.value for a in value.args if a.keyword is not None}
            plain = [a.value for a in value.args if a.keyword is None]
            outputs = named.get("outputs", plain[1] if len(plain) > 1 else None)
            self.outputs = outputs.value if isinstance(outputs, cst.Name) else None
        elif isinstance(value.func, cst.Call) and callee(value.func) == "Dense" and \
                len(value.args) == 1 and value.args[0].keyword is None:
            self.dense.append((self.line(node), target, value))

    def applied_dense(self) -> cst.Call | None:
        made = [call for _, target, call in self.dense if target == self.outputs]
        return made[-1] if made else None


class _FlattenInput(FixTransformer):
    """``Dense(...)(x)`` -> ``Dense(...)(Flatten()(x))``."""

    def __init__(self, module: cst.Module, target: cst.Call) -> None:
        super().__init__()
        self.module, self.target = module, target

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if original_node is not self.target:
            return updated_node
        assert isinstance(original_node.func, cst.Call)
        prefix = layers_prefix(self.module, original_node.func.func)
        if prefix is None:
            return updated_node
        inner = updated_node.args[0]
        wrapped = cst.Call(func=cst.parse_expression(f"{prefix}.Flatten()"),
                           args=[inner.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
        self.changed = True
        return updated_node.with_changes(args=[inner.with_changes(value=wrapped)])


class InsertFlattenFixer:
    """``FIXERS["insert-flatten"]``: ``Flatten()`` before a Sequential's first ``Dense``."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        model = arg(finding, "model")
        if not isinstance(model, str) or not re.fullmatch(r"[A-Za-z_]\w*", model):
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        if arg(finding, "functional"):
            outputs = _ModelOutputs(model, finding.span.line)
            wrapper.visit(outputs)
            dense = outputs.applied_dense()
            if dense is None:
                return []
            return transform(source, _FlattenInput(wrapper.module, dense), wrapper)
        found = SequentialList(model, finding.span.line)
        wrapper.visit(found)
        if found.found is None:
            return []
        return transform(source, _InsertFlatten(wrapper.module, found.found), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the finding, the last statement before
        it that builds the model (and, for a functional model, the last one before it that
        makes each name the model may take as its outputs with ``Dense(...)(x)``), and the
        imports that tell how ``keras`` is spelled, found without LibCST."""
        model = arg(finding, "model")
        group = index.group_at(finding.span.line)
        if not isinstance(model, str) or group is None:
            return index.run(self.edits, finding, None)
        chosen = {group, *keras_import_groups(index)}
        built = "Model" if arg(finding, "functional") else "Sequential"
        candidates = set(index.word_groups(model)) & set(index.word_groups(built))
        last = last_group(index, candidates, group, lambda n: _builds(n, model, built))
        chosen.update(g for g in (group, last) if g is not None)
        if built == "Model":
            made_by = [n for g in {group, last} - {None} for n in index.nodes(g)
                       if _builds(n, model, built)]
            outputs = {n.id for node in made_by for n in ast.walk(node)
                       if isinstance(n, ast.Name)}
            for name in outputs:
                made = last_group(index, index.word_groups(name), group,
                                  lambda n, name=name: _applies_dense(n, name))
                chosen.update(() if made is None else (made,))
        return index.run(self.edits, finding, sorted(chosen))


def _builds(node: ast.AST, model: str, built: str) -> bool:
    """Is ``node`` ``<model> = <...>Sequential([...])`` (``built`` is "Sequential") or
    ``<model> = <...>Model(...)`` (``built`` is "Model"), as the LibCST passes see them?"""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1 or \
            ast_dotted(node.targets[0]) != model or not isinstance(node.value, ast.Call) or \
            ast_callee(node.value) != built:
        return False
    args = node.value.args
    return built == "Model" or (bool(args) and isinstance(args[0], ast.List))


def _applies_dense(node: ast.AST, name: str) -> bool:
    """Is ``node`` ``<name> = <...>Dense(...)(<one argument>)``, as ``_ModelOutputs``
    collects them?"""
    if not isinstance(node, ast.Assign) or len(node.targets) != 1 or \
            ast_dotted(node.targets[0]) != name or not isinstance(node.value, ast.Call):
        return False
    call = node.value
    return isinstance(call.func, ast.Call) and ast_callee(call.func) == "Dense" and \
        len(call.args) + len(call.keywords) == 1 and \
        (bool(call.args) or call.keywords[0].arg is None)


INSERT_FLATTEN = register(InsertFlattenFixer())
