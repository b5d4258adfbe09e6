"""Data sources: keras.datasets load_data (documented shapes and dtypes), to_categorical and
tf.sequence_mask."""

from __future__ import annotations

from typing import Any

import pytest

from shapelens.core import analyze

from .notation import cases, check

CASES: list[Any] = [
    ("keras.utils.to_categorical([0, 1, 2], 3)", {}, "np.f64[3,3]"),
    ("keras.utils.to_categorical([0, 1, 2])", {}, "np.f64[3,3]"),
    ("keras.utils.to_categorical(y, 4)", {"y": "np.i64[3]"}, "np.f64[3,4]"),
    ("keras.utils.to_categorical(y, 4)", {"y": "np.i64[3,1]"}, "np.f64[3,4]"),
    ("keras.utils.to_categorical(y, 4)", {"y": "np.i64[2,2]"}, "np.f64[2,2,4]"),
    ("keras.utils.to_categorical(y, num_classes=10)", {"y": "np.u8[5]"}, "np.f64[5,10]"),
    ("keras.utils.to_categorical(y, 4)", {"y": "i32[3]"}, "tf.f32[3,4]"),
    ("keras.utils.to_categorical(y, 4)", {"y": "i32[2,1]"}, "tf.f32[2,4]"),
    ("keras.utils.to_categorical(2, 4)", {}, "np.f64[4]"),
    ("keras.utils.to_categorical(y)", {"y": "np.i64[5]"}, "np.f64[5,?]"),
    ("keras.utils.to_categorical([0, 5], 3)", {}, "SL108"),
    ("tf.sequence_mask([1, 3, 2], 5)", {}, "tf.bool[3,5]"),
    ("tf.sequence_mask([1, 3, 2])", {}, "bool[3,3]"),
    ("tf.sequence_mask([[1, 3], [2, 0]], 4)", {}, "bool[2,2,4]"),
    ("tf.sequence_mask(n, maxlen=5, dtype=tf.float32)", {"n": "tf.constant([1, 3, 2])"},
     "f32[3,5]"),
    ("tf.sequence_mask(n, 7)", {"n": "np.i64[4]"}, "bool[4,7]"),
    ("tf.sequence_mask(3, 5)", {}, "bool[5]"),
    ("tf.sequence_mask(n)", {"n": "i32[4]"}, "bool[4,?]"),
]


@pytest.mark.parametrize("case", cases(CASES))
def test_data_utils(case: Any) -> None:
    check(case)


DATASETS = [
    ("mnist", "", [(60000, 28, 28), (60000,), (10000, 28, 28), (10000,)], "uint8", "uint8"),
    ("fashion_mnist", "", [(60000, 28, 28), (60000,), (10000, 28, 28), (10000,)], "uint8",
     "uint8"),
    ("cifar10", "", [(50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)], "uint8",
     "uint8"),
    ("cifar100", "label_mode='coarse'",
     [(50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)], "uint8", "int64"),
    ("imdb", "num_words=10000", [(25000,), (25000,), (25000,), (25000,)], None, "int64"),
    ("imdb", "num_words=10000, maxlen=200", [(None,), (None,), (None,), (None,)], None,
     "int64"),
    ("reuters", "num_words=10000", [(8982,), (8982,), (2246,), (2246,)], None, "int64"),
    ("reuters", "test_split=0.5", [(5614,), (5614,), (5614,), (5614,)], None, "int64"),
    ("boston_housing", "", [(404, 13), (404,), (102, 13), (102,)], "float64", "float64"),
    ("boston_housing", "test_split=0.1", [(455, 13), (455,), (51, 13), (51,)], "float64",
     "float64"),
    ("california_housing", "", [(16512, 8), (16512,), (4128, 8), (4128,)], None, None),
    ("california_housing", "version='small'", [(480, 8), (480,), (120, 8), (120,)], None,
     None),
]


@pytest.mark.parametrize("name,args,shapes,x_dtype,y_dtype", DATASETS,
                         ids=[f"{d[0]}({d[1]})" for d in DATASETS])
def test_load_data(name: str, args: str, shapes: list[tuple[int | None, ...]],
                   x_dtype: str | None, y_dtype: str | None) -> None:
    """The documented shapes and dtypes, through every import spelling and the usual
    ``(x_train, y_train), (x_test, y_test)`` unpacking."""
    for spelling in (f"keras.datasets.{name}", f"tf.keras.datasets.{name}"):
        source = ("import keras\nimport tensorflow as tf\n"
                  f"(x_train, y_train), (x_test, y_test) = {spelling}.load_data({args})\n"
                  "a = x_train\nb = y_train\nc = x_test\nd = y_test\n")
        analysis = analyze(source, time_budget=None)
        assert not analysis.findings
        facts = {a.name: a for a in analysis.assignments}
        for var, shape in zip("abcd", shapes):
            assert facts[var].shape == shape, (var, facts[var].shape, source)
            assert facts[var].kind == "ndarray"
            assert facts[var].dtype == (x_dtype if var in "ac" else y_dtype)


def test_dataset_module_alias() -> None:
    source = ("import tensorflow as tf\nmnist = tf.keras.datasets.mnist\n"
              "(x, y), _ = mnist.load_data()\nx = x / 255.0\n")  # uint8 / float: float64
    facts = {a.name: a for a in analyze(source, time_budget=None).assignments}
    assert facts["x"].shape == (60000, 28, 28)
    assert facts["x"].dtype == "float64"
