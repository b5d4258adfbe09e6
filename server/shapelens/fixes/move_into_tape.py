"""SL303 "move the statements computing the target into the tape".

A tape records only what runs inside its ``with`` block: a target computed (even partly)
from the source *before* the block is a constant to the tape, and its gradient is None. The
engine gives ``with_line``, ``tape``, ``target`` (the target's name at the gradient call) and
``source`` (the name the source is rooted at: ``w``, ``model`` for
``model.trainable_variables``). The fix moves the statements that compute the target, and
sit right before the ``with``, to the start of its block:

* the names the target depends on are collected backwards through the block (the target,
  then everything read by a statement of the block that binds a collected name);
* the run considered is the contiguous run of simple assignments to plain names (``=``,
  ``+=``, annotated) immediately before the ``with``, in the same block, each binding a
  collected name (whose reads are collected in turn); it stops at any other statement and at
  the statement that binds the source;
* of the run, the statements that read the source, or a name bound by a statement already
  chosen, move; the others (``x = np.random.randn(...)``: the data) stay where they are, so
  only what the tape must record moves; so does a statement binding a name the engine says
  holds a Keras model or layer (``objects``: ``clone = clone_model(model)`` builds an object
  from the source but uses none of its weights, and the call that does is already taped);
* they go first in the block, after its leading ``tape.watch(...)`` calls, with their comments.

Nothing is offered, because it is not clearly right, when: no statement of the run reads
the source (moving it would not link the target to the source); a moved statement mentions
the tape; a statement that stays uses or rebinds a name a moved one binds, or rebinds a name
a moved one reads (the order would change what it computes); the ``with`` statement itself or
a leading ``tape.watch`` reads a name that moves; the block calls ``tape.watch`` after its
first statements; the target is rebound between the block and the gradient call; the block
is a one-line suite; the code sits in a different block from the ``with`` (hoisted out of a
loop: moving it would run it on every iteration).

The fix is **unsafe**: the moved code now runs while the tape records (more memory, and a
nested tape or ``tape.stop_recording`` sees it), so ``check --fix`` applies it only with
``--unsafe-fixes``.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, arg, bound_names, names_used, tape_item, transform
from .base import Edit, register
from .scope import ModuleIndex

FIX_ID = "move-into-tape"
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign, ast.AugAssign)


def _roots(stmt: cst.CSTNode) -> set[str]:
    return {name.split(".")[0] for name in bound_names(stmt)}


def _watch_call(node: cst.CSTNode, tape: str) -> bool:
    """Is ``node`` (a small statement) ``<tape>.watch(...)``?"""
    if not isinstance(node, cst.Expr) or not isinstance(node.value, cst.Call):
        return False
    func = node.value.func
    return isinstance(func, cst.Attribute) and func.attr.value == "watch" and \
        isinstance(func.value, cst.Name) and func.value.value == tape


class _Watches(cst.CSTVisitor):
    def __init__(self, tape: str) -> None:
        self.tape, self.found = tape, False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        self.found |= isinstance(func, cst.Attribute) and func.attr.value == "watch" and \
            isinstance(func.value, cst.Name) and func.value.value == self.tape


def _watches(node: cst.CSTNode, tape: str) -> bool:
    visitor = _Watches(tape)
    node.visit(visitor)
    return visitor.found


def _is_leading_watch(stmt: cst.BaseStatement, tape: str) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and \
        all(_watch_call(s, tape) for s in stmt.body)


def _blank_prefix(lines: Sequence[cst.EmptyLine]) -> int:
    """How many of ``lines`` are blank (no comment) before the first comment."""
    blank = 0
    while blank < len(lines) and lines[blank].comment is None:
        blank += 1
    return blank


def _assignment(stmt: cst.BaseStatement) -> tuple[set[str], set[str]] | None:
    """(names bound, names read) of a one-statement line assigning plain names (``a = ...``,
    ``a, b = ...``, ``a: T = ...``, ``a += ...``), else None."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
        reads = names_used(small.value)
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        targets = [small.target]
        reads = names_used(small.value) | names_used(small.annotation)
    elif isinstance(small, cst.AugAssign):
        targets = [small.target]
        reads = names_used(small.value) | names_used(small.target)
    else:
        return None
    binds: set[str] = set()
    for target in targets:
        names = _plain_names(target)
        if names is None:
            return None
        binds |= names
    return binds, reads


def _plain_names(target: cst.BaseExpression) -> set[str] | None:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        out: set[str] = set()
        for element in target.elements:
            names = _plain_names(element.value)
            if names is None or isinstance(element, cst.StarredElement):
                return None
            out |= names
        return out
    return None


