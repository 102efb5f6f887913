"""A dense network drawn as a raw Vega-Lite spec: cheap enough to redraw on every training tick.

Columns of circles are the layers (input, hidden..., output); lines are the weights. With weights,
line width is proportional to |w| and the colour is its sign, as in TensorFlow Playground: blue
positive, orange negative. Each unit's bias is a small square beside it, the output unit included.
Hovering shows exact values. Weight matrices have the tutorial's shape (units, inputs) per layer.

Under each column a label names the layer ("hidden 3") and, below it, its units and activation
("16 relu"). Labels never overlap down to ``LAYOUT_WIDTH_PX``: when columns crowd, the detail
breaks into one word per line, then labels alternate between two rows. Wide columns draw at most
``max_units_drawn`` units around a "+52 more" hint.

Use it as ``st.vega_lite_chart(network_diagram_spec([2, 4, 1]), width="stretch")``: building the
dict takes about a millisecond, whereas Altair or matplotlib cost about 90 ms per redraw.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, isfinite

import numpy as np

POSITIVE_COLOR = "#0877bd"
NEGATIVE_COLOR = "#f59322"
NEUTRAL_COLOR = "#9aa5b1"
NODE_STROKE = "#3b4652"
MIN_LINE_WIDTH = 0.6
MAX_LINE_WIDTH = 7.0
MIN_BIAS_SIZE = 30
MAX_BIAS_SIZE = 140
PIXELS_PER_SLOT = 40  # vertical distance between two drawn units
TOP_MARGIN_PX = 24  # above the top row's centre: room for its circle
# Column labels are laid out for the narrowest chart drawn: Rose's network column in a 1280-px
# window with the sidebar open is about 345 px wide. Wider charts only spread them further apart.
LAYOUT_WIDTH_PX = 340
NAME_FONT_SIZE = 12
DETAIL_FONT_SIZE = 11
NAME_LINE_PX = 15
DETAIL_LINE_PX = 13
CHAR_WIDTH_EM = 0.6  # upper estimate of a sans-serif glyph's average width, in font sizes
LABEL_GAP_PX = 8  # least free space between two labels on the same row
LABEL_TOP_PX = 26  # from the lowest row's centre down to the labels: clear of circle and bias
LABEL_ROW_GAP_PX = 4  # between the two rows of alternating labels
HINT_BACKDROP_SIZE = 30 * 30  # white square behind a "+52 more" hint, in px²


def network_diagram_spec(
    layer_sizes: Sequence[int],
    weights: Sequence[np.ndarray] | None = None,
    biases: Sequence[np.ndarray] | None = None,
    activations: Sequence[str] | None = None,
    max_units_drawn: int = 12,
    weight_scale: float | None = None,
) -> dict:
    """Vega-Lite spec of a dense network with ``layer_sizes = [inputs, hidden..., outputs]``.

    ``weights[l]`` has shape ``(layer_sizes[l + 1], layer_sizes[l])``, ``biases[l]`` holds
    ``layer_sizes[l + 1]`` values, ``activations[l]`` names layer ``l + 1``'s activation.
    A line is drawn ``MAX_LINE_WIDTH`` wide at ``|w| = weight_scale`` (default: the largest
    ``|w|``), narrower in proportion, never below ``MIN_LINE_WIDTH``. Columns wider than
    ``max_units_drawn`` show their first and last units around a "…" marker.
    """
    sizes = _checked_sizes(layer_sizes, max_units_drawn)
    weights = _checked_params(weights, sizes, "weights", matrix=True)
    biases = _checked_params(biases, sizes, "biases", matrix=False)
    if activations is not None and len(activations) != len(sizes) - 1:
        raise ValueError(
            f"got {len(activations)} activations for {len(sizes) - 1} layers; "
            "give one activation name per layer after the input"
        )

    slots = [_drawn_slots(size, max_units_drawn) for size in sizes]
    tallest = max(len(column) for column in slots)
    # Row of each drawn unit, per column: {unit index: y}; columns are centred vertically.
    rows = [
        {unit: (tallest - len(column)) / 2 + row for row, unit in enumerate(column) if unit >= 0}
        for column in slots
    ]
    unit_names = [
        {unit: _unit_name(layer, unit, len(sizes)) for unit in column}
        for layer, column in enumerate(rows)
    ]
    scale = weight_scale if weight_scale else _largest_abs(weights)

    edges = []
    for layer in range(len(sizes) - 1):
        for target, y2 in rows[layer + 1].items():
            for source, y in rows[layer].items():
                edge = {
                    "x": layer,
                    "y": y,
                    "x2": layer + 1,
                    "y2": y2,
                    "edge": f"{unit_names[layer][source]} → {unit_names[layer + 1][target]}",
                }
                if weights is None:
                    edge.update(width=1.0, color=NEUTRAL_COLOR, w="")
                else:
                    value = float(weights[layer][target, source])
                    edge.update(
                        weight=value if isfinite(value) else None,
                        width=_line_width(value, scale),
                        color=_sign_color(value),
                        w=repr(value),
                    )
                edges.append(edge)

    units = [
        {"x": layer, "y": y, "unit": unit_names[layer][unit]}
        for layer, column in enumerate(rows)
        for unit, y in column.items()
    ]

    bias_marks = []
    if biases is not None:
        largest_bias = _largest_abs(biases)
        for layer in range(1, len(sizes)):
            for unit, y in rows[layer].items():
                value = float(biases[layer - 1][unit])
                share = min(abs(value) / largest_bias, 1.0) if isfinite(value) else 1.0
                bias_marks.append(
                    {
                        "x": layer,
                        "y": y,
                        "unit": unit_names[layer][unit],
                        "bias": value if isfinite(value) else None,
                        "b": repr(value),
                        "size": MIN_BIAS_SIZE + (MAX_BIAS_SIZE - MIN_BIAS_SIZE) * share,
                        "color": _sign_color(value),
                    }
                )

    elided = []
    for layer, column in enumerate(slots):
        if -1 in column:
            more = sizes[layer] - (len(column) - 1)
            y = (tallest - len(column)) / 2 + column.index(-1)
            elided.append({"x": layer, "y": y, "text": f"+{more} more", "more": more})

    layout = _layout_labels(sizes, activations)
    names, details = _label_rows(layout, lowest_row=tallest - 1)
    return _spec(edges, units, bias_marks, elided, names, details, layout, tallest)


@dataclass(frozen=True)
class _LabelLayout:
    """Column labels: a name line, then the detail (units and activation) on one line or, when
    ``broken``, one word per line; ``staggered`` labels alternate between two rows.
    ``margins`` pad the x domain beyond the first and last columns, in columns."""

    names: list[str]
    details: list[str]
    broken: bool
    staggered: bool
    margins: tuple[float, float]

    def block_height(self) -> float:
        """Pixels from a label row's top to the bottom of its tallest label."""
        lines = max(len(_detail_lines(detail, self.broken)) for detail in self.details)
        return NAME_LINE_PX + lines * DETAIL_LINE_PX

    def area_height(self) -> float:
        """Pixels below ``LABEL_TOP_PX`` taken by all label rows."""
        if self.staggered:
            return 2 * self.block_height() + LABEL_ROW_GAP_PX
        return self.block_height()


