"""Inside ``tf.function`` an op whose value reaches nothing is pruned, with every op that only
feeds it; a stateful op (``tf.print``, ``assign``) runs anyway and so do its inputs."""

from __future__ import annotations

from shapelens.core import Config, analyze

HEAD = "import tensorflow as tf\n\n\n@tf.function\ndef step(x):\n"
TAIL = "    return x * 2.0\n\n\ny = step(tf.constant([1.0, 2.0]))\n"


def codes(body: str) -> list[tuple[int, str]]:
    source = HEAD + body + TAIL
    return [(f.span.line, f.code) for f in analyze(source, "t.py", Config()).findings]


def test_an_unused_chain_is_pruned_whole() -> None:
    assert codes("    unused = tf.reduce_sum(tf.gather(x, [5]))\n") == []
    assert codes("    tf.reduce_sum(tf.gather(x, [5]))\n") == []


def test_a_value_passed_to_an_unknown_function_proves_nothing() -> None:
    assert codes("    unused = helper_from_elsewhere(tf.gather(x, [5]))\n") == []


def test_stateful_ops_keep_their_inputs() -> None:
    assert codes("    tf.print(tf.gather(x, [5]))\n") == [(6, "SL108")]


def test_a_used_value_still_runs() -> None:
    assert codes("    picked = tf.gather(x, [5])\n    tf.print(picked)\n") == [(6, "SL108")]
