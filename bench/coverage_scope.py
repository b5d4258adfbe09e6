"""Out of scope for ``bench/coverage.py``: a method called on a value that a library other than
TensorFlow, NumPy or Keras made (``fig, ax = plt.subplots(); ax.set_title(...)``,
``parser = argparse.ArgumentParser(); parser.add_argument(...)``, ``with open(p) as f:
f.read()``). The engine does not model those libraries and should not: such a method is
reported as out of scope, with the library its receiver came from, rather than counted as an
unresolved TF/Keras method or silently left out.

Found syntactically: the receiver chain's root (``ax`` in ``ax[0].plot``) is an imported name
of such a library, a call of ``open``, or a name the file binds only to such values (assigned,
``with ... as``, ``for`` targets; never a function parameter), followed two steps. A library
name in an annotation or a base-class list is a type there, not a value (``type_positions``).
"""

from __future__ import annotations

import ast
import unittest
from collections import Counter

# Libraries whose objects are not TensorFlow, NumPy or Keras values: a method called on what
# they return (``ax.set_title()``, ``parser.add_argument()``, ``df.head()``) is out of scope.
# (scikit-learn, SciPy and the tensorflow_* packages are left in: they return arrays or
# datasets, and ``shapefns/sklearn_ops.py`` models some of them.)
FOREIGN = frozenset({
    "matplotlib", "pandas", "argparse", "pathlib", "PIL", "cv2", "torch", "torchvision", "os",
    "sys", "json", "csv", "re", "datetime", "time", "logging", "random", "collections",
    "itertools", "io", "zipfile", "tarfile", "shutil", "glob", "pickle", "requests", "urllib",
    "IPython", "tqdm", "seaborn", "imageio", "h5py", "absl", "pytest", "unittest", "tempfile",
    "subprocess", "string", "functools", "gym", "jax", "flax", "threading", "multiprocessing",
    "socket", "pprint", "textwrap", "contextlib", "dataclasses", "typing", "hashlib", "base64",
    "gzip", "PIL.Image", "skimage", "librosa", "nltk", "spacy", "transformers", "datasets",
    "wandb", "mlflow", "google", "googleapiclient", "portpicker", "psutil", "cProfile",
    "pstats", "timeit", "traceback", "warnings", "inspect", "copy", "math", "operator", "optax",
})


# Methods that no class of TF 2.21, Keras 3 or NumPy 2 has (every public class's attributes:
# checked by tests/oracle/test_coverage_absent_oracle.py), with the library whose objects
# have them; a call of one is another library's method or the program's own, never a
# TF/NumPy/Keras API, whatever its receiver.
FOREIGN_METHODS: dict[str, str] = {
    **dict.fromkeys(("backward", "zero_grad", "cuda", "detach", "to"), "torch"),
    "train": "torch or tf.estimator (removed in TF 2.16)",
    **dict.fromkeys(("glob", "iterdir", "is_dir", "rename"), "pathlib"),
    **dict.fromkeys(("head", "tail", "describe", "drop"), "pandas"),
    "add_argument": "argparse",
    **dict.fromkeys(("infolist", "extract"), "zipfile"),
    **dict.fromkeys(("plot", "set_xlim", "set_ylim", "imshow", "add_patch", "set_title",
                     "text"), "matplotlib or pandas"),
    "render": "gym",
    "step": "torch optimizer or gym environment",
    "axis": "matplotlib",
    **dict.fromkeys(("as_dataset", "download_and_prepare"), "tensorflow_datasets builder"),
    "nearest": "annoy",
    **dict.fromkeys(("get_categories", "simple_test_bboxes", "simple_test_rpn", "encoder",
                     "decoder", "add_skipped", "skipped_by_reason", "add_one", "infer_tf"),
                    "the program's own or another library's"),
    **dict.fromkeys(("fit_generator", "evaluate_generator", "predict_generator"),
                    "Keras 2 (removed in Keras 3: fit() takes generators)"),
}


# unittest.TestCase's own assertions (``self.assertIsInstance(x, dict)``, or a test case
# handed to a helper): TF's test case only inherits them; they check values and give None.
UNITTEST_ASSERTS = frozenset(n for n in dir(unittest.TestCase) if n.startswith("assert"))


def foreign_method(method: str) -> str:
    """Why ``.method()`` is no TF/NumPy/Keras API ("" if some TF/NumPy/Keras class has it
    as a public method): another library's method, or a private one (``_flatten_layers``)."""
    if method.startswith("_"):
        return "a private method (no public API of any library)"
    library = FOREIGN_METHODS.get(method)
    if library:
        return f"{library} method: no TF/NumPy/Keras class has .{method}()"
    if method in UNITTEST_ASSERTS:
        return "a unittest assertion (tf.test.TestCase inherits unittest.TestCase's): a check"
    return ""


