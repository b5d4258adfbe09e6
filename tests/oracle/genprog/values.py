"""Writing new values: tensors and arrays of a drawn shape and dtype, in the spellings users
write (``tf.random.normal``, ``tf.ones``, ``np.random.rand(...).astype``, ``tf.range`` +
reshape, ``tf.Variable``, ``keras.ops.ones``, NumPy literals), and sometimes of a shape read
from JSON at run time, which the engine cannot know (it must then stay silent)."""

from __future__ import annotations

import math

from .core import Gen, Shape, Var, lit, tf_dtype, tup


def tf_value(g: Gen, shape: Shape, dtype: str) -> str:
    """A TensorFlow expression holding a tensor of ``shape`` and ``dtype``."""
    g.imports.add("import tensorflow as tf")
    size = math.prod(shape)
    if dtype.startswith("int"):
        options = [
            f"tf.ones({lit(shape)}, dtype={tf_dtype(dtype)})",
            f"tf.zeros({lit(shape)}, dtype={tf_dtype(dtype)})",
            f"tf.random.uniform({lit(shape)}, maxval=4, dtype={tf_dtype(dtype)})",
        ]
        if dtype == "int32":
            options.append(f"tf.reshape(tf.range({size}), {lit(shape)})")
        return g.pick(options)
    if dtype == "float64":
        return g.pick([f"tf.ones({lit(shape)}, dtype=tf.float64)",
                       f"tf.random.normal({lit(shape)}, dtype=tf.float64)"])
    options = [
        f"tf.random.normal({lit(shape)})",
        f"tf.ones({lit(shape)})",
        f"tf.zeros({lit(shape)})",
        f"tf.random.uniform({lit(shape)})",
        f"tf.fill({lit(shape)}, 0.5)",
    ]
    if shape:
        g.imports.add("import numpy as np")
        options.append(f'tf.constant(np.random.rand{tup(shape)}.astype("float32"))')
    return g.pick(options)


def np_value(g: Gen, shape: Shape, dtype: str) -> str:
    """A NumPy expression holding an array of ``shape`` and ``dtype``."""
    g.imports.add("import numpy as np")
    size = math.prod(shape)
    if dtype.startswith("int"):
        return g.pick([f"np.arange({size}).reshape({tup(shape)})" if dtype == "int64"
                       else f"np.ones({tup(shape)}, dtype=np.{dtype})",
                       f"np.zeros({tup(shape)}, dtype=np.{dtype})"])
    if dtype == "float64":
        return g.pick([f"np.ones({tup(shape)})", f"np.zeros({tup(shape)})",
                       f"np.random.randn({', '.join(map(str, shape))})" if shape else "np.ones(())",
                       f"np.full({tup(shape)}, 2.0)"])
    if not shape:
        return g.pick(["np.float32(1.5)", "np.ones((), dtype=np.float32)"])
    return g.pick([
        f'np.random.rand({", ".join(map(str, shape))}).astype("float32")',
        f"np.ones({tup(shape)}, dtype=np.float32)",
        f'np.zeros({tup(shape)}, dtype="float32")',
        f"np.random.uniform(size={tup(shape)}).astype(np.float32)",
    ])


def kops_value(g: Gen, shape: Shape, dtype: str) -> str:
    """A keras.ops expression (float32) or a TF one for other dtypes."""
    if dtype != "float32":
        return tf_value(g, shape, dtype)
    g.imports.add("import keras")
    return g.pick([f"keras.ops.ones({tup(shape)})", f"keras.ops.zeros({tup(shape)})",
                   f"keras.ops.full({tup(shape)}, 0.5)"])


def value_expr(g: Gen, shape: Shape, dtype: str, lib: str) -> str:
    """An expression of the given library (``tf`` covers the keras.ops flavour too)."""
    if lib == "np":
        return np_value(g, shape, dtype)
    if g.flavour == "kops" and g.chance(0.6):
        return kops_value(g, shape, dtype)
    return tf_value(g, shape, dtype)


def operand(g: Gen, shape: Shape, like: Var) -> str:
    """A second operand of ``shape`` with ``like``'s dtype and library (sometimes a name
    bound on the line before, as users write it)."""
    expr = value_expr(g, shape, like.dtype, like.lib)
    if g.chance(0.3):
        return g.bind(expr, shape, like.dtype, like.lib, prefix="w").name
    return expr


def new_source(g: Gen, shape: Shape | None = None, dtype: str | None = None) -> Var:
    """Bind a fresh input value, in the program's flavour."""
    shape = g.shape() if shape is None else shape
    if dtype is None:
        dtype = "float32" if g.chance(0.85) else g.pick(["int32", "float64"])
    lib = "np" if g.flavour == "np" and g.chance(0.85) else "tf"
    if lib == "np" and dtype == "int32":
        dtype = "int64"
    if lib == "np" and dtype == "float32" and g.chance(0.3):
        dtype = "float64"
    expr = value_expr(g, shape, dtype, lib)
    if lib == "tf" and dtype == "float32" and g.flavour == "tf" and g.chance(0.15):
        expr = f"tf.Variable({expr})"
    elif dtype == "float32" and g.chance(0.08):  # a shape the engine cannot know
        dims = f'json.loads("{lit(shape)}")'
        expr = f"tf.ones({dims})" if lib == "tf" else \
            f'np.ones(tuple({dims}), dtype="float32")'

    return g.bind(expr, shape, dtype, lib, prefix="x")
