"""An optimizer applies gradients: ``apply_gradients`` and ``minimize`` (SL312, SL314).

The gradients reaching it are the values ``tape.gradient`` produced: ``None`` only when
proven, ``grad_of`` naming the variable each was taken for.
"""

from __future__ import annotations

import ast

from ...domain.values import NONE, UNKNOWN, ListOf, Seq, Tensor, Value
from .deps import fmt, known

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .tracker import Provenance


def optimizer_method(prov: Provenance, name: str, args: list[Value], kwargs: dict[str, Value],
                     node: ast.AST) -> Value:
    if name == "minimize":
        prov.unbuilt_reaches(kwargs.get("var_list", args[1] if len(args) > 1 else UNKNOWN))
    if name != "apply_gradients":
        return UNKNOWN
    pairs_v = args[0] if args else kwargs.get("grads_and_vars", UNKNOWN)
    prov.unbuilt_reaches(pairs_v)
    pairs = [p.items for p in pairs_v.items if isinstance(p, Seq) and len(p.items) == 2] \
        if isinstance(pairs_v, Seq) else \
        [pairs_v.element.items] if isinstance(pairs_v, ListOf) and \
        isinstance(pairs_v.element, Seq) and len(pairs_v.element.items) == 2 else []
    if not pairs:
        return UNKNOWN
    report = prov.state.report
    nones = [g is NONE for g, _ in pairs]
    if all(nones):
        report("SL312", "every gradient passed to apply_gradients is None: this "
               "raises 'No gradients provided for any variable'", node)
    elif any(nones):
        report("SL312", f"{sum(nones)} of {len(pairs)} gradients are None: those "
               "variables are silently skipped (Keras only warns)", node, severity="warning")
    for g, v in pairs:
        if isinstance(g, Tensor) and isinstance(v, Tensor) and g.shape and v.shape and \
                known(g.shape) and known(v.shape) and g.shape != v.shape:
            report("SL312", f"a gradient of shape {fmt(g)} is applied to a variable "
                   f"of shape {fmt(v)}: apply_gradients raises 'Cannot update "
                   "variable'", node)
        elif isinstance(g, Tensor) and isinstance(v, Tensor) and g.grad_of is not None \
                and v.source is not None and g.grad_of != v.source:
            names = (prov.token_names.get(g.grad_of, "one variable"),
                     prov.token_names.get(v.source, "another"))
            report("SL312", f"the gradient of {names[0]} is applied to {names[1]}: "
                   "the gradients and variables are zipped in different orders",
                   node, severity="warning")
    return UNKNOWN
