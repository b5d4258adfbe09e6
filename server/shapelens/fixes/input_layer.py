"""SL211 "start the Sequential with ``keras.Input``": ``Dense(4, input_shape=(3,))`` as the
first layer -> ``keras.Input(shape=(3,))`` before it and the layer without ``input_shape=``.

Keras 3 still accepts ``input_shape=`` on the first layer of a ``Sequential`` but warns; an
``Input`` first builds the very same model. The finding sits on the layer call; the fix edits
the list element holding it (``Sequential([...])``) or the ``model.add(...)`` statement holding
it (an ``model.add(keras.Input(...))`` goes before). ``keras`` is spelled as the layer's
callee spells it, else as the module imports it; nothing is offered otherwise.

The fix is **safe**: the model, its weights and its summary are the same.
"""

from __future__ import annotations

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, dotted, parse, transform
from ._keras import insert_element, keras_module
from .base import Edit, register
from .bindings import keras_import_groups
from .scope import ModuleIndex

FIX_ID = "input-layer"


def _without_input_shape(call: cst.Call) -> tuple[cst.Call, cst.BaseExpression] | None:
    """``call`` without its ``input_shape=`` argument, and that argument's value."""
    args = list(call.args)
    index = next((i for i, a in enumerate(args)
                  if a.keyword is not None and a.keyword.value == "input_shape"), None)
    if index is None:
        return None
    removed = args.pop(index)
    if index == len(args) and args:  # it was last: the new last keeps its comma (or none)
        args[-1] = args[-1].with_changes(comma=removed.comma)
    return call.with_changes(args=args), removed.value


class _InputLayer(FixTransformer):
    def __init__(self, module: cst.Module, line: int, col: int) -> None:
        super().__init__()
        self.module, self.at = module, (line, col)

    def _is_target(self, node: cst.BaseExpression) -> bool:
        if not isinstance(node, cst.Call):
            return False
        start = self.pos(node).start
        return (start.line, start.column) == self.at

    def _input(self, layer: cst.Call, shape: cst.BaseExpression) -> cst.Call | None:
        keras = keras_module(self.module, layer.func)
        if keras is None:
            return None
        return cst.Call(func=cst.parse_expression(f"{keras}.Input"),
                        args=[cst.Arg(shape, keyword=cst.Name("shape"),
                                      equal=cst.AssignEqual(
                                          whitespace_before=cst.SimpleWhitespace(""),
                                          whitespace_after=cst.SimpleWhitespace("")))])

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.List:
        for i, element in enumerate(original_node.elements):
            if not isinstance(element, cst.Element) or not self._is_target(element.value):
                continue
            new = updated_node.elements[i]
            assert isinstance(new, cst.Element) and isinstance(new.value, cst.Call)
            split = _without_input_shape(new.value)
            made = None if split is None else self._input(new.value, split[1])
            if split is None or made is None:
                return updated_node
            elements = [e for e in updated_node.elements if isinstance(e, cst.Element)]
            if len(elements) != len(updated_node.elements):
                return updated_node
            elements[i] = new.with_changes(value=split[0])
            self.changed = True
            elements = insert_element(original_node, elements, i, made)
            return updated_node.with_changes(elements=elements)
        return updated_node

    def leave_SimpleStatementLine(
            self, original_node: cst.SimpleStatementLine,
            updated_node: cst.SimpleStatementLine,
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        """``model.add(Dense(..., input_shape=s))`` -> ``model.add(keras.Input(shape=s))``
        and ``model.add(Dense(...))``."""
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute) or \
                call.func.attr.value != "add" or len(call.args) != 1 or \
                not self._is_target(call.args[0].value) or dotted(call.func.value) is None:
            return updated_node
        layer = call.args[0].value
        assert isinstance(layer, cst.Call)
        split = _without_input_shape(layer)
        made = None if split is None else self._input(layer, split[1])
        if split is None or made is None:
            return updated_node
        self.changed = True
        add_input = updated_node.with_changes(body=[cst.Expr(call.with_changes(
            args=[cst.Arg(made)]))])
        add_layer = updated_node.with_changes(
            body=[cst.Expr(call.with_changes(args=[cst.Arg(split[0])]))], leading_lines=[])
        return cst.FlattenSentinel([add_input, add_layer])


class InputLayerFixer:
    """``FIXERS["input-layer"]``: ``input_shape=`` -> ``keras.Input(shape=...)`` first."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        wrapper = parse(source)
        if wrapper is None:
            return []
        return transform(source, _InputLayer(wrapper.module, finding.span.line,
                                             finding.span.col), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the layer and the imports that tell how
        ``keras`` is spelled, found without LibCST."""
        group = index.group_at(finding.span.line)
        if group is None:
            return index.run(self.edits, finding, None)
        groups = {group, *keras_import_groups(index)}
        return index.run(self.edits, finding, sorted(groups))


INPUT_LAYER = register(InputLayerFixer())
