"""Why a gradient is None (or silently wrong): the proofs behind SL301–SL308.

Pure functions of the tape, the source, the target and the facts the provenance component
keeps; each returns ``(code, message, fix)`` only when the recorded facts prove it.
"""

from __future__ import annotations

import ast

from ...domain.values import MAYBE_SELF, TapeValue, Tensor
from ..keras.owners import ANY_SOURCE, OWNED_UNKNOWN
from ..results import Fix
from .deps import (
    CONSTANTS,
    DERIVED,
    DERIVING,
    INCOMPLETE,
    STOPPED,
    STOPPED_RECORDING,
    STOPPED_RESET,
    WATCHED_UNKNOWN,
    owners,
    was_reset,
    watches,
)

Reason = tuple[str, str, "Fix | None"]


def source_reason(tape: TapeValue, src: Tensor, expr: ast.expr | None,
                  rebound: dict[str, int]) -> Reason | None:
    """Reasons that hold whatever the target: the source is not watched at all."""
    if WATCHED_UNKNOWN in tape.watched:
        return None  # the tape watched a value the analyzer cannot see: maybe this one
    name = ast.unparse(expr) if expr is not None else "the source"
    if src.source is None and any(t == tape.token for _, t, _ in src.deps):
        return None  # an intermediate this tape recorded: TF differentiates w.r.t. it
    if isinstance(expr, ast.Name) and expr.id in rebound and src.source is None:
        return ("SL308", f"the gradient w.r.t. {name} is None: {name} was a tf.Variable "
                f"until line {rebound[expr.id]} rebound it to a plain tensor; update "
                f"it in place with {name}.assign_sub(...)",
                Fix("assign-in-place", f"Update {name} in place (assign_sub)", False,
                    (("name", name), ("rebound_line", rebound[expr.id]))))
    if src.source is None:
        return _plain_tensor_reason(tape, src, expr, name)
    if src.kind == "variable" and not tape.watch_accessed and src.trainable and \
            (src.dtype or "float").startswith(("float", "bfloat")) and \
            src.source not in tape.watched and owners(src).isdisjoint(tape.watched):
        return ("SL301", f"the gradient w.r.t. {name} is None: the tape was created with "
                f"watch_accessed_variables=False and {name} was never passed to "
                f"tape.watch; call tape.watch({name}) inside the tape",
                Fix("add-watch", f"Add tape.watch({name})", True,
                    (("name", name), ("tape", tape.name), ("with_line", tape.with_line)))
                if isinstance(expr, ast.Name) else None)
    if src.kind == "variable" and not watches(tape, src):
        why = "trainable=False" if not src.trainable else f"dtype {src.dtype}"
        return ("SL302", f"the gradient w.r.t. {name} is None: the variable has {why}, "
                "so the tape does not watch it; create it with a float initial value "
                "(e.g. 3.0) or dtype=tf.float32", Fix("float-variable", "Make the "
                                                      "variable floating-point", False,
                                                      (("name", name),))
                if src.trainable else None)
    return None


def _plain_tensor_reason(tape: TapeValue, src: Tensor, expr: ast.expr | None,
                         name: str) -> Reason | None:
    """A source that is no variable: made from one (SL304), or never watched (SL301)."""
    derived = any(t == DERIVED for _, t, _ in src.deps)
    if (isinstance(expr, ast.Call) and src.origin in DERIVING) or derived:
        return ("SL304", f"the gradient w.r.t. {name} is None: it is a new tensor "
                f"made from a variable ({src.origin}), not the variable the loss was "
                "computed from; take the gradient w.r.t. the variable and reshape the "
                "gradient", Fix("reshape-after-gradient", "Take the gradient w.r.t. "
                                "the variable and reshape the gradient", True,
                                (("source", name),)) if isinstance(expr, ast.Call)
                else None)
    if src.kind in ("variable", "ndarray", "pyscalar") or INCOMPLETE in src.deps:
        return None  # NumPy/Python sources make tape.gradient raise, not return None;
        # a tensor made from values not understood may be recorded
    what = "tensor"
    return ("SL301", f"the gradient w.r.t. {name} is None: it is a {what} the tape "
            f"never watched; call tape.watch({name}) inside the tape or make it a "
            "tf.Variable", Fix("add-watch", f"Add tape.watch({name})",
                               (src.dtype or "").startswith(("float", "bfloat")),
                               (("name", name), ("tape", tape.name),
                                ("with_line", tape.with_line)))
            if src.kind != "ndarray" and not (src.dtype or "").startswith(
                ("int", "uint", "bool")) else None)


