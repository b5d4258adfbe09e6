"""The vocabulary of gradient provenance: dependency paths, op statuses, small helpers.

Every tensor carries ``deps``: the recorded paths ``(source token, tape token, status)`` that
lead to it. A path exists only while its tape is active, starts at a trainable float variable
the tape watches (or a ``tape.watch``-ed tensor), and keeps a status: ``ok``, or why it
stopped carrying a gradient (an integer result, ``round``, ``.numpy()``, a NumPy function...).
"""

from __future__ import annotations

from ...domain.shapes import format_shape
from ...domain.values import ListOf, Seq, TapeValue, Tensor, Value
from ..keras.owners import OWNED

INCOMPLETE = (0, 0, "incomplete")  # some input was not understood: no None claims
DERIVED = -1  # pseudo tape: "made from this variable by a reshape-like op" (provenance only)
WATCHED_UNKNOWN = -2  # in TapeValue.watched: the tape watched a value the analyzer cannot see
ROUNDING = {"tf.round", "tf.math.round", "tf.floor", "tf.math.floor", "tf.math.ceil",
            "tf.ceil", "np.round", "tf.math.rint"}
LEAVE = {"Tensor.numpy": ".numpy()", "tf.constant": "tf.constant()", "np.array": "np.array()",
         "np.asarray": "np.asarray()", "builtins.int": "int()"}
NUMPY_LIKE = {"builtins.float": "float()"}
DERIVING = ("tf.reshape", "tf.transpose", "operator.getitem", "tf.cast", "tf.squeeze",
            "tf.expand_dims", "tf.identity", "tf.slice", "tf.gather")
NO_DEPS = {"tf.shape", "tf.size", "tf.rank", "tf.zeros_like", "tf.ones_like",
           "tf.random.normal", "tf.random.uniform"}
CONSTANTS = ("tf.constant", "tf.convert_to_tensor")

Dep = tuple[int, int, str]
STOPPED = "stopped"  # through tf.stop_gradient
STOPPED_RECORDING = "stopped:recording"  # computed inside ``with tape.stop_recording():``
STOPPED_RESET = "stopped:reset"  # recorded before a tape.reset() that discarded the path


def op_status(name: str, args: list[Value], result: Tensor, in_tf_function: bool) -> str:
    """Whether the op ``name`` passes a gradient from its inputs to ``result``, and if not,
    why (the status written on the paths through it)."""
    if name in ("tf.stop_gradient", "keras.ops.stop_gradient"):
        return STOPPED
    if name in LEAVE and (name != "tf.constant" or any(
            isinstance(a, Tensor) and a.kind != "ndarray" for a in args[:1])):
        return f"left:{LEAVE[name]}"
    if name.startswith("np.") and any(isinstance(a, Tensor) and a.kind != "ndarray"
                                      for a in args):
        return f"numpy:{name}"
    if name in NUMPY_LIKE and not in_tf_function:
        return f"numpy:{NUMPY_LIKE[name]}"  # inside @tf.function autograph makes a cast
    if name in ROUNDING:
        return f"nondiff:{name}"
    if result.dtype and (result.dtype.startswith(("int", "uint")) or result.dtype == "bool"):
        return f"nondiff:{name}"
    return "ok"


_RESET = -(10 ** 9)  # keys of TapeValue.breaks below this: tokens retired by tape.reset()


def retire(tape: TapeValue, old: int) -> None:
    """``tape.reset()`` replaced the tape's token ``old``. Kept on the tape (which the
    incremental session tracks with its state; no line number, which an edit would move):
    ``breaks`` keys are source tokens (> 0), so a retired token is stored as
    ``_RESET - old``."""
    tape.breaks[_RESET - old] = "reset"


def was_reset(tape: TapeValue, token: int) -> bool:
    """``token`` is one of ``tape``'s, retired by a ``tape.reset()``."""
    return tape.breaks.get(_RESET - token) == "reset"


def owners(value: Tensor) -> set[int]:
    """The owners whose weights ``value`` (a layer's or model's weights) stands for."""
    return {s for s, t, _ in value.deps if t == OWNED and s}


def watches(tape: TapeValue, value: Tensor) -> bool:
    """The tape records reads of ``value``: watched explicitly (or the weights of one of its
    owners were), or a trainable float variable read under ``watch_accessed_variables=True``."""
    if value.source in tape.watched or not owners(value).isdisjoint(tape.watched):
        return True
    floating = value.dtype is None or value.dtype.startswith(("float", "bfloat", "complex"))
    return tape.watch_accessed and value.kind == "variable" and value.trainable and floating


def flatten(values: list[Value]) -> list[Value]:
    out: list[Value] = []
    for v in values:
        if isinstance(v, Seq):
            out += flatten(list(v.items))
        elif isinstance(v, ListOf):
            out += flatten([v.element])
        else:
            out.append(v)
    return out


def has_deps(args: list[Value], kwargs: dict[str, Value]) -> bool:
    return any(isinstance(v, Tensor) and v.deps for v in flatten([*args, *kwargs.values()]))


def known(shape: tuple[object, ...]) -> bool:
    return all(isinstance(d, int) for d in shape)


def fmt(t: Tensor) -> str:
    return format_shape(t.shape)
