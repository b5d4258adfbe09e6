"""Losses called as functions: tf.nn cross entropies and keras.losses / keras.metrics
functions, with the label-against-logits rules TF 2.21 and Keras 3 enforce (SL119; SL103
where TF's error is a failed broadcast, SL111 for a dtype conflict)."""

from __future__ import annotations

from typing import Any

import pytest

from .notation import cases, check

SMX = "tf.nn.softmax_cross_entropy_with_logits"
SPARSE = "tf.nn.sparse_softmax_cross_entropy_with_logits"
SIG = "tf.nn.sigmoid_cross_entropy_with_logits"
LOGITS = {"z": "f32[4,3]"}

CASES: list[Any] = [
    # softmax: labels flattened to (rows, classes) must broadcast to the logits
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "f32[4,3]"}, "tf.f32[4]"),
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "f32[1,3]"}, "f32[4]"),
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "f32[3]"}, "f32[4]"),
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "i32[4,3]"}, "f32[4]"),
    (f"{SMX}(y, z)", {"z": "np.f64[4,3]", "y": "np.f64[4,3]"}, "tf.f64[4]"),
    (f"{SMX}(labels=y, logits=z)", {"z": "f32[2,4,3]", "y": "f32[2,4,3]"}, "f32[2,4]"),
    (f"{SMX}(labels=y, logits=z)", {"z": "f32[2,4,3]", "y": "f32[3]"}, "f32[2,4]"),
    (f"{SMX}(labels=y, logits=z)", {"z": "f32[8,3]", "y": "f32[2,4,3]"}, "f32[8]"),
    (f"{SMX}(labels=y, logits=z, axis=0)", {"z": "f32[3,4]", "y": "f32[3,4]"}, "f32[4]"),
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "f32[4,5]"}, "SL103"),
    (f"{SMX}(labels=y, logits=z)", {**LOGITS, "y": "f32[5,3]"}, "SL103"),
    (f"{SMX}(labels=y, logits=z)", {"z": "f32[2,4,3]", "y": "f32[4,3]"}, "SL103"),
    # sparse: integer ids of rank(logits) - 1
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "i32[4]"}, "tf.f32[4]"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "np.i64[4]"}, "f32[4]"),
    (f"{SPARSE}(y, z)", {**LOGITS, "y": "i64[4]"}, "f32[4]"),
    (f"{SPARSE}(labels=y, logits=z)", {"z": "f32[2,4,3]", "y": "i32[2,4]"}, "f32[2,4]"),
    (f"{SPARSE}(labels=[0, 1, 2, 0], logits=z)", LOGITS, "f32[4]"),
    (f"{SPARSE}(labels=y, logits=z)", {"z": "f32[3]", "y": "i32[]"}, "f32[]"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "i32[4,1]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "i32[4,3]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "i32[5]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {"z": "f32[2,4,3]", "y": "i32[2,5]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "f32[4]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {**LOGITS, "y": "np.f64[4]"}, "SL119"),
    (f"{SPARSE}(labels=y, logits=z)", {"z": "f32[]", "y": "i32[]"}, "SL119"),
    (f"{SPARSE}(labels=[0, 1, 2, 3], logits=z)", LOGITS, "SL119"),
    # sigmoid: the logits' exact shape and dtype
    (f"{SIG}(labels=y, logits=z)", {**LOGITS, "y": "f32[4,3]"}, "tf.f32[4,3]"),
    (f"{SIG}(labels=[[0.0, 1.0, 0.0]], logits=z)", {"z": "f32[1,3]"}, "f32[1,3]"),
    (f"{SIG}(labels=y, logits=z)", {"z": "f64[4,3]", "y": "f64[4,3]"}, "f64[4,3]"),
    (f"{SIG}(labels=y, logits=z)", {**LOGITS, "y": "f32[4,1]"}, "SL119"),
    (f"{SIG}(labels=y, logits=z)", {**LOGITS, "y": "f32[4,5]"}, "SL119"),
    (f"{SIG}(labels=y, logits=z)", {"z": "f32[4,1]", "y": "f32[4]"}, "SL119"),
    (f"{SIG}(labels=y, logits=z)", {**LOGITS, "y": "i32[4,3]"}, "SL111"),
    (f"{SIG}(labels=y, logits=z)", {**LOGITS, "y": "np.f64[4,3]"}, "SL111"),
    (f"{SIG}(labels=[[0, 1, 0]], logits=z)", {"z": "f32[1,3]"}, "SL111"),
    # keras.losses: cross entropies want equal ranks and shapes
    ("keras.losses.categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4,3]"},
     "tf.f32[4]"),
    ("keras.losses.categorical_crossentropy(y, p)", {"p": "f64[4,3]", "y": "f32[4,3]"},
     "f64[4]"),
    ("keras.losses.categorical_crossentropy([[0.0, 1.0, 0.0]], p)", {"p": "f32[1,3]"},
     "f32[1]"),
    ("keras.losses.binary_crossentropy(y, p)", {"p": "f32[4,3,2]", "y": "f32[4,3,2]"},
     "f32[4,3]"),
    ("keras.losses.binary_crossentropy(y, p)", {"p": "np.f64[4,3]", "y": "np.f64[4,3]"},
     "f64[4]"),
    ("keras.losses.categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4]"}, "SL119"),
    ("keras.losses.categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4,1]"},
     "SL119"),
    ("keras.losses.binary_crossentropy(y, p)", {"p": "f32[4,1]", "y": "f32[4]"}, "SL119"),
    ("keras.losses.binary_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[5,3]"}, "SL119"),
    ("keras.losses.binary_focal_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4,5]"},
     "SL119"),
    # sparse categorical: one rank less, after a trailing 1 is squeezed
    ("keras.losses.sparse_categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4]"},
     "f32[4]"),
    ("keras.losses.sparse_categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "i32[4,1]"},
     "f32[4]"),
    ("keras.losses.sparse_categorical_crossentropy(y, p)",
     {"p": "f32[4,2,3]", "y": "f32[4,2,1]"}, "f32[4,2]"),
    ("keras.metrics.sparse_categorical_crossentropy(y, p)",
     {"p": "np.f64[4,3]", "y": "np.f64[4]"}, "f64[4]"),
    ("keras.losses.sparse_categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[4,3]"},
     "SL119"),
    ("keras.losses.sparse_categorical_crossentropy(y, p)", {"p": "f32[4,3]", "y": "f32[5]"},
     "SL119"),
    ("keras.losses.sparse_categorical_crossentropy(y, p)", {"p": "f32[4]", "y": "f32[4]"},
     "SL119"),
    # regression losses: a trailing 1 is dropped or added, then broadcasting
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,3]", "y": "f32[4,3]"}, "f32[4]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,1]", "y": "f32[4]"}, "f32[4]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4]", "y": "f32[4,1]"}, "f32[4]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[8,4]", "y": "f32[8,4,1]"}, "f32[8]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,3]", "y": "f32[4,1]"}, "f32[4]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,4]", "y": "f32[4]"}, "f32[4]"),
    ("keras.losses.mean_absolute_error(y, p)", {"p": "f32[4,3]", "y": "f32[3]"}, "f32[4]"),
    ("keras.losses.huber(y, p)", {"p": "f32[4,3,2]", "y": "f32[4,3,2]"}, "f32[4,3]"),
    ("keras.losses.mean_squared_error([1.0, 2.0], [1.0, 2.0])", {}, "f32[]"),
    ("keras.metrics.mean_absolute_error(y, p)", {"p": "np.f64[4,3]", "y": "np.f64[4,3]"},
     "f64[4]"),
    ("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,3]", "y": "f32[4]"}, "SL103"),
    ("keras.losses.mean_absolute_error(y, p)", {"p": "f32[4,3]", "y": "f32[4,5]"}, "SL103"),
    ("keras.losses.huber(y, p)", {"p": "f32[4]", "y": "f32[4,3]"}, "SL103"),
    ("keras.losses.poisson(y, p)", {"p": "f32[4,3]", "y": "f32[5,3]"}, "SL103"),
    ("keras.metrics.mean_squared_error(y, p)", {"p": "f32[4,3]", "y": "f32[4]"}, "SL103"),
    ("keras.losses.cosine_similarity(y, p)", {"p": "f32[4,3]", "y": "f32[4,3]"}, "f32[4]"),
    # loss objects: Keras' wrapper drops or adds a trailing 1 first, then reduces to a scalar
    ("keras.losses.SparseCategoricalCrossentropy()(y, p)", {"p": "f32[4,3]", "y": "f32[4]"},
     "f32[]"),
    ("keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, p)",
     {"p": "f32[4,3]", "y": "f32[4,3]"}, "SL119"),
    ("keras.losses.SparseCategoricalCrossentropy()(y, p)", {"p": "f32[4,3]", "y": "f32[5]"},
     "SL119"),
    ("keras.losses.CategoricalCrossentropy()(y, p)", {"p": "f32[4,3]", "y": "f32[4]"}, "SL119"),
    ("keras.losses.CategoricalCrossentropy()(y, p)", {"p": "f32[4,3]", "y": "f32[4,1]"},
     "SL119"),
    ("keras.losses.BinaryCrossentropy()(y, p)", {"p": "f32[4,1]", "y": "f32[4]"}, "f32[]"),
    ("keras.losses.BinaryCrossentropy()(y, p)", {"p": "f32[4]", "y": "f32[4,1]"}, "f32[]"),
    ("keras.losses.BinaryCrossentropy()(y, p)", {"p": "f32[4,1]", "y": "f32[4,3]"}, "SL119"),
    ("keras.losses.MeanSquaredError()(y, p)", {"p": "f32[4,3]", "y": "f32[4,1]"}, "f32[]"),
    ("keras.losses.MeanSquaredError()(y, p)", {"p": "f32[4,3]", "y": "f32[4]"}, "SL103"),
    ("keras.losses.Huber()(y, p)", {"p": "f32[4,1]", "y": "f32[4]"}, "f32[]"),
    # reduction=None / "none" / Reduction.NONE: the per-sample losses
    ("keras.losses.SparseCategoricalCrossentropy(reduction=None)(y, p)",
     {"p": "f32[4,3]", "y": "f32[4]"}, "f32[4]"),
    ("keras.losses.MeanSquaredError(reduction='none')(y, p)", {"p": "f32[4,2]", "y": "f32[4,2]"},
     "f32[4]"),
    ("tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.NONE)(y, p)",
     {"p": "f32[4,2]", "y": "f32[4,2]"}, "f32[4]"),
    ("keras.losses.MeanSquaredError(reduction='sum')(y, p)", {"p": "f32[4,2]", "y": "f32[4,2]"},
     "f32[]"),
    ("keras.losses.CategoricalCrossentropy(reduction=None)(y, p)",
     {"p": "f32[4,3]", "y": "f32[4]"}, "SL119"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_losses(case: Any) -> None:
    check(case)


def test_unknown_labels_are_never_an_error() -> None:
    """Labels of unknown shape: the result is the logits' rule, and nothing is reported."""
    unknown = {"y": "tf.squeeze(tf.zeros(tf.random.uniform([2], 1, 3, tf.int32)))"}
    check((f"{SPARSE}(labels=tf.cast(y, tf.int32), logits=z)", {**LOGITS, **unknown},
           "f32[4]"))
    check((f"{SIG}(labels=y, logits=z)", {**LOGITS, **unknown}, "f32[4,3]"))
    check(("keras.losses.mean_squared_error(y, p)", {"p": "f32[4,3]", **unknown}, "f32?"))
    check(("keras.losses.categorical_crossentropy(y, p)", {"p": "f32[4,3]", **unknown},
           "f32[4]"))
