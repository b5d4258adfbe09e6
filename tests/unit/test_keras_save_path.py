"""SL213: ``model.save_weights``/``model.save`` to a path Keras 3 refuses, found only when the
end of the path is known, and its unsafe fix (a new suffix inside the literal). What Keras
3.15 raises is probed in ``core/keras/saving.py``; the fixture twins
``fixtures/keras/digit_checkpoints_*`` and the fix oracle run it under TensorFlow."""

from __future__ import annotations

import pytest

from shapelens.core import analyze
from shapelens.fixes import apply_edits, apply_fix

SEQ = ("import keras\nimport pathlib\nimport tensorflow as tf\n"
       "model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])\n"
       "folder = str(pathlib.Path.home())\n")
SUBCLASS = ("import keras\n\nclass Net(keras.Model):\n    def __init__(self):\n"
            "        super().__init__()\n        self.d = keras.layers.Dense(2)\n\n"
            "    def call(self, x):\n        return self.d(x)\n\nmodel = Net()\n")


def _sl213(source: str) -> list[str]:
    return [f.message for f in analyze(source, "t.py").findings if f.code == "SL213"]


@pytest.mark.parametrize("call", [
    'model.save_weights("my_checkpoint")',
    'model.save_weights("model.h5")',
    "model.save_weights('x.keras')",
    'model.save_weights("x.weights.H5")',
    'model.save_weights(filepath="ckpt/weights.ckpt", overwrite=True)',
    'model.save_weights(f"{folder}/epoch{3}.ckpt")',
    'path = "easy_checkpoint"\nmodel.save_weights(path)',
    'model.save("saved_model_dir")',
    'model.save("/tmp/model.tf", include_optimizer=False)',
])
def test_a_known_path_keras_3_refuses_is_found(call: str) -> None:
    assert len(_sl213(SEQ + call + "\n")) == 1


def test_a_subclassed_model_is_a_keras_model_too() -> None:
    assert len(_sl213(SUBCLASS + 'model.save_weights("easy_checkpoint")\n')) == 1


@pytest.mark.parametrize("call", [
    'model.save_weights("x.weights.h5")',
    'model.save_weights(f"{folder}/x.weights.h5")',
    'model.save_weights(f"{folder}/epoch{3}")',  # ends in a field: unknown
    "model.save_weights(pathlib.Path(folder) / 'ckpt')",
    'model.save_weights(folder)',
    'model.save_weights("w.json", max_shard_size=1)',  # another rule (.weights.json)
    'model.save_weights("ckpt", save_format="tf")',  # TypeError first
    'model.save("x.keras")',
    'model.save("x.h5")',
    'model.save("x.hdf5")',
    'model.save("export", zipped=False)',  # an unzipped directory: any name
    'model.save("hf://user/model")',
    'model.save(f"{folder}/export")',  # may start with hf://
    'model.save("export", overwrite=False)',  # may prompt first
    'model.save("export", save_format="tf")',  # another ValueError
    'model.load_weights("ckpt")',  # may be an Orbax checkpoint directory
    'tf.train.Checkpoint(model=model).save("ckpt")',
])
def test_anything_else_is_silent(call: str) -> None:
    assert _sl213(SEQ + call + "\n") == []


def test_a_class_with_its_own_save_weights_is_not_keras_s() -> None:
    source = SUBCLASS.replace("    def call", "    def save_weights(self, path):\n"
                                              "        return path\n\n    def call")
    assert _sl213(source + 'model.save_weights("ckpt")\n') == []


def test_the_message_quotes_the_path_and_the_name_to_use() -> None:
    assert _sl213(SEQ + 'model.save_weights("model.h5")\n') == [
        "model.save_weights('model.h5'): Keras 3 raises ValueError, the filename must end in "
        "`.weights.h5` (a TF checkpoint prefix or an .h5 name was Keras 2's); save to "
        "'model.weights.h5'"]


@pytest.mark.parametrize(("call", "fixed"), [
    ('model.save_weights("my_checkpoint")', 'model.save_weights("my_checkpoint.weights.h5")'),
    ("model.save_weights('model.h5')", "model.save_weights('model.weights.h5')"),
    ('model.save_weights("""w.ckpt""")', 'model.save_weights("""w.weights.h5""")'),
    ('model.save_weights(f"{folder}/epoch{3}.ckpt")',
     'model.save_weights(f"{folder}/epoch{3}.weights.h5")'),
    ('model.save_weights(f"{folder}/last")', 'model.save_weights(f"{folder}/last.weights.h5")'),
    ('model.save("exported")', 'model.save("exported.keras")'),
])
def test_the_fix_renames_inside_the_literal(call: str, fixed: str) -> None:
    source = SEQ + call + "\n"
    finding = next(f for f in analyze(source, "t.py").findings if f.code == "SL213")
    assert finding.fix is not None and not finding.fix.safe
    assert apply_edits(source, apply_fix(source, finding)) == SEQ + fixed + "\n"


def test_a_path_in_a_variable_gets_no_fix() -> None:
    source = SEQ + 'path = "ckpt"\nmodel.save_weights(path)\n'
    finding = next(f for f in analyze(source, "t.py").findings if f.code == "SL213")
    assert finding.fix is None


def test_the_fix_offers_nothing_once_the_literal_changed() -> None:
    source = SEQ + 'model.save_weights("my_checkpoint")\n'
    finding = next(f for f in analyze(source, "t.py").findings if f.code == "SL213")
    edited = source.replace('"my_checkpoint"', '"my_checkpoint\\\\"')
    assert apply_fix(edited, finding) == []
