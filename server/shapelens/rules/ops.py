"""The catalogue's ``SL1xx`` rules: tensor operations whose shapes, dtypes or values
TensorFlow rejects."""

from __future__ import annotations

from .rule import IAE, VE, Rule, Severity

TENSOR_OPS: tuple[Rule, ...] = (
    Rule(
        "SL101",
        "reshape-size-mismatch",
        "A reshape asks for a shape whose number of elements differs from the input's.",
        tf_errors=(
            (IAE, r"Input to reshape is a tensor with \d+ values|Only one input size may be -1"),
            (VE, r"Cannot reshape a tensor with|cannot reshape array of size"),
            (VE, r"can only specify one unknown dimension"),
            # graph mode, a known input size and one -1 in the shape
            (VE, r"Dimension size must be evenly divisible by \d+ but is \d+"),
        ),
    ),
    Rule(
        "SL102",
        "matmul-shape-mismatch",
        "Matrix multiplication of operands whose inner or batch dimensions do not agree.",
        tf_errors=(
            (IAE, r"Matrix size-incompatible|ndims must be >= 2|compatible batch dimensions"),
            (VE, r"Dimensions must be equal|matmul: Input operand|shapes .* not aligned|"
                  r"shape-mismatch for sum|Shape must be rank 2 but is rank"),
        ),
    ),
    Rule(
        "SL103",
        "incompatible-broadcast",
        "An elementwise operation on shapes that cannot be broadcast together.",
        tf_errors=(
            (IAE, r"Incompatible shapes|must be broadcastable"),
            (VE, r"Dimensions must be equal|operands could not be broadcast together|"
                  r"Cannot broadcast shape"),
        ),
    ),
    Rule(
        "SL104",
        "concat-shape-mismatch",
        "Tensors joined with concat or stack disagree in rank or in a non-joined dimension.",
        tf_errors=(
            (IAE, r"ConcatOp : Dimension \d+ in both shapes must be equal|"
                   r"Ranks of all input tensors should match|Shapes of all inputs must match"),
            (VE, r"Dimension \d+ in both shapes must be equal|Shapes must be equal rank|"
                  r"all the input array dimensions|must have the same shape|"
                  r"must have same number of dimensions"),
        ),
    ),
    Rule(
        "SL105",
        "axis-out-of-range",
        "An axis argument lies outside the rank of the tensor it applies to.",
        tf_errors=(
            (IAE, r"Invalid reduction dimension|Tried to expand dim index|"
                   r"Tried to squeeze dim index|Expected concatenating dimensions in the range|"
                   r"Shape must be at least rank|Expected axis|axis .* out of range|"
                   r"must be in range|Expected dimension in the range|Expected .*dimension|"
                   r"split_dim < input rank|Expected scan axis in the range|"
                   r"`dim` must be in the range|input must be >= 1-D|"
                   r"slice index -?\d+ of dimension \d+ out of bounds"),
            (VE, r"not in range|out of bounds for array of dimension|Invalid reduction dim|"
                  r"axis .* is out of bounds|must be in the range"),
            (("AxisError", "IndexError"), r"out of bounds|out of range"),
        ),
    ),
    Rule(
        "SL106",
        "invalid-transpose-perm",
        "A transpose permutation does not list every axis of the tensor exactly once.",
        tf_errors=(
            (IAE, r"transpose expects a vector of size|is missing from|is out of range"),
            (VE, r"axes don't match array|repeated axis in transpose"),
        ),
    ),
    Rule(
        "SL107",
        "squeeze-non-unit-dim",
        "squeeze is asked to remove an axis whose size is not 1.",
        tf_errors=(
            (IAE, r"Can not squeeze dim\[\d+\], expected a dimension of 1"),
            (VE, r"cannot select an axis to squeeze out which has size not equal to one|"
                  r"Can not squeeze dim"),
        ),
    ),
    Rule(
        "SL108",
        "index-out-of-range",
        "An integer index, slice size or gathered index lies outside a known dimension.",
        tf_errors=(
            (IAE, r"slice index -?\d+ of dimension \d+ out of bounds|Index out of range using|"
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
            (IAE, r"Number of ways to split should evenly divide|"
                   r"Determined shape must either match input shape along split_dim exactly"),
            (VE, r"array split does not result in an equal division|Dimension size must be "
                  r"evenly divisible"),
        ),
    ),
    Rule(
        "SL110",
        "shape-argument-mismatch",
        "A shape-like argument (tile multiples, pad paddings, broadcast_to shape) does not "
        "fit the tensor's rank or dimensions.",
        tf_errors=(
            (IAE, r"Expected multiples argument to be a vector of length|"
                   r"The first dimension of paddings must be the rank of inputs|"
                   r"Unable to broadcast tensor|Incompatible shapes|"
                   r"must be no greater than rank of output shape"),
            (VE, r"Shape must be rank|Dimensions must be equal|operands could not be broadcast|"
                  r"cannot broadcast"),
        ),
    ),
    Rule(
        "SL111",
        "dtype-mismatch",
        "A binary operation or matmul between tensors of different dtypes.",
        tf_errors=(
            (IAE, r"cannot compute \w+ as input #\d+\(zero-based\) was expected to be a"),
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
            (IAE, r"Expected dimension \d+ at axis \d+ of the input shaped|"
                   r"Expected input \d+ to have rank|[Ee]insum|must have compatible batch "
                   r"dimensions|broadcasting dimension\(s\) but no ellipsis"),
            (VE, r"Expected dimension|Expected input|operands could not be broadcast|"
                  r"einstein sum subscripts"),
        ),
    ),
    Rule(
        "SL113",
        "boolean-mask-shape-mismatch",
        "The mask given to boolean_mask does not match the leading dimensions of the tensor.",
        tf_errors=((VE, r"Shapes .* and .* are incompatible|mask"),
                   (("IndexError",), r"boolean index did not match")),
    ),
    Rule(
        "SL114",
        "conv-pool-shape-error",
        "A convolution or pooling op gets the wrong rank, mismatched channels, or a window "
        "larger than its input.",
        tf_errors=(
            (IAE, r"input depth must be evenly divisible by filter depth|"
                   r"Computed output size would be negative|must be 4-dimensional|"
                   r"input and filter must have the same depth|Negative dimension size|"
                   r"output depth must be evenly divisible by number of groups"),
            (VE, r"Negative dimension size|Depth of input|must be rank|Shape must be rank"),
        ),
    ),
    Rule(
        "SL115",
        "argmax-over-size-one-axis",
        "argmax/argmin over an axis of size 1: the result is always 0 (a degenerate "
        "computation, usually a (batch, 1) output or label taken for one-hot).",
        severity=Severity.WARNING,
        silent_outcome="constant-result",
    ),
    Rule(
        "SL116",
        "feed-shape-mismatch",
        "A value fed to a placeholder in feed_dict (Session.run, Tensor.eval, Operation.run) "
        "does not have the placeholder's shape.",
        tf_errors=((VE, r"Cannot feed value of shape"),),
    ),
    Rule(
        "SL117",
        "set-shape-incompatible",
        "Tensor.set_shape with a shape incompatible with the tensor's static shape.",
        tf_errors=((VE, r"Shapes .* and .* are incompatible|Shapes must be equal rank|"
                         r"Dimension \d+ in both shapes must be equal|"
                         r"is not compatible with supplied shape|"
                         r"Shapes .* and .* are not compatible"),),
    ),
    Rule(
        "SL118",
        "image-shape-error",
        "A tf.image op gets an image of the wrong rank or channels, or a crop/pad box that "
        "does not fit the image.",
        tf_errors=(
            (VE, r"must have either 3 or 4 dimensions|must be at least three-dimensional|"
                 r"should either be a Tensor with rank = 3 or rank = 4|"
                 r"'size' must be a 1-D Tensor of 2 elements|must be >= 0|must be > 0|"
                 r"must be >= target \+ offset|must be <= target - offset|"
                 r"central_fraction must be within|"
                 r"Last dimension of a grayscale image should be size 1|"
                 r"must be at least two-dimensional"),
            (IAE, r"input must be at least 3-D|input must have 3 channels|"
                  r"Matrix size-incompatible|In\[0\] mismatch In\[1\] shape"),
        ),
    ),
    Rule(
        "SL119",
        "loss-label-mismatch",
        "Labels given to a cross-entropy (tf.nn or keras.losses) do not have the rank, shape "
        "or dtype it requires against the logits or predictions.",
        tf_errors=(
            (VE, r"`labels.shape.rank` must equal|`labels.shape` must equal `logits.shape`|"
                 r"`logits` cannot be a scalar|`logits` and `labels` must have the same shape|"
                 r"Arguments `target` and `output` must have the same|"
                 r"Argument `output` must have rank"),
            (IAE, r"Value for attr 'Tlabels' of \w+ is not in the list of allowed values|"
                  r"Received a label value of -?\d+ which is outside the valid range"),
            (("TypeError",), r"Value passed to parameter 'labels' has DataType"),
        ),
    ),
    Rule(
        "SL120",
        "ragged-broadcast-mismatch",
        "An elementwise op on a RaggedTensor whose shape cannot broadcast with the other "
        "operand's: different row counts or sizes, or rows whose lengths differ from the "
        "other operand's size or row lengths there.",
        tf_errors=((IAE, r"Condition x == y did not hold|Incompatible shapes"),),
    ),
    Rule(
        "SL121",
        "ragged-partition-mismatch",
        "A RaggedTensor factory (from_row_lengths, from_row_splits, from_value_rowids) gets "
        "a row partition that does not cover its values exactly.",
        tf_errors=(
            (IAE, r"do not form a valid RaggedTensor"),
            (VE, r"Shapes \(\d+,\) and \(\d+,\) are incompatible"),
        ),
    ),
    Rule(
        "SL122",
        "sparse-shape-mismatch",
        "A SparseTensor whose indices, values and dense_shape disagree, a sparse op "
        "(add, sparse_dense_matmul, reshape) given shapes it rejects, or to_dense of "
        "indices outside the dense shape, out of order or repeated.",
        tf_errors=(
            (VE, r"Dimensions \d+ and \d+ are not compatible|must have rank 1"),
            (IAE, r"Operands' shapes do not match|does not equal \(no broadcasting|"
                  r"Cannot multiply A and B because inner dimension does not match|"
                  r"Input to reshape is a tensor with \d+ dense values|"
                  r"indices\[\d+\] = \[[-\d,]+\] is (out of bounds|out of order|repeated)|"
                  r"Indices are not valid \(out of bounds\)"),
        ),
    ),
    Rule(
        "SL123",
        "dataset-structure-error",
        "A tf.data.Dataset is built from components it cannot slice: from_tensor_slices of "
        "tensors whose first dimensions differ or of a scalar, or unbatch of scalar elements.",
        tf_errors=((VE, r"Dimensions \d+ and \d+ are not compatible|"
                        r"Unbatching a tensor is only supported for rank >= 1|"
                        r"Cannot unbatch an input with scalar components"),),
    ),
    Rule(
        "SL125",
        "tensor-array-element-shape",
        "A value written to a tf.TensorArray whose shape differs from the array's element "
        "shape (given as element_shape= or taken from the first write).",
        tf_errors=((VE, r"Incompatible shape for value|Inconsistent shapes: saw"),),
    ),
    Rule(
        "SL126",
        "boolean-index-mismatch",
        "A NumPy array indexed by a boolean mask whose shape differs from the axes it covers.",
        tf_errors=((("IndexError",), r"boolean index did not match indexed array"),),
    ),
    Rule(
        "SL128",
        "variable-assign-shape",
        "Variable.assign with a value whose shape is not compatible with the variable's, or "
        "tf.Variable.assign_add/assign_sub with a value of another shape (no broadcasting).",
        tf_errors=(
            (VE, r"Cannot assign value to variable .*Shape mismatch|"
                 r"The shape of the target variable and the shape of the target value|"
                 r"Dimension \d+ in both shapes must be equal|Shapes must be equal rank"),
            (IAE, r"Cannot update variable with shape .* using a Tensor with shape"),
        ),
    ),
    Rule(
        "SL129",
        "shape-assertion-failed",
        "A shape assertion fails: tf.ensure_shape, TensorShape.assert_is_compatible_with / "
        "assert_has_rank / assert_same_rank, tf.debugging.assert_shapes or assert_rank.",
        tf_errors=(
            (IAE, r"Shape of tensor input \[.*\] is not compatible with expected shape"),
            (VE, r"Shapes .* and .* are incompatible|must have rank|must have the same rank|"
                 r"must have size|Dimension \d+ in both shapes must be equal"),
        ),
    ),
    # ------------------------------------------------------------ SL2xx Keras layers/models
)
