"""Python builtins that shape code leans on: len, int, float, min/max, list/tuple, zip,
enumerate, range, abs, sum, round, print."""

from __future__ import annotations

import math

from ..domain.values import NONE, UNKNOWN, Const, ListOf, Seq, SymDim, Tensor, Value, join
from ._common import Call, to_dim, to_int
from .registry import op


def _dim_value(d: object) -> Value:
    if isinstance(d, int):
        return Const(d)
    if isinstance(d, str):
        return SymDim(d)
    return UNKNOWN


@op("builtins.len")
def len_(call: Call) -> Value:
    v = call.arg(0, None)
    if isinstance(v, Seq):
        return Const(len(v.items))
    if isinstance(v, Tensor) and v.shape:
        return _dim_value(v.shape[0])
    if isinstance(v, Const) and isinstance(v.value, str):
        return Const(len(v.value))
    return UNKNOWN


@op("builtins.int")
def int_(call: Call) -> Value:
    v = call.arg(0, None)
    n = to_int(v)
    if n is not None:
        return Const(n)
    if isinstance(v, Const) and isinstance(v.value, float) and math.isfinite(v.value):
        return Const(int(v.value))
    if isinstance(v, SymDim):
        return v
    if isinstance(v, Tensor) and v.shape == () and v.content and isinstance(v.content[0], str):
        return SymDim(v.content[0])
    if isinstance(v, Tensor) and v.shape in ((), None):  # a Python int read off a tensor
        return Tensor((), "int64", "pyscalar", origin="int()")
    return UNKNOWN


@op("builtins.float")
def float_(call: Call) -> Value:
    v = call.arg(0, None)
    if isinstance(v, Const) and isinstance(v.value, int | float) and \
            not isinstance(v.value, bool) and abs(v.value) < 1e300:
        return Const(float(v.value))
    if isinstance(v, Tensor) and v.shape in ((), None):  # a Python float read off a tensor
        return Tensor((), "float64", "pyscalar", origin="float()")
    if isinstance(v, Const) and isinstance(v.value, str) and \
            v.value.strip().lower().lstrip("+-") in ("inf", "infinity", "nan"):
        # float('inf'): a Python float whose value the engine does not carry
        return Tensor((), "float64", "pyscalar", origin="float()")
    return UNKNOWN


def _consts(call: Call) -> list[object] | None:
    items = call.args[0].items if len(call.args) == 1 and isinstance(call.args[0], Seq) \
        else call.args
    out = []
    for v in items:
        if not isinstance(v, Const) or not isinstance(v.value, int | float):
            return None
        out.append(v.value)
    return out or None


@op("builtins.min", "builtins.max", "builtins.sum", "builtins.abs", "builtins.round")
def numeric(call: Call) -> Value:
    if call.name == "builtins.abs" and len(call.args) == 1 and \
            isinstance(t := call.args[0], Tensor) and t.kind != "pyscalar":
        return Tensor(t.shape, t.dtype, "ndarray" if t.kind == "ndarray" else "tensor",
                      origin="abs")  # abs(x) is x.__abs__(): tf.abs / np.abs
    vals = _consts(call)
    if vals is None or call.kwargs:
        return UNKNOWN
    leaf = call.name.rsplit(".", 1)[-1]
    try:
        if leaf == "abs":
            return Const(abs(vals[0]))  # type: ignore[arg-type]
        if leaf == "round":
            return Const(round(*vals))  # type: ignore[call-overload]
        return Const({"min": min, "max": max, "sum": sum}[leaf](vals))  # type: ignore[operator]
    except (TypeError, ValueError, OverflowError):
        return UNKNOWN


@op("builtins.list", "builtins.tuple")
def sequence(call: Call) -> Value:
    v = call.arg(0, None, Seq(()))
    kind = "list" if call.name.endswith("list") else "tuple"
    if isinstance(v, Seq):
        return Seq(v.items, kind)
    if isinstance(v, Const) and isinstance(v.value, str) and len(v.value) <= 256:
        return Seq(tuple(Const(c) for c in v.value), kind)  # list('abc'): its characters
    if isinstance(v, Tensor) and v.shape and isinstance(v.shape[0], int) and v.shape[0] <= 64:
        from .tf_index import getitem

        return Seq(tuple(getitem(Call("operator.getitem", [v, Const(i)]))
                         for i in range(v.shape[0])), kind)
    return UNKNOWN


@op("builtins.zip")
def zip_(call: Call) -> Value:
    seqs = call.args
    if seqs and all(isinstance(s, Seq | ListOf) for s in seqs) and \
            any(isinstance(s, ListOf) for s in seqs):
        return ListOf(Seq(tuple(s.element if isinstance(s, ListOf) else
                                _join_all(s) if isinstance(s, Seq) else UNKNOWN
                                for s in seqs)))
    if seqs and all(isinstance(s, Seq) for s in seqs):
        n = min(len(s.items) for s in seqs if isinstance(s, Seq))
        return Seq(tuple(Seq(tuple(s.items[i] for s in seqs if isinstance(s, Seq)))
                         for i in range(n)), "list")
    return UNKNOWN


@op("builtins.enumerate")
def enumerate_(call: Call) -> Value:
    v = call.arg(0, None)
    if isinstance(v, Seq):
        return Seq(tuple(Seq((Const(i), item)) for i, item in enumerate(v.items)), "list")
    if isinstance(v, ListOf):
        return ListOf(Seq((UNKNOWN, v.element)))
    return UNKNOWN


@op("builtins.range")
def range_(call: Call) -> Value:
    bounds = [to_int(a) for a in call.args]
    if call.args and all(b is not None for b in bounds) and not call.kwargs:
        r = range(*bounds)  # type: ignore[arg-type]
        if len(r) <= 16:
            return Seq(tuple(Const(i) for i in r), "list")
    return UNKNOWN


@op("builtins.print", "builtins.isinstance", "builtins.str", "builtins.repr",
    "builtins.format")
def opaque(call: Call) -> Value:
    return NONE if call.name == "builtins.print" else UNKNOWN


__all__ = ["to_dim"]


def _join_all(seq: Seq) -> Value:
    if not seq.items:
        return UNKNOWN
    out = seq.items[0]
    for item in seq.items[1:]:
        out = join(out, item)
    return out