class _MoveIn(FixTransformer):
    def __init__(self, tape: str, with_line: int, target: str, source: str,
                 gradient_line: int, objects: frozenset[str] = frozenset()) -> None:
        super().__init__()
        self.tape, self.with_line, self.target = tape, with_line, target
        self.source, self.gradient_line = source, gradient_line
        self.objects = objects  # names holding a Keras model or layer (the engine's)

    def _plan(self, body: Sequence[cst.BaseStatement]) -> tuple[list[int], int, int] | None:
        """(indices of the statements to move, index of the with, insertion index in its
        block), or None when the fix is not clearly right."""
        index = next((i for i, s in enumerate(body) if isinstance(s, cst.With) and
                      self.line(s) == self.with_line and tape_item(s, self.tape) is not None),
                     None)
        if index is None:
            return None
        with_node = body[index]
        assert isinstance(with_node, cst.With)
        if not isinstance(with_node.body, cst.IndentedBlock):
            return None
        block = list(with_node.body.body)
        # the names the target depends on inside the block
        needed = {self.target}
        for stmt in reversed(block):
            if _roots(stmt) & needed:
                needed |= names_used(stmt)
        # the contiguous run of assignments right before the with that the target needs
        start = index
        while start > 0:
            parts = _assignment(body[start - 1])
            if parts is None:
                break
            binds, reads = parts
            if not binds & needed or self.source in binds:
                break
            needed |= reads
            start -= 1
        # of the run, the statements that read the source (or what a moved one binds) move;
        # the rest stays, and must not use or rebind what moves (nothing between uses)
        tainted, moved = {self.source}, []
        for i in range(start, index):
            binds, reads = _assignment(body[i])  # type: ignore[misc]
            if reads & tainted and not binds & self.objects:  # (building a model from the
                # source, as clone_model does, uses none of its weights: it stays)
                moved.append(i)
                tainted |= binds
        if not moved:
            return None  # the run does not read the source: moving it links nothing
        for i in moved:
            binds, reads = _assignment(body[i])  # type: ignore[misc]
            if self.tape in reads | binds:
                return None
            for j in range(i + 1, index):
                if j in moved:
                    continue
                later_binds, later_reads = _assignment(body[j])  # type: ignore[misc]
                if binds & (later_reads | later_binds) or reads & later_binds:
                    return None
        binds = set().union(*(_assignment(body[i])[0] for i in moved))  # type: ignore[index]
        if any(names_used(item.item) & binds for item in with_node.items):
            return None
        insert = 0
        while insert < len(block) and _is_leading_watch(block[insert], self.tape):
            if names_used(block[insert]) & binds:
                return None
            insert += 1
        if any(_watches(s, self.tape) for s in block[insert:]):
            return None  # a later watch: the moved code would run before it
        for later in body[index + 1:]:
            if self.line(later) > self.gradient_line:
                break
            holds_call = self.pos(later).end.line >= self.gradient_line
            if self.target in _roots(later) and not (
                    holds_call and isinstance(later, cst.SimpleStatementLine)):
                return None  # the gradient call may see another target
            if holds_call:
                break
        return moved, index, insert

    def _rewrite(self, original: Sequence[cst.BaseStatement],
                 updated: Sequence[cst.BaseStatement]) -> list[cst.BaseStatement] | None:
        plan = self._plan(original)
        if plan is None:
            return None
        moved, index, insert = plan
        start = moved[0]
        with_node = updated[index]
        assert isinstance(with_node, cst.With) and isinstance(with_node.body, cst.IndentedBlock)
        staying: list[cst.BaseStatement] = [s for i, s in enumerate(updated[start:index], start)
                                            if i not in moved]
        into: list[cst.BaseStatement] = []
        for n, i in enumerate(moved):
            stmt = updated[i]
            assert isinstance(stmt, cst.SimpleStatementLine)
            lines = list(stmt.leading_lines)
            if n == 0:
                lines = lines[_blank_prefix(lines):]  # no blank line opens the block
            # blank lines stay blank (no indentation) in the deeper block
            lines = [line.with_changes(indent=False) if line.comment is None else line
                     for line in lines]
            into.append(stmt.with_changes(leading_lines=lines))
        block = list(with_node.body.body)
        block[insert:insert] = into
        after = [*staying, with_node.with_changes(body=with_node.body.with_changes(body=block))]
        # the blank lines that separated the run from the code above now open what follows
        first = updated[start]
        assert isinstance(first, cst.SimpleStatementLine)
        above = list(first.leading_lines)[:_blank_prefix(first.leading_lines)]
        head = after[0]
        assert isinstance(head, cst.SimpleStatementLine | cst.With)
        own = list(head.leading_lines)
        after[0] = head.with_changes(leading_lines=[*above, *own[_blank_prefix(own):]])
        self.changed = True
        return [*updated[:start], *after, *updated[index + 1:]]

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self.changed:
            return updated_node
        body = self._rewrite(original_node.body, updated_node.body)
        return updated_node if body is None else updated_node.with_changes(body=body)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        if self.changed:
            return updated_node
        body = self._rewrite(original_node.body, updated_node.body)
        return updated_node if body is None else updated_node.with_changes(body=body)


class MoveIntoTapeFixer:
    """``FIXERS["move-into-tape"]``: move the statements computing the target into the
    tape's ``with`` block."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        tape, with_line = arg(finding, "tape"), arg(finding, "with_line")
        target, src = arg(finding, "target"), arg(finding, "source")
        if not all(isinstance(v, str) and v.isidentifier() for v in (tape, target, src)) or \
                not isinstance(with_line, int) or with_line <= 0:
            return []
        objects = arg(finding, "objects")
        held = frozenset(objects) if isinstance(objects, tuple) else frozenset()
        return transform(source, _MoveIn(tape, with_line, target, src,  # type: ignore[arg-type]
                                         finding.span.line, held))

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statements between the ``with`` and the gradient call;
        for a ``with`` at module level also the assignments right before it and the
        statement that ends their run (the code that may move, with its comments)."""
        with_line = arg(finding, "with_line")
        if not isinstance(with_line, int):
            return index.run(self.edits, finding, None)
        groups = index.span(with_line, finding.span.line)
        first = index.group_at(with_line)
        if groups is not None and first is not None and \
                isinstance(index.top_statement(with_line), ast.With | ast.AsyncWith):
            while first > 0 and all(isinstance(s, _ASSIGNMENTS)
                                    for s in index.groups[first - 1].stmts):
                first -= 1
            groups = list(range(min(max(first - 1, 0), groups[0]), groups[-1] + 1))
        return index.run(self.edits, finding, groups)


MOVE_INTO_TAPE = register(MoveIntoTapeFixer())
