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
