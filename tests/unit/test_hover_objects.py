"""Hover cards of known non-tensor values (``shapefns/api_objects.py``): a callback, a
checkpoint or ``tf.__version__`` gets a card saying what it is, where the hover used to be
empty; a value the engine does not know still gets none."""

from __future__ import annotations

from types import SimpleNamespace

from pygls.workspace import PositionCodec

from shapelens.core import Config, analyze
from shapelens.lsp.convert import Positions
from shapelens.lsp.documents import Result
from shapelens.lsp.hover import SourceIndex, _value_part

LS = SimpleNamespace(documents=SimpleNamespace(fallback_facts=lambda result, line: []))

SOURCE = """\
import tensorflow as tf
import keras
stop = keras.callbacks.EarlyStopping(patience=3)
ckpt = tf.train.Checkpoint(step=tf.Variable(1))
version = tf.__version__
loaded = keras.models.load_model("m.keras")
mystery = undefined_function()
keras.Sequential([stop, ckpt, version, loaded, mystery])
"""


def _hover(line: int, col: int) -> str | None:
    result = Result("file:///m.py", (1, 0), SOURCE, analyze(SOURCE, "m.py"),
                    Positions(SOURCE, PositionCodec()), Config())
    part = _value_part(SourceIndex.of(result), LS, line, col)  # type: ignore[arg-type]
    return part[0] if part else None


def test_library_objects_and_python_values_get_a_card() -> None:
    assert _hover(8, 19) == "**`stop`** · `keras.callbacks.EarlyStopping` object"
    assert _hover(8, 25) == "**`ckpt`** · `tf.train.Checkpoint` object"
    assert _hover(8, 31) == "**`version`** · `str`"
    assert _hover(8, 40) == "**`loaded`** · `keras.Model (loaded)` object"


def test_an_unknown_value_still_gets_no_card() -> None:
    assert _hover(8, 48) is None
