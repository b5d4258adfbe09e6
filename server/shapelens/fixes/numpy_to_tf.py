"""SL305/SL306 "use the TensorFlow op": NumPy on the gradient path becomes its ``tf.*`` twin.

A tape records TensorFlow ops only: ``np.sum(y)`` or ``y.numpy()`` inside the ``with`` block
turns the value into a NumPy array the tape cannot see through, so the gradient is None
(SL305) or silently misses that part (SL306). The engine gives ``op`` (``np.sum``,
``.numpy()``) and ``with_line``; inside that ``with`` block the fix rewrites every NumPy
step of the gradient path (fixing only the reported one would leave the next one cutting it):

* ``np.f(...)`` -> the TF op of the table below (``np.sum`` -> ``tf.reduce_sum``, ``np.log``
  -> ``tf.math.log``, ``np.dot(a, b)`` -> ``tf.tensordot(a, b, 1)``...), spelled with the
  module's own ``tensorflow`` alias; reductions keep ``axis=``/``keepdims=``;
* the reported exit other than NumPy: ``tf.constant(t)`` -> ``tf.identity(t)`` (the same
  tensor, recorded), ``float(t)`` -> ``t``, ``model.predict(x)`` -> ``model(x)``;
* ``t.numpy()`` -> ``t``, and ``tf.constant(t.numpy())`` / ``tf.convert_to_tensor(...)``
  -> ``t``, also ``tf.constant(errors)`` where ``errors`` was bound in the block to a value
  the fix made a tensor (re-wrapping it would cut the path again).

An ndarray reduction of such a call becomes the TF reduction (``np.square(w).sum()`` ->
``tf.reduce_sum(tf.square(w))``). Nothing is offered when the module imports no
``tensorflow`` alias, when a call has keyword arguments the TF op does not take, or when its
result is used through another ndarray method (``np.f(x).argsort()``).

The fix is **unsafe**: the value is now a tensor, not an array (printing, ``in``-place
NumPy edits, or ``==`` against an array may behave differently later).
"""

from __future__ import annotations

import libcst as cst

from ..core.results import Finding
from ._cst import FixTransformer, FixVisitor, arg, callee, dotted, parse, transform
from .base import Edit, register
from .bindings import alias_groups
from .scope import ModuleIndex

FIX_ID = "numpy-to-tf"
_REDUCE = frozenset({"axis", "keepdims"})
# NumPy function -> (TF op below the ``tf`` alias, keywords it keeps)
TABLE: dict[str, tuple[str, frozenset[str]]] = {
    "sum": ("reduce_sum", _REDUCE), "mean": ("reduce_mean", _REDUCE),
    "max": ("reduce_max", _REDUCE), "amax": ("reduce_max", _REDUCE),
    "min": ("reduce_min", _REDUCE), "amin": ("reduce_min", _REDUCE),
    "prod": ("reduce_prod", _REDUCE), "std": ("math.reduce_std", _REDUCE),
    "var": ("math.reduce_variance", _REDUCE),
    **{f: (f, frozenset()) for f in ("exp", "sqrt", "square", "abs", "tanh", "sin", "cos",
                                     "sign", "negative", "maximum", "minimum", "matmul",
                                     "einsum", "where")},
    "log": ("math.log", frozenset()), "log1p": ("math.log1p", frozenset()),
    "power": ("pow", frozenset()), "clip": ("clip_by_value", frozenset()),
    "dot": ("tensordot", frozenset()), "transpose": ("transpose", frozenset()),
    "concatenate": ("concat", frozenset({"axis"})), "stack": ("stack", frozenset({"axis"})),
    "expand_dims": ("expand_dims", frozenset({"axis"})),
    "squeeze": ("squeeze", frozenset({"axis"})), "cumsum": ("math.cumsum", frozenset({"axis"})),
    "array": ("identity", frozenset()), "asarray": ("identity", frozenset()),
}
_REWRAP = frozenset({"constant", "convert_to_tensor"})
# ndarray reductions on a rewritten call -> the TF reduction of the tensor it now is
_METHODS = {"sum": "reduce_sum", "mean": "reduce_mean", "max": "reduce_max",
            "min": "reduce_min", "prod": "reduce_prod"}
