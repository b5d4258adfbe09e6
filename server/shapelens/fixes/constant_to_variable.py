"""SL301's alternative fix "create it as a ``tf.Variable``": ``x = tf.constant(3.0)`` ->
``x = tf.Variable(3.0)``.

A tape watches the trainable float variables it reads, so a source created as a variable
gets its gradient without a ``tape.watch``. The engine offers this next to add-watch (which
stays the primary, safe fix) when the source is a float tensor made by ``tf.constant`` or
``tf.convert_to_tensor``, the tape watches the variables it reads, and the code is not
inside ``tf.function``; it gives ``name`` (the source as written).

The fixer edits the binding ``name = <tf>.constant(...)`` / ``<tf>.convert_to_tensor(...)``
that the gradient call sees: the one scope (function or module, looked up from the
gradient call outwards) that binds ``name`` must bind it exactly **once**, with that plain
assignment. Any other binding (``x = x - lr * g`` in a training loop, ``x -= ...``, a
parameter, a ``for``/``with``/``import`` target, ``del``, ``global``/``nonlocal``, a
comprehension variable of that name) means the variable would be replaced by a plain tensor
again, so nothing is offered. Nor inside a function decorated with ``tf.function`` (a
variable may only be created on its first call). Only the callee changes (``constant`` ->
``Variable``) plus, where needed, the arguments' spelling: ``value=`` becomes
``initial_value=`` and a positional dtype becomes ``dtype=``; calls with other arguments
(``shape=``, ``dtype_hint=``...) are left alone.

The fix is **unsafe**: the name now holds a ``tf.Variable`` rather than a tensor, which the
rest of the program may notice (a variable is mutable and hashable, ``tf.function`` treats it
as state, ``isinstance(x, tf.Tensor)`` is False), and it is never applied in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, dotted, parse, transform
from .base import Edit, register
from .bindings import comprehension_binds, module_bindings
from .scope import ModuleIndex

FIX_ID = "constant-to-variable"
_MODULES = ("tf", "tensorflow")
# callee -> (its positional parameters, keywords the rewrite can keep)
_CALLS = {"constant": ("value", "dtype"), "convert_to_tensor": ("value", "dtype")}
_KEEP = {"dtype", "name"}


@dataclass
class _Scope:
    node: cst.CSTNode
    lines: tuple[int, int]  # first and last line of the scope's node
    function: bool
    tf_function: bool = False
    bindings: list[cst.CSTNode] = field(default_factory=list)  # of the name, in this scope
    declared: bool = False  # ``global name`` / ``nonlocal name``


def _constant_call(node: cst.BaseExpression) -> bool:
    if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
        return False
    return node.func.attr.value in _CALLS and dotted(node.func.value) in _MODULES


def _names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, cst.Tuple | cst.List):
        return [n for e in target.elements for n in _names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return []


class _Bindings(FixVisitor):
    """Every binding of ``name``, per scope (module, functions, lambdas, classes)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.scopes: list[_Scope] = []
        self.stack: list[_Scope] = []
        self.ambiguous = False  # a comprehension variable of that name

    def _bind(self, node: cst.CSTNode, names: list[str]) -> None:
        if self.name in names and self.stack:
            self.stack[-1].bindings.append(node)

    def _push(self, node: cst.CSTNode, function: bool, tf_function: bool = False) -> None:
        where = self.pos(node)
        scope = _Scope(node, (where.start.line, where.end.line), function, tf_function)
        self.scopes.append(scope)
        self.stack.append(scope)

    def _pop(self, node: cst.CSTNode) -> None:
        self.stack.pop()

    def _params(self, params: cst.Parameters) -> None:
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        for param in every:
            self._bind(param, [param.name.value])

    def visit_Module(self, node: cst.Module) -> None:
        self._push(node, False)

    def leave_Module(self, original_node: cst.Module) -> None:
        self._pop(original_node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._bind(node, [node.name.value])
        tf_function = any((dotted(d.decorator.func if isinstance(d.decorator, cst.Call)
                                  else d.decorator) or "").endswith("function")
                          for d in node.decorators)
        self._push(node, True, tf_function)
        self._params(node.params)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._pop(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._push(node, True)
        self._params(node.params)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self._pop(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node, [node.name.value])
        self._push(node, False)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._pop(original_node)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(node, _names(target.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node, _names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node, _names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self._bind(node, _names(node.target))

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.ambiguous |= self.name in _names(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node, _names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self._bind(node, _names(node.name))  # type: ignore[arg-type]

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self._bind(node, [(dotted(node.name) or "").split(".")[0]])

    def visit_Del(self, node: cst.Del) -> None:
        self._bind(node, _names(node.target))

    def visit_Global(self, node: cst.Global) -> None:
        self.stack[-1].declared |= any(n.name.value == self.name for n in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.stack[-1].declared |= any(n.name.value == self.name for n in node.names)


def _binding(bindings: _Bindings, line: int,
             reached: list[bool] | None = None) -> cst.Call | None:
    """The constant call whose result ``name`` holds at ``line``, or None if not certain.
    ``reached`` gets a True when the module's own bindings were looked at."""
    chain = [s for s in bindings.scopes if s.lines[0] <= line <= s.lines[1]]
    if bindings.ambiguous or any(s.tf_function for s in chain):
        return None
    # innermost first; a function does not see the names of an enclosing class body
    inner = chain[::-1]
    for i, scope in enumerate(inner):
        if i > 0 and not scope.function and not isinstance(scope.node, cst.Module):
            continue
        if reached is not None and isinstance(scope.node, cst.Module):
            reached.append(True)
        if scope.declared:
            return None
        if not scope.bindings:
            continue
        if len(scope.bindings) != 1:
            return None
        node = scope.bindings[0]
        if not isinstance(node, cst.Assign) or len(node.targets) != 1 or \
                not isinstance(node.targets[0].target, cst.Name) or \
                not _constant_call(node.value):
            return None
        assert isinstance(node.value, cst.Call)
        return node.value
    return None


def _variable_args(call: cst.Call) -> list[cst.Arg] | None:
    """The arguments of the equivalent ``tf.Variable`` call, or None when there is none."""
    assert isinstance(call.func, cst.Attribute)
    positional = _CALLS[call.func.attr.value]
    out: list[cst.Arg] = []
    for i, a in enumerate(call.args):
        if a.star:
            return None
        if a.keyword is None:
            if i >= len(positional):
                return None
            if i == 0:
                out.append(a)
                continue
            a = a.with_changes(keyword=cst.Name(positional[i]), equal=cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=cst.SimpleWhitespace("")))
        elif a.keyword.value == "value":
            a = a.with_changes(keyword=cst.Name("initial_value"))
        elif a.keyword.value not in _KEEP:
            return None
        out.append(a)
    has_value = any((a.keyword is None and not a.star) or
                    (a.keyword is not None and a.keyword.value == "initial_value") for a in out)
    return out if has_value else None


class _ToVariable(FixTransformer):
    def __init__(self, target: cst.Call) -> None:
        super().__init__()
        self.target = target

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if original_node is not self.target:
            return updated_node
        args = _variable_args(updated_node)
        if args is None:
            return updated_node
        func = updated_node.func
        assert isinstance(func, cst.Attribute)
        self.changed = True
        return updated_node.with_changes(func=func.with_changes(attr=cst.Name("Variable")),
                                         args=args)


class ConstantToVariableFixer:
    """``FIXERS["constant-to-variable"]``: create the watched-for constant as a variable."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        return self._edits(source, finding)

    def _edits(self, source: str, finding: Finding,
               reached: list[bool] | None = None) -> list[Edit]:
        name = arg(finding, "name")
        if not isinstance(name, str) or not name.isidentifier():
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        bindings = _Bindings(name)
        wrapper.visit(bindings)
        call = _binding(bindings, finding.span.line, reached)
        if call is None:
            return []
        return transform(source, _ToVariable(call), wrapper)

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statement holding the gradient call when its own
        functions bind the name; else from every statement that mentions the name (the
        module's bindings), unless ``ast`` already shows two bindings there. A comprehension
        variable of that name anywhere means no fix, as in ``_binding``."""
        name = arg(finding, "name")
        if not isinstance(name, str) or not name.isidentifier():
            return []
        group = index.group_at(finding.span.line)
        if group is None:
            return index.run(self.edits, finding, None)
        hits = index.word_groups(name)
        loops = set(index.word_groups("for"))
        if comprehension_binds(index, [h for h in hits if h in loops], name):
            return []
        reached: list[bool] = []
        edits = index.run(lambda text, found: self._edits(text, found, reached), finding,
                          [group], line_args=())
        if not reached:
            return edits  # decided by the functions around the call
        count, declared = module_bindings(index, hits, name)
        if count > 1 or declared:
            return []
        return index.run(self.edits, finding, {group, *hits}, line_args=())


CONSTANT_TO_VARIABLE = register(ConstantToVariableFixer())
