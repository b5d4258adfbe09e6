"""The catalogue's ``SL2xx`` rules: Keras layers and models wired with shapes they
cannot take."""

from __future__ import annotations

from .rule import IAE, VE, FixAvailability, Rule, Severity

KERAS: tuple[Rule, ...] = (
    Rule(
        "SL201",
        "layer-input-dim-mismatch",
        "A built layer (e.g. Dense) gets an input whose last dimension differs from the one it "
        "was built for.",
        tf_errors=((VE, r"is incompatible with the layer: expected axis -?\d+ of input shape "
                         r"to have value"),),
    ),
    Rule(
        "SL202",
        "layer-ndim-mismatch",
        "A layer gets an input of the wrong rank (expected ndim=4, found ndim=3).",
        tf_errors=((VE, r"is incompatible with the layer: expected (min_|max_)?ndim=\d+, "
                         r"found ndim=\d+"),),
    ),
    Rule(
        "SL203",
        "non-positive-output-size",
        "Convolutions or pooling shrink a spatial dimension to zero or below.",
        tf_errors=((VE, r"Computed output size would be zero or negative|"
                         r"Negative dimension size"),),
    ),
    Rule(
        "SL204",
        "reshape-layer-size-mismatch",
        "A Reshape layer's target_shape does not hold the same number of elements as its "
        "input.",
        tf_errors=((VE, r"total size of the tensor must be unchanged|"
                         r"at most one unknown dimension"),
                   (IAE, r"Input to reshape is a tensor with \d+ values")),
    ),
    Rule(
        "SL205",
        "merge-shape-mismatch",
        "Concatenate/Add/Multiply/... layers get inputs whose shapes cannot be merged.",
        tf_errors=((VE, r"requires inputs with matching shapes|Inputs have incompatible "
                         r"shapes|Operands could not be broadcast"),),
    ),
    Rule(
        "SL206",
        "model-input-mismatch",
        "A model is called or predicts on data whose shape does not fit its declared input.",
        tf_errors=((VE, r"is incompatible with the layer|Invalid input shape for input|"
                         r"Computed output size would be zero or negative"),),
    ),
    Rule(
        "SL207",
        "fit-target-mismatch",
        "fit/evaluate/train_on_batch targets cannot match the model output under the compiled "
        "loss.",
        fix=FixAvailability.SOMETIMES,
        tf_errors=((VE, r"Argument `output` must have rank|Arguments `target` and `output` "
                         r"must have the same (rank|shape)|Dimensions must be equal|"
                         r"`logits` and `labels` must have the same shape|"
                         r"Data cardinality is ambiguous"),
                   (IAE, r"Incompatible shapes|Received a label value of")),
    ),
    Rule(
        "SL208",
        "undefined-dense-input",
        "A Dense layer is built on an input whose last dimension is None (dynamic).",
        tf_errors=((VE, r"Shapes used to initialize variables must be fully-defined|"
                         r"The last dimension of the inputs to a Dense layer should be "
                         r"defined"),),
    ),
    Rule(
        "SL209",
        "invalid-input-shape",
        "keras.Input(shape=...) is given something that is not a shape tuple.",
        tf_errors=((VE, r"Cannot convert .* to a shape"),),
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
        fix=FixAvailability.SOMETIMES,
    ),
    Rule(
        "SL212",
        "add-weight-positional-name",
        "A layer's add_weight gets the weight's name positionally, as Keras 2 allowed; "
        "Keras 3 raises.",
        tf_errors=((VE, r"`name` must be passed as a keyword argument"),),
    ),
    Rule(
        "SL213",
        "keras3-save-path",
        "model.save_weights/model.save get a path Keras 3 refuses: save_weights needs a name "
        "ending in .weights.h5, save one ending in .keras or .h5.",
        fix=FixAvailability.SOMETIMES,
        tf_errors=((VE, r"The filename must end in `\.weights\.h5`|Invalid filepath "
                         r"extension for saving"),),
    ),
    Rule(
        "SL214",
        "keras3-removed-api",
        "A Keras 2 method, argument or module Keras 3 removed: a metric's reset_states(), a "
        "model's fit_generator(), an optimizer's lr=, keras.optimizers.legacy.",
        fix=FixAvailability.SOMETIMES,
        tf_errors=((("AttributeError",), r"object has no attribute '(reset_states|"
                                         r"(fit|evaluate|predict)_generator)'"),
                   (VE, r"Argument\(s\) not recognized: \{'lr'"),
                   (("ImportError",), r"`keras\.optimizers\.legacy` is not supported in "
                                      r"Keras 3"),),
    ),
    # ------------------------------------------------------------ SL3xx GradientTape
)
