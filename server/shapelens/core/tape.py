"""GradientTape analysis: which values depend differentiably on which sources, on which tape.

Every tensor carries ``deps``: the recorded paths ``(source token, tape token, status)`` that
lead to it. A path exists only while its tape is active (ops outside the ``with`` block are not
recorded), starts at a trainable float variable the tape watches (or a ``tape.watch``-ed
tensor), and keeps a status: ``ok``, or why it stopped carrying a gradient (an integer result,
``round``, ``.numpy()``, a NumPy function...). ``tape.gradient`` then decides, only when proven,
that a gradient is ``None`` or silently wrong (truth table §2.6–2.8).
"""

from __future__ import annotations

import ast
import itertools

from ..shapefns._common import to_bool, to_tensor
from ..structs import replace
from .keras_model import KerasMixin, is_keras_subclass
from .results import Fix
from .values import (
    MAYBE_SELF,
    NONE,
    UNKNOWN,
    Const,
    DictValue,
    Function,
    Instance,
    ListOf,
    ModelValue,
    Opaque,
    Ref,
    Seq,
    TapeValue,
    Tensor,
    Unknown,
    Value,
)
from .weights import MESSAGE, UnbuiltWeights, proven_unbuilt, updates_in

INCOMPLETE = (0, 0, "incomplete")  # some input was not understood: no None claims
DERIVED = -1  # pseudo tape: "made from this variable by a reshape-like op" (provenance only)
WATCHED_UNKNOWN = -2  # in TapeValue.watched: the tape watched a value the analyzer cannot see
_ROUNDING = {"tf.round", "tf.math.round", "tf.floor", "tf.math.floor", "tf.math.ceil",
             "tf.ceil", "np.round", "tf.math.rint"}
_LEAVE = {"Tensor.numpy": ".numpy()", "tf.constant": "tf.constant()", "np.array": "np.array()",
          "np.asarray": "np.asarray()", "builtins.int": "int()"}
_NUMPY_LIKE = {"builtins.float": "float()"}
_DERIVING = ("tf.reshape", "tf.transpose", "operator.getitem", "tf.cast", "tf.squeeze",
             "tf.expand_dims", "tf.identity", "tf.slice", "tf.gather")
_NO_DEPS = {"tf.shape", "tf.size", "tf.rank", "tf.zeros_like", "tf.ones_like",
            "tf.random.normal", "tf.random.uniform"}


