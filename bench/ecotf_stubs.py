"""Make third-party TF programs run offline and fast inside one worker process.

Used by ``ecotf_worker.py`` before it runs a program under the TF oracle runner
(``tests/oracle/tf_runner.py``). Every patch keeps the *shapes and dtypes* a program sees
as they are with the real data, because what we compare with the engine is shapes:

* ``keras.datasets.*.load_data`` (mnist, fashion_mnist, cifar10, cifar100, imdb, reuters,
  boston_housing) return random arrays with the real shapes and dtypes, *and the real example
  counts* (``COUNTS``): programs hard-code them (``x_train.reshape(60000, 784)``,
  ``x_train[:-10000]``), and with a few hundred examples those lines fail where the real data
  runs. Random data is cheap; the time goes into training, which is capped below. Text data
  sets get shorter sequences (at most 200 ids) from a fake vocabulary (``get_word_index``).
* ``keras.utils.plot_model`` does nothing (it needs pydot and graphviz, and only draws).
* ``keras.Model.fit`` runs one epoch of at most ``FIT_STEPS`` steps (validation
  ``VAL_STEPS``), ``evaluate`` at most ``EVAL_STEPS`` steps; all three run with verbose=0.
  ``predict`` is left whole: capping it would change the shape of what it returns.
* ``socket`` refuses every connection at once (``NetworkBlocked``) and remembers that a
  download was attempted, so the harness can say "needs network" instead of calling the
  resulting error a TensorFlow error.
* iterating a ``tf.data.Dataset`` in Python (``for batch in ds``, eagerly) yields at most
  ``ITER_CAP`` elements when it has more than that, or an infinite or unknown number.
* ``capped_range`` stands in for ``range`` in the program's own namespace only: a loop over
  more than ``RANGE_LIMIT`` items runs ``RANGE_CAP`` of them.

Everything done is counted in ``LOG`` (what was stubbed, capped, blocked), saved with the
result so a shape difference can be traced to a stub.
"""

from __future__ import annotations

import builtins
import functools
import importlib
import inspect
import socket
import sys
import types
from typing import Any

COUNTS = {  # (train, test) examples, as the real data sets have them
    "mnist": (60000, 10000), "fashion_mnist": (60000, 10000),
    # CIFAR at full size is 1.2 GB once divided by 255.0, and feeding it to fit() alone took
    # over 100 s here: a tenth of it (a difference on axis 0 only, reported as "stub size").
    "cifar10": (5000, 1000), "cifar100": (5000, 1000),
    "imdb": (25000, 25000), "reuters": (8982, 2246), "boston_housing": (404, 102),
}
SMALL_STUBS = frozenset({"cifar10", "cifar100"})  # the data sets stubbed smaller than real
STUB_SIZES = (256, 64)  # the small counts of every stub in harness versions <= 2
FIT_STEPS = 4
VAL_STEPS = 2
EVAL_STEPS = 4
RANGE_LIMIT = 1000
RANGE_CAP = 100
ITER_CAP = 100  # a loop of next(it) over more steps than this runs dry (none seen so far)
VOCAB = 10000

LOG: dict[str, Any] = {"stubs": [], "network": [], "fit_calls": 0, "range_caps": 0,
                       "dataset_caps": 0}


class NetworkBlocked(ConnectionRefusedError):
    """Raised instead of opening any network connection (an OSError, so that libraries
    report it as the failed download it is)."""


