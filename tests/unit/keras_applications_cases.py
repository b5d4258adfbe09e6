"""Programs for ``core/keras/applications.py`` (``keras.applications.VGG19(...)``...), each
binding ``probe``, with what the engine gives (``tests/unit/test_keras_applications.py``) and
what TensorFlow 2.21 / Keras 3 makes of the same program
(``tests/oracle/test_keras_applications_oracle.py``). Every model is built with
``weights=None`` or refused before any download: nothing here touches the network.

A model is written ``model <input shape> -> <output shape>``, a tensor as in
``api_calls_more_cases.py`` (``<kind> <dtype> <shape>``, ``None`` for a static ``None``)."""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\nimport keras\n"
APPS = "keras.applications"
MOBILE = f"base = {APPS}.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)\n"
FREE = f"base = {APPS}.MobileNetV2(include_top=False, weights=None)\n"

# Every architecture without its top, at a size at or near its minimum (rows, cols): its last
# feature map. The rounding of each downsampling step differs (VGG, DenseNet's transitions and
# MobileNet's depthwise blocks floor, the "same"-padded ones ceil, Inception and Xception start
# with "valid" 3x3 convolutions).
GRID: list[tuple[str, tuple[int, int], str]] = [
    ("VGG16", (32, 45), "(None, 1, 1, 512)"),
    ("VGG19", (37, 37), "(None, 1, 1, 512)"),
    ("ResNet50", (50, 33), "(None, 2, 2, 2048)"),
    ("ResNet101", (64, 97), "(None, 2, 4, 2048)"),
    ("ResNet152", (33, 71), "(None, 2, 3, 2048)"),
    ("ResNet50V2", (40, 40), "(None, 2, 2, 2048)"),
    ("ResNet101V2", (32, 45), "(None, 1, 2, 2048)"),
    ("ResNet152V2", (37, 37), "(None, 2, 2, 2048)"),
    ("DenseNet121", (50, 33), "(None, 1, 1, 1024)"),
    ("DenseNet169", (64, 97), "(None, 2, 3, 1664)"),
    ("DenseNet201", (33, 71), "(None, 1, 2, 1920)"),
    ("MobileNet", (40, 40), "(None, 1, 1, 1024)"),
    ("MobileNetV2", (32, 45), "(None, 1, 2, 1280)"),
    ("InceptionV3", (75, 75), "(None, 1, 1, 2048)"),
    ("InceptionResNetV2", (80, 93), "(None, 1, 1, 1536)"),
    ("Xception", (71, 88), "(None, 3, 3, 2048)"),
    ("EfficientNetB0", (37, 37), "(None, 2, 2, 1280)"),
    ("EfficientNetB1", (50, 33), "(None, 2, 2, 1280)"),
    ("EfficientNetB2", (64, 97), "(None, 2, 4, 1408)"),
    ("EfficientNetB3", (33, 71), "(None, 2, 3, 1536)"),
    ("EfficientNetB4", (40, 40), "(None, 2, 2, 1792)"),
    ("EfficientNetB5", (32, 45), "(None, 1, 2, 2048)"),
    ("EfficientNetB6", (37, 37), "(None, 2, 2, 2304)"),
    ("EfficientNetB7", (50, 33), "(None, 2, 2, 2560)"),
]

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    *((f"grid_{n}", f"probe = {APPS}.{n}(include_top=False, weights=None, "
       f"input_shape=({h}, {w}, 3))", f"model (None, {h}, {w}, 3) -> {out}",
       f"model (None, {h}, {w}, 3) -> {out}") for n, (h, w), out in GRID),
    # defaults: the top fixes the default size; without it the spatial sizes are None
    ("mobilenet_v2_default_top", f"probe = {APPS}.MobileNetV2(weights=None)",
     "model (None, 224, 224, 3) -> (None, 1000)", "model (None, 224, 224, 3) -> (None, 1000)"),
    ("vgg19_no_top_free", f"probe = {APPS}.VGG19(include_top=False, weights=None)",
     "model (None, None, None, 3) -> (None, None, None, 512)",
     "model (None, None, None, 3) -> (None, None, None, 512)"),
    ("efficientnet_module_spelling",
     f"probe = {APPS}.efficientnet.EfficientNetB0(include_top=False, weights=None)",
     "model (None, None, None, 3) -> (None, None, None, 1280)",
     "model (None, None, None, 3) -> (None, None, None, 1280)"),
    ("inception_v3_default_top", f"probe = {APPS}.inception_v3.InceptionV3(weights=None, "
     "classes=5, classifier_activation=None)",
     "model (None, 299, 299, 3) -> (None, 5)", "model (None, 299, 299, 3) -> (None, 5)"),
    # a custom size with the top (weights=None), pooling, classes, a list input_shape
    ("vgg16_small_top", f"probe = {APPS}.VGG16(weights=None, classes=10, "
     "input_shape=(32, 32, 3))", "model (None, 32, 32, 3) -> (None, 10)",
     "model (None, 32, 32, 3) -> (None, 10)"),
    ("segmentation_list_shape", f"probe = {APPS}.MobileNetV2(input_shape=[128, 128, 3], "
     "include_top=False, weights=None)", "model (None, 128, 128, 3) -> (None, 4, 4, 1280)",
     "model (None, 128, 128, 3) -> (None, 4, 4, 1280)"),
    ("resnet50_pool_max", f"probe = {APPS}.resnet50.ResNet50(include_top=False, "
     "weights=None, pooling='max', input_shape=(75, 90, 3))",
     "model (None, 75, 90, 3) -> (None, 2048)", "model (None, 75, 90, 3) -> (None, 2048)"),
    ("densenet_pool_avg_gray", f"probe = {APPS}.DenseNet121(include_top=False, weights=None, "
     "pooling='avg', input_shape=(32, 32, 1))", "model (None, 32, 32, 1) -> (None, 1024)",
     "model (None, 32, 32, 1) -> (None, 1024)"),
    ("xception_free_pool", f"probe = {APPS}.Xception(include_top=False, weights=None, "
     "pooling='avg')", "model (None, None, None, 3) -> (None, 2048)",
     "model (None, None, None, 3) -> (None, 2048)"),
    ("mobilenet_v2_alpha", f"probe = {APPS}.MobileNetV2(input_shape=(96, 96, 3), alpha=1.4, "
     "include_top=False, weights=None)", "model (None, 96, 96, 3) -> (None, 3, 3, 1792)",
     "model (None, 96, 96, 3) -> (None, 3, 3, 1792)"),
    ("mobilenet_alpha_top", f"probe = {APPS}.MobileNet(input_shape=(128, 128, 3), alpha=0.5, "
     "weights=None, classes=7)", "model (None, 128, 128, 3) -> (None, 7)",
     "model (None, 128, 128, 3) -> (None, 7)"),
    ("mobilenet_positional", f"probe = {APPS}.mobilenet.MobileNet((100, 131, 3), 0.25, "
     "include_top=False, weights=None)", "model (None, 100, 131, 3) -> (None, 3, 4, 256)",
     "model (None, 100, 131, 3) -> (None, 3, 4, 256)"),
    # what programs do with it
    ("output", MOBILE + "probe = base.output", "keras float32 (None, 3, 3, 1280)",
     "keras float32 (None, 3, 3, 1280)"),
    ("input", MOBILE + "probe = base.input", "keras float32 (None, 96, 96, 3)",
     "keras float32 (None, 96, 96, 3)"),
    ("functional_stack", MOBILE + "base.trainable = False\ninputs = keras.Input((96, 96, 3))\n"
     "x = base(inputs, training=False)\n"
     "probe = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(x))",
     "keras float32 (None, 2)", "keras float32 (None, 2)"),
    ("sequential_stack", MOBILE + "model = keras.Sequential([keras.Input((96, 96, 3)), base, "
     "keras.layers.Flatten(), keras.layers.Dense(4)])\nprobe = model(tf.zeros((2, 96, 96, 3)))",
     "tensor float32 (2, 4)", "tensor float32 (2, 4)"),
    ("call_on_images", MOBILE + "probe = base(tf.zeros((2, 96, 96, 3)))",
     "tensor float32 (2, 3, 3, 1280)", "tensor float32 (2, 3, 3, 1280)"),
    # built for None sizes, MobileNetV2 pads every strided block as for an even size (48 ->
    # 24, 12, 6, 3, 1): the engine leaves the sizes of such a call unknown
    ("call_free_size", FREE + "probe = base(tf.zeros((2, 64, 48, 3)))",
     "tensor float32 (2, None, None, 1280)", "tensor float32 (2, 2, 1, 1280)"),
    # Keras squeezes a trailing axis of size 1 (any functional model)
    ("call_extra_unit_axis", MOBILE + "probe = base(tf.zeros((2, 96, 96, 3, 1)))",
     "tensor float32 (2, 3, 3, 1280)", "tensor float32 (2, 3, 3, 1280)"),
    ("predict", MOBILE + "probe = base.predict(np.zeros((2, 96, 96, 3)), verbose=0)",
     "ndarray float32 (2, 3, 3, 1280)", "ndarray float32 (2, 3, 3, 1280)"),
]