def _layout_labels(sizes: list[int], activations: Sequence[str] | None) -> _LabelLayout:
    """The first layout whose labels fit at ``LAYOUT_WIDTH_PX``: one-line details side by side,
    broken details side by side, then the same on alternating rows (the last kept regardless)."""
    names = [_layer_name(layer, len(sizes)) for layer in range(len(sizes))]
    details = [_column_detail(layer, sizes, activations) for layer in range(len(sizes))]
    for staggered in (False, True):
        for broken in (False, True):
            widths = [
                _label_width(name, detail, broken)
                for name, detail in zip(names, details, strict=True)
            ]
            pitch = _column_pitch(widths, LAYOUT_WIDTH_PX)
            margins = (max(0.5, widths[0] / 2 / pitch), max(0.5, widths[-1] / 2 / pitch))
            layout = _LabelLayout(names, details, broken, staggered, margins)
            if _labels_fit(widths, pitch, staggered):
                return layout
    return layout


def _detail_lines(detail: str, broken: bool) -> list[str]:
    return detail.split(" ") if broken else [detail]


def _label_width(name: str, detail: str, broken: bool) -> float:
    return max(
        _text_width(name, NAME_FONT_SIZE),
        *(_text_width(line, DETAIL_FONT_SIZE) for line in _detail_lines(detail, broken)),
    )


def _text_width(text: str, font_size: float) -> float:
    """Estimated pixel width of ``text``: generous, so that real fonts fit inside it."""
    return len(text) * font_size * CHAR_WIDTH_EM


