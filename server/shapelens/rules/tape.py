"""The catalogue's ``SL3xx`` rules: ``tf.GradientTape`` use whose gradient is ``None``,
silently wrong, or an error."""

from __future__ import annotations

from .rule import IAE, VE, FixAvailability, Rule, Severity

TAPE: tuple[Rule, ...] = (
    Rule(
        "SL301",
        "unwatched-source",
        "tape.gradient w.r.t. a constant, tensor or NumPy value the tape never watched "
        "returns None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL302",
        "non-trainable-source",
        "tape.gradient w.r.t. an integer/bool or trainable=False variable returns None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL303",
        "target-not-recorded",
        "The target was computed outside the tape, or not from the source: the gradient is "
        "None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL304",
        "derived-source",
        "The source is a reshape/transpose/slice/cast of a variable made outside the tape: "
        "the gradient is None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL305",
        "path-leaves-tensorflow",
        "The path from source to target leaves TensorFlow (.numpy(), int(), tf.constant(), "
        "predict): the gradient is None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL306",
        "numpy-on-gradient-path",
        "NumPy or float() on a tensor inside the tape: that part is a constant and the "
        "gradient is silently wrong.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="wrong-gradient",
    ),
    Rule(
        "SL307",
        "non-differentiable-path",
        "Only non-differentiable ops (int cast, round, argmax, comparisons) connect source and "
        "target: the gradient is None.",
        severity=Severity.WARNING,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL308",
        "variable-replaced",
        "The variable was re-created, assigned from an expression, or rebound to a tensor: the "
        "gradient w.r.t. it is None.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL309",
        "tape-reused",
        "A non-persistent GradientTape computes gradients twice: the second call raises.",
        fix=FixAvailability.SOMETIMES,
        tf_errors=((("RuntimeError",), r"A non-persistent GradientTape can only be used to "
                                       r"compute one set of gradients"),),
    ),
    Rule(
        "SL310",
        "gradient-inside-tape",
        "tape.gradient is called inside the tape's with block.",
        severity=Severity.INFORMATION,
        fix=FixAvailability.SOMETIMES,
    ),
    Rule(
        "SL311",
        "output-gradients-shape",
        "output_gradients does not have the target's shape: wrong-shape gradients or a "
        "reshape error in the backward pass.",
        tf_errors=((IAE, r"Input to reshape is a tensor with \d+ values|Incompatible shapes"),),
        silent_outcome="wrong-gradient",
    ),
    Rule(
        "SL312",
        "gradients-not-applied",
        "apply_gradients receives None gradients (all None raises; some None skips those "
        "variables) or gradients shaped unlike their variables.",
        tf_errors=((VE, r"No gradients provided for any variable"),
                   (IAE, r"Cannot update variable with shape")),
    ),
    Rule(
        "SL313",
        "missing-target",
        "tape.gradient gets None as its target (a loss function without return).",
        tf_errors=((("TypeError",), r"Argument `target` should be a list or nested structure"),),
    ),
    Rule(
        "SL314",
        "weights-before-build",
        "model.trainable_variables read while the model is proven unbuilt is an empty list; "
        "once it reaches tape.gradient, apply_gradients or an assign loop, training silently "
        "does nothing.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
    ),
    Rule(
        "SL315",
        "gradient-stopped",
        "Every path from the source to the target was cut on purpose (tf.stop_gradient, a "
        "tape.stop_recording() block, or a tape.reset() after the target was recorded): the "
        "gradient is None.",
        severity=Severity.WARNING,
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL316",
        "batch-jacobian-shape",
        "tape.batch_jacobian gets a target or source of rank below 2, or whose first "
        "(batch) dimensions differ.",
        tf_errors=((VE, r"must have rank at least 2|Need first dimension of target shape"),),
    ),
    Rule(
        "SL317",
        "variable-recreated-in-loop",
        "A tf.Variable the loop body creates again on every iteration and updates in place: "
        "each update is lost when the next iteration replaces it, so training starts over at "
        "every step.",
        severity=Severity.WARNING,
        fix=FixAvailability.SOMETIMES,
    ),
)