# preprocess_input keeps the shape (a float dtype kept, a NumPy int array made float32; the
# EfficientNet one gives its argument back)
CASES += [
    ("preprocess_keras_input", f"probe = {APPS}.mobilenet_v2.preprocess_input("
     "keras.Input((32, 32, 3)))", "keras float32 (None, 32, 32, 3)",
     "keras float32 (None, 32, 32, 3)"),
    ("preprocess_caffe_tensor", f"probe = {APPS}.vgg19.preprocess_input("
     "tf.ones((2, 8, 8, 3)) * 255)", "tensor float32 (2, 8, 8, 3)",
     "tensor float32 (2, 8, 8, 3)"),
    ("preprocess_uint8_array", f"probe = {APPS}.resnet50.preprocess_input("
     "np.zeros((2, 8, 8, 3), np.uint8))", "ndarray float32 (2, 8, 8, 3)",
     "ndarray float32 (2, 8, 8, 3)"),
    ("preprocess_torch_float64", f"probe = {APPS}.densenet.preprocess_input("
     "np.zeros((8, 8, 3)))", "ndarray float64 (8, 8, 3)", "ndarray float64 (8, 8, 3)"),
    ("preprocess_tf_one_channel", f"probe = {APPS}.inception_v3.preprocess_input("
     "tf.zeros((4, 16, 16, 1)))", "tensor float32 (4, 16, 16, 1)",
     "tensor float32 (4, 16, 16, 1)"),
    ("preprocess_efficientnet_same", f"probe = {APPS}.efficientnet.preprocess_input("
     "tf.zeros((2, 5, 5, 4), tf.int32))", "tensor int32 (2, 5, 5, 4)",
     "tensor int32 (2, 5, 5, 4)"),
]

