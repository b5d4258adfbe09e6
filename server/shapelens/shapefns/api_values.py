"""Library attributes whose value is known (``core/interpreter/expressions.py`` reads them
through ``api_objects.LIBRARY_VALUES``): ``tf.__version__`` is a str of unknown value,
``newaxis`` is None, TF's enum constants are their values (``tf.image.ResizeMethod.BILINEAR``
is ``"bilinear"``, checked under TF 2.21) or a named kind where only their identity matters.
"""

from __future__ import annotations

from ..domain.values import NONE, Const, Opaque, Value

STR = Opaque("py:str")

# Library attributes with a value of a known kind (``core/interpreter/expressions.py``).
LIBRARY_VALUES: dict[str, Value] = {"tf.__version__": STR, "np.__version__": STR,
                                    "keras.__version__": STR, "tf.newaxis": NONE,
                                    "np.newaxis": NONE, "tnp.newaxis": NONE,
                                    "tf.experimental.dtensor.UNSHARDED": Const("unsharded"),
                                    "tf.experimental.dtensor.MATCH": Const("match"),
                                    "tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY":
                                        Const("serving_default"),
                                    **{f"tf.image.ResizeMethod.{k}": Const(v) for k, v in (
                                        ("AREA", "area"), ("BICUBIC", "bicubic"),
                                        ("BILINEAR", "bilinear"), ("GAUSSIAN", "gaussian"),
                                        ("LANCZOS3", "lanczos3"), ("LANCZOS5", "lanczos5"),
                                        ("MITCHELLCUBIC", "mitchellcubic"),
                                        ("NEAREST_NEIGHBOR", "nearest"))},
                                    **{f"{enum}.{k}": Opaque(enum) for enum, keys in (
                                        ("tf.distribute.ReduceOp", ("SUM", "MEAN")),
                                        ("tf.VariableAggregation", (
                                            "NONE", "SUM", "MEAN",
                                            "ONLY_FIRST_REPLICA")),
                                        ("tf.VariableSynchronization", (
                                            "AUTO", "NONE", "ON_WRITE", "ON_READ")),
                                        ("tf.lite.Optimize", ("DEFAULT",)))
                                       for k in keys}}
