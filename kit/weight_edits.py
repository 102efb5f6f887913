"""Weights by hand without Streamlit: the student's edit of one weight or bias, as the live
view's diagram sends it, checked and written into the network.

The edit writes into the network's own parameters (each layer's [W | b] is a view into the one
flat vector the optimizer updates), so the next training step starts from the edited value; a
trainer, its optimizer's moments and its place in the data are kept. ``kit.live.edits`` applies
it to a paused run.
"""

import math
from numbers import Integral, Real

import nn

MAX_VALUE = 100.0  # the largest |value| a student may set: far beyond any trained weight here


class EditRefused(ValueError):
    """An edit that cannot be applied; its message says why and what to do, for the page."""


def apply_edit(network: nn.Network, value: object) -> tuple[str, float, float]:
    """Write the browser's edit ``value`` into ``network`` in place: (the parameter's name for
    the student, its old value, its new value in the network's precision). EditRefused, with
    the network untouched, when ``value`` is not a valid edit.

    ``value`` is ``{"layer": l, "from": i, "to": j, "value": w}`` for the weight from unit i of
    column l to unit j of column l + 1 (column 0 is the input), or
    ``{"layer": l, "unit": j, "value": b}`` for unit j's bias in layer l. Layer l is
    ``network.layers[l]``: the weight is ``layers[l].weights[j, i]`` (the diagram's
    ``weights[l]`` is that matrix transposed, flat) and the bias ``layers[l].bias[j, 0]``. The
    new value is a finite number with |value| <= MAX_VALUE."""
    target, new = parse_edit(network, value)
    old = target.get()
    target.set(new)
    return target.name, old, target.get()


class Parameter:
    """One weight or bias of a network: where it lives and its name for the student."""

    def __init__(self, network: nn.Network, layer: int, row: int, column: int, name: str):
        self._params = network.layers[layer].params  # [W | b]: a view of the flat parameters
        self._index = (row, column)
        self.name = name

    def get(self) -> float:
        return float(self._params[self._index])

    def set(self, value: float) -> None:
        self._params[self._index] = value


def parse_edit(network: nn.Network, value: object) -> tuple[Parameter, float]:
    """The parameter ``value`` names and its new value, or EditRefused saying what is wrong
    (see ``edit_parameter`` for the two forms)."""
    if not isinstance(value, dict):
        raise EditRefused(
            f"A weight edit names a layer, a weight or a bias, and a value; got "
            f"{_shown(value)}. Click a line or a unit of the network diagram to edit it."
        )
    layers = network.layers
    layer = _index(value.get("layer"), "layer", len(layers), "layers after the input")
    new = _new_value(value.get("value"))
    units, inputs = layers[layer].units, layers[layer].inputs
    to_name = _unit_name(layer + 1, len(layers) + 1)
    if "unit" in value and ("from" in value or "to" in value):
        raise EditRefused(
            f"A weight edit names either a weight (from, to) or a bias (unit), not both; got "
            f"{_shown(value)}. Click a line or a unit of the network diagram to edit it."
        )
    if "unit" in value:
        unit = _index(value["unit"], "unit", units, f"units in {to_name}")
        name = f"the bias of {to_name} unit {unit + 1}"
        return Parameter(network, layer, unit, inputs, name), new
    source = _index(value.get("from"), "from", inputs, f"units feeding {to_name}")
    target = _index(value.get("to"), "to", units, f"units in {to_name}")
    from_name = _unit_name(layer, len(layers) + 1)
    source_name = f"input x{source + 1}" if layer == 0 else f"{from_name} unit {source + 1}"
    name = f"the weight from {source_name} to {to_name} unit {target + 1}"
    return Parameter(network, layer, target, source, name), new


def _index(value: object, what: str, count: int, of: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value < count:
        raise EditRefused(
            f"A weight edit's {what} must be a whole number from 0 to {count - 1} (this network "
            f"has {count} {of}); got {_shown(value)}. Click a line or a unit of the network "
            "diagram to edit it."
        )
    return int(value)


def _new_value(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise EditRefused(
            f"A weight's new value must be a number; got {_shown(value)}. Type a number such "
            "as 0.5 or -2."
        )
    number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_VALUE:
        raise EditRefused(
            f"A weight's new value must be a number from {-MAX_VALUE:g} to {MAX_VALUE:g}; got "
            f"{_shown(value)}. Type a number in that range, such as 5: weights trained here stay "
            "far smaller."
        )
    return number


def _unit_name(column: int, columns: int) -> str:
    """The diagram's name of a column: "input", "hidden 2", "output"."""
    if column == 0:
        return "input"
    return "output" if column == columns - 1 else f"hidden {column}"


def _shown(value: object) -> str:
    """A forged value as the message shows it: short, whatever it holds."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