class TapeMixin(KerasMixin):
    def __init__(self) -> None:
        self.tokens = itertools.count(1)
        self.active_tapes: list[TapeValue] = []
        self.replaying = 0  # > 0 while a loop body is re-run to reach its fixpoint
        self.dead = 0  # > 0 while analysing code after a statement that certainly raises
        self.rebound: dict[str, int] = {}  # variable names rebound to plain tensors
        self.token_names: dict[int, str] = {}  # source token -> the name first bound to it
        self.tapes: list[TapeValue] = []
        self.last_reason: str | None = None
        self.first_gradient: dict[int, ast.AST] = {}  # tape token -> its first gradient call
        # (call node, [(source text, gradient value, reason text or None)])
        self.gradient_calls: list[tuple[ast.AST, list[tuple[str, Value, str | None]]]] = []

    # ------------------------------------------------------------------ objects
    def library_object(self, name: str, args: list[Value], kwargs: dict[str, Value],
                       node: ast.AST | None) -> Value | None:
        if name == "tf.GradientTape":
            persistent = to_bool(kwargs.get("persistent", args[0] if args else Const(False)))
            watch = to_bool(kwargs.get("watch_accessed_variables",
                                       args[1] if len(args) > 1 else Const(True)))
            # An unknown flag is read as the one that claims less: persistent (no "used
            # twice" finding), watching accessed variables (no "unwatched" finding).
            return TapeValue(next(self.tokens), persistent is not False, watch is not False)
        if name.startswith(("keras.optimizers.", "tf.optimizers.")) and \
                name.rsplit(".", 1)[-1][:1].isupper():
            return Opaque("optimizer")
        return super().library_object(name, args, kwargs, node)

    def enter_context(self, value: Value) -> Value:
        if isinstance(value, TapeValue):
            value.active = True
            self.active_tapes.append(value)
            if value not in self.tapes and not self.foreign:
                self.tapes.append(value)
        return value

    def exit_context(self, value: Value) -> None:
        if isinstance(value, TapeValue) and value in self.active_tapes:
            value.active = False
            self.active_tapes.remove(value)

    # ------------------------------------------------------------------ dependency tracking
    def track(self, name: str, args: list[Value], kwargs: dict[str, Value],
              result: Value) -> Value:
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
        if name in ("tf.Variable", "keras.Variable"):
            initial = args[0] if args else kwargs.get("initial_value", UNKNOWN)
            self._note_rebuilt(initial, "tf.Variable(...) created a new variable from it")
            return replace(result, source=next(self.tokens), deps=frozenset())
        return self._recorded(name, args, kwargs, result)

    def _recorded(self, name: str, args: list[Value], kwargs: dict[str, Value],
                  result: Tensor) -> Tensor:
        """``result`` with what the active tapes recorded of it: its inputs' dependencies,
        marked by whether the op passes a gradient (``_op_status``)."""
        if name in _NO_DEPS or (not self.active_tapes and not _has_deps(args, kwargs) and not (
                name in _DERIVING and args and isinstance(args[0], Tensor) and
                args[0].kind == "variable")):
            return replace(result, deps=frozenset()) if result.deps else result
        status = self._op_status(name, args, result)
        deps: set[tuple[int, int, str]] = set()
        for value in _flatten([*args, *kwargs.values()]):
            deps |= self._deps_of(value, status)
        if name in _DERIVING and args and isinstance(args[0], Tensor):
            first = args[0]
            if first.kind == "variable" and first.source is not None:
                deps.add((first.source, DERIVED, "ok"))
            deps |= {d for d in first.deps if d[1] == DERIVED}
        return replace(result, deps=frozenset(deps))

    def _op_status(self, name: str, args: list[Value], result: Tensor) -> str:
        if name == "tf.stop_gradient":
            return "stopped"
        if name in _LEAVE and (name != "tf.constant" or any(
                isinstance(a, Tensor) and a.kind != "ndarray" for a in args[:1])):
            return f"left:{_LEAVE[name]}"
        if name.startswith("np.") and any(isinstance(a, Tensor) and a.kind != "ndarray"
                                          for a in args):
            return f"numpy:{name}"
        if name in _NUMPY_LIKE and not self.in_tf_function():
            return f"numpy:{_NUMPY_LIKE[name]}"  # inside @tf.function autograph makes a cast
        if name in _ROUNDING:
            return f"nondiff:{name}"
        if result.dtype and (result.dtype.startswith(("int", "uint")) or result.dtype == "bool"):
            return f"nondiff:{name}"
        return "ok"

    def _deps_of(self, value: Value, status: str) -> set[tuple[int, int, str]]:
        if isinstance(value, Unknown | Instance):
            return {INCOMPLETE}
        if not isinstance(value, Tensor):
            return set()
        active = {t.token for t in self.active_tapes}
        out = set()
        for src, tape, st in value.deps:
            if (src, tape, st) == INCOMPLETE:
                out.add(INCOMPLETE)
            elif tape in active:
                out.add((src, tape, st if st != "ok" else status))
            elif tape == MAYBE_SELF:  # maybe the variable itself: recorded if watched
                out.update((src, t, status) for t in active)
        if value.source is not None:
            for tape in self.active_tapes:
                if self._watches(tape, value):
                    tape.accessed.add(value.source)
                    out.add((value.source, tape.token, status))
        return out

    def _watches(self, tape: TapeValue, value: Tensor) -> bool:
        if value.source in tape.watched:
            return True
        floating = value.dtype is None or value.dtype.startswith(("float", "bfloat", "complex"))
        return tape.watch_accessed and value.kind == "variable" and value.trainable and floating

    def layer_deps(self, owner: object, inputs: list[Value], out: Value) -> Value:
        """A layer or model call: its output depends on its inputs and its own weights (the
        owner stands for them: ``model.trainable_variables``), and keeps what its ``call()``
        recorded (``self.w`` used there is a variable of its own)."""
        if not isinstance(out, Tensor | Seq):
            return out
        deps: set[tuple[int, int, str]] = set()
        for value in _flatten(inputs):
            deps |= self._deps_of(value, "ok")
        for tape in self.active_tapes:
            if tape.watch_accessed:
                deps.add((id(owner), tape.token, "ok"))
        if isinstance(out, Seq):
            return Seq(tuple(replace(t, deps=t.deps | deps) if isinstance(t, Tensor) else t
                             for t in out.items), out.kind)
        return replace(out, deps=out.deps | deps)

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

    def in_tf_function(self) -> bool:
        frames = getattr(self, "frames", [])
        return any(f.fn is not None and "tf.function" in f.fn.decorators for f in frames)

    def custom_gradient_result(self, fn: Function, args: list[Value], result: Value,
                               node: ast.AST) -> Value:
        """``@tf.custom_gradient``: the call returns only ``y``; its ``grad(dy)`` is checked
        once here, with ``dy`` shaped like ``y``: gradients shaped unlike the inputs make the
        backward pass fail or give wrong-shape gradients, reported at ``tape.gradient``."""
        if not isinstance(result, Seq) or len(result.items) != 2:
            return UNKNOWN
        y, grad_fn = result.items
        if not isinstance(y, Tensor) or not isinstance(grad_fn, Function):
            return y
        dy = Tensor(y.shape, y.dtype, "tensor", origin="upstream gradient")
        grads = self.call_function(grad_fn, [dy], {}, node)
        outs = list(grads.items) if isinstance(grads, Seq) else [grads]
        for i, (x, g) in enumerate(zip(args, outs)):
            if isinstance(x, Tensor) and isinstance(g, Tensor) and x.shape is not None and \
                    g.shape is not None and _known(x.shape) and _known(g.shape) and \
                    x.shape != g.shape:
                why = (f"the @tf.custom_gradient function {fn.name}() returns a gradient of "
                       f"shape {_fmt(g)} for its input {i} of shape {_fmt(x)}")
                marks = {(0, t.token, f"badgrad:{why}") for t in self.active_tapes}
                return replace(y, deps=y.deps | frozenset(marks))
        return y

    # ------------------------------------------------------------------ evaluator hooks
    def other_method(self, receiver: Value, name: str, args: list[Value],
                     kwargs: dict[str, Value], node: ast.AST) -> Value:
        if isinstance(receiver, TapeValue):
            return self.tape_method(receiver, name, args, kwargs, node)
        if isinstance(receiver, Opaque) and receiver.kind == "optimizer":
            return self.optimizer_method(name, args, kwargs, node)
        return UNKNOWN

    def left_tf(self, value: Value, how: str) -> Value:
        if not isinstance(value, Tensor):
            return value
        deps = frozenset((s, t, f"left:{how}" if st == "ok" else st) for s, t, st in value.deps)
        return replace(value, deps=deps)

    def on_assign(self, variable: Value, args: list[Value]) -> None:
        if args and isinstance(variable, Tensor):
            self._note_rebuilt(args[0], "it was copied into another variable with assign(), "
                               "and assign() is not recorded as differentiable")

    def eval_Attribute(self, node: ast.Attribute) -> Value:
        if node.attr in ("trainable_variables", "trainable_weights"):
            owner = self.eval(node.value)
            if self.is_model(owner):
                return self.trainable_variables(owner, node)
        return super().eval_Attribute(node)

    def note_rebinding(self, name: str, old: Value | None, new: Value, line: int) -> None:
        """``w = w - lr * g`` turns a variable into a plain tensor: remember where. Also
        names source tokens for hover cards."""
        if isinstance(new, Tensor) and new.source is not None:
            self.token_names.setdefault(new.source, name)
        if isinstance(old, Tensor) and old.kind == "variable" and isinstance(new, Tensor) and \
                new.kind != "variable":
            self.rebound[name] = line

    # ------------------------------------------------------------------ tape methods
    def tape_method(self, tape: TapeValue, name: str, args: list[Value],
                    kwargs: dict[str, Value], node: ast.AST) -> Value:
        if name == "watch":
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
                for value in _flatten(args[:1]):
                    if isinstance(value, Tensor) and value.source is not None:
                        self.token_names.setdefault(value.source, node.args[0].id)
            exprs = node.args[:1] if isinstance(node, ast.Call) else []
            elts = exprs[0].elts if exprs and isinstance(exprs[0], ast.List | ast.Tuple) \
                else exprs
            values = _flatten(args[:1])
            for i, value in enumerate(values):
                if isinstance(value, Tensor):
                    expr = elts[i] if i < len(elts) and len(elts) == len(values) else None
                    self._watch(tape, value, expr)
                else:  # it may be any tensor: no "never watched" claim on this tape
                    tape.watched.add(WATCHED_UNKNOWN)
            if not args:
                tape.watched.add(WATCHED_UNKNOWN)
            return NONE
        if name in ("gradient", "jacobian", "batch_jacobian"):
            return self.gradient(tape, name, args, kwargs, node)
        if name == "stop_recording":
            return Opaque("stop_recording")
        return UNKNOWN

    def _watch(self, tape: TapeValue, value: Tensor, expr: ast.expr | None) -> None:
        """Watching a plain tensor makes it a source: the name now holds a watched value."""
        token = value.source if value.source is not None else next(self.tokens)
        tape.watched.add(token)
        if isinstance(expr, ast.Name):
            self.token_names.setdefault(token, expr.id)
        if value.source is None and isinstance(expr, ast.Name):
            self.rebind(expr.id, replace(value, source=token))

    def rebind(self, name: str, value: Value) -> None:
        scope = self.scope
        while scope is not None and name not in scope.vars:
            scope = scope.parent
        (scope or self.scope).vars[name] = value

    def gradient(self, tape: TapeValue, method: str, args: list[Value],
                 kwargs: dict[str, Value], node: ast.AST) -> Value:
        target = args[0] if args else kwargs.get("target", UNKNOWN)
        sources = args[1] if len(args) > 1 else kwargs.get("sources", UNKNOWN)
        self.unbuilt_reaches(sources)
        position = 3 if method == "gradient" else 2
        mode = kwargs.get("unconnected_gradients",
                          args[position] if len(args) > position else NONE)
        claims = mode == NONE or (isinstance(mode, Ref) and mode.name.endswith(".NONE")) or \
            (isinstance(mode, Const) and mode.value == "none")  # else maybe zeros, not None
        line = getattr(node, "lineno", 0)
        if not tape.persistent and not self.replaying:
            if (tape.used_at and line not in tape.used_at[-1:]) or len(tape.used_at) > 1:
                first = self.first_gradient.get(tape.token)
                self.report("SL309", "this GradientTape is not persistent and has already "
                            "computed a set of gradients; this call raises RuntimeError", node,
                            fix=Fix("persistent-tape", "Make the tape persistent", True,
                                    (("with_line", tape.with_line), ("tape", tape.name))),
                            related=((first, "the first gradient call on this tape"),)
                            if first is not None else ())
            elif tape.active:
                self.report("SL310", "tape.gradient inside the tape's with block works once, "
                            "but ends this non-persistent tape: later gradient calls on it will "
                            "raise", node, fix=Fix("gradient-out-of-with",
                                                   "Move tape.gradient after the with block",
                                                   False, (("with_line", tape.with_line),
                                                           ("tape", tape.name))))
            tape.used_at.append(line)
            self.first_gradient.setdefault(tape.token, node)
        if target is NONE:
            self.report("SL313", "the target of tape.gradient is None (does the loss function "
                        "return its value?)", node)
            return UNKNOWN
        bad = sorted(st for _, t, st in (target.deps if isinstance(target, Tensor) else ())
                     if st.startswith("badgrad:") and t == tape.token)
        if bad:
            self.report("SL311", f"{bad[0][8:]}: the backward pass fails or gives gradients of "
                        "the wrong shape", node)
        out_grads = kwargs.get("output_gradients")
        if isinstance(target, Tensor) and isinstance(out_grads, Tensor) and target.shape is not \
                None and out_grads.shape is not None and _known(target.shape) and \
                _known(out_grads.shape) and target.shape != out_grads.shape:
            self.report("SL311", f"output_gradients has shape {_fmt(out_grads)} but the target "
                        f"has shape {_fmt(target)}: the gradients will have the wrong shape or "
                        "the backward pass fails", node)
        wrong_shape = self.findings.get((getattr(node, "lineno", 0),
                                         getattr(node, "col_offset", 0), "SL311")) is not None
        inline = node.args[1] if isinstance(node, ast.Call) and len(node.args) > 1 else None

        record: list[tuple[str, Value, str | None]] = []
        if not self.replaying and not self.dead and not self.foreign:
            self.gradient_calls.append((node, record))

        def one(src: Value, expr: ast.expr | None) -> Value:
            grad = self._one_gradient(tape, target, src, expr, node, claims)
            why = self.last_reason if grad is NONE else None
            record.append((ast.unparse(expr) if expr is not None else "source", grad, why))
            if not isinstance(grad, Tensor) or not isinstance(src, Tensor):
                return grad
            if wrong_shape:
                return replace(grad, shape=None)
            if method != "gradient":  # jacobian: target dims, then source dims
                tshape = target.shape if isinstance(target, Tensor) else None
                sshape = src.shape if method == "jacobian" or src.shape is None else \
                    src.shape[1:]
                shape = None if tshape is None or sshape is None else (*tshape, *sshape)
                return replace(grad, shape=shape)
            return grad

        return self._map_sources(sources, one, inline)

    def _map_sources(self, sources: Value, fn: object, expr: ast.expr | None) -> Value:
        call = fn  # type: ignore[assignment]
        if isinstance(sources, Tensor):
            return call(sources, expr)  # type: ignore[operator]
        if isinstance(sources, Seq):
            exprs = expr.elts if isinstance(expr, ast.List | ast.Tuple) else [None] * len(
                sources.items)
            return Seq(tuple(call(s, e) for s, e in zip(sources.items, exprs)),  # type: ignore[operator]
                       sources.kind)
        if isinstance(sources, ListOf):
            return ListOf(call(sources.element, None))  # type: ignore[operator]
        if isinstance(sources, DictValue):
            values = expr.values if isinstance(expr, ast.Dict) and \
                len(expr.values) == len(sources.items) else [None] * len(sources.items)
            return DictValue(tuple((k, call(v, e))  # type: ignore[operator]
                                   for (k, v), e in zip(sources.items, values)))
        return UNKNOWN

    def _one_gradient(self, tape: TapeValue, target: Value, src: Value,
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
        if WATCHED_UNKNOWN in tape.watched and not self._watches(tape, src):
            return grad  # maybe watched through a value the analyzer cannot see: no claim
        reason = self._source_reason(tape, src, expr)
        if reason is None and src.source is None:
            return grad  # a plain tensor not proven unwatched: no path to compare
        if reason is None and isinstance(target, Tensor) and INCOMPLETE not in target.deps:
            reason = self._path_reason(tape, target, src, expr)
        if reason is None:
            return grad
        if self.replaying:
            return UNKNOWN  # joined loop states are too coarse to prove a None gradient
        code, message, fix = reason
        self.last_reason = message
        alternatives: tuple[Fix, ...] = ()
        if code == "SL301" and fix is not None:
            alternatives = _constant_to_variable(self, tape, src, expr)
        elif code == "SL303":
            fix = _move_into_tape(tape, expr, node)
        self.report(code, message, node, fix=fix, alternatives=alternatives)
        return grad if code == "SL306" else NONE

    def _source_reason(self, tape: TapeValue, src: Tensor,
                       expr: ast.expr | None) -> tuple[str, str, Fix | None] | None:
        """Reasons that hold whatever the target: the source is not watched at all."""
        if WATCHED_UNKNOWN in tape.watched:
            return None  # the tape watched a value the analyzer cannot see: maybe this one
        name = ast.unparse(expr) if expr is not None else "the source"
        if src.source is None and any(t == tape.token for _, t, _ in src.deps):
            return None  # an intermediate this tape recorded: TF differentiates w.r.t. it
        if isinstance(expr, ast.Name) and expr.id in self.rebound and src.source is None:
            return ("SL308", f"the gradient w.r.t. {name} is None: {name} was a tf.Variable "
                    f"until line {self.rebound[expr.id]} rebound it to a plain tensor; update "
                    f"it in place with {name}.assign_sub(...)", None)
        if src.source is None:
            derived = any(t == DERIVED for _, t, _ in src.deps)
            if (isinstance(expr, ast.Call) and src.origin in _DERIVING) or derived:
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
        if src.kind == "variable" and not tape.watch_accessed and src.trainable and \
                (src.dtype or "float").startswith(("float", "bfloat")) and \
                src.source not in tape.watched:
            return ("SL301", f"the gradient w.r.t. {name} is None: the tape was created with "
                    f"watch_accessed_variables=False and {name} was never passed to "
                    f"tape.watch; call tape.watch({name}) inside the tape",
                    Fix("add-watch", f"Add tape.watch({name})", True,
                        (("name", name), ("tape", tape.name), ("with_line", tape.with_line)))
                    if isinstance(expr, ast.Name) else None)
        if src.kind == "variable" and not self._watches(tape, src):
            why = "trainable=False" if not src.trainable else f"dtype {src.dtype}"
            return ("SL302", f"the gradient w.r.t. {name} is None: the variable has {why}, "
                    "so the tape does not watch it; create it with a float initial value "
                    "(e.g. 3.0) or dtype=tf.float32", Fix("float-variable", "Make the "
                                                          "variable floating-point", False,
                                                          (("name", name),))
                    if src.trainable else None)
        return None

    def _path_reason(self, tape: TapeValue, target: Tensor, src: Tensor,
                     expr: ast.expr | None) -> tuple[str, str, Fix | None] | None:
        """Reasons found on the recorded paths from the source to the target."""
        name = ast.unparse(expr) if expr is not None else "the source"
        if (src.source, MAYBE_SELF, "ok") in target.deps:
            return None  # the target may be the source itself (a join of branches)
        statuses = {st for s, t, st in target.deps if s == src.source and t == tape.token}
        if "ok" in statuses:
            numpy = sorted(st for st in statuses if st.startswith("numpy:"))
            if numpy:
                return ("SL306", f"the gradient w.r.t. {name} is silently wrong: "
                        f"{numpy[0][6:]} on a tensor inside the tape is treated as a constant; "
                        "use the TensorFlow op instead", None)
            return None
        if statuses:
            if any(st == "stopped" for st in statuses):
                return None
            leaving = sorted(st for st in statuses if st.startswith(("left:", "numpy:")))
            if leaving:
                op = leaving[0].split(":", 1)[1]
                return ("SL305", f"the gradient w.r.t. {name} is None: the path from it to "
                        f"the target leaves TensorFlow through {op}", None)
            op = sorted(statuses)[0].split(":", 1)[1]
            return ("SL307", f"the gradient w.r.t. {name} is None: it reaches the target "
                    f"only through {op}, which has no gradient (an integer or rounded value)",
                    None)
        if src.source in tape.breaks:  # and no recorded path: the copy is all there is
            return ("SL308", f"the gradient w.r.t. {name} is None: {tape.breaks[src.source]}, "
                    "which has no gradient back to it", None)
        return ("SL303", f"the gradient w.r.t. {name} is None: the target was not computed "
                f"from it while this tape was recording (compute the loss inside the with "
                "block)", None)

    # ------------------------------------------------------------------ optimizers
    def optimizer_method(self, name: str, args: list[Value], kwargs: dict[str, Value],
                         node: ast.AST) -> Value:
        if name == "minimize":
            self.unbuilt_reaches(kwargs.get("var_list", args[1] if len(args) > 1 else UNKNOWN))
        if name != "apply_gradients":
            return UNKNOWN
        pairs_v = args[0] if args else kwargs.get("grads_and_vars", UNKNOWN)
        self.unbuilt_reaches(pairs_v)
        pairs = [p.items for p in pairs_v.items if isinstance(p, Seq) and len(p.items) == 2] \
            if isinstance(pairs_v, Seq) else \
            [pairs_v.element.items] if isinstance(pairs_v, ListOf) and \
            isinstance(pairs_v.element, Seq) and len(pairs_v.element.items) == 2 else []
        if not pairs:
            return UNKNOWN
        nones = [g is NONE for g, _ in pairs]
        if all(nones):
            self.report("SL312", "every gradient passed to apply_gradients is None: this "
                        "raises 'No gradients provided for any variable'", node)
        elif any(nones):
            self.report("SL312", f"{sum(nones)} of {len(pairs)} gradients are None: those "
                        "variables are silently skipped (Keras only warns)", node,
                        severity="warning")
        for g, v in pairs:
            if isinstance(g, Tensor) and isinstance(v, Tensor) and g.shape and v.shape and \
                    _known(g.shape) and _known(v.shape) and g.shape != v.shape:
                self.report("SL312", f"a gradient of shape {_fmt(g)} is applied to a variable "
                            f"of shape {_fmt(v)}: apply_gradients raises 'Cannot update "
                            "variable'", node)
            elif isinstance(g, Tensor) and isinstance(v, Tensor) and g.grad_of is not None \
                    and v.source is not None and g.grad_of != v.source:
                names = (self.token_names.get(g.grad_of, "one variable"),
                         self.token_names.get(v.source, "another"))
                self.report("SL312", f"the gradient of {names[0]} is applied to {names[1]}: "
                            "the gradients and variables are zipped in different orders",
                            node, severity="warning")
        return UNKNOWN

    def trainable_variables(self, owner: Value, node: ast.AST) -> Value:
        """``[]`` (remembered as ``UnbuiltWeights``, see ``weights.py``) for a model proven
        unbuilt at this point of execution; otherwise its (unknown) list of variables."""
        frames = getattr(self, "frames", [])
        if not any(f.unknown for f in frames) and proven_unbuilt(owner):
            return UnbuiltWeights(node)
        return ListOf(Tensor(None, "float32", "variable", source=id(owner)))

    def unbuilt_reaches(self, value: Value) -> None:
        """The empty list of an unbuilt model reached training: SL314 where it was read."""
        if isinstance(value, UnbuiltWeights):
            self.report("SL314", MESSAGE, value.at)

    def note_loop(self, iterable: Value, stmt: ast.For) -> None:
        if isinstance(iterable, UnbuiltWeights) and updates_in(stmt.body):
            self.unbuilt_reaches(iterable)

    def is_model(self, value: Value) -> bool:
        return isinstance(value, ModelValue) or (isinstance(value, Instance) and \
            is_keras_subclass(value.cls))


_CONSTANTS = ("tf.constant", "tf.convert_to_tensor")


def _constant_to_variable(engine: TapeMixin, tape: TapeValue, src: Tensor,
                          expr: ast.expr | None) -> tuple[Fix, ...]:
    """SL301's other fix: a float source bound by ``tf.constant``/``tf.convert_to_tensor``
    can be created as a ``tf.Variable`` instead (the fixer checks the binding itself). Not
    inside ``tf.function`` (variables there must be singletons) nor for a tape that does not
    watch the variables it reads."""
    if not isinstance(expr, ast.Name) or src.origin not in _CONSTANTS or \
            not (src.dtype or "").startswith(("float", "bfloat")) or \
            not tape.watch_accessed or engine.in_tf_function():
        return ()
    return (Fix("constant-to-variable", f"Create {expr.id} as a tf.Variable", False,
                (("name", expr.id), ("tape", tape.name), ("with_line", tape.with_line))),)


def _move_into_tape(tape: TapeValue, source: ast.expr | None, node: ast.AST) -> Fix | None:
    """SL303's fix: move the statements computing the target into the tape (unsafe: code
    runs in another place). Needs a named target and a source rooted at a name."""
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
                ("source", root.id)))


def _flatten(values: list[Value]) -> list[Value]:
    out: list[Value] = []
    for v in values:
        if isinstance(v, Seq):
            out += _flatten(list(v.items))
        elif isinstance(v, ListOf):
            out += _flatten([v.element])
        else:
            out.append(v)
    return out


def _has_deps(args: list[Value], kwargs: dict[str, Value]) -> bool:
    return any(isinstance(v, Tensor) and v.deps for v in _flatten([*args, *kwargs.values()]))


def _known(shape: tuple[object, ...]) -> bool:
    return all(isinstance(d, int) for d in shape)


def _fmt(t: Tensor) -> str:
    from .shapes import format_shape

    return format_shape(t.shape)


__all__ = ["INCOMPLETE", "TapeMixin", "to_tensor"]
