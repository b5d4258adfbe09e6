"""Keras 2-era spellings Keras 3 still accepts (checked against Keras 3.15): the layer aliases
of ``keras.layers`` (``Convolution2D`` is ``Conv2D``, ``AvgPool2D`` is ``AveragePooling2D``...)
and ``input_dim=`` on a first layer; each gives the shapes of the layer it names."""

from __future__ import annotations

import pytest

from shapelens.core import analyze


def _shape(model: str) -> object:
    source = ("import numpy as np\nimport keras\n"
              f"m = keras.Sequential([keras.Input((8, 8, 1)), {model}])\n"
              "y = m(np.zeros((2, 8, 8, 1), dtype='float32'))\n")
    return {a.name: a.shape for a in analyze(source, "t.py").assignments}.get("y")


@pytest.mark.parametrize(("alias", "canonical"), [
    ("Convolution2D(4, 3)", "Conv2D(4, 3)"),
    ("MaxPool2D()", "MaxPooling2D()"),
    ("AvgPool2D()", "AveragePooling2D()"),
    ("GlobalAvgPool2D()", "GlobalAveragePooling2D()"),
    ("GlobalMaxPool2D()", "GlobalMaxPooling2D()"),
    ("SeparableConvolution2D(4, 3)", "SeparableConv2D(4, 3)"),
    ("Convolution2DTranspose(4, 3)", "Conv2DTranspose(4, 3)"),
])
def test_an_alias_is_the_layer_it_names(alias: str, canonical: str) -> None:
    shape = _shape(f"keras.layers.{alias}")
    assert shape is not None
    assert shape == _shape(f"keras.layers.{canonical}")


def test_input_dim_sets_the_input_shape() -> None:
    source = ("import numpy as np\nimport keras\n"
              "m = keras.Sequential([keras.layers.Dense(4, input_dim=3), keras.layers.Dense(2)])\n"
              "y = m(np.zeros((5, 3), dtype='float32'))\n"
              "z = m(np.zeros((5, 4), dtype='float32'))\n")
    analysis = analyze(source, "t.py")
    assert {a.name: a.shape for a in analysis.assignments}.get("y") == (5, 2)
    assert [(f.span.line, f.code) for f in analysis.findings
            if f.severity == "error"] == [(5, "SL206")]