def path_reason(tape: TapeValue, target: Tensor, src: Tensor,
                expr: ast.expr | None) -> Reason | None:
    """Reasons found on the recorded paths from the source to the target."""
    name = ast.unparse(expr) if expr is not None else "the source"
    if (src.source, MAYBE_SELF, "ok") in target.deps:
        return None  # the target may be the source itself (a join of branches)
    if OWNED_UNKNOWN in src.deps and any(t == tape.token for _, t, _ in target.deps):
        return None  # weights of a model with parts the engine cannot see: maybe used
    # the source's own token, the layers whose weights it holds (a model's), and any
    # variable a model call may have used through code it does not re-run (ANY_SOURCE)
    mine = {src.source, ANY_SOURCE} | owners(src)
    statuses = {st for s, t, st in target.deps if s in mine and t == tape.token}
    if "ok" in statuses:
        numpy = sorted(st for st in statuses if st.startswith("numpy:"))
        if numpy:
            return ("SL306", f"the gradient w.r.t. {name} is silently wrong: "
                    f"{numpy[0][6:]} on a tensor inside the tape is treated as a constant; "
                    "use the TensorFlow op instead", _numpy_to_tf(tape, numpy[0][6:]))
        return None
    if statuses:
        stopped = _stopped(statuses, name)
        if stopped is not None:
            return stopped
        leaving = sorted(st for st in statuses if st.startswith(("left:", "numpy:")))
        if leaving:
            op = leaving[0].split(":", 1)[1]
            if target.kind == "ndarray":  # TF: 'numpy.ndarray' object has no attribute '_id'
                return ("SL305", "tape.gradient raises AttributeError: its target is a "
                        f"NumPy value, not a tensor (the path from {name} leaves TensorFlow "
                        f"through {op})", _numpy_to_tf(tape, op))
            return ("SL305", f"the gradient w.r.t. {name} is None: the path from it to "
                    f"the target leaves TensorFlow through {op}", _numpy_to_tf(tape, op))
        op = sorted(statuses)[0].split(":", 1)[1]
        return ("SL307", f"the gradient w.r.t. {name} is None: it reaches the target "
                f"only through {op}, which has no gradient (an integer or rounded value)",
                None)
    if any(s == src.source and was_reset(tape, t) for s, t, _ in target.deps):
        return ("SL315", f"the gradient w.r.t. {name} is None: the target was recorded "
                "before tape.reset(), which discarded it; compute the target after the "
                "reset", None)
    if src.source in tape.breaks:  # and no recorded path: the copy is all there is
        why = tape.breaks[src.source]
        return ("SL308", f"the gradient w.r.t. {name} is None: {why}, "
                "which has no gradient back to it",
                Fix("variable-to-tensor", "Compute it as a tensor, not a new tf.Variable",
                    False, (("source", name), ("with_line", tape.with_line)))
                if why.startswith("tf.Variable(") and isinstance(expr, ast.Name) and
                tape.with_line else None)
    return ("SL303", f"the gradient w.r.t. {name} is None: the target was not computed "
            f"from it while this tape was recording (compute the loss inside the with "
            "block)", None)


def _stopped(statuses: set[str], name: str) -> Reason | None:
    """Every recorded path was cut on purpose: ``tf.stop_gradient``, a
    ``tape.stop_recording()`` block or a ``tape.reset()`` (SL315)."""
    if STOPPED_RECORDING in statuses:
        return ("SL315", f"the gradient w.r.t. {name} is None: the target was computed from "
                "it only inside a tape.stop_recording() block, which the tape does not "
                "record", None)
    if STOPPED_RESET in statuses:
        return ("SL315", f"the gradient w.r.t. {name} is None: its path to the target was "
                "recorded before tape.reset(), which discarded it; compute it again after "
                "the reset", None)
    if STOPPED in statuses:
        return ("SL315", f"the gradient w.r.t. {name} is None: its only path to the target "
                "goes through tf.stop_gradient", None)
    return None


_LEAVING_FIXED = (".numpy()", "tf.constant()", "float()", "model.predict()")


def _numpy_to_tf(tape: TapeValue, op: str) -> Fix | None:
    """SL305/SL306's fix: the NumPy call (or ``.numpy()``) inside the tape becomes its
    ``tf.*`` equivalent (unsafe: the value becomes a tensor, not an array)."""
    if not tape.with_line or not (op.startswith("np.") or op in _LEAVING_FIXED):
        return None
    return Fix("numpy-to-tf", f"Use the TensorFlow op instead of {op}", False,
               (("op", op), ("with_line", tape.with_line)))


def constant_to_variable(tape: TapeValue, src: Tensor, expr: ast.expr | None,
                         in_tf_function: bool) -> tuple[Fix, ...]:
    """SL301's other fix: a float source bound by ``tf.constant``/``tf.convert_to_tensor``
    can be created as a ``tf.Variable`` instead (the fixer checks the binding itself). Not
    inside ``tf.function`` (variables there must be singletons) nor for a tape that does not
    watch the variables it reads."""
    if not isinstance(expr, ast.Name) or src.origin not in CONSTANTS or \
            not (src.dtype or "").startswith(("float", "bfloat")) or \
            not tape.watch_accessed or in_tf_function:
        return ()
    return (Fix("constant-to-variable", f"Create {expr.id} as a tf.Variable", False,
                (("name", expr.id), ("tape", tape.name), ("with_line", tape.with_line))),)


def move_into_tape(tape: TapeValue, source: ast.expr | None, node: ast.AST,
                   objects: tuple[str, ...] = ()) -> Fix | None:
    """SL303's fix: move the statements computing the target into the tape (unsafe: code
    runs in another place). Needs a named target and a source rooted at a name; ``objects``:
    the names holding Keras models or layers here (building one moves nothing the tape
    needs: ``fixes/move_into_tape.py``)."""
    if not isinstance(node, ast.Call):
        return None
    named = {k.arg: k.value for k in node.keywords}
    target = node.args[0] if node.args else named.get("target")
    # a source inside a list of sources, else the whole ``sources`` argument
    root = source or (node.args[1] if len(node.args) > 1 else named.get("sources"))
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(target, ast.Name) or not isinstance(root, ast.Name) or \
            not tape.with_line or not tape.name:
        return None
    return Fix("move-into-tape", f"Move the computation of {target.id} into the tape", False,
               (("with_line", tape.with_line), ("tape", tape.name), ("target", target.id),
                ("source", root.id), ("objects", objects)))


def recompute_in_tape(move: Fix | None) -> tuple[Fix, ...]:
    """SL303's other fix: copy the hoisted forward pass into the tape (the fixer offers it
    where moving does not apply: code before a loop, or in an earlier notebook cell)."""
    if move is None:
        return ()
    target = dict(move.args).get("target")
    return (Fix("recompute-in-tape", f"Recompute {target} inside the tape", False,
                move.args),)
