"""Keras 3 recurrent cells (``LSTMCell``, ``GRUCell``, ``SimpleRNNCell``), ``StackedRNNCells``
and ``keras.layers.RNN(cell)``: what a call of each returns, and where TF raises.

What Keras 3.15 does under TF 2.21 (probed, ``tests/oracle/test_keras_cells_oracle.py``):

* ``cell(x, states)`` with ``x`` of shape ``(batch, features)`` returns the tuple
  ``(h, new_states)``, ``h`` of shape ``(batch, units)``. ``LSTMCell`` reads ``states[0]`` and
  ``states[1]`` (h and c) and always gives the list ``[h, c]``; ``GRUCell``/``SimpleRNNCell``
  give ``[h]`` for a list or tuple of states and the tensor ``h`` itself for a tensor. The cell
  is built at its first call with a kernel ``(features, g * units)`` (g: 4, 3, 1 gates) and a
  recurrent kernel ``(units, g * units)``; a later call with another width, or a state whose
  width is not ``units``, fails in the matmul (``InvalidArgumentError``, "Matrix
  size-incompatible": SL102); states whose batch cannot broadcast with the input's fail in
  the add (SL103), as does an LSTM ``c`` whose width is neither 1 nor ``units``.
* ``state_size``: ``[units, units]`` for an LSTM cell, ``units`` otherwise; ``output_size``:
  ``units``; ``get_initial_state(batch_size=n)``: a list of float32 zeros ``(n, units)``, one
  per state.
* ``StackedRNNCells(cells)`` steps each cell on the previous one's output, one state
  structure per cell; ``RNN(cell)`` on ``(batch, time, features)`` gives what the matching
  ``LSTM``/``GRU``/``SimpleRNN`` layer gives (``return_sequences``, ``return_state``: the tuple
  ``(output, *states)``), building the cell for ``(batch, features)``; a list of cells is a
  ``StackedRNNCells``, whose states come back per cell (a single-state cell's as a list on
  data, as the tensor itself on a symbolic input).

Anything the engine cannot read (the units, a state's shape, a cell of the user's own class)
leaves the result unknown, and nothing is reported.
"""

from __future__ import annotations

from ..domain.shapes import Dim, Shape, broadcast_dim, format_shape, static_only
from ..domain.values import UNKNOWN, Const, LayerValue, Seq, Tensor, Value
from ..structs import Frozen
from ._common import Call, ShapeError, to_dim
from .keras_common import cfg_bool, cfg_int, layer, layer_label
from .keras_rnn import rnn_params
from .registry import op

CELLS = {"LSTMCell": "LSTM", "GRUCell": "GRU", "SimpleRNNCell": "SimpleRNN"}
_GATES = {"LSTM": 4, "GRU": 3, "SimpleRNN": 1}
CELL_LAYERS = frozenset({*CELLS, "StackedRNNCells", "RNN"})


class Struct(Frozen):
    """A nested result (``(h, [h, c])``): its items are shapes (a tensor each), ``Struct``s,
    or ``UNKNOWN`` (a value the engine cannot tell, not even whether it is a tensor)."""

    __slots__ = ("kind", "items")

    def __init__(self, kind: str, items: tuple[object, ...]) -> None:
        self.kind = kind  # "tuple" | "list"
        self.items = items


class Plan(Frozen):
    """A call of a cell or RNN layer: its result and the cells it builds (each with the input
    shape it is built for and its parameter count)."""

    __slots__ = ("out", "builds")

    def __init__(self, out: object, builds: tuple[tuple[LayerValue, Shape, int | None], ...]
                 = ()) -> None:
        self.out = out
        self.builds = builds


def cell_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    """The parameters of a cell built for ``(batch, features)``: those of its RNN layer."""
    return rnn_params(CELLS[cfg.name.rsplit(".", 1)[-1]], cfg, shape)


def _unknown_output(cfg: Call, shape: tuple[Dim, ...]) -> Shape:
    """Wrappers (``TimeDistributed``, ``Bidirectional``) apply a layer's rule alone: a cell or
    RNN layer inside one is left unknown (``layers.py`` applies them through ``plan``)."""
    return None


