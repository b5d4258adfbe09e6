"""Per-module facts keep nothing alive: ``module_facts`` answers from the tree and its
statements themselves, so a document edited thousands of times in the language server holds
its current tree only (``bench/soak.py``: memory stays flat). No timings, no RSS here."""

from __future__ import annotations

import ast
import gc
import weakref

from shapelens.core.interpreter.module_facts import discarded_in, numpy_promotion

SOURCE = """\
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")


def train(x):
    y = tf.reduce_sum(x)
    unused = tf.reshape(x, [-1])
    return y
"""


def test_old_trees_and_definitions_are_not_kept() -> None:
    trees: list[weakref.ReferenceType[ast.Module]] = []
    definitions: list[weakref.ReferenceType[ast.stmt]] = []
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # an AST has no cycles: only a cache could keep an old one alive
    try:
        answers = set()
        for version in range(40):
            tree = ast.parse(SOURCE + f"\nz = {version}\n")
            definition = next(s for s in tree.body if isinstance(s, ast.FunctionDef))
            answers.add((numpy_promotion(tree), numpy_promotion(tree),
                         len(discarded_in(definition))))
            trees.append(weakref.ref(tree))
            definitions.append(weakref.ref(definition))
            del tree, definition
        assert len(answers) == 1  # the same facts for every version
        [(promotion, again, discarded)] = answers
        assert promotion == again > 0 and discarded > 0
        assert sum(ref() is not None for ref in trees + definitions) == 0
    finally:
        if enabled:
            gc.enable()


def test_an_analysis_keeps_no_part_of_its_run_alive() -> None:
    """A TF1 graph keeps the kernel-time errors of its ops in their recipes; kept with their
    tracebacks, their frames held the whole interpreter as long as the result (and, in the
    server, its session) lived."""
    from pathlib import Path

    from shapelens.core import analyze
    from shapelens.core.interpreter import machine

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    made: list[weakref.ReferenceType[object]] = []  # the interpreter and each of its parts
    original = machine.Interpreter.__init__

    def init(self: machine.Interpreter, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        made.extend(weakref.ref(part) for part in (self, *vars(self).values()))

    machine.Interpreter.__init__ = init  # type: ignore[method-assign]
    try:
        for path in sorted(fixtures.glob("*/vocab_lookup_*.py")):
            result = analyze(path.read_text(encoding="utf-8"), str(path))
            gc.collect()
            assert result.findings is not None
            assert [type(ref()).__name__ for ref in made if ref() is not None] == [], path.name
            made.clear()
    finally:
        machine.Interpreter.__init__ = original  # type: ignore[method-assign]
