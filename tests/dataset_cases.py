"""``tf.data`` cases shared by the engine's test (``test_datasets.py``) and TensorFlow's
(``tests/oracle/test_datasets_oracle.py``): each is a program whose last line is
``probe = <expr>`` and the element spec the engine must give ``probe``, written as
``float32(None, 28, 28)`` per tensor, tuples and dicts around them. ``None`` is TF's static
``None``; ``?`` is a size the engine does not claim (TF's may be anything there).

The oracle runs every program under TensorFlow and checks each expectation against what TF
reports: ``element_spec`` for a dataset, the tensors' shapes for a value (an eager value has
concrete sizes, matched by ``?``), and the exception for an error case.
"""

from __future__ import annotations

SETUP = """\
import numpy as np
import tensorflow as tf
x = np.zeros((10, 28, 28), np.float32)
y = np.zeros((10,), np.int64)
ds = tf.data.Dataset.from_tensor_slices((x, y))
a3 = tf.data.Dataset.from_tensor_slices(np.zeros((4, 3)))
ragged = tf.data.Dataset.range(5).map(lambda i: tf.fill([i], 1.0))
"""

PAIR = "(float32(28, 28), int64())"
BATCHED = "(float32(None, 28, 28), int64(None,))"

# Two class folders of two tiny PNGs each, for Keras' directory readers.
FOLDERS = """\
import os
import tempfile
import keras
root = tempfile.mkdtemp()
for folder in ("cats", "dogs"):
    for i in range(2):
        path = os.path.join(root, folder, f"{i}.png")
        tf.io.write_file(path, tf.io.encode_png(np.zeros((4, 6, 3), np.uint8)))
"""