for _name in CELLS:
    layer(_name, params=cell_params)(_unknown_output)
layer("StackedRNNCells", params=lambda cfg, s: None)(_unknown_output)
layer("RNN", params=lambda cfg, s: rnn_layer_params(cfg, s))(_unknown_output)


# ------------------------------------------------------------------ one cell

def _units(cell: LayerValue) -> int | None:
    return cfg_int(cell.config, 0, "units")


def _shape_of(v: Value, symbolic: bool) -> Shape:
    """A state's shape as the cell sees it (data has concrete sizes: no static None)."""
    if not isinstance(v, Tensor) or v.shape is None:
        return None
    return v.shape if symbolic or v.kind == "keras" else static_only(v.shape)


def _error(code: str, cell: LayerValue, text: str) -> ShapeError:
    return ShapeError(code, f"{layer_label(cell.config, cell.rule.name)}: {text}")


def _batch(cell: LayerValue, x: tuple[Dim, ...], others: list[Shape], width: int) -> Dim:
    """The batch axis of ``x @ kernel + h @ recurrent_kernel`` (and of ``f * c``): the inputs'
    batch axes broadcast, SL103 where two known sizes cannot."""
    batch = x[0]
    for shape in others:
        if shape is None:
            continue
        result, ok = broadcast_dim(batch, shape[0])
        if not ok:
            raise _error("SL103", cell, f"Incompatible shapes: {format_shape((batch, width))} "
                         f"vs. {format_shape((shape[0], width))}: the input's batch axis and "
                         f"its state's differ")
        batch = result
    return batch


def cell_plan(cell: LayerValue, x: tuple[Dim, ...], states: Value, symbolic: bool) -> Plan:
    """``cell(x, states)``: ``(h, new_states)`` and the build it makes; raises ShapeError where
    TF certainly raises (see the module docstring)."""
    kind, units = CELLS[cell.rule.name], _units(cell)
    if units is None or len(x) != 2 or isinstance(states, Const):
        return Plan(UNKNOWN)  # (no states, or None: Keras raises TypeError)
    width = _GATES[kind] * units
    built = cell.built_shape
    if isinstance(built, tuple) and len(built) == 2 and isinstance(built[-1], int) and \
            isinstance(x[-1], int) and x[-1] != built[-1]:
        raise _error("SL102", cell, f"Matrix size-incompatible: input {format_shape(x)} by "
                     f"the kernel {format_shape((built[-1], width))} the cell was built with "
                     f"(inputs with {built[-1]} features)")
    nested = isinstance(states, Seq) and states.kind in ("list", "tuple")
    items = states.items if isinstance(states, Seq) and nested else (states,)
    needed = 2 if kind == "LSTM" else 1
    if (kind == "LSTM" and not nested) or len(items) < needed:
        return Plan(UNKNOWN)  # (a tensor's rows, an IndexError: not followed)
    shapes = [_shape_of(v, symbolic) for v in items[:needed]]
    h = shapes[0]
    if h is not None and len(h) == 2 and isinstance(h[1], int) and h[1] != units:
        raise _error("SL102", cell, f"Matrix size-incompatible: state {format_shape(h)} by "
                     f"the recurrent kernel {format_shape((units, width))}: a state of the "
                     f"cell has {units} features")
    if any(s is None or len(s) != 2 for s in shapes):
        out: object = None  # unknown shapes, known structure
    else:
        batch = _batch(cell, x, [h], width)
        if kind == "LSTM":
            c = shapes[1]
            assert c is not None
            batch = _batch(cell, (batch, units), [c], units)
            if isinstance(c[1], int) and c[1] not in (1, units):
                raise _error("SL103", cell, f"Incompatible shapes: {format_shape((batch, units))}"
                             f" vs. {format_shape(c)}: the carry state c must have {units} "
                             f"features")
        out = (batch, units)
    new: object = Struct("list", (out, out) if kind == "LSTM" else (out,)) if nested else \
        out if isinstance(states, Tensor) else UNKNOWN  # (maybe a list: [h])
    return Plan(Struct("tuple", (out, new)), ((cell, x, cell_params(cell.config, x)),))


