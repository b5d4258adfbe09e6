"""The rule catalogue: every diagnostic ShapeLens can emit, with a stable code.

Codes are grouped like ruff's: ``SL1xx`` tensor ops, ``SL2xx`` Keras layers and models,
``SL3xx`` GradientTape, ``SL9xx`` analyzer limits. A code is never reused once retired.

Each rule also records the TensorFlow errors it predicts (``tf_errors``: exception class
names and a regular expression over the message). The oracle tests use them to check that
the error TensorFlow really raises is the one the rule promised, so the catalogue is the
single place where a rule's meaning is written down.
"""

from __future__ import annotations

from enum import Enum

from ..structs import Frozen

DOCS_BASE_URL = "https://github.com/shapelens/shapelens/blob/main/docs/rules/"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFORMATION = "information"
    HINT = "hint"


class FixAvailability(str, Enum):
    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


class Rule(Frozen):
    """One rule of the catalogue: code, name, one-line summary, severity and fix."""

    __slots__ = ("code", "name", "summary", "severity", "fix", "tf_errors", "silent_outcome")

    def __init__(self, code: str, name: str, summary: str,
                 severity: Severity = Severity.ERROR, fix: FixAvailability = FixAvailability.NEVER,
                 tf_errors: tuple[tuple[tuple[str, ...], str], ...] = (),
                 silent_outcome: str = "") -> None:
        self.code = code
        self.name = name
        self.summary = summary
        self.severity = severity
        self.fix = fix
        # (exception class names, message regex) pairs TensorFlow raises for this rule.
        self.tf_errors = tf_errors
        # What happens at run time when nothing is raised: "none-gradient" (tape.gradient
        # returns None at the flagged line), "wrong-gradient" (a silently wrong value), ""
        # otherwise.
        self.silent_outcome = silent_outcome

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"


_IAE = ("InvalidArgumentError",)
_VE = ("ValueError",)
_IAE_VE = ("InvalidArgumentError", "ValueError")

