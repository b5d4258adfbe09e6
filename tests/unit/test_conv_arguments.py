"""Conv and pooling layers with arguments Keras refuses when the layer is made (a zero or
negative stride, kernel or dilation): Keras raises ``ValueError`` at construction, so no output
length is claimed (the shape function once divided by the zero stride)."""

from __future__ import annotations

import pytest

from shapelens.core import analyze


@pytest.mark.parametrize("args", ["3, strides=0", "0", "3, dilation_rate=0", "3, strides=-1"])
def test_refused_arguments_give_no_shape_and_no_crash(args: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    analysis = analyze("import numpy as np\nimport keras\n"
                       f"y = keras.layers.Conv2D(4, {args})(np.zeros((1, 8, 8, 1), 'float32'))\n",
                       "t.py")
    shapes = {a.name: a.shape for a in analysis.assignments}
    assert shapes.get("y") is None or None in (shapes["y"] or (None,))
    assert "failed" not in caplog.text


def test_a_valid_stride_still_gives_the_length() -> None:
    analysis = analyze("import numpy as np\nimport keras\n"
                       "y = keras.layers.Conv2D(4, 3, strides=2)(\n"
                       "    np.zeros((1, 8, 8, 1), 'float32'))\n",
                       "t.py")
    assert {a.name: a.shape for a in analysis.assignments}["y"] == (1, 3, 3, 4)
