"""SL308 "compute it as a tensor": ``s = tf.Variable(alpha * w)`` inside the tape -> ``s =
alpha * w``.

A ``tf.Variable`` created inside the tape from the source reads the source's value once: the
new variable is a fresh source with no gradient back to the old one, so the gradient w.r.t.
the source is None. The engine gives ``source`` (the source's name) and ``with_line``; inside
that ``with`` block, every ``name = <module>.Variable(<initial value>, ...)`` whose initial
value reads the source becomes ``name = <initial value>``: a tensor the tape records.

(A variable that is *itself* the thing to train belongs before the loop, created once; the
engine does not report that case, because TF does compute its gradient.)

Nothing is offered when the call passes ``dtype=`` (the value would change type) or when the
module calls ``<name>.assign...`` (a tensor has no ``assign``).

The fix is **unsafe**: ``name`` is a tensor now, not a variable (no ``assign``, not in
``tape.watched_variables()``).
"""

from __future__ import annotations

import ast

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, callee, dotted, names_used, parse, transform
from .base import Edit, register
from .bindings import dotted as ast_dotted
from .scope import ModuleIndex

FIX_ID = "variable-to-tensor"


def _initial(call: cst.Call) -> cst.BaseExpression | None:
    """The initial value of a ``Variable(...)`` call, or None when unsure."""
    value = None
    for a in call.args:
        if a.star:
            return None
        keyword = a.keyword.value if a.keyword is not None else None
        if keyword == "dtype":
            return None
        if (keyword is None and value is None) or keyword == "initial_value":
            value = a.value
    return value


class _Assigns(cst.CSTVisitor):
    """Does anything call ``<name>.assign...(...)``?"""

    def __init__(self, names: set[str]) -> None:
        self.names, self.found = names, False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        self.found |= isinstance(func, cst.Attribute) and \
            func.attr.value.startswith("assign") and dotted(func.value) in self.names


class _Unwrap(FixTransformer):
    def __init__(self, line: int, source: str) -> None:
        super().__init__()
        self.with_line, self.source = line, source
        self.inside = 0
        self.made: set[str] = set()
        self.block: cst.With | None = None

    def visit_With(self, node: cst.With) -> None:
        if self.line(node) == self.with_line and self.block is None:
            self.block = node
        self.inside += node is self.block

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        self.inside -= original_node is self.block
        return updated_node

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if not self.inside or len(original_node.targets) != 1:
            return updated_node
        value = original_node.value
        name = dotted(original_node.targets[0].target)
        if name is None or not isinstance(value, cst.Call) or callee(value) != "Variable":
            return updated_node
        initial = _initial(value)
        if initial is None or self.source not in names_used(initial):
            return updated_node
        self.changed = True
        self.made.add(name)
        return updated_node.with_changes(value=initial.with_changes(lpar=[], rpar=[])
                                         if getattr(initial, "lpar", None) else initial)


class VariableToTensorFixer:
    """``FIXERS["variable-to-tensor"]``: a variable made from the source inside the tape
    becomes the tensor it was initialised with."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        name, line = arg(finding, "source"), arg(finding, "with_line")
        if not isinstance(name, str) or not isinstance(line, int):
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        unwrap = _Unwrap(line, name)
        edits = transform(source, unwrap, wrapper)
        if not edits:
            return []
        assigns = _Assigns(unwrap.made)
        wrapper.module.visit(assigns)
        return [] if assigns.found else edits

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statements between the ``with`` and the finding, and
        for each target assigned there, one statement that calls ``<target>.assign...(...)``
        (the fixer refuses a variable assigned anywhere), found without LibCST."""
        line = arg(finding, "with_line")
        if not isinstance(line, int):
            return []
        groups = index.span(line, finding.span.line)
        if groups is None:
            return index.run(self.edits, finding, None)
        targets = {ast_dotted(t) for g in groups for n in index.nodes(g)
                   if isinstance(n, ast.Assign) for t in n.targets} - {None}
        chosen, seen = set(groups), set()
        for group in index.text_groups("assign"):  # one call per target is enough to refuse
            if seen >= targets:
                break
            called = {ast_dotted(n.func.value) for n in index.nodes(group)
                      if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and
                      n.func.attr.startswith("assign")} & targets
            if called - seen:
                chosen.add(group)
                seen |= called
        return index.run(self.edits, finding, sorted(chosen))


VARIABLE_TO_TENSOR = register(VariableToTensorFixer())
