"""An error whose exception an enclosing ``try``/``with`` catches is no bug of the program: it
is not reported, and the statement still ends the ``try`` body (the handler runs)."""

from __future__ import annotations

import textwrap

from shapelens.core import analyze


def _findings(source: str) -> list[tuple[int, str]]:
    result = analyze(textwrap.dedent(source), time_budget=None)
    return sorted((f.span.line, f.code) for f in result.findings)


def test_a_handler_that_catches_the_error_silences_it() -> None:
    assert _findings("""\
        import tensorflow as tf
        x = tf.zeros((3, 2, 5))
        try:
            tf.reshape(x, [4])
        except tf.errors.InvalidArgumentError:
            pass
        try:
            tf.reshape(x, [7, -1])
        except:
            pass
        try:
            tf.reshape(x, [7])
        except (KeyError, BaseException):
            pass
        """) == []


def test_a_handler_for_another_exception_does_not() -> None:
    assert _findings("""\
        import tensorflow as tf
        x = tf.zeros((3, 2, 5))
        try:
            tf.reshape(x, [4])
        except KeyError:
            pass
        """) == [(4, "SL101")]


def test_the_rest_of_the_try_body_is_unreachable_and_the_handler_runs() -> None:
    assert _findings("""\
        import tensorflow as tf
        x = tf.zeros((3, 2, 5))
        try:
            y = tf.reshape(x, [4])
            z = tf.reshape(x, [7])
        except Exception:
            w = tf.reshape(x, [8])
        """) == [(7, "SL101")]


def test_an_error_raised_in_a_called_function_is_caught_by_the_callers_try() -> None:
    assert _findings("""\
        import tensorflow as tf

        def pick(values, i):
            return tf.gather(values, [i])

        try:
            pick(tf.zeros((3,)), 5)
        except tf.errors.OpError as e:
            print(e)
        """) == []


def test_expected_errors_in_test_contexts() -> None:
    """``pytest.raises``/``assertRaises``/``contextlib.suppress`` catch the error, and the
    code after the ``with`` runs; a context expecting another exception does not."""
    assert _findings("""\
        import contextlib
        import pytest
        import tensorflow as tf
        x = tf.zeros((3, 2, 5))
        with pytest.raises(tf.errors.InvalidArgumentError):
            tf.reshape(x, [4])
        with contextlib.suppress(ValueError, tf.errors.InvalidArgumentError):
            tf.reshape(x, [4])
        y = tf.reshape(x, [-1])
        with pytest.raises(TypeError):
            tf.reshape(x, [4])
        z = tf.reshape(x, [9])
        """) == [(11, "SL101")]


def test_warnings_are_not_exceptions() -> None:
    """A None gradient raises nothing: a try around it does not hide the warning."""
    found = _findings("""\
        import tensorflow as tf
        w = tf.constant(3.0)
        try:
            with tf.GradientTape() as tape:
                y = w * w
            g = tape.gradient(y, w)
        except Exception:
            pass
        """)
    assert [code for _, code in found] == ["SL301"]


def test_a_handler_the_engine_cannot_identify_may_catch_anything() -> None:
    """An alias, a computed class or one of the program's own names may be the exception TF
    raises: the failure is then not proven (ignorance never adds a finding)."""
    assert _findings("""\
        import contextlib
        import tensorflow as tf
        x = tf.zeros((3, 2, 5))
        try:
            tf.reshape(x, [4])
        except unknown_errors():
            pass
        try:
            tf.reshape(x, [4])
        except Alias:
            pass
        with contextlib.suppress(errors[0]):
            tf.reshape(x, [4])
        """) == []