_TENSOR_ATTRIBUTES = frozenset({"shape", "dtype", "ndim"})


def _aliases(module: cst.Module, package: str) -> set[str]:
    """Names the module binds to ``package`` (``import numpy as np`` -> ``np``)."""
    found = set()
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if dotted(alias.name) == package:
                        as_name = alias.asname.name if alias.asname else alias.name
                        if isinstance(as_name, cst.Name):
                            found.add(as_name.value)
    return found


def _is_numpy_method(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and \
        node.func.attr.value == "numpy" and not node.args


class _Block(FixVisitor):
    """The ``with`` statement on ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__()
        self.target_line = line
        self.block: cst.With | None = None

    def visit_With(self, node: cst.With) -> None:
        if self.line(node) == self.target_line and self.block is None:
            self.block = node


class _Rewrite(FixTransformer):
    """Inside the block: NumPy calls of the table -> TF, ``.numpy()`` dropped, and a
    ``tf.constant(...)`` around a value that is now a tensor unwrapped."""

    def __init__(self, block: cst.With, numpy: set[str], tf: str, op: str) -> None:
        super().__init__()
        self.block, self.numpy, self.tf, self.op = block, numpy, tf, op
        self.inside = 0
        self.refused = False
        self.tensors: set[str] = set()  # names bound in the block to a rewritten value
        self.rewritten = False  # the statement being left had a rewrite

    def visit_With(self, node: cst.With) -> None:
        self.inside += node is self.block

    def leave_With(self, original_node: cst.With, updated_node: cst.With) -> cst.With:
        self.inside -= original_node is self.block
        return updated_node

    def _numpy_call(self, node: cst.Call) -> bool:
        func = node.func
        return isinstance(func, cst.Attribute) and dotted(func.value) in self.numpy and \
            func.attr.value in TABLE

    def leave_Attribute(self, original_node: cst.Attribute,
                        updated_node: cst.Attribute) -> cst.Attribute:
        base = original_node.value
        if self.inside and isinstance(base, cst.Call) and self._numpy_call(base) and \
                original_node.attr.value not in _METHODS and \
                original_node.attr.value not in _TENSOR_ATTRIBUTES:
            self.refused = True  # ``np.f(x).argsort()``: an ndarray method a tensor lacks
        return updated_node

    def _method(self, original_node: cst.Call,
                updated_node: cst.Call) -> cst.BaseExpression | None:
        """``np.f(x).sum(axis=1)`` -> ``tf.reduce_sum(tf.f(x), axis=1)``."""
        func = original_node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _METHODS or \
                not isinstance(func.value, cst.Call) or not self._numpy_call(func.value) or \
                any(a.keyword is None or a.keyword.value not in _REDUCE
                    for a in original_node.args):
            return None
        assert isinstance(updated_node.func, cst.Attribute)
        receiver = cst.Arg(updated_node.func.value)
        args = [receiver.with_changes(comma=cst.Comma(
            whitespace_after=cst.SimpleWhitespace(" ")))] if updated_node.args else [receiver]
        return cst.Call(func=cst.parse_expression(f"{self.tf}.{_METHODS[func.attr.value]}"),
                        args=[*args, *updated_node.args])

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        if self.inside and self.rewritten and len(original_node.targets) == 1:
            name = dotted(original_node.targets[0].target)
            if name is not None:
                self.tensors.add(name)
        self.rewritten = False
        return updated_node

    def _unwrap(self, original_node: cst.Call, updated_node: cst.Call) -> bool:
        """``tf.constant(t.numpy())`` or ``tf.constant(errors)`` where ``errors`` is now a
        tensor: re-wrapping would cut the path again."""
        if callee(original_node) not in _REWRAP or len(original_node.args) != 1:
            return False
        inner = original_node.args[0].value
        return _is_numpy_method(inner) or \
            (isinstance(inner, cst.Call) and self._numpy_call(inner)) or \
            (isinstance(inner, cst.Name) and inner.value in self.tensors)

    def _leaving(self, original_node: cst.Call,
                 updated_node: cst.Call) -> cst.BaseExpression | None:
        """The reported way out of TF other than NumPy: ``tf.constant(t)`` ->
        ``tf.identity(t)``, ``float(t)`` -> ``t``, ``m.predict(x)`` -> ``m(x)``."""
        args = original_node.args
        plain = len(args) == 1 and args[0].keyword is None and not args[0].star
        func = original_node.func
        if self.op == "tf.constant()" and plain and isinstance(func, cst.Attribute) and \
                func.attr.value == "constant" and dotted(func.value) == self.tf:
            return updated_node.with_changes(func=cst.parse_expression(f"{self.tf}.identity"))
        if self.op == "float()" and plain and isinstance(func, cst.Name) and \
                func.value == "float":
            return updated_node.args[0].value
        if self.op == "model.predict()" and isinstance(func, cst.Attribute) and \
                func.attr.value == "predict" and args and args[0].keyword is None and \
                all(a.keyword is not None and a.keyword.value in ("verbose", "batch_size")
                    for a in args[1:]):
            first = updated_node.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated_node.with_changes(func=updated_node.func.value  # type: ignore
                                             if isinstance(updated_node.func, cst.Attribute)
                                             else updated_node.func, args=[first])
        return None

    def leave_Call(self, original_node: cst.Call,
                   updated_node: cst.Call) -> cst.BaseExpression:
        if not self.inside:
            return updated_node
        if _is_numpy_method(original_node):
            self.changed = self.rewritten = True
            assert isinstance(updated_node.func, cst.Attribute)
            return updated_node.func.value
        if self._unwrap(original_node, updated_node):
            self.changed = self.rewritten = True
            return updated_node.args[0].value
        method = self._method(original_node, updated_node)
        if method is not None:
            self.changed = self.rewritten = True
            return method
        other = self._leaving(original_node, updated_node)
        if other is not None:
            self.changed = self.rewritten = True
            return other
        if not self._numpy_call(original_node):
            return updated_node
        assert isinstance(original_node.func, cst.Attribute)
        name, keywords = TABLE[original_node.func.attr.value]
        if any(a.star or (a.keyword is not None and a.keyword.value not in keywords)
               for a in original_node.args):
            self.refused = True
            return updated_node
        args = list(updated_node.args)
        if name == "tensordot":
            if len(args) != 2:
                self.refused = True
                return updated_node
            args = [args[0], args[1].with_changes(comma=cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" "))), cst.Arg(cst.Integer("1"))]
        self.changed = self.rewritten = True
        return updated_node.with_changes(func=cst.parse_expression(f"{self.tf}.{name}"),
                                         args=args)


class NumpyToTfFixer:
    """``FIXERS["numpy-to-tf"]``: NumPy inside the tape -> the TensorFlow op."""

    fix_id = FIX_ID

    def edits(self, source: str, finding: Finding) -> list[Edit]:
        op, line = arg(finding, "op"), arg(finding, "with_line")
        if not isinstance(op, str) or not isinstance(line, int):
            return []
        wrapper = parse(source)
        if wrapper is None:
            return []
        tf = sorted(_aliases(wrapper.module, "tensorflow"))
        numpy = _aliases(wrapper.module, "numpy")
        block = _Block(line)
        wrapper.visit(block)
        if not tf or block.block is None or (op.startswith("np.") and not numpy):
            return []
        rewrite = _Rewrite(block.block, numpy, tf[0], op)
        edits = transform(source, rewrite, wrapper)
        return [] if rewrite.refused else edits

    def scoped_edits(self, index: ModuleIndex, finding: Finding) -> list[Edit]:
        """The same edits from the statements from the tape's ``with`` to the finding and
        one import of each name bound to TensorFlow or NumPy (all the fixer reads), found
        without LibCST: a whole-module parse costs seconds on a long file."""
        line = arg(finding, "with_line")
        if not isinstance(line, int):
            return []
        groups = index.span(line, finding.span.line)
        if groups is None:
            return index.run(self.edits, finding, None)
        groups = {*groups, *alias_groups(index, "tensorflow"), *alias_groups(index, "numpy")}
        return index.run(self.edits, finding, sorted(groups))


NUMPY_TO_TF = register(NumpyToTfFixer())