# Programs TF runs where the engine must leave the value unknown.
UNKNOWN: list[tuple[str, str]] = [
    # an argument the engine cannot read: its input and output are not claimed
    ("input_shape_variable", "import os\nside = int(os.environ.get('SIDE', '64'))\n"
     f"probe = {APPS}.MobileNetV2(input_shape=(side, side, 3), include_top=False, "
     "weights=None)"),
    ("include_top_variable", "import os\ntop = os.environ.get('TOP', '') == 'yes'\n"
     f"probe = {APPS}.VGG16(include_top=top, weights=None, input_shape=(32, 32, 3))"),
    ("input_tensor", "inp = keras.Input((64, 64, 3))\n"
     f"probe = {APPS}.VGG16(input_tensor=inp, include_top=False, weights=None).output"),
    ("depth_multiplier", f"probe = {APPS}.MobileNet(input_shape=(64, 64, 3), "
     "depth_multiplier=2, include_top=False, weights=None)"),
    # caffe mode on 4 channels: Keras keeps three of them
    ("preprocess_caffe_four_channels", f"probe = {APPS}.vgg16.preprocess_input("
     "tf.zeros((2, 8, 8, 4)))"),
    # the inner layers are not modelled
    ("layers", MOBILE + "probe = base.layers"),
    ("get_layer", MOBILE + "probe = base.get_layer('block_13_expand_relu')"),
    ("get_layer_output", MOBILE + "probe = base.get_layer('block_13_expand_relu').output"),
    ("count_params", MOBILE + "probe = base.count_params()"),
]

