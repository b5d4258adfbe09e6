"""A gradient requested: ``tape.watch``, ``tape.gradient``/``jacobian``/``batch_jacobian``.

``tape.gradient`` decides, only when proven, that a gradient is ``None`` or silently wrong
(truth table §2.6–2.8), using the paths recorded on the target (``deps.py``) and the reasons
of ``reasons.py``; it also checks the tape's own rules (used twice, used inside its block).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from ...domain.values import (
    NONE,
    UNKNOWN,
    Const,
    DictValue,
    Instance,
    LayerValue,
    ListOf,
    ModelValue,
    Ref,
    Seq,
    TapeValue,
    Tensor,
    Value,
)
from ...structs import replace
from ..keras.owners import OWNED_UNKNOWN
from ..results import Fix
from .deps import INCOMPLETE, WATCHED_UNKNOWN, flatten, fmt, known, owners, watches
from .reasons import (
    constant_to_variable,
    move_into_tape,
    path_reason,
    recompute_in_tape,
    source_reason,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .tracker import Provenance

OneGradient = Callable[[Value, "ast.expr | None"], Value]


def tape_method(prov: Provenance, tape: TapeValue, name: str, args: list[Value],
                kwargs: dict[str, Value], node: ast.AST) -> Value:
    if name == "watch":
        _watch_call(prov, tape, args, node)
        return NONE
    if name in ("gradient", "jacobian", "batch_jacobian"):
        return gradient(prov, tape, name, args, kwargs, node)
    if name == "stop_recording":
        return prov.stop_recording(tape)
    if name == "reset":
        prov.reset(tape)
        return NONE
    return UNKNOWN


def _watch_call(prov: Provenance, tape: TapeValue, args: list[Value], node: ast.AST) -> None:
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
        for value in flatten(args[:1]):
            if isinstance(value, Tensor) and value.source is not None:
                prov.token_names.setdefault(value.source, node.args[0].id)
    exprs = node.args[:1] if isinstance(node, ast.Call) else []
    first = exprs[0] if exprs else None
    # the expression of each watched tensor: the items of a literal list, or the argument
    # itself when it is one tensor (never the name of a tuple holding it)
    elts = first.elts if isinstance(first, ast.List | ast.Tuple) else \
        exprs if args and isinstance(args[0], Tensor) else []
    values = flatten(args[:1])
    for i, value in enumerate(values):
        if isinstance(value, Tensor):
            expr = elts[i] if i < len(elts) and len(elts) == len(values) else None
            _watch(prov, tape, value, expr)
        else:  # it may be any tensor: no "never watched" claim on this tape
            tape.watched.add(WATCHED_UNKNOWN)
    if not args:
        tape.watched.add(WATCHED_UNKNOWN)


def _watch(prov: Provenance, tape: TapeValue, value: Tensor, expr: ast.expr | None) -> None:
    """Watching a plain tensor makes it a source: the name now holds a watched value."""
    token = value.source if value.source is not None else next(prov.tokens)
    tape.watched.add(token)
    tape.watched.update(owners(value))  # a model's weights: its layers' too
    if OWNED_UNKNOWN in value.deps:
        tape.watched.add(WATCHED_UNKNOWN)
    if value.source is None and not isinstance(expr, ast.Name):
        # ``tape.watch(m.w)``: the watched tensor cannot be rebound, so later reads of it
        # carry no token; claim nothing "never watched" on this tape
        tape.watched.add(WATCHED_UNKNOWN)
    if isinstance(expr, ast.Name):
        prov.token_names.setdefault(token, expr.id)
    if value.source is None and isinstance(expr, ast.Name):
        prov.rebind(expr.id, replace(value, source=token))


def gradient(prov: Provenance, tape: TapeValue, method: str, args: list[Value],
             kwargs: dict[str, Value], node: ast.AST) -> Value:
    state = prov.state
    target = args[0] if args else kwargs.get("target", UNKNOWN)
    sources = args[1] if len(args) > 1 else kwargs.get("sources", UNKNOWN)
    prov.unbuilt_reaches(sources)
    position = 3 if method == "gradient" else 2
    mode = kwargs.get("unconnected_gradients", args[position] if len(args) > position else NONE)
    # else maybe zeros, not None; batch_jacobian gives zeros for an unconnected source
    # whatever the mode (TF keeps its old behaviour there)
    claims = method != "batch_jacobian" and (
        mode == NONE or (isinstance(mode, Ref) and mode.name.endswith(".NONE")) or
        (isinstance(mode, Const) and mode.value == "none"))
    _check_tape_use(prov, tape, node)
    if target is NONE:
        state.report("SL313", "the target of tape.gradient is None (does the loss function "
                     "return its value?)", node)
        return UNKNOWN
    _check_target(prov, tape, target, kwargs, node)
    if method == "batch_jacobian" and not batch_jacobian_shapes(prov, target, sources, node):
        return UNKNOWN
    wrong_shape = state.findings.get((getattr(node, "lineno", 0),
                                      getattr(node, "col_offset", 0), "SL311")) is not None
    inline = node.args[1] if isinstance(node, ast.Call) and len(node.args) > 1 else None

    record: list[tuple[str, Value, str | None]] = []
    if not state.replaying and not state.dead and not state.foreign:
        prov.gradient_calls.append((node, record))

    def one(src: Value, expr: ast.expr | None) -> Value:
        grad = _one_gradient(prov, tape, target, src, expr, node, claims)
        why = prov.last_reason if grad is NONE else None
        record.append((ast.unparse(expr) if expr is not None else "source", grad, why))
        if not isinstance(grad, Tensor) or not isinstance(src, Tensor):
            return grad
        if wrong_shape:
            return replace(grad, shape=None)
        if method != "gradient":  # jacobian: target dims, then source dims
            tshape = target.shape if isinstance(target, Tensor) else None
            sshape = src.shape if method == "jacobian" or src.shape is None else src.shape[1:]
            shape = None if tshape is None or sshape is None else (*tshape, *sshape)
            return replace(grad, shape=shape)
        return grad

    return _map_sources(sources, one, inline)


def _check_tape_use(prov: Provenance, tape: TapeValue, node: ast.AST) -> None:
    """A non-persistent tape computes one set of gradients (SL309), after its block (SL310)."""
    state = prov.state
    line = getattr(node, "lineno", 0)
    if tape.persistent or state.replaying:
        return
    if (tape.used_at and line not in tape.used_at[-1:]) or len(tape.used_at) > 1:
        first = prov.first_gradient.get(tape.token)
        state.report("SL309", "this GradientTape is not persistent and has already "
                     "computed a set of gradients; this call raises RuntimeError", node,
                     fix=Fix("persistent-tape", "Make the tape persistent", True,
                             (("with_line", tape.with_line), ("tape", tape.name))),
                     related=((first, "the first gradient call on this tape"),)
                     if first is not None else ())
    elif tape.active:
        state.report("SL310", "tape.gradient inside the tape's with block works once, "
                     "but ends this non-persistent tape: later gradient calls on it will "
                     "raise", node, fix=Fix("gradient-out-of-with",
                                            "Move tape.gradient after the with block",
                                            False, (("with_line", tape.with_line),
                                                    ("tape", tape.name))))
    tape.used_at.append(line)
    prov.first_gradient.setdefault(tape.token, node)


def _check_target(prov: Provenance, tape: TapeValue, target: Value,
                  kwargs: dict[str, Value], node: ast.AST) -> None:
    """Gradients of the wrong shape: a bad ``@tf.custom_gradient`` or ``output_gradients``."""
    state = prov.state
    bad = sorted(st for _, t, st in (target.deps if isinstance(target, Tensor) else ())
                 if st.startswith("badgrad:") and t == tape.token)
    if bad:
        state.report("SL311", f"{bad[0][8:]}: the backward pass fails or gives gradients of "
                     "the wrong shape", node)
    out_grads = kwargs.get("output_gradients")
    if isinstance(target, Tensor) and isinstance(out_grads, Tensor) and target.shape is not \
            None and out_grads.shape is not None and known(target.shape) and \
            known(out_grads.shape) and target.shape != out_grads.shape:
        state.report("SL311", f"output_gradients has shape {fmt(out_grads)} but the target "
                     f"has shape {fmt(target)}: the gradients will have the wrong shape or "
                     "the backward pass fails", node)


def batch_jacobian_shapes(prov: Provenance, target: Value, source: Value,
                          node: ast.AST) -> bool:
    """``batch_jacobian`` needs a target and a source of rank >= 2 with the same first
    dimension; TF raises ValueError otherwise (SL316). False when it raises."""
    for what, value in (("target", target), ("source", source)):
        if isinstance(value, Tensor) and value.rank is not None and value.rank < 2:
            prov.state.report("SL316", f"tape.batch_jacobian: the {what} has shape "
                              f"{fmt(value)} but must have rank at least 2 (a batch "
                              "dimension first)", node)
            return False
    if isinstance(target, Tensor) and isinstance(source, Tensor) and target.shape and \
            source.shape and isinstance(target.shape[0], int) and \
            isinstance(source.shape[0], int) and target.shape[0] != source.shape[0]:
        prov.state.report("SL316", f"tape.batch_jacobian: the first dimension of the target "
                          f"{fmt(target)} and of the source {fmt(source)} must match", node)
        return False
    return True


def _map_sources(sources: Value, call: OneGradient, expr: ast.expr | None) -> Value:
    """The gradients, structured like ``sources`` (one tensor, a list, a dict)."""
    if isinstance(sources, Tensor):
        return call(sources, expr)
    if isinstance(sources, Seq):
        exprs: list[ast.expr | None] = list(expr.elts) if isinstance(
            expr, ast.List | ast.Tuple) else [None] * len(sources.items)
        return Seq(tuple(call(s, e) for s, e in zip(sources.items, exprs)), sources.kind)
    if isinstance(sources, ListOf):
        return ListOf(call(sources.element, None))
    if isinstance(sources, DictValue):
        values: list[ast.expr | None] = list(expr.values) if isinstance(expr, ast.Dict) and \
            len(expr.values) == len(sources.items) else [None] * len(sources.items)
        return DictValue(tuple((k, call(v, e)) for (k, v), e in zip(sources.items, values)))
    return UNKNOWN


def _one_gradient(prov: Provenance, tape: TapeValue, target: Value, src: Value,
                  expr: ast.expr | None, node: ast.AST, claims: bool = True) -> Value:
    """The gradient w.r.t. one source; NONE (and a finding) only when proven. ``claims``
    is False under ``unconnected_gradients=ZERO``: an unconnected source gets zeros."""
    if not isinstance(src, Tensor):
        return UNKNOWN
    grad = Tensor(src.shape, src.dtype, "tensor", origin="tape.gradient",
                  deps=frozenset({INCOMPLETE}), grad_of=src.source)
    if not claims or (isinstance(target, Tensor) and target.source is not None and
                      target.source == src.source):
        return grad
    if WATCHED_UNKNOWN in tape.watched and not watches(tape, src):
        return grad  # maybe watched through a value the analyzer cannot see: no claim
    reason = source_reason(tape, src, expr, prov.rebound)
    if reason is None and src.source is None:
        return grad  # a plain tensor not proven unwatched: no path to compare
    if reason is None and isinstance(target, Tensor) and INCOMPLETE not in target.deps:
        reason = path_reason(tape, target, src, expr)
    if reason is None:
        return grad
    state = prov.state
    if state.replaying:
        return UNKNOWN  # joined loop states are too coarse to prove a None gradient
    code, message, fix = reason
    prov.last_reason = message
    alternatives: tuple[Fix, ...] = ()
    if code == "SL301" and fix is not None:
        alternatives = constant_to_variable(tape, src, expr, state.in_tf_function())
    elif code == "SL303" and not (isinstance(target, Tensor) and target.kind == "variable"):
        # (a target that is a variable itself is computed nowhere: nothing to move)
        fix = move_into_tape(tape, expr, node, tuple(sorted(
            name for name, value in state.scope.vars.items()
            if isinstance(value, LayerValue | ModelValue | Instance))))
        alternatives = recompute_in_tape(fix)
    raises = code == "SL305" and isinstance(target, Tensor) and target.kind == "ndarray"
    state.report(code, message, node, fix=fix, alternatives=alternatives,
                 severity="error" if raises else None)
    return UNKNOWN if raises else grad if code == "SL306" else NONE
