"""Keras' lookup and text layers: ``StringLookup``, ``IntegerLookup``, ``TextVectorization``.

Their ``output_mode="int"`` (the default) maps each token to an int64 index, whatever the
input dtype or the layer's ``dtype=`` (probed in Keras 3.15 / TF 2.21, eager and symbolic):

* ``StringLookup``/``IntegerLookup``: the input's shape (any rank, a scalar too);
* ``TextVectorization`` (default ``split``, no ``ngrams``, not ``ragged``): one row of
  ``output_sequence_length`` tokens per string of a rank-1 batch (or a ``(batch, 1)`` one, or
  one scalar string); without ``output_sequence_length`` the row length is the longest row
  (data-dependent: ``None``).

Every other mode is left unknown, shape and dtype: ``one_hot``/``multi_hot``/``count`` give
int64 eagerly but float32 on a symbolic input, with a width that depends on the vocabulary;
``invert=True`` gives strings; a ``(batch, n > 1)`` input to ``TextVectorization`` raises (no
finding is made for it here).
"""

from __future__ import annotations

from ..domain.shapes import DYNAMIC, Dim, Shape
from ..domain.values import Const
from ._common import Call
from .keras_common import cfg_int, cfg_str, layer

_INT64 = "int64"
_SPLITS = ("whitespace", "character")


def _lookup_int(cfg: Call) -> bool:
    """The config maps tokens to int64 indices (``output_mode="int"``, not inverted); a
    positional argument that may be ``invert`` or ``output_mode`` is not read."""
    return len(cfg.args) <= 6 and cfg_str(cfg, None, "output_mode", "int") == "int" and \
        cfg.flag(None, "invert") is False


def _lookup_dtype(cfg: Call) -> str | None:
    return _INT64 if _lookup_int(cfg) else None


@layer("StringLookup", "IntegerLookup", dtype=_lookup_dtype)
def lookup(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    """One index per token: the input's shape."""
    return shape if _lookup_int(cfg) else None


def _vectorize_int(cfg: Call) -> bool:
    """Default tokenisation to int64 index rows: whitespace or character split, no n-grams,
    dense output (the positional ``split``/``ngrams``/``output_mode`` are not read)."""
    if len(cfg.args) > 2 or cfg_str(cfg, None, "output_mode", "int") != "int":
        return False
    if cfg.flag(None, "ragged") is not False:
        return False
    if not _absent_or_none(cfg, "ngrams"):
        return False
    return cfg_str(cfg, None, "split", "whitespace") in _SPLITS


def _absent_or_none(cfg: Call, name: str) -> bool:
    """``name=`` not given, or given as ``None``."""
    v = cfg.arg(None, name)
    return not cfg.has(None, name) or (isinstance(v, Const) and v.value is None)


def _vectorize_dtype(cfg: Call) -> str | None:
    return _INT64 if _vectorize_int(cfg) else None


@layer("TextVectorization", dtype=_vectorize_dtype)
def text_vectorization(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    """``(batch, output_sequence_length)`` per rank-1 (or ``(batch, 1)``) batch of strings."""
    if not _vectorize_int(cfg):
        return None
    length: Dim = DYNAMIC  # the longest row: None in Keras' static shape
    if not _absent_or_none(cfg, "output_sequence_length"):
        length = cfg_int(cfg, None, "output_sequence_length")
        if length is None:
            return None  # given, but not readable
    if not shape:
        return (length,)
    if len(shape) == 1 or (len(shape) == 2 and shape[1] == 1):
        return (shape[0], length)
    return None