# ------------------------------------------------------------------ network
def block_network() -> None:
    """Refuse every outgoing connection and name resolution, fast."""

    def refuse(what: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            target = args[1] if what == "connect" and len(args) > 1 else args[:1]
            LOG["network"].append(f"{what} {target!r}"[:200])
            raise NetworkBlocked(f"network access blocked by the ecosystem harness ({what})")

        return blocked

    socket.socket.connect = refuse("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse("connect")  # type: ignore[method-assign]
    socket.create_connection = refuse("create_connection")  # type: ignore[assignment]
    socket.getaddrinfo = refuse("getaddrinfo")  # type: ignore[assignment]


# ------------------------------------------------------------------ datasets
def _images(np: Any, rng: Any, n: int, shape: tuple[int, ...]) -> Any:
    return rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)


def _sequences(np: Any, rng: Any, n: int, num_words: int | None, maxlen: int | None) -> Any:
    top = min(num_words or VOCAB, VOCAB)
    longest = min(maxlen or 200, 200)
    out = np.empty(n, dtype="object")
    for i in range(n):
        length = int(rng.integers(min(10, longest), longest + 1))
        out[i] = [1, *rng.integers(2, top, size=length - 1).tolist()]
    return out


def _make_loaders(np: Any) -> dict[str, Any]:
    """name -> load_data replacement with the real dataset's shapes and dtypes."""
    rng = np.random.default_rng(0)

    def image_loader(name: str, shape: tuple[int, ...], classes: int, label_shape: tuple,
                     label_dtype: str) -> Any:
        def load_data(*_args: Any, **kwargs: Any) -> Any:
            LOG["stubs"].append(name)
            n_classes = 20 if kwargs.get("label_mode") == "coarse" else classes
            parts = []
            for n in COUNTS[name]:
                labels = rng.integers(0, n_classes, size=(n, *label_shape)).astype(label_dtype)
                parts.append((_images(np, rng, n, shape), labels))
            return tuple(parts)

        return load_data

    def text_loader(name: str, classes: int) -> Any:
        def load_data(*_args: Any, num_words: int | None = None, maxlen: int | None = None,
                      **_kwargs: Any) -> Any:
            LOG["stubs"].append(name)
            parts = []
            for n in COUNTS[name]:
                x = _sequences(np, rng, n, num_words, maxlen)
                parts.append((x, rng.integers(0, classes, size=(n,)).astype("int64")))
            return tuple(parts)

        return load_data

    def boston(*_args: Any, **_kwargs: Any) -> Any:
        LOG["stubs"].append("boston_housing")
        return tuple(
            (rng.random((n, 13)) * 100.0, rng.random((n,)) * 50.0)
            for n in COUNTS["boston_housing"]
        )

    return {
        "mnist": image_loader("mnist", (28, 28), 10, (), "uint8"),
        "fashion_mnist": image_loader("fashion_mnist", (28, 28), 10, (), "uint8"),
        "cifar10": image_loader("cifar10", (32, 32, 3), 10, (1,), "uint8"),
        "cifar100": image_loader("cifar100", (32, 32, 3), 100, (1,), "int64"),
        "imdb": text_loader("imdb", 2),
        "reuters": text_loader("reuters", 46),
        "boston_housing": boston,
    }


def _word_index(*_args: Any, **_kwargs: Any) -> dict[str, int]:
    LOG["stubs"].append("get_word_index")
    return {f"word{i}": i for i in range(1, VOCAB)}


def stub_datasets(np: Any) -> None:
    """Replace ``load_data`` (and ``get_word_index``) in every public datasets module."""
    loaders = _make_loaders(np)
    prefixes = ("keras.src.datasets", "keras.datasets", "keras._tf_keras.keras.datasets")
    for name, loader in loaders.items():
        for prefix in prefixes:
            try:
                module = importlib.import_module(f"{prefix}.{name}")
            except ImportError:
                continue
            module.load_data = loader  # type: ignore[attr-defined]
            if hasattr(module, "get_word_index"):
                module.get_word_index = _word_index  # type: ignore[attr-defined]


def _no_plot(*_args: Any, **_kwargs: Any) -> None:
    LOG["stubs"].append("plot_model")


def stub_plot_model() -> None:
    """``plot_model`` only draws a picture; without pydot/graphviz it raises."""
    for name in ("keras.utils", "keras.src.utils", "keras._tf_keras.keras.utils"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "plot_model"):
            module.plot_model = _no_plot  # type: ignore[attr-defined]


# ------------------------------------------------------------------ training caps
def _bind(original: Any, args: tuple, kwargs: dict) -> inspect.BoundArguments:
    bound = inspect.signature(original).bind(*args, **kwargs)
    return bound


def cap_training(keras: Any) -> None:
    """One short epoch for ``fit``, a few steps for ``evaluate``; no progress bars."""
    model = keras.Model
    fit, evaluate, predict = model.fit, model.evaluate, model.predict

    @functools.wraps(fit)
    def capped_fit(*args: Any, **kwargs: Any) -> Any:
        LOG["fit_calls"] += 1
        bound = _bind(fit, args, kwargs)
        a = bound.arguments
        initial = int(a.get("initial_epoch") or 0)
        epochs = a.get("epochs", 1)
        if isinstance(epochs, int) and epochs > initial + 1:
            a["epochs"] = initial + 1
        steps = a.get("steps_per_epoch")
        a["steps_per_epoch"] = min(steps, FIT_STEPS) if isinstance(steps, int) else FIT_STEPS
        if a.get("validation_data") is not None or a.get("validation_split"):
            vsteps = a.get("validation_steps")
            a["validation_steps"] = min(vsteps, VAL_STEPS) if isinstance(vsteps, int) \
                else VAL_STEPS
        a["verbose"] = 0
        return fit(*bound.args, **bound.kwargs)

    @functools.wraps(evaluate)
    def capped_evaluate(*args: Any, **kwargs: Any) -> Any:
        bound = _bind(evaluate, args, kwargs)
        steps = bound.arguments.get("steps")
        bound.arguments["steps"] = min(steps, EVAL_STEPS) if isinstance(steps, int) \
            else EVAL_STEPS
        bound.arguments["verbose"] = 0
        return evaluate(*bound.args, **bound.kwargs)

    @functools.wraps(predict)
    def quiet_predict(*args: Any, **kwargs: Any) -> Any:
        bound = _bind(predict, args, kwargs)
        bound.arguments["verbose"] = 0
        return predict(*bound.args, **bound.kwargs)

    model.fit = capped_fit
    model.evaluate = capped_evaluate
    model.predict = quiet_predict


# ------------------------------------------------------------------ loops
def cap_dataset_iteration(tf: Any, filename: str) -> None:
    """An eager Python loop *of the program* (``filename``) over a long (or endless) data set
    sees its first ``ITER_CAP`` elements: same element shapes, fewer of them. Keras' own
    iteration (``predict`` over all of ``x``) and graph loops (AutoGraph) are untouched."""
    dataset = tf.data.Dataset
    original = dataset.__iter__

    def capped_iter(self: Any) -> Any:
        if sys._getframe(1).f_code.co_filename == filename and tf.executing_eagerly():
            try:
                size = int(self.cardinality())
            except Exception:  # a data set without cardinality: leave it alone
                size = 0
            if size < 0 or size > ITER_CAP:
                LOG["dataset_caps"] += 1
                return original(self.take(ITER_CAP))
        return original(self)

    dataset.__iter__ = capped_iter

def program_builtins(tf: Any) -> types.ModuleType:
    """A copy of ``builtins`` for the program's namespace: ``range`` capped, ``display``
    (a notebook's IPython builtin) a no-op."""
    real_range = builtins.range

    def capped_range(*args: Any) -> Any:
        if any(tf.is_tensor(a) for a in args) and not tf.executing_eagerly():
            return tf.range(*args)  # what AutoGraph makes of range() over a symbolic tensor
        r = real_range(*args)
        if len(r) > RANGE_LIMIT:
            LOG["range_caps"] += 1
            return r[:RANGE_CAP]
        return r

    def display(*_args: Any, **_kwargs: Any) -> None:
        return None

    module = types.ModuleType("builtins")
    module.__dict__.update(builtins.__dict__)
    module.range = tf.autograph.experimental.do_not_convert(capped_range)  # type: ignore[attr-defined]
    module.display = display  # type: ignore[attr-defined]
    return module