# Programs Keras refuses at the builder (before any download): the engine's value is unknown
# and it reports nothing there. (name, program, Keras' error class)
RAISES: list[tuple[str, str, str]] = [
    ("below_min_size", f"probe = {APPS}.VGG16(include_top=False, weights=None, "
     "input_shape=(16, 16, 3))", "ValueError"),
    ("imagenet_top_other_size", f"probe = {APPS}.VGG16(input_shape=(150, 150, 3))",
     "ValueError"),
    ("imagenet_top_list_shape", f"probe = {APPS}.MobileNetV2(input_shape=[224, 224, 3])",
     "ValueError"),
    ("imagenet_classes", f"probe = {APPS}.ResNet50(classes=10)", "ValueError"),
    ("imagenet_gray", f"probe = {APPS}.Xception(include_top=False, input_shape=(96, 96, 1))",
     "ValueError"),
    ("top_free_size", f"probe = {APPS}.InceptionV3(weights=None, input_shape=(None, None, 3))",
     "ValueError"),
    ("two_dims", f"probe = {APPS}.ResNet50(include_top=False, weights=None, "
     "input_shape=(64, 64))", "ValueError"),
    ("unknown_argument", f"probe = {APPS}.VGG16(weights=None, include_top=False, "
     "input_size=(32, 32, 3))", "TypeError"),
]

# Programs TF refuses at the line binding ``probe`` with the error the code names; the engine
# reports that code there. (name, program, code)
FINDINGS: list[tuple[str, str, str]] = [
    ("call_other_size", MOBILE + "probe = base(tf.zeros((1, 128, 128, 3)))", "SL206"),
    ("predict_one_image", MOBILE + "probe = base.predict(np.zeros((96, 96, 3)), verbose=0)",
     "SL206"),
    ("call_gray_images", FREE + "probe = base(tf.zeros((2, 64, 64, 1)))", "SL206"),
    # one image without its batch axis, called (a functional model's call checks the rank)
    ("call_one_image", MOBILE + "probe = base(tf.zeros((96, 96, 3)))", "SL206"),
    ("call_one_image_top", f"top = {APPS}.VGG16(weights=None, input_shape=(32, 32, 3))\n"
     "probe = top(np.zeros((32, 32, 3), np.float32))", "SL206"),
]

# Programs TF runs where the engine must report nothing: gradients through the model (its
# weights are connected to its outputs; a frozen base has no trainable variables), its layers
# read by name. ``probe`` counts the None gradients under TF (0).
_STEP = ("images = tf.zeros((2, 96, 96, 3))\n"
         "with tf.GradientTape() as tape:\n"
         "    loss = tf.reduce_mean(model(images, training=True))\n")
_HEAD = ("inputs = keras.Input((96, 96, 3))\n"
         "x = keras.layers.GlobalAveragePooling2D()(base(inputs, training=False))\n"
         "model = keras.Model(inputs, keras.layers.Dense(3)(x))\n")
SILENT: list[tuple[str, str]] = [
    ("gradient_base_weights", MOBILE + _HEAD + _STEP +
     "grads = tape.gradient(loss, base.trainable_variables)\n"
     "probe = sum(g is None for g in grads)"),
    ("gradient_frozen_base", MOBILE + "base.trainable = False\n" + _HEAD + _STEP +
     "grads = tape.gradient(loss, model.trainable_variables)\n"
     "keras.optimizers.Adam().apply_gradients(zip(grads, model.trainable_variables))\n"
     "probe = sum(g is None for g in grads)"),
    ("gradient_sequential", MOBILE + "model = keras.Sequential([keras.Input((96, 96, 3)), base, "
     "keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(3)])\n" + _STEP +
     "grads = tape.gradient(loss, base.trainable_variables)\n"
     "probe = sum(g is None for g in grads)"),
    ("gradient_direct", MOBILE + "model = base\n" + _STEP +
     "grads = tape.gradient(loss, base.trainable_variables)\n"
     "probe = sum(g is None for g in grads)"),
    ("feature_extractor", MOBILE + "names = ['block_1_expand_relu', 'block_13_expand_relu']\n"
     "outs = [base.get_layer(n).output for n in names]\n"
     "stack = keras.Model(inputs=base.input, outputs=outs)\n"
     "probe = stack(tf.zeros((1, 96, 96, 3)))[1]"),
]
