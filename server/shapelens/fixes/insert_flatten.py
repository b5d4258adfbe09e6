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

The fix is **unsafe**: it changes the model (the first ``Dense`` gets a new, larger kernel).
"""

from __future__ import annotations

import re

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, callee, parse, transform
from ._keras import SequentialList, insert_element, layers_prefix
from .base import Edit, register

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
        found = SequentialList(model, finding.span.line)
        wrapper.visit(found)
        if found.found is None:
            return []
        return transform(source, _InsertFlatten(wrapper.module, found.found), wrapper)


INSERT_FLATTEN = register(InsertFlattenFixer())