def root(node: ast.expr) -> ast.expr:
    """The expression a chain of attributes, calls and subscripts starts from
    (``plt.subplots()[1].plot`` → ``plt``)."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def outside_root(root: ast.expr, aliases: dict[str, str], other: dict[str, str],
                  bound: dict[str, str]) -> str:
    """Why a chain starting at ``root`` is not a TF/NumPy/Keras value ("" if it may be)."""
    if isinstance(root, ast.Name):
        if root.id in bound:
            return bound[root.id]
        if other.get(root.id) in FOREIGN:
            return f"{other[root.id]} object"
        if root.id == "open":
            return "file object (open)"
    return ""


def foreign_bindings(tree: ast.AST, aliases: dict[str, str],
                      other: dict[str, str]) -> dict[str, str]:
    """Names the file binds only to values made by a foreign library (``fig, ax =
    plt.subplots()``, ``with open(p) as f``, ``parser = argparse.ArgumentParser()``): each
    name → why it is out of scope, followed along chains to a fixed point (``ax =
    fig.add_subplot()`` after ``fig = plt.figure()``). A name also bound to anything else is
    left out."""
    classes = foreign_classes(tree, other)
    known: dict[str, str] = dict(classes)
    while True:
        found = {**classes, **_bindings_step(tree, aliases, other, known)}
        if found == known:
            return known
        known = found


def _bindings_step(tree: ast.AST, aliases: dict[str, str], other: dict[str, str],
                   known: dict[str, str]) -> dict[str, str]:
    """One step of ``foreign_bindings``: names bound only to chains rooted at ``known``
    names, foreign imports or ``open``."""
    sources: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        pairs: list[tuple[ast.expr, ast.expr]] = []
        if isinstance(node, ast.Assign):
            pairs = [(t, node.value) for t in node.targets]
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            pairs = [(node.target, node.value)]
        elif isinstance(node, ast.With | ast.AsyncWith):
            pairs = [(i.optional_vars, i.context_expr) for i in node.items if i.optional_vars]
        elif isinstance(node, ast.For | ast.comprehension):
            pairs = [(node.target, node.iter)]
        for target, value in pairs:
            why = outside_root(root(value), aliases, other, known)
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    sources.setdefault(name.id, set()).add(why)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for arg in ast.walk(node.args):
                if isinstance(arg, ast.arg):
                    sources.setdefault(arg.arg, set()).add("")
    return {n: next(iter(w)) for n, w in sources.items() if len(w) == 1 and "" not in w}


# Calls whose argument at this position is a class, tested against or expected to be raised:
# ``isinstance(x, tf.RaggedTensor)``, ``self.assertRaises(tf.errors.InvalidArgumentError)``.
_TYPE_ARGUMENTS = {"isinstance": 1, "issubclass": 1, "assertIsInstance": 1,
                   "assertNotIsInstance": 1, "assertRaises": 0, "assertRaisesRegex": 0,
                   "assertRaisesRegexp": 0, "raises": 0, "assert_raises": 0}


def _type_arguments(node: ast.Call) -> list[ast.AST]:
    """The class arguments of an ``isinstance``/``assertRaises``-like call."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else ""
    at = _TYPE_ARGUMENTS.get(name)
    return [node.args[at]] if at is not None and len(node.args) > at else []


def type_positions(tree: ast.AST) -> set[int]:
    """Ids of the nodes inside annotations, base-class lists, ``except`` clauses and the class
    arguments of ``isinstance``/``assertRaises`` (``def f(x: tf.Tensor)``, ``class
    Cb(keras.callbacks.Callback)``, ``except tf.errors.OutOfRangeError``): a library name
    there is a type, not a value the engine computes, and is counted as such (never as
    resolved)."""
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            roots.append(node.type)
        elif isinstance(node, ast.Call):
            roots += _type_arguments(node)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            roots.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            roots.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
        elif isinstance(node, ast.ClassDef):
            roots += [*node.bases, *(k.value for k in node.keywords)]
    return {id(n) for r in roots for n in ast.walk(r)}


