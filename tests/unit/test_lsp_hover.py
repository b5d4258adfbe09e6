"""Hover cards from real analyses, without a server: statements, tapes, gradients."""

from __future__ import annotations

from types import SimpleNamespace

from pygls.workspace import PositionCodec

from shapelens.core import Config, analyze
from shapelens.lsp.convert import Positions
from shapelens.lsp.documents import Result
from shapelens.lsp.hover import SourceIndex, _value_part

LS = SimpleNamespace(documents=SimpleNamespace(fallback_facts=lambda result, line: []))


def _hover(source: str, line: int, col: int) -> str | None:
    result = Result("file:///m.py", (1, 0), source, analyze(source, "m.py"),
                    Positions(source, PositionCodec()), Config())
    part = _value_part(SourceIndex.of(result), LS, line, col)  # type: ignore[arg-type]
    return part[0] if part else None


def _card(source: str, line: int, col: int) -> str | None:
    """The ``shape  ← origin`` line of a tensor card."""
    text = _hover(source, line, col)
    return text.splitlines()[2] if text else None


def test_statement_region_is_enough() -> None:
    source = "import tensorflow as tf\n\nx = tf.zeros((4, 2))\ny = tf.transpose(x)\n"
    assert _card(source, 4, 0) == "(2, 4)  ← tf.transpose(x) on (4, 2)"
    assert _card(source, 4, 17) == "(4, 2)  ← tf.zeros((4, 2))  (line 3)"


def test_column_zero_strings_and_decorators_do_not_confuse_the_lookup() -> None:
    """Statements come from the engine's tree, not from the text's indentation."""
    source = ('import tensorflow as tf\n\n\n@tf.function\ndef f(x):\n    doc = """\nx = 1\n"""\n'
              '    return tf.reshape(x, [2, 4])\n\n\ny = f(tf.zeros((4, 2)))\n')
    assert _card(source, 12, 0) == "(2, 4)  ← f(tf.zeros((4, 2))) on (4, 2)"
    assert _card(source, 9, 12) == "(2, 4)  ← tf.reshape(x, [2, 4]) on (4, 2)"


TAPE = """import tensorflow as tf

w = tf.Variable(tf.ones((3, 2)))
rate = tf.constant(0.2)
x = tf.ones((4, 3))
with tf.GradientTape(persistent=True) as tape:
    loss = tf.reduce_sum(x @ w) * rate
gw, gr = tape.gradient(loss, [w, rate])
"""


def test_tape_card_lists_what_it_watches() -> None:
    assert _hover(TAPE, 6, 42) == ("**`tape`** · GradientTape · persistent\n\n"
                                   "watches `w` (line 6)")
    assert _hover(TAPE, 8, 10) == _hover(TAPE, 6, 42)  # a use of the name


def test_gradient_card_gives_each_shape_or_why_none() -> None:
    text = _hover(TAPE, 8, 15)
    assert text is not None
    assert text.splitlines()[:4] == [
        "**`tape.gradient(loss, [w, rate])`** · 2 gradients", "",
        "- `w` → `(3, 2)`",
        "- `rate` → **None**: it is a tensor the tape never watched; call tape.watch(rate) "
        "inside the tape or make it a tf.Variable"]
    assert _card(TAPE, 8, 30) == (  # the `w` argument
        "(3, 2)  ← tf.Variable(tf.ones((3, 2))) on (3, 2)  (line 3)")


def test_a_hovered_version_is_freed_without_the_cycle_collector() -> None:
    """The index a hover builds lives in its result's cache and refers back to the result
    weakly: replaced versions go as soon as nothing holds them, not at the next full
    collection (a cycle between the two held every hovered version of a document until
    then; bench/soak.py's memory grew with them)."""
    import gc
    import weakref

    source = "import tensorflow as tf\n\nx = tf.zeros((4, 2))\ny = tf.transpose(x)\n"
    alive: list[weakref.ReferenceType[Result]] = []
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for version in range(1, 41):
            text = source + f"z{version} = tf.ones(({version}, 3))\n"
            result = Result("file:///m.py", (version, 0), text, analyze(text, "m.py"),
                            Positions(text, PositionCodec()), Config())
            index = SourceIndex.of(result)
            assert _value_part(index, LS, 4, 0) is not None  # type: ignore[arg-type]
            assert SourceIndex.of(result) is index  # built once per version
            alive.append(weakref.ref(result))
            del result, index
        assert sum(ref() is not None for ref in alive) == 0
    finally:
        if enabled:
            gc.enable()