# ------------------------------------------------------------------ stacks and RNN layers

def cells_of(value: Value) -> list[LayerValue] | None:
    """The built-in cells a ``RNN``/``StackedRNNCells`` steps, in order; None when one is not
    a Keras cell the engine knows (a user's cell class, an unknown value)."""
    if isinstance(value, LayerValue) and value.rule.name in CELLS:
        return [value]
    if isinstance(value, LayerValue) and value.rule.name == "StackedRNNCells":
        value = value.config.arg(0, "cells")
    if not isinstance(value, Seq) or value.kind not in ("list", "tuple") or not value.items:
        return None
    found = [v for v in value.items if isinstance(v, LayerValue) and v.rule.name in CELLS]
    return found if len(found) == len(value.items) else None


def stacked_plan(stack: LayerValue, x: tuple[Dim, ...], states: Value, symbolic: bool) -> Plan:
    """``StackedRNNCells(cells)(x, states)``: each cell on the previous output with its own
    states (a tensor state stays a tensor, a list a list), ``(h, new_states)``."""
    cells = cells_of(stack)
    if cells is None or not isinstance(states, Seq) or len(states.items) != len(cells) or \
            len(cells) < 2:
        return Plan(UNKNOWN)
    builds: list[tuple[LayerValue, Shape, int | None]] = []
    new: list[object] = []
    step: object = x
    for cell, own in zip(cells, states.items, strict=True):
        if not isinstance(step, tuple):
            return Plan(UNKNOWN)
        nested = isinstance(own, Seq) and own.kind in ("list", "tuple")
        plan = cell_plan(cell, step, own if nested else Seq((own,), "list"), symbolic)
        if not isinstance(plan.out, Struct):
            return Plan(UNKNOWN)
        step, states_out = plan.out.items
        if not nested and isinstance(states_out, Struct) and len(states_out.items) == 1:
            states_out = states_out.items[0]
        new.append(states_out)
        builds += plan.builds
    return Plan(Struct("tuple", (step, Struct("list", tuple(new)))), tuple(builds))


def _chain(cells: list[LayerValue], batch: Dim, features: Dim) -> list[tuple[Shape, int]] | None:
    """Each cell's build shape and units along the stack; None when a width is unknown or a
    cell was built before for another width (TF fails then: not followed)."""
    found: list[tuple[Shape, int]] = []
    for cell in cells:
        units = _units(cell)
        built = cell.built_shape
        if units is None or cell.output_shape is UNKNOWN or (
                isinstance(built, tuple) and built[-1] != features):
            return None
        found.append(((batch, features), units))
        features = units
    return found


def rnn_layer_params(cfg: Call, shape: tuple[Dim, ...]) -> int | None:
    """``RNN(cell)``'s parameters: its cells' (built along the stack)."""
    cells = cells_of(cfg.arg(0, "cell"))
    chain = None if cells is None or len(shape) != 3 else _chain(cells, shape[0], shape[2])
    if cells is None or chain is None:
        return None
    counts = [cell_params(c.config, s) for c, (s, _) in zip(cells, chain, strict=True)
              if s is not None]
    return None if None in counts or len(counts) != len(cells) else \
        sum(n for n in counts if n is not None)


def rnn_plan(rnn: LayerValue, x: tuple[Dim, ...], symbolic: bool) -> Plan:
    """``RNN(cell, return_sequences=, return_state=)`` on ``(batch, time, features)``."""
    cfg = rnn.config
    cell = cfg.arg(0, "cell")
    cells = cells_of(cell)
    seq = cfg_bool(cfg, None, "return_sequences", False)
    state = cfg_bool(cfg, None, "return_state", False)
    chain = None if cells is None or len(x) != 3 else _chain(cells, x[0], x[2])
    if cells is None or chain is None or seq is None or state is None:
        return Plan(UNKNOWN)
    batch, units = x[0], chain[-1][1]
    builds = tuple((c, s, cell_params(c.config, s) if s is not None else None)
                   for c, (s, _) in zip(cells, chain, strict=True))
    out = (batch, x[1], units) if seq else (batch, units)
    if not state:
        return Plan(out, builds)
    per_cell = [_states(c, n, batch, stacked=len(cells) > 1 or
                        not (isinstance(cell, LayerValue) and cell.rule.name in CELLS),
                        symbolic=symbolic) for c, (_, n) in zip(cells, chain, strict=True)]
    if len(per_cell) == 1:
        if isinstance(cell, LayerValue) and cell.rule.name in CELLS:
            one = per_cell[0]
            return Plan(Struct("tuple", (out, *(one.items if isinstance(one, Struct)
                                                else (one,)))), builds)
        return Plan(UNKNOWN, builds)  # (a stack of one cell: not followed)
    return Plan(Struct("tuple", (out, *per_cell)), builds)