# (name, program after SETUP, expected spec of `probe`)
CASES: list[tuple[str, str, str]] = [
    ("slices-tuple", "probe = ds", PAIR),
    ("slices-int-list", "probe = tf.data.Dataset.from_tensor_slices([1, 2, 3])", "int32()"),
    ("slices-nested-list", "probe = tf.data.Dataset.from_tensor_slices([[1., 2.], [3., 4.]])",
     "float32(2,)"),
    ("slices-list-of-arrays", "probe = tf.data.Dataset.from_tensor_slices([x, x])",
     "float32(10, 28, 28)"),
    ("slices-dict", "probe = tf.data.Dataset.from_tensor_slices({'a': x, 'b': y})",
     "{'a': float32(28, 28), 'b': int64()}"),
    ("slices-float64", "probe = a3", "float64(3,)"),
    ("slices-tuple-of-lists", "probe = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4]))",
     "(int32(), int32())"),
    ("slices-list-of-tuples", "probe = tf.data.Dataset.from_tensor_slices([(1, 2), (3, 4)])",
     "int32(2,)"),
    ("slices-tensor", "probe = tf.data.Dataset.from_tensor_slices(tf.zeros((5, 2)))",
     "float32(2,)"),
    ("from-tensors", "probe = tf.data.Dataset.from_tensors((x, y))",
     "(float32(10, 28, 28), int64(10,))"),
    ("range", "probe = tf.data.Dataset.range(5)", "int64()"),
    ("range-step", "probe = tf.data.Dataset.range(1, 5, 2)", "int64()"),
    ("batch", "probe = ds.batch(4)", BATCHED),
    ("batch-drop", "probe = ds.batch(4, drop_remainder=True)", "(float32(4, 28, 28), int64(4,))"),
    ("batch-twice", "probe = ds.batch(4).batch(2)",
     "(float32(None, None, 28, 28), int64(None, None))"),
    ("unbatch", "probe = ds.batch(4).unbatch()", PAIR),
    ("rebatch", "probe = ds.batch(3).rebatch(2)", BATCHED),
    ("padded-batch", "probe = ds.padded_batch(4)", BATCHED),
    ("padded-batch-shapes", "probe = ragged.padded_batch(2, padded_shapes=[6])",
     "float32(None, 6)"),
    ("zip-tuple", "probe = tf.data.Dataset.zip((ds, a3))", f"({PAIR}, float64(3,))"),
    ("zip-args", "probe = tf.data.Dataset.zip(ds, a3)", f"({PAIR}, float64(3,))"),
    ("enumerate", "probe = ds.enumerate()", f"(int64(), {PAIR})"),
    ("keeps", "probe = ds.shuffle(10).take(2).skip(1).repeat(2).prefetch(tf.data.AUTOTUNE)"
              ".cache()", PAIR),
    ("filter", "probe = ds.filter(lambda a, b: b > 0)", PAIR),
    ("concatenate", "probe = ds.concatenate(ds)", PAIR),
    ("concatenate-widths",
     "probe = a3.concatenate(tf.data.Dataset.from_tensor_slices(np.zeros((4, 5))))",
     "float64(None,)"),
    ("map-lambda-tuple", "probe = ds.map(lambda a, b: (a / 255.0, b))", PAIR),
    ("map-list-is-tuple", "probe = ds.map(lambda a, b: [a, b])", PAIR),
    ("map-dict", "probe = ds.map(lambda a, b: {'img': a, 'l': b})",
     "{'img': float32(28, 28), 'l': int64()}"),
    ("map-of-dict", "probe = tf.data.Dataset.from_tensor_slices({'a': x}).map(lambda d: d['a'])",
     "float32(28, 28)"),
    ("map-python-int", "probe = tf.data.Dataset.range(5).map(lambda i: 1)", "int32()"),
    ("map-python-float", "probe = tf.data.Dataset.range(5).map(lambda i: 1.0)", "float32()"),
    ("map-function",
     "def prep(img, label):\n    img = tf.expand_dims(img, -1)\n"
     "    return img, tf.one_hot(label, 10)\nprobe = ds.map(prep).batch(8)",
     "(float32(None, 28, 28, 1), float32(None, 10))"),
    ("map-sees-batch",
     "probe = ds.batch(4).map(lambda a, b: (tf.reshape(a, (-1, 784)), b))",
     "(float32(?, 784), int64(None,))"),
    ("element-spec", "probe = ds.batch(4).element_spec", BATCHED),
    ("from-generator-signature",
     "def gen():\n    yield np.zeros((3,)), 1\nprobe = tf.data.Dataset.from_generator(gen, "
     "output_signature=(tf.TensorSpec(shape=(None,), dtype=tf.float32), "
     "tf.TensorSpec(shape=(), dtype=tf.int32)))", "(float32(None,), int32())"),
    ("from-generator-types-shapes",
     "def gen():\n    yield np.zeros((3,)), 1\nprobe = tf.data.Dataset.from_generator(gen, "
     "output_types=(tf.float32, tf.int32), output_shapes=((3,), ()))", "(float32(3,), int32())"),
    ("from-generator-types-only",
     "def gen():\n    yield np.zeros((3,)), 1\nprobe = tf.data.Dataset.from_generator(gen, "
     "output_types=(tf.float32, tf.int32))", "(float32<unknown>, int32<unknown>)"),
    ("from-generator-one-spec",
     "def gen():\n    yield np.zeros((2, 1))\nprobe = tf.data.Dataset.from_generator(gen, "
     "output_signature=tf.TensorSpec((2, None)))", "float32(2, None)"),
    ("tensor-spec-shape", "probe = tf.zeros(tf.TensorSpec(shape=(4, 28)).shape)",
     "float32(4, 28)"),
    ("text-lines", "probe = tf.data.TextLineDataset(['/dev/null'])", "string()"),
    ("tfrecords", "probe = tf.data.TFRecordDataset(['/dev/null'])", "string()"),
    ("sample-from-datasets", "probe = tf.data.Dataset.sample_from_datasets([a3, a3])",
     "float64(3,)"),
    ("counter", "probe = tf.data.experimental.Counter()", "int64()"),
    ("cardinality", "probe = tf.data.experimental.cardinality(ds)", "int64()"),
    ("image-folders", FOLDERS + "probe = keras.utils.image_dataset_from_directory(root)",
     "(float32(None, 256, 256, 3), int32(None,))"),
    ("image-folders-options", FOLDERS + "probe = keras.utils.image_dataset_from_directory("
     "root, image_size=(32, 48), batch_size=None, label_mode='categorical')",
     "(float32(32, 48, 3), float32(?,))"),
    ("image-folders-gray-binary", FOLDERS + "probe = keras.utils.image_dataset_from_directory("
     "root, label_mode='binary', color_mode='grayscale', image_size=[20, 20])",
     "(float32(None, 20, 20, 1), float32(None, 1))"),
    ("image-folders-no-labels", FOLDERS + "probe = keras.utils.image_dataset_from_directory("
     "root, labels=None, color_mode='rgba')", "float32(None, 256, 256, 4)"),
    ("image-folders-both", FOLDERS + "train, val = keras.utils.image_dataset_from_directory("
     "root, validation_split=0.5, subset='both', seed=1, batch_size=2)\nprobe = val",
     "(float32(None, 256, 256, 3), int32(None,))"),
    ("text-folders", FOLDERS.replace(".png", ".txt") +
     "probe = keras.utils.text_dataset_from_directory(root)",
     "(string(None,), int32(None,))"),
    ("apply-keeps", "probe = ds.apply(tf.data.experimental.assert_cardinality(10))"
                    ".apply(tf.data.experimental.ignore_errors())", PAIR),
    ("apply-function", "probe = ds.apply(lambda d: d.batch(2, drop_remainder=True))",
     "(float32(2, 28, 28), int64(2,))"),
    # What a program holds: eager values have concrete sizes, which the engine leaves open.
    # 10 rows in batches of 4: the last batch has 2 (what probe holds after the loop)
    ("for-loop", "for a, b in ds.batch(4):\n    probe = a", "float32(2, 28, 28)"),
    ("for-loop-joined", "for a, b in ds.batch(4):\n    probe = tf.reduce_sum(a, 0)\n"
                        "    last = a", "float32(28, 28)"),
    ("for-loop-exact", "for i, (a, b) in enumerate(ds.batch(5)):\n    probe = b", "int64(5,)"),
    ("for-loop-take", "for a, b in ds.shuffle(10).batch(4).take(2):\n    probe = a",
     "float32(4, 28, 28)"),
    ("for-loop-skip", "for a, b in ds.batch(4).prefetch(2).skip(1):\n    probe = a",
     "float32(2, 28, 28)"),
    ("for-loop-repeat", "for a, b in ds.batch(4).repeat(2):\n    probe = a",
     "float32(?, 28, 28)"),
    ("for-loop-range", "for i in tf.data.Dataset.range(3).batch(2):\n    probe = i", "int64(1,)"),
    ("for-loop-drop", "for a, b in ds.batch(4, drop_remainder=True).take(1):\n    probe = b",
     "int64(4,)"),
    ("next-iter", "probe = next(iter(ds.batch(4)))", "(float32(4, 28, 28), int64(4,))"),
    # windows (shapefns/tf_data_windows.py)
    ("window-flat-map", "probe = ds.window(3, shift=1, drop_remainder=True).flat_map("
     "lambda a, b: tf.data.Dataset.zip((a.batch(3), b.batch(3))))", BATCHED),
    ("window-one", "probe = a3.window(2).flat_map(lambda w: w.batch(2))", "float64(None, 3)"),
    ("timeseries", "import keras\nprobe = keras.utils.timeseries_dataset_from_array("
     "np.zeros((50, 4)), np.zeros((50,), np.int64), sequence_length=5, batch_size=8)",
     "(float64(None, None, 4), int64(None,))"),
    ("timeseries-no-targets", "import keras\nprobe = keras.utils."
     "timeseries_dataset_from_array(x, None, sequence_length=3)", "float32(None, None, 28, 28)"),
    ("timeseries-list", "import keras\nprobe = keras.utils.timeseries_dataset_from_array("
     "[1, 2, 3, 4, 5, 6, 7], None, sequence_length=4)", "int32(None, None)"),
    ("csv-dataset", "probe = tf.data.experimental.CsvDataset('rows.csv', [tf.float32, "
     "tf.int64, 0.0, ''])", "(float32(), int64(), float32(), string())"),
    # map after batch: the first and last batches through the function
    ("map-after-batch-last", "for a, b in ds.batch(4).map(lambda a, b: (tf.reshape(a, "
     "(-1, 784)), b)):\n    probe = a", "float32(2, 784)"),
    ("map-after-batch-next", "probe = next(iter(ds.batch(4).map(lambda a, b: "
     "(tf.expand_dims(a, -1), b))))", "(float32(4, 28, 28, 1), int64(4,))"),
    ("map-after-batch-static-path",
     "def f(a, b):\n    if a.shape[0] is None:\n        return a[:, :3], b\n    return a, b\n"
     "for a, b in ds.batch(4).map(f):\n    probe = a", "float32(?, 3, 28)"),
    ("next-iter-unknown-count",
     "probe = next(iter(ds.filter(lambda a, b: b >= 0).batch(4)))",
     "(float32(?, 28, 28), int64(?,))"),
    ("enumerate-loop", "for i, (a, b) in enumerate(ds):\n    probe = a", "float32(28, 28)"),
    ("numpy-iterator", "probe = next(ds.batch(2).as_numpy_iterator())",
     "(float32(?, 28, 28), int64(?,))"),
]

# (name, program after SETUP whose last line raises, TF's exception class, rule code)
ERRORS: list[tuple[str, str, str, str]] = [
    ("slices-first-dims", "probe = tf.data.Dataset.from_tensor_slices((x, np.zeros(9)))",
     "ValueError", "SL123"),
    ("slices-dict-first-dims",
     "probe = tf.data.Dataset.from_tensor_slices({'a': x, 'b': np.zeros((3, 2))})",
     "ValueError", "SL123"),
    ("slices-scalar", "probe = tf.data.Dataset.from_tensor_slices(np.float32(3))",
     "ValueError", "SL123"),
    ("unbatch-scalar", "probe = tf.data.Dataset.range(5).unbatch()", "ValueError", "SL123"),
]
