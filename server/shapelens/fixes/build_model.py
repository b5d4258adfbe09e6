"""SL314 "build the model first": ``model.trainable_variables`` read before the model has
weights is ``[]``, so the training loop it feeds updates nothing. The fix calls the model on
a batch right before that read, the way Keras builds it anyway on its first call.

The engine gives ``model`` (the name whose ``trainable_variables`` is read); the finding
sits on the read. The batch is the argument of the first later call ``<model>(<batch>)`` in
the module (the forward pass inside the tape), provided every name it reads is bound by a
statement that ends before the read (so it exists there, with the same meaning). The call
``<model>(<batch>)`` is inserted as a statement before the statement holding the read, with
that statement's comments kept above both.

Nothing is offered when the model is never called on data, the batch needs names bound
later (``for x in dataset:`` below), or the read sits in a one-line suite.

The fix is **unsafe**: the model runs once more (a layer with side effects, a print in a
subclass's ``call``, sees one more call).
"""

from __future__ import annotations

import ast
import builtins
import re

import libcst as cst

from ..core.results import Finding
from ._cst import (
    FixTransformer,
    FixVisitor,
    arg,
    bound_names,
    code,
    dotted,
    names_used,
    parse,
    transform,
)
from .base import Edit, register
from .bindings import dotted as ast_dotted
from .bindings import first_group, target_names
from .scope import ModuleIndex

FIX_ID = "build-model"


class _Batch(FixVisitor):
    """The first call ``<model>(<batch>)`` after ``line``, and the names bound by
    statements that end before ``line``."""

    def __init__(self, model: str, line: int) -> None:
        super().__init__()
        self.model, self.limit = model, line
        self.batch: cst.BaseExpression | None = None
        self.bound: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        if self.batch is None and dotted(node.func) == self.model and \
                len(node.args) >= 1 and node.args[0].keyword is None and \
                not node.args[0].star and self.line(node) > self.limit:
            self.batch = node.args[0].value

    def _bind(self, node: cst.CSTNode) -> None:
        if self.pos(node).end.line < self.limit:
            self.bound.update(name.split(".")[0] for name in bound_names(node))

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._bind(node)
        self.bound.update(self._imported(node))

    def visit_For(self, node: cst.For) -> None:
        self._bind(node)

    def visit_With(self, node: cst.With) -> None:
        self._bind(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.pos(node).start.line < self.limit:
            self.bound.add(node.name.value)
            self.bound.update(p.name.value for p in node.params.params)

    @staticmethod
    def _imported(node: cst.SimpleStatementLine) -> set[str]:
        found = set()
        for small in node.body:
            if isinstance(small, cst.Import | cst.ImportFrom) and \
                    not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    local = alias.asname.name if alias.asname else alias.name
                    name = dotted(local)  # type: ignore[arg-type]
                    if name:
                        found.add(name.split(".")[0])
        return found


class _Build(FixTransformer):
    def __init__(self, line: int, statement: str) -> None:
        super().__init__()
        self.target_line, self.statement = line, statement

    def _insert(self, original_node: cst.SimpleStatementLine | cst.For,
                updated_node: cst.SimpleStatementLine | cst.For,
                ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        if self.changed or self.line(original_node) != self.target_line:
            return updated_node
        self.changed = True
        build = cst.parse_statement(self.statement)
        build = build.with_changes(leading_lines=updated_node.leading_lines)
        return cst.FlattenSentinel([build, updated_node.with_changes(leading_lines=[])])

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine,
                                  updated_node: cst.SimpleStatementLine
                                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        return self._insert(original_node, updated_node)

    def leave_For(self, original_node: cst.For, updated_node: cst.For
                  ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement]:
        return self._insert(original_node, updated_node)


class BuildModelFixer:
    """``FIXERS["build-model"]``: call the model on a batch before reading its weights."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        model = arg(finding, "model")
        if not isinstance(model, str) or not re.fullmatch(r"[A-Za-z_]\w*", model):
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        batch = _Batch(model, finding.span.line)
        wrapper.visit(batch)
        known = batch.bound | {model} | set(dir(builtins))
        if batch.batch is None or not names_used(batch.batch) <= known:
            return []
        statement = f"{model}({code(batch.batch).strip()})\n"
        return transform(source, _Build(finding.span.line, statement), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the read, the first statement after it
        that calls ``<model>(<batch>)``, and for each name the batch reads the statements
        before the read that mention it, back to one that certainly binds it (the fixer
        asks only whether each is bound before the read), found without LibCST."""
        model = arg(finding, "model")
        group = index.group_at(finding.span.line)
        if not isinstance(model, str) or group is None:
            return index.run(self.edits, finding, None)

        def batch_call(node: ast.AST) -> bool:
            return isinstance(node, ast.Call) and ast_dotted(node.func) == model and \
                bool(node.args) and not isinstance(node.args[0], ast.Starred)

        # the first such call after the read is in the read's statement or in this one
        later = first_group(index, index.word_groups(model), group, batch_call)
        chosen = {group} if later is None else {group, later}
        calls = [n for g in chosen for n in index.nodes(g)
                 if isinstance(n, ast.Call) and batch_call(n)]
        for name in sorted({n for call in calls for n in _words(call.args[0])}):
            if name in _KNOWN:
                continue
            for g in sorted((g for g in index.word_groups(name) if g < group), reverse=True):
                chosen.add(g)
                if any(name in _binds(n) for n in index.nodes(g)):
                    break
        return index.run(self.edits, finding, sorted(chosen))


_KNOWN = frozenset(dir(builtins))


def _words(node: ast.expr) -> set[str]:
    """Every identifier ``node`` holds as a variable or a parameter: a superset of the
    LibCST ``names_used`` of the same expression."""
    return {n.id if isinstance(n, ast.Name) else n.arg for n in ast.walk(node)
            if isinstance(n, ast.Name | ast.arg)}


def _binds(node: ast.AST) -> set[str]:
    """Names ``node`` certainly binds as ``_Batch`` counts bindings (a subset: assignment
    statements, ``for`` and ``with`` targets, imports, function names and parameters)."""
    if isinstance(node, ast.Assign):
        return {n for t in node.targets for n in target_names(t)}
    if isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For | ast.AsyncFor):
        return set(target_names(node.target))
    if isinstance(node, ast.With | ast.AsyncWith):
        return {n for item in node.items if item.optional_vars is not None
                for n in target_names(item.optional_vars)}
    if isinstance(node, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return {node.name, *(a.arg for a in node.args.args)}
    return set()


BUILD_MODEL = register(BuildModelFixer())