def defined_names(tree: ast.AST) -> frozenset[str] | None:
    """Every name the program binds anywhere (imports, assignments, loop, ``with``, ``except``
    and comprehension targets, parameters, functions, classes, ``global``), and Python's
    builtins (and IPython's ``get_ipython``); None when a star import may bind any name."""
    import builtins

    found = {*dir(builtins), "get_ipython"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return None
        if isinstance(node, ast.Global | ast.Nonlocal):
            found.update(node.names)
        else:
            found.add(_bound_name(node))
    return frozenset(found)


def _bound_name(node: ast.AST) -> str:
    """The name one node binds ("" if none)."""
    if isinstance(node, ast.Name):
        return node.id if isinstance(node.ctx, ast.Store | ast.Del) else ""
    if isinstance(node, ast.alias):
        return (node.asname or node.name).split(".")[0]
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return node.name or ""
    return ""


def undefined_root(start: ast.expr, defined: frozenset[str] | None) -> str:
    """Why a chain starting at a name the program never binds is no API use ("" otherwise):
    ``np.array(...)`` in a notebook that never imports NumPy is a NameError there."""
    if defined is not None and isinstance(start, ast.Name) and start.id not in defined:
        return f"an undefined name ({start.id}: NameError when it runs)"
    return ""


# Keras 3 backends other than TensorFlow: a program that sets ``os.environ["KERAS_BACKEND"]``
# to one of them runs Keras on JAX, PyTorch or NumPy, where a Keras model is a torch module
# (``model.parameters()``) and ``optimizer.stateless_apply()`` works (TF's optimizer raises
# ValueError). A method there that the engine does not model is that backend's, not TF's.
OTHER_BACKENDS = frozenset({"jax", "torch", "numpy", "openvino"})


def keras_backend(tree: ast.AST) -> str:
    """The non-TF Keras backend the program selects (``os.environ["KERAS_BACKEND"] = "jax"``),
    "" if it sets none, TensorFlow, or more than one."""
    chosen: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and \
                    isinstance(target.slice, ast.Constant) and \
                    target.slice.value == "KERAS_BACKEND" and \
                    isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                chosen.add(node.value.value)
    return next(iter(chosen)) if len(chosen) == 1 and chosen <= OTHER_BACKENDS else ""


def foreign_classes(tree: ast.AST, other: dict[str, str]) -> dict[str, str]:
    """Classes the program defines whose every base is a foreign library's class (``class
    ConvModel(flax.linen.Module)``, ``class Net(nn.Module)`` with ``import torch.nn as nn``):
    an instance is that library's object. A class name also bound otherwise is left out."""
    found: dict[str, str] = {}
    bound: Counter[str] = Counter()
    for node in ast.walk(tree):
        name = _bound_name(node)
        if name:
            bound[name] += 1
        if isinstance(node, ast.ClassDef) and node.bases:
            libraries = {other.get(b.id, "") if isinstance(b, ast.Name) else "" for b in
                         (root(base) for base in node.bases)}
            if len(libraries) == 1 and libraries <= FOREIGN:
                found[node.name] = f"{next(iter(libraries))} object (a class deriving its class)"
    return {n: why for n, why in found.items() if bound[n] == 1}


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _module_level(node: ast.AST) -> list[ast.AST]:
    """``node`` and what it holds outside nested function, lambda and class bodies: what runs
    in module scope when the statement runs."""
    found = [node]
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _SCOPES):
            found += _module_level(child)
    return found


def module_bindings(tree: ast.AST, aliases: dict[str, str],
                    other: dict[str, str]) -> dict[int, dict[str, str]]:
    """For each call in module scope (``opt.init(params)`` right after ``opt =
    optax.adam(lr)``), the names that certainly hold a foreign library's value when it runs:
    the top-level statements in order, a simple assignment giving its targets the value's
    library, any other binding (loops, ``with``, imports, ``del``, a comprehension or
    ``global`` anywhere) dropping the name. Calls in function bodies are not given one."""
    if not isinstance(tree, ast.Module):
        return {}
    classes = foreign_classes(tree, other)
    declared = {n for node in ast.walk(tree) if isinstance(node, ast.Global)
                for n in node.names}
    status = {n: w for n, w in classes.items() if n not in declared}
    found: dict[int, dict[str, str]] = {}
    for statement in tree.body:
        inside = _module_level(statement)
        binds = {_bound_name(n) for n in inside} - {""}
        view = {n: w for n, w in status.items() if n not in binds}
        found.update((id(n), view) for n in inside if isinstance(n, ast.Call))
        targets: set[str] = set()
        why = ""
        if isinstance(statement, ast.Assign):
            targets = {n.id for t in statement.targets for n in ast.walk(t)
                       if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            why = outside_root(root(statement.value), aliases, other, status)
        for name in binds:
            status.pop(name, None)
        status.update((n, why) for n in targets if why and n not in declared)
        if isinstance(statement, ast.ClassDef) and statement.name in classes:
            status[statement.name] = classes[statement.name]
    return found