RULES: tuple[Rule, ...] = (
    Rule(
        "SL101",
        "reshape-size-mismatch",
        "A reshape asks for a shape whose number of elements differs from the input's.",
        tf_errors=(
            (_IAE, r"Input to reshape is a tensor with \d+ values|Only one input size may be -1"),
            (_VE, r"Cannot reshape a tensor with|cannot reshape array of size"),
            (_VE, r"can only specify one unknown dimension"),
        ),
    ),
    Rule(
        "SL102",
        "matmul-shape-mismatch",
        "Matrix multiplication of operands whose inner or batch dimensions do not agree.",
        tf_errors=(
            (_IAE, r"Matrix size-incompatible|ndims must be >= 2|compatible batch dimensions"),
            (_VE, r"Dimensions must be equal|matmul: Input operand|shapes .* not aligned|"
                  r"shape-mismatch for sum"),
        ),
    ),
    Rule(
        "SL103",
        "incompatible-broadcast",
        "An elementwise operation on shapes that cannot be broadcast together.",
        tf_errors=(
            (_IAE, r"Incompatible shapes|must be broadcastable"),
            (_VE, r"Dimensions must be equal|operands could not be broadcast together|"
                  r"Cannot broadcast shape"),
        ),
    ),
    Rule(
        "SL104",
        "concat-shape-mismatch",
        "Tensors joined with concat or stack disagree in rank or in a non-joined dimension.",
        tf_errors=(
            (_IAE, r"ConcatOp : Dimension \d+ in both shapes must be equal|"
                   r"Ranks of all input tensors should match|Shapes of all inputs must match"),
            (_VE, r"Dimension \d+ in both shapes must be equal|Shapes must be equal rank|"
                  r"all the input array dimensions|must have the same shape|"
                  r"must have same number of dimensions"),
        ),
    ),
    Rule(
        "SL105",
        "axis-out-of-range",
        "An axis argument lies outside the rank of the tensor it applies to.",
        tf_errors=(
            (_IAE, r"Invalid reduction dimension|Tried to expand dim index|"
                   r"Tried to squeeze dim index|Expected concatenating dimensions in the range|"
                   r"Shape must be at least rank|Expected axis|axis .* out of range|"
                   r"must be in range|Expected dimension in the range|Expected .*dimension|"
                   r"split_dim < input rank|Expected scan axis in the range|"
                   r"`dim` must be in the range|input must be >= 1-D|"
                   r"slice index -?\d+ of dimension \d+ out of bounds"),
            (_VE, r"not in range|out of bounds for array of dimension|Invalid reduction dim|"
                  r"axis .* is out of bounds|must be in the range"),
            (("AxisError", "IndexError"), r"out of bounds|out of range"),
        ),
    ),
    Rule(
        "SL106",
        "invalid-transpose-perm",
        "A transpose permutation does not list every axis of the tensor exactly once.",
        tf_errors=(
            (_IAE, r"transpose expects a vector of size|is missing from|is out of range"),
            (_VE, r"axes don't match array|repeated axis in transpose"),
        ),
    ),
    Rule(
        "SL107",
        "squeeze-non-unit-dim",
        "squeeze is asked to remove an axis whose size is not 1.",
        tf_errors=(
            (_IAE, r"Can not squeeze dim\[\d+\], expected a dimension of 1"),
            (_VE, r"cannot select an axis to squeeze out which has size not equal to one|"
                  r"Can not squeeze dim"),
        ),
    ),
    Rule(
        "SL108",
        "index-out-of-range",
        "An integer index, slice size or gathered index lies outside a known dimension.",
        tf_errors=(
            (_IAE, r"slice index -?\d+ of dimension \d+ out of bounds|Index out of range using|"
                   r"is not in \[0, \d+\)|Expected size\[\d+\] in|does not index into param shape|"
                   r"Expected begin\[\d+\] in|must have at least k columns|"
                   r"Attempting to slice scalar input|"
                   r"index innermost dimension length must be <= params rank"),
            (("IndexError",), r"out of bounds|too many indices"),
        ),
    ),
    Rule(
        "SL109",
        "uneven-split",
        "split cannot divide the dimension into the requested pieces.",
        tf_errors=(
            (_IAE, r"Number of ways to split should evenly divide|"
                   r"Determined shape must either match input shape along split_dim exactly"),
            (_VE, r"array split does not result in an equal division|Dimension size must be "
                  r"evenly divisible"),
        ),
    ),
    Rule(
        "SL110",
        "shape-argument-mismatch",
        "A shape-like argument (tile multiples, pad paddings, broadcast_to shape) does not "
        "fit the tensor's rank or dimensions.",
        tf_errors=(
            (_IAE, r"Expected multiples argument to be a vector of length|"
                   r"The first dimension of paddings must be the rank of inputs|"
                   r"Unable to broadcast tensor|Incompatible shapes|"
                   r"must be no greater than rank of output shape"),
            (_VE, r"Shape must be rank|Dimensions must be equal|operands could not be broadcast|"
                  r"cannot broadcast"),
        ),
    ),
    Rule(
        "SL111",
        "dtype-mismatch",
        "A binary operation or matmul between tensors of different dtypes.",
        tf_errors=(
            (_IAE, r"cannot compute \w+ as input #\d+\(zero-based\) was expected to be a"),
            (("TypeError",), r"Cannot convert .* to EagerTensor of dtype|"
                             r"Input 'y' of '\w+' Op has type|"
                             r"`?x`? and `?y`? must have the same dtype"),
        ),
    ),
    Rule(
        "SL112",
        "einsum-dimension-mismatch",
        "einsum operands give one subscript letter two different sizes, or the wrong rank.",
        tf_errors=(
            (_IAE, r"Expected dimension \d+ at axis \d+ of the input shaped|"
                   r"Expected input \d+ to have rank|[Ee]insum|must have compatible batch "
                   r"dimensions|broadcasting dimension\(s\) but no ellipsis"),
            (_VE, r"Expected dimension|Expected input|operands could not be broadcast|"
                  r"einstein sum subscripts"),
        ),
    ),
    Rule(
        "SL113",
        "boolean-mask-shape-mismatch",
        "The mask given to boolean_mask does not match the leading dimensions of the tensor.",
        tf_errors=((_VE, r"Shapes .* and .* are incompatible|mask"),
                   (("IndexError",), r"boolean index did not match")),
    ),
    Rule(
        "SL114",
        "conv-pool-shape-error",
        "A convolution or pooling op gets the wrong rank, mismatched channels, or a window "
        "larger than its input.",
        tf_errors=(
            (_IAE, r"input depth must be evenly divisible by filter depth|"
                   r"Computed output size would be negative|must be 4-dimensional|"
                   r"input and filter must have the same depth|Negative dimension size|"
                   r"output depth must be evenly divisible by number of groups"),
            (_VE, r"Negative dimension size|Depth of input|must be rank|Shape must be rank"),
        ),
    ),
    Rule(
        "SL115",
        "argmax-over-size-one-axis",
        "argmax/argmin over an axis of size 1: the result is always 0 (a degenerate "
        "computation, usually a (batch, 1) output or label taken for one-hot).",
        severity=Severity.WARNING,
    ),
    Rule(
        "SL116",
        "feed-shape-mismatch",
        "A value fed to a placeholder in feed_dict (Session.run, Tensor.eval, Operation.run) "
        "does not have the placeholder's shape.",
        tf_errors=((_VE, r"Cannot feed value of shape"),),
    ),
    Rule(
        "SL117",
        "set-shape-incompatible",
        "Tensor.set_shape with a shape incompatible with the tensor's static shape.",
        tf_errors=((_VE, r"Shapes .* and .* are incompatible|Shapes must be equal rank|"
                         r"Dimension \d+ in both shapes must be equal"),),
    ),
    # ------------------------------------------------------------ SL2xx Keras layers/models
    Rule(
        "SL201",
        "layer-input-dim-mismatch",
        "A built layer (e.g. Dense) gets an input whose last dimension differs from the one it "
        "was built for.",
        tf_errors=((_VE, r"is incompatible with the layer: expected axis -?\d+ of input shape "
                         r"to have value"),),
    ),
    Rule(
        "SL202",
        "layer-ndim-mismatch",
        "A layer gets an input of the wrong rank (expected ndim=4, found ndim=3).",
        tf_errors=((_VE, r"is incompatible with the layer: expected (min_|max_)?ndim=\d+, "
                         r"found ndim=\d+"),),
    ),
    Rule(
        "SL203",
        "non-positive-output-size",
        "Convolutions or pooling shrink a spatial dimension to zero or below.",
        tf_errors=((_VE, r"Computed output size would be zero or negative|"
                         r"Negative dimension size"),),
    ),
    Rule(
        "SL204",
        "reshape-layer-size-mismatch",
        "A Reshape layer's target_shape does not hold the same number of elements as its "
        "input.",
        tf_errors=((_VE, r"total size of the tensor must be unchanged|"
                         r"at most one unknown dimension"),
                   (_IAE, r"Input to reshape is a tensor with \d+ values")),
    ),
    Rule(
        "SL205",
        "merge-shape-mismatch",
        "Concatenate/Add/Multiply/... layers get inputs whose shapes cannot be merged.",
        tf_errors=((_VE, r"requires inputs with matching shapes|Inputs have incompatible "
                         r"shapes|Operands could not be broadcast"),),
    ),
    Rule(
        "SL206",
        "model-input-mismatch",
        "A model is called or predicts on data whose shape does not fit its declared input.",
        tf_errors=((_VE, r"is incompatible with the layer|Invalid input shape for input|"
                         r"Computed output size would be zero or negative"),),
    ),
    Rule(
        "SL207",
        "fit-target-mismatch",
        "fit/evaluate/train_on_batch targets cannot match the model output under the compiled "
        "loss.",
        tf_errors=((_VE, r"Argument `output` must have rank|Arguments `target` and `output` "
                         r"must have the same (rank|shape)|Dimensions must be equal|"
                         r"`logits` and `labels` must have the same shape|"
                         r"Data cardinality is ambiguous"),
                   (_IAE, r"Incompatible shapes|Received a label value of")),
    ),
    Rule(
        "SL208",
        "undefined-dense-input",
        "A Dense layer is built on an input whose last dimension is None (dynamic).",
        tf_errors=((_VE, r"Shapes used to initialize variables must be fully-defined|"
                         r"The last dimension of the inputs to a Dense layer should be "
                         r"defined"),),
    ),
    Rule(
        "SL209",
        "invalid-input-shape",
        "keras.Input(shape=...) is given something that is not a shape tuple.",
        tf_errors=((_VE, r"Cannot convert .* to a shape"),),
    ),
    Rule(
        "SL210",
        "layer-axis-out-of-range",
        "A layer's axis argument lies outside the rank of its input.",
        tf_errors=((("IndexError", "ValueError"), r"tuple index out of range|Invalid value "
                                                  r"for `axis`|out of range|out of bounds"),),
    ),
    Rule(
        "SL211",
        "prefer-input-layer",
        "input_shape= on a layer works but Keras 3 warns; use keras.Input(shape) first.",
        severity=Severity.HINT,
    ),
    # ------------------------------------------------------------ SL3xx GradientTape
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
        silent_outcome="none-gradient",
    ),
    Rule(
        "SL306",
        "numpy-on-gradient-path",
        "NumPy or float() on a tensor inside the tape: that part is a constant and the "
        "gradient is silently wrong.",
        severity=Severity.WARNING,
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
        tf_errors=((_IAE, r"Input to reshape is a tensor with \d+ values|Incompatible shapes"),),
        silent_outcome="wrong-gradient",
    ),
    Rule(
        "SL312",
        "gradients-not-applied",
        "apply_gradients receives None gradients (all None raises; some None skips those "
        "variables) or gradients shaped unlike their variables.",
        tf_errors=((_VE, r"No gradients provided for any variable"),
                   (_IAE, r"Cannot update variable with shape")),
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
    ),
    Rule(
        "SL901",
        "syntax-error",
        "The file does not parse; statements that still parse are analysed.",
        severity=Severity.ERROR,
    ),
    Rule(
        "SL902",
        "file-too-large",
        "The file is larger than the analysis limit and was not analysed.",
        severity=Severity.INFORMATION,
    ),
    Rule(
        "SL903",
        "analysis-limit",
        "Part of the file was not analysed: an expression nested too deeply, or the time "
        "budget ran out; results there are unknown.",
        severity=Severity.INFORMATION,
    ),
    Rule(
        "SL904",
        "unreadable-file",
        "The file could not be decoded as Python source text.",
        severity=Severity.ERROR,
    ),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def get(code: str) -> Rule:
    """Return the rule for ``code``; raises KeyError for unknown codes."""
    return BY_CODE[code]