def _states(cell: LayerValue, units: int, batch: Dim, stacked: bool, symbolic: bool) -> object:
    """One cell's final states as ``RNN(return_state=True)`` returns them."""
    s = (batch, units)
    if CELLS[cell.rule.name] == "LSTM":
        return Struct("list", (s, s))
    return Struct("list", (s,)) if stacked and not symbolic else s


# ------------------------------------------------------------------ attributes and methods

def cell_attribute(layer_value: LayerValue, attr: str) -> Value | None:
    """``state_size``, ``output_size``, ``units`` of a cell (and of a stack), an RNN's ``cell``
    and a stack's ``cells`` (as given); None for an attribute this module does not model."""
    name = layer_value.rule.name
    if (name, attr) in (("RNN", "cell"), ("StackedRNNCells", "cells")):
        given = layer_value.config.arg(0, attr)  # (a list given to RNN became a stack)
        known = isinstance(given, LayerValue) or (
            name == "StackedRNNCells" and cells_of(layer_value) is not None)
        return given if known else UNKNOWN
    if name == "StackedRNNCells" and attr in ("state_size", "output_size"):
        cells = cells_of(layer_value)
        if cells is None:
            return UNKNOWN
        sizes = [cell_attribute(c, attr) for c in cells]
        return sizes[-1] if attr == "output_size" else Seq(tuple(
            s if isinstance(s, Value) else UNKNOWN for s in sizes), "list")
    if name not in CELLS or attr not in ("state_size", "output_size", "units"):
        return None
    units = _units(layer_value)
    if units is None:
        return UNKNOWN
    if attr == "state_size" and CELLS[name] == "LSTM":
        return Seq((Const(units), Const(units)), "list")
    return Const(units)


def _initial_states(value: Value, batch: Dim) -> Value:
    if isinstance(value, LayerValue) and value.rule.name in CELLS:
        units = _units(value)
        if units is None:
            return UNKNOWN
        zeros = Tensor((batch, units), "float32", "tensor", origin="get_initial_state")
        return Seq((zeros, zeros) if CELLS[value.rule.name] == "LSTM" else (zeros,), "list")
    if isinstance(value, LayerValue) and value.rule.name in ("StackedRNNCells", "RNN"):
        inner = value.config.arg(0, "cells" if value.rule.name == "StackedRNNCells" else
                                 "cell")
        single = value.rule.name == "RNN" and isinstance(inner, LayerValue) and \
            inner.rule.name in CELLS
        cells = cells_of(inner)
        if cells is None or (not single and len(cells) < 2):
            return UNKNOWN
        parts = [_initial_states(c, batch) for c in cells]
        return parts[0] if single else Seq(tuple(parts), "list")
    return UNKNOWN


@op("keras.Layer.get_initial_state")
def get_initial_state(call: Call) -> Value:
    """``cell.get_initial_state(batch_size=n)`` (also a stack's and an ``RNN`` layer's): float32
    zeros ``(n, units)`` per state, in the structure Keras gives."""
    receiver = call.args[0] if call.args else UNKNOWN
    given = call.arg(1, "batch_size", Const(None))
    if isinstance(given, Const) and given.value is None:
        return UNKNOWN  # (Keras needs a batch size: zeros((None, units)) raises)
    return _initial_states(receiver, to_dim(given))


__all__ = ["CELLS", "CELL_LAYERS", "Plan", "Struct", "cell_attribute", "cell_plan",
           "cells_of", "rnn_plan", "stacked_plan"]
