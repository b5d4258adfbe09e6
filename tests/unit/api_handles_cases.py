"""Programs for ``shapefns/api_handles.py`` and ``core/overlays/handles.py``, each binding
``probe``, with what the engine gives (``tests/unit/test_api_handles.py``) and what TensorFlow
2.21 makes of the same program (``tests/oracle/test_api_handles_oracle.py``, which runs the
coordinator's programs on one in-process cluster of a worker and a parameter server, and
checks that the engine's value claims nothing TF's contradicts).

Written as in ``api_iterators_cases.py``; ``"tensor None *"`` is a tensor of unknown dtype
and rank.
"""

from __future__ import annotations

SETUP = "import numpy as np\nimport tensorflow as tf\n"
# The oracle's runner builds the cluster once and leaves its strategy in ``__main__``.
CLUSTER = ("import __main__\nstrategy = __main__.STRATEGY\n"
           "coordinator = tf.distribute.coordinator.ClusterCoordinator(strategy)\n")
STEP = ("with strategy.scope():\n    v = tf.Variable(tf.ones((3, 2)))\n"
        "@tf.function\ndef step(x):\n    return tf.matmul(x, v), tf.reduce_sum(x)\n"
        "r = coordinator.schedule(step, args=(tf.ones((4, 3)),))\n")
PER_WORKER = ("def dataset_fn():\n"
              "    return tf.data.Dataset.from_tensor_slices(tf.ones((8, 3))).batch(2).repeat()\n"
              "it = iter(coordinator.create_per_worker_dataset(dataset_fn))\n"
              "@tf.function\ndef next_batch(iterator):\n    return next(iterator)\n")
BUILT = ("g0 = tf.Graph()\nwith g0.as_default():\n"
         "    tf.compat.v1.placeholder(tf.float32, [None, 3], name='inp')\n"
         "gdef = g0.as_graph_def()\n")
WRAPPED = ("def build():\n    tf.constant([1.0, 2.0], name='x')\n"
           "wrapped = tf.compat.v1.wrap_function(build, [])\n")

# (name, program, the engine's value, TensorFlow's value)
CASES: list[tuple[str, str, str, str]] = [
    # scopes entered as their owner
    ("graph_as_default_enters_as_the_graph",
     "with tf.Graph().as_default() as g:\n    c = tf.constant(2.0)\n    probe = g", "object tf.Graph",
     "object tensorflow.python.framework.ops.Graph"),
    ("writer_as_default_enters_as_the_writer",
     "import tempfile\nw = tf.summary.create_file_writer(tempfile.mkdtemp())\n"
     "with w.as_default() as entered:\n    probe = entered", "object tf.summary.SummaryWriter",
     "object tensorflow.python.ops.summary_ops_v2._ResourceSummaryWriter"),
    ("strategy_scope_enters_as_the_strategy",
     "s = tf.distribute.OneDeviceStrategy('/cpu:0')\nwith s.scope() as entered:\n"
     "    probe = entered", "object tf.distribute.Strategy",
     "object tensorflow.python.distribute.one_device_strategy.OneDeviceStrategy"),
    ("as_default_is_a_context_manager", "probe = tf.Graph().as_default()",
     "object context manager", "object contextlib._GeneratorContextManager"),
    # a graph's tensors by name
    ("tensor_by_name_built_here",
     "with tf.Graph().as_default() as g:\n"
     "    tf.compat.v1.placeholder(tf.float32, [None, 3], name='inp')\n"
     "    probe = g.get_tensor_by_name('inp:0')", "tensor None *", "tensor float32 (None, 3)"),
    ("tensor_by_name_imported", BUILT + "with tf.Graph().as_default() as g:\n"
     "    tf.graph_util.import_graph_def(gdef, name='')\n"
     "probe = g.get_tensor_by_name('inp:0')", "tensor None *", "tensor float32 (None, 3)"),
    ("wrapped_function_graph", WRAPPED + "probe = wrapped.graph", "object tf.Graph",
     "object tensorflow.python.framework.func_graph.FuncGraph"),
    ("wrapped_function_tensor", WRAPPED + "probe = wrapped.graph.get_tensor_by_name('x:0')",
     "tensor None *", "tensor float32 (2,)"),
    # a ClusterCoordinator (on the oracle's in-process cluster)
    ("coordinator_object", CLUSTER + "probe = coordinator",
     "object tf.distribute.coordinator.ClusterCoordinator",
     "object tensorflow.python.distribute.coordinator.cluster_coordinator.ClusterCoordinator"),
    ("schedule_gives_a_remote_value", CLUSTER + STEP + "probe = r",
     "object tf.distribute.coordinator.RemoteValue",
     "object tensorflow.python.distribute.coordinator.values.RemoteValueImpl"),
    ("remote_fetch_is_numpy", CLUSTER + STEP + "probe = r.fetch()[0]",
     "ndarray float32 (4, 2)", "ndarray float32 (4, 2)"),
    ("remote_fetch_scalar", CLUSTER + STEP + "probe = r.fetch()[1]", "ndarray float32 ()",
     "ndarray float32 ()"),
    ("remote_get_is_tensors", CLUSTER + STEP + "probe = r.get()[0]", "tensor float32 (4, 2)",
     "tensor float32 (4, 2)"),
    ("coordinator_fetch", CLUSTER + STEP + "probe = coordinator.fetch(r)[0]",
     "ndarray float32 (4, 2)", "ndarray float32 (4, 2)"),
    ("coordinator_join", CLUSTER + STEP + "probe = coordinator.join()", "None", "None"),
    ("per_worker_dataset_batch", CLUSTER + PER_WORKER +
     "probe = coordinator.schedule(next_batch, args=(it,)).fetch()", "ndarray float32 (2, 3)",
     "ndarray float32 (2, 3)"),
    ("schedule_with_kwargs", CLUSTER + "@tf.function\ndef scale(x, k=1.0):\n"
     "    return x * k\n"
     "probe = coordinator.schedule(scale, args=(tf.ones([2, 5]),), kwargs={'k': 2.0}).get()",
     "tensor float32 (2, 5)", "tensor float32 (2, 5)"),
]

# Programs TF runs whose probe the engine leaves unknown.
UNKNOWN: list[tuple[str, str]] = [
    ("fetch_of_unknown_args", CLUSTER + "@tf.function\ndef f(x):\n    return x\n"
     "import json\nargs = tuple(json.loads('[[1.0, 2.0]]'))\n"
     "probe = coordinator.schedule(f, args=args).fetch()"),
]