def _column_pitch(widths: list[float], chart_width: float) -> float:
    """Pixels between columns when the outer columns keep half a pitch or half their label,
    whichever is more, to the chart's edges: ``chart_width = pitch * (n - 1) + left + right``."""
    n = len(widths)
    first, last = widths[0] / 2, widths[-1] / 2
    # Each candidate solves the equation for one choice of the two maxima; the true pitch is
    # the smallest, since each candidate's right-hand side never exceeds the real one.
    return min(
        chart_width / n,
        (chart_width - first) / (n - 0.5),
        (chart_width - last) / (n - 0.5),
        (chart_width - first - last) / (n - 1),
    )


def _labels_fit(widths: list[float], pitch: float, staggered: bool) -> bool:
    """Whether labels on the same row keep ``LABEL_GAP_PX`` apart."""
    step = 2 if staggered else 1  # alternating rows: a label's row neighbour is two columns away
    return all(
        (left + right) / 2 + LABEL_GAP_PX <= step * pitch
        for left, right in zip(widths, widths[step:], strict=False)
    )


def _label_rows(layout: _LabelLayout, lowest_row: float) -> tuple[list[dict], list[dict]]:
    """Data rows of the name and detail texts; y in slots (``PIXELS_PER_SLOT`` px each)."""
    names, details = [], []
    for layer, (name, detail) in enumerate(zip(layout.names, layout.details, strict=True)):
        top_px = LABEL_TOP_PX
        if layout.staggered and layer % 2:
            top_px += layout.block_height() + LABEL_ROW_GAP_PX
        y = lowest_row + top_px / PIXELS_PER_SLOT
        names.append({"x": layer, "y": y, "text": name})
        details.append({"x": layer, "y": y + NAME_LINE_PX / PIXELS_PER_SLOT, "text": detail})
    return names, details


def _spec(edges, units, bias_marks, elided, names, details, layout, tallest: int) -> dict:
    columns = len(names)
    left, right = layout.margins
    x = {
        "field": "x",
        "type": "quantitative",
        "axis": None,
        "scale": {"domain": [-left, columns - 1 + right]},
    }
    top = -TOP_MARGIN_PX / PIXELS_PER_SLOT
    height = ceil(
        TOP_MARGIN_PX + PIXELS_PER_SLOT * (tallest - 1) + LABEL_TOP_PX + layout.area_height()
    )
    y = {
        "field": "y",
        "type": "quantitative",
        "axis": None,
        # One slot is exactly PIXELS_PER_SLOT pixels, so label offsets convert to slots exactly.
        "scale": {"domain": [top, top + height / PIXELS_PER_SLOT], "reverse": True},
    }
    direct = {"type": "nominal", "scale": None}  # colours and widths are already final values
    layers = [
        {
            "name": "edges",
            "data": {"values": edges},
            "mark": {"type": "rule", "strokeCap": "round"},
            "encoding": {
                "x": x,
                "y": y,
                "x2": {"field": "x2"},
                "y2": {"field": "y2"},
                "color": {"field": "color", **direct},
                "strokeWidth": {"field": "width", "type": "quantitative", "scale": None},
                "opacity": {"value": 0.85},
                "tooltip": [
                    {"field": "edge", "title": "weight"},
                    {"field": "w", "title": "w"},
                ],
            },
        },
        {
            "name": "units",
            "data": {"values": units},
            "mark": {
                "type": "circle",
                "size": 520,
                "fill": "#ffffff",
                "stroke": NODE_STROKE,
                "strokeWidth": 2,
                "opacity": 1,
            },
            "encoding": {"x": x, "y": y, "tooltip": [{"field": "unit", "title": "unit"}]},
        },
        {
            "name": "biases",
            "data": {"values": bias_marks},
            "mark": {"type": "square", "xOffset": 14, "yOffset": 12, "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
                "size": {"field": "size", "type": "quantitative", "scale": None},
                "color": {"field": "color", **direct},
                "tooltip": [{"field": "unit", "title": "unit"}, {"field": "b", "title": "bias b"}],
            },
        },
        {
            "name": "elided backdrop",  # keeps the hint readable over the edges crossing it
            "data": {"values": elided},
            "mark": {"type": "square", "size": HINT_BACKDROP_SIZE, "color": "#ffffff"},
            "encoding": {"x": x, "y": y, "opacity": {"value": 0.9}},
        },
        {
            "name": "elided",
            "data": {"values": elided},
            "mark": {
                "type": "text",
                "fontSize": DETAIL_FONT_SIZE,
                "fontWeight": 600,
                "lineBreak": " ",  # "+52" above "more": narrow enough for crowded columns
                "lineHeight": DETAIL_LINE_PX,
                "color": NODE_STROKE,
            },
            "encoding": {
                "x": x,
                "y": y,
                "text": {"field": "text"},
                "tooltip": [{"field": "more", "title": "units not drawn"}],
            },
        },
        {
            "name": "labels",
            "data": {"values": names},
            "mark": {
                "type": "text",
                "fontSize": NAME_FONT_SIZE,
                "fontWeight": 600,
                "baseline": "top",
                "lineHeight": NAME_LINE_PX,
                "color": NODE_STROKE,
                "tooltip": False,
            },
            "encoding": {"x": x, "y": y, "text": {"field": "text"}},
        },
        {
            "name": "label details",
            "data": {"values": details},
            "mark": {
                "type": "text",
                "fontSize": DETAIL_FONT_SIZE,
                "baseline": "top",
                "lineHeight": DETAIL_LINE_PX,
                **({"lineBreak": " "} if layout.broken else {}),
                "color": NODE_STROKE,
                "tooltip": False,
            },
            "encoding": {"x": x, "y": y, "text": {"field": "text"}},
        },
    ]
    return {
        "width": "container",
        "height": height,
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }


def _checked_sizes(layer_sizes: Sequence[int], max_units_drawn: int) -> list[int]:
    sizes = [int(size) for size in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(
            f"layer_sizes={list(layer_sizes)} must list at least an input and an output size, "
            "each >= 1, e.g. [2, 4, 1]"
        )
    if max_units_drawn < 2:
        raise ValueError(f"max_units_drawn={max_units_drawn} must be at least 2")
    return sizes


def _checked_params(params, sizes: list[int], what: str, *, matrix: bool) -> list | None:
    if params is None:
        return None
    if len(params) != len(sizes) - 1:
        raise ValueError(
            f"got {len(params)} {what} arrays for {len(sizes) - 1} layers; give one per layer"
        )
    checked = []
    for layer, array in enumerate(params):
        array = np.asarray(array, dtype=float)
        units, inputs = sizes[layer + 1], sizes[layer]
        if matrix and array.shape != (units, inputs):
            raise ValueError(
                f"{what}[{layer}] has shape {array.shape}; expected (units, inputs) = "
                f"({units}, {inputs}) as in the tutorial"
            )
        if not matrix:
            array = array.reshape(-1)  # accept the tutorial's (units, 1) column as well
            if array.size != units:
                raise ValueError(f"{what}[{layer}] has {array.size} values; expected {units}")
        checked.append(array)
    return checked


def _drawn_slots(size: int, max_units_drawn: int) -> list[int]:
    """Unit indices drawn top to bottom; -1 marks the "…" slot of an elided column."""
    if size <= max_units_drawn:
        return list(range(size))
    head = max_units_drawn // 2
    tail = max_units_drawn - head
    return [*range(head), -1, *range(size - tail, size)]


def _layer_name(layer: int, n_columns: int) -> str:
    if layer == 0:
        return "input"
    return "output" if layer == n_columns - 1 else f"hidden {layer}"


def _unit_name(layer: int, unit: int, n_columns: int) -> str:
    if layer == 0:
        return f"input x{unit + 1}"
    return f"{_layer_name(layer, n_columns)} unit {unit + 1}"


def _column_detail(layer: int, sizes: list[int], activations: Sequence[str] | None) -> str:
    """The line under a column's name: its units, then its activation ("16 relu")."""
    if layer == 0 or activations is None:
        return str(sizes[layer])
    return f"{sizes[layer]} {activations[layer - 1]}"


def _largest_abs(arrays: list[np.ndarray] | None) -> float:
    finite = [np.abs(a[np.isfinite(a)]).max(initial=0.0) for a in arrays or []]
    return float(max(finite, default=0.0)) or 1.0


def _line_width(value: float, scale: float) -> float:
    if not isfinite(value):
        return MAX_LINE_WIDTH
    return float(np.clip(MAX_LINE_WIDTH * abs(value) / scale, MIN_LINE_WIDTH, MAX_LINE_WIDTH))


def _sign_color(value: float) -> str:
    if not isfinite(value) or value == 0:
        return NEUTRAL_COLOR
    return POSITIVE_COLOR if value > 0 else NEGATIVE_COLOR
