"""The gradient-provenance component: it owns every tape fact.

The interpreter does not know what a tape records. It *notifies* this component of what
happens, through a narrow interface:

* a tape is opened (``tape_opened``, at ``with``) and closed (``tape_closed``);
* an op produced a result (``op_result``) or a layer/model call did (``layer_result``);
  a value left TensorFlow (``left_tf``);
* a variable was created (inside ``op_result``: ``tf.Variable``) or assigned
  (``variable_assigned``), a name was rebound (``name_rebound``), a loop iterates a value
  (``loop_over``);
* a gradient was requested and an optimizer applied one: the methods of a tape and of an
  optimizer, registered as overlays (``overlay.py``: ``gradients.py``, ``optimizers.py``).

It answers with values (tensors carrying their ``deps``) and with findings, and keeps the
facts the analysis reports at the end (``tapes``, ``token_names``, ``gradient_calls``).
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator

from ...domain.values import (
    MAYBE_SELF,
    NONE,
    UNKNOWN,
    Const,
    Instance,
    ListOf,
    Opaque,
    Seq,
    TapeValue,
    Tensor,
    Unknown,
    Value,
)
from ...shapefns._common import to_bool
from ...structs import replace
from ..keras.owners import ANY_SOURCE, used_by, weights_of
from ..keras.weights import MESSAGE, UnbuiltWeights, proven_unbuilt, updates_in
from ..results import Fix
from .deps import (
    DERIVED,
    DERIVING,
    INCOMPLETE,
    NO_DEPS,
    STOPPED_RECORDING,
    STOPPED_RESET,
    Dep,
    flatten,
    has_deps,
    op_status,
    retire,
    was_reset,
)
from .deps import watches as tape_watches
from .recreated import Recreated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..interpreter.state import RunState

STOP_RECORDING = "stop_recording:"


class Provenance:
    """Which values depend differentiably on which sources, on which tape."""

    def __init__(self, state: RunState) -> None:
        self.state = state
        self.tokens: Iterator[int] = itertools.count(1)  # sources and tapes
        self.active_tapes: list[TapeValue] = []
        # Tapes inside ``with tape.stop_recording():``: what runs there is not recorded
        # (its paths get the status STOPPED_RECORDING).
        self.paused: list[TapeValue] = []
        self.tapes: list[TapeValue] = []  # every tape of this module, in creation order
        self.rebound: dict[str, int] = {}  # variable names rebound to plain tensors
        self.token_names: dict[int, str] = {}  # source token -> the name first bound to it
        self.last_reason: str | None = None
        self.first_gradient: dict[int, ast.AST] = {}  # tape token -> its first gradient call
        # (call node, [(source text, gradient value, reason text or None)])
        self.gradient_calls: list[tuple[ast.AST, list[tuple[str, Value, str | None]]]] = []
        self.recreated = Recreated(state)  # SL317's loops, until their proof completes

    def make_tape(self, name: str, args: list[Value], kwargs: dict[str, Value],
                   node: ast.AST | None) -> Value:
        persistent = to_bool(kwargs.get("persistent", args[0] if args else Const(False)))
        watch = to_bool(kwargs.get("watch_accessed_variables",
                                   args[1] if len(args) > 1 else Const(True)))
        # An unknown flag is read as the one that claims less: persistent (no "used
        # twice" finding), watching accessed variables (no "unwatched" finding).
        return TapeValue(next(self.tokens), persistent is not False, watch is not False)

    # ------------------------------------------------------------------ tapes
    def tape_opened(self, value: Value, line: int, name: str | None) -> None:
        """``with <value> as <name>:`` at ``line``; only a tape (or its ``stop_recording()``
        context) cares."""
        paused = self._paused_tape(value)
        if paused is not None:
            self.active_tapes.remove(paused)
            self.paused.append(paused)
            return
        if not isinstance(value, TapeValue):
            return
        if not value.with_line:
            value.with_line = line
            if name is not None:
                value.name = name
        value.active = True
        self.active_tapes.append(value)
        if value not in self.tapes and not self.state.foreign:
            self.tapes.append(value)

    def tape_closed(self, value: Value) -> None:
        paused = self._paused_tape(value)
        if paused is not None:
            if paused in self.paused:
                self.paused.remove(paused)
                self.active_tapes.append(paused)
            return
        if isinstance(value, TapeValue) and value in self.active_tapes:
            value.active = False
            self.active_tapes.remove(value)

    def stop_recording(self, tape: TapeValue) -> Value:
        """``tape.stop_recording()``: a context that pauses ``tape`` while it is active (TF
        raises "Tape is not recording" otherwise: then nothing is claimed)."""
        if tape not in self.active_tapes:
            return UNKNOWN
        return Opaque(f"{STOP_RECORDING}{tape.token}")  # tokens are unique in a session

    def _paused_tape(self, value: Value) -> TapeValue | None:
        if isinstance(value, Opaque) and value.kind.startswith(STOP_RECORDING):
            token = value.kind[len(STOP_RECORDING):]
            for tape in [*self.active_tapes, *self.paused]:
                if str(tape.token) == token:
                    return tape
        return None

    def reset(self, tape: TapeValue) -> None:
        """``tape.reset()`` inside its block: what it recorded is gone, as if a new tape
        began here. The tape gets a new token; the old one is kept in its ``breaks``
        (``deps.retire``) to explain a None gradient of a target recorded before the reset."""
        if tape not in self.active_tapes:
            return  # outside its block TF raises "Tape is not recording"; paused: no claim
        old = tape.token
        tape.token = next(self.tokens)
        retire(tape, old)
        tape.used_at = []

    # ------------------------------------------------------------------ op results
    def op_result(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  result: Value) -> Value:
        """The result of the library op ``name`` with what the active tapes recorded."""
        if isinstance(result, Seq):  # tf.split, tf.unstack, top_k: each piece is recorded
            return Seq(tuple(self._recorded(name, args, kwargs, item)
                             if isinstance(item, Tensor) else item for item in result.items),
                       result.kind)
        if isinstance(result, ListOf) and isinstance(result.element, Tensor):
            return ListOf(self._recorded(name, args, kwargs, result.element))
        if not isinstance(result, Tensor):
            if name == "builtins.zip":  # zip(grads, params) over an unbuilt model's []
                return next((a for a in args if isinstance(a, UnbuiltWeights)), result)
            return result
        if name in ("tf.Variable", "keras.Variable"):  # a variable is created: a new source
            initial = args[0] if args else kwargs.get("initial_value", UNKNOWN)
            self._note_rebuilt(initial, "tf.Variable(...) created a new variable from it")
            return replace(result, source=next(self.tokens), deps=frozenset())
        return self._recorded(name, args, kwargs, result)

    def _recorded(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  result: Tensor) -> Tensor:
        """``result`` with what the active tapes recorded of it: its inputs' dependencies,
        marked by whether the op passes a gradient (``op_status``)."""
        if name in NO_DEPS or (not self.active_tapes and not self.paused and
                               not has_deps(args, kwargs) and not (
                name in DERIVING and args and isinstance(args[0], Tensor) and
                args[0].kind == "variable")):
            return replace(result, deps=frozenset()) if result.deps else result
        status = op_status(name, args, result, self.state.in_tf_function())
        deps: set[Dep] = set()
        for value in flatten([*args, *kwargs.values()]):
            deps |= self.deps_of(value, status)
        if name in DERIVING and args and isinstance(args[0], Tensor):
            first = args[0]
            if first.kind == "variable" and first.source is not None:
                deps.add((first.source, DERIVED, "ok"))
            deps |= {d for d in first.deps if d[1] == DERIVED}
        return replace(result, deps=frozenset(deps))

    def deps_of(self, value: Value, status: str) -> set[Dep]:
        """The paths through ``value`` the active tapes record, with ``status`` applied."""
        if isinstance(value, Unknown | Instance):
            return {INCOMPLETE}
        if not isinstance(value, Tensor):
            return set()
        # a paused tape records nothing: its paths through this op stop here
        active = {t.token: status for t in self.active_tapes} | \
            {t.token: STOPPED_RECORDING for t in self.paused}
        out = set()
        for src, tape, st in value.deps:
            if (src, tape, st) == INCOMPLETE:
                out.add(INCOMPLETE)
            elif tape in active:
                out.add((src, tape, st if st != "ok" else active[tape]))
            elif tape == MAYBE_SELF:  # maybe the variable itself: recorded if watched
                out.update((src, t, st_) for t, st_ in active.items())
            else:  # recorded before a tape.reset() of an open tape: that path is cut
                out.update((src, t.token, STOPPED_RESET) for t in
                           [*self.active_tapes, *self.paused] if was_reset(t, tape))
        if value.source is not None:
            for tape in [*self.active_tapes, *self.paused]:
                if tape_watches(tape, value):
                    tape.accessed.add(value.source)
                    out.add((value.source, tape.token, active[tape.token]))
        return out

    def layer_result(self, owner: object, inputs: list[Value], out: Value) -> Value:
        """A layer or model call: its output depends on its inputs and its own weights (the
        owner stands for them: ``model.trainable_variables``), and keeps what its ``call()``
        recorded (``self.w`` used there is a variable of its own)."""
        if not isinstance(out, Tensor | Seq):
            return out
        deps: set[Dep] = set()
        for value in flatten(inputs):
            deps |= self.deps_of(value, "ok")
        # a layer called in a method of a subclassed model (``self.encoder(x)`` in
        # ``encode``) uses weights of that model too: its trainable_variables; a model
        # call uses those of every layer inside it (``keras/owners.py``)
        holder = self.state.scope.vars.get("self")
        tokens, wild = used_by(owner)
        if isinstance(holder, Instance):
            tokens.add(id(holder))
        if wild:
            tokens.add(ANY_SOURCE)
        for tape in self.active_tapes:  # (a tape that watches only what it is given:
            # the weights it was given, ``tape.watch(layer.kernel)``)
            seen = tokens if tape.watch_accessed else tokens & tape.watched
            deps.update((token, tape.token, "ok") for token in seen)
        for tape in self.paused:
            seen = tokens if tape.watch_accessed else tokens & tape.watched
            deps.update((token, tape.token, STOPPED_RECORDING) for token in seen)
        return _with_deps(out, frozenset(deps))

    def left_tf(self, value: Value, how: str) -> Value:
        """``value`` left TensorFlow (``model.predict()`` gives NumPy): no gradient past it."""
        if not isinstance(value, Tensor):
            return value
        deps = frozenset((s, t, f"left:{how}" if st == "ok" else st) for s, t, st in value.deps)
        return replace(value, deps=deps)

    def bad_gradient(self, y: Tensor, why: str) -> Tensor:
        """``y`` of a ``@tf.custom_gradient`` function whose ``grad`` is wrong (SL311)."""
        marks = {(0, t.token, f"badgrad:{why}") for t in self.active_tapes}
        return replace(y, deps=y.deps | frozenset(marks))

    # ------------------------------------------------------------------ variables and names
    def variable_assigned(self, variable: Value, args: list[Value]) -> None:
        self.recreated.updated(variable)
        if args and isinstance(variable, Tensor):
            self._note_rebuilt(args[0], "it was copied into another variable with assign(), "
                               "and assign() is not recorded as differentiable")

    def _note_rebuilt(self, value: Value, why: str) -> None:
        """Values copied into a variable: a gradient back through the copy is None (used only
        to explain a source with no recorded path to the target)."""
        if isinstance(value, Tensor):
            for src, tape, _ in value.deps:
                for active in self.active_tapes:
                    if active.token == tape:
                        active.breaks.setdefault(src, why)
            if value.source is not None:  # ``x1.assign_add(x0)``: x0 itself
                for active in self.active_tapes:
                    active.breaks.setdefault(value.source, why)

    def name_rebound(self, name: str, old: Value | None, new: Value, line: int) -> None:
        """``w = w - lr * g`` turns a variable into a plain tensor: remember where. Also
        names source tokens for hover cards."""
        if isinstance(new, Tensor) and new.source is not None:
            self.token_names.setdefault(new.source, name)
        if isinstance(old, Tensor) and old.kind == "variable" and isinstance(new, Tensor) and \
                new.kind != "variable":
            self.rebound[name] = line

    def rebind(self, name: str, value: Value) -> None:
        """``tape.watch(x)``: the name now holds the watched value (a source)."""
        scope = self.state.scope
        while scope is not None and name not in scope.vars:
            scope = scope.parent
        (scope or self.state.scope).vars[name] = value

    # ------------------------------------------------------------------ weights
    def trainable_variables(self, owner: Value, node: ast.AST) -> Value:
        """``[]`` (remembered as ``UnbuiltWeights``, see ``weights.py``) for a model proven
        unbuilt at this point of execution; otherwise its (unknown) list of variables."""
        if not self.state.point_unknown() and proven_unbuilt(owner):
            return UnbuiltWeights(node)
        return ListOf(weights_of(owner, None))

    def unbuilt_reaches(self, value: Value) -> None:
        """The empty list of an unbuilt model reached training: SL314 where it was read."""
        if isinstance(value, UnbuiltWeights):
            at = value.at
            owner = at.value if isinstance(at, ast.Attribute) else None
            fix = Fix("build-model", f"Build {owner.id} on a batch before reading its "
                      "weights", False, (("model", owner.id),)) \
                if isinstance(owner, ast.Name) else None
            self.state.report("SL314", MESSAGE, at, fix=fix)

    def loop_over(self, iterable: Value, stmt: ast.For) -> None:
        if isinstance(iterable, UnbuiltWeights) and updates_in(stmt.body):
            self.unbuilt_reaches(iterable)
        self.recreated.check_loop(iterable, stmt)  # SL317: a variable made on every pass


def _with_deps(value: Value, deps: frozenset[Dep]) -> Value:
    """Every tensor of a layer's result depends on ``deps`` (nested: a cell's ``(h, [h, c])``)."""
    if isinstance(value, Seq):
        return Seq(tuple(_with_deps(v, deps) for v in value.items), value.kind)
    return replace(value, deps=value.deps | deps) if isinstance(value, Tensor) else value


__all__ = ["NONE", "Provenance"]
