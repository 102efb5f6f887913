"""The network diagram is a pure function returning a Vega-Lite spec: test its data."""

import itertools
import json

import numpy as np
import pytest

from kit.diagram import (
    LAYOUT_WIDTH_PX,
    MAX_LINE_WIDTH,
    MIN_LINE_WIDTH,
    NEGATIVE_COLOR,
    POSITIVE_COLOR,
    network_diagram_spec,
)


def rows(spec: dict, layer_name: str) -> list[dict]:
    (layer,) = [layer for layer in spec["layer"] if layer["name"] == layer_name]
    return layer["data"]["values"]


@pytest.fixture
def rose_network() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """2 -> 4 -> 1 with known weights (units, inputs) and tutorial-shaped (units, 1) biases."""
    weights = [
        np.array([[1.0, -2.0], [0.5, 0.0], [-0.25, 4.0], [3.0, -1.0]]),
        np.array([[2.0, -0.5, 1.0, -4.0]]),
    ]
    biases = [np.array([[0.1], [-0.2], [0.3], [0.0]]), np.array([[-0.7]])]
    return weights, biases


def test_spec_is_a_layered_json_ready_vega_lite_chart(rose_network) -> None:
    weights, biases = rose_network
    spec = network_diagram_spec([2, 4, 1], weights, biases, ["tanh", "sigmoid"])

    assert [layer["name"] for layer in spec["layer"]] == [
        "edges",
        "units",
        "biases",
        "elided backdrop",
        "elided",
        "labels",
        "label details",
    ]
    assert {layer["mark"]["type"] for layer in spec["layer"]} >= {"rule", "circle", "square"}
    json.dumps(spec, allow_nan=False)  # st.vega_lite_chart must be able to serialise it
    assert len(rows(spec, "units")) == 2 + 4 + 1
    assert len(rows(spec, "edges")) == 2 * 4 + 4 * 1
    assert [row["text"] for row in rows(spec, "labels")] == ["input", "hidden 1", "output"]
    assert [row["text"] for row in rows(spec, "label details")] == ["2", "4 tanh", "1 sigmoid"]


def test_line_width_is_proportional_to_abs_weight_and_colour_is_its_sign(rose_network) -> None:
    weights, biases = rose_network
    edges = rows(network_diagram_spec([2, 4, 1], weights, biases), "edges")
    by_name = {edge["edge"]: edge for edge in edges}

    strongest = by_name["input x2 → hidden 1 unit 3"]  # w = 4.0, the largest |w|
    assert strongest["width"] == MAX_LINE_WIDTH
    assert strongest["color"] == POSITIVE_COLOR
    half = by_name["input x1 → hidden 1 unit 2"]  # w = 0.5
    assert half["width"] == pytest.approx(MAX_LINE_WIDTH * 0.5 / 4.0)
    negative = by_name["hidden 1 unit 4 → output unit 1"]  # w = -4.0
    assert negative["width"] == MAX_LINE_WIDTH
    assert negative["color"] == NEGATIVE_COLOR
    assert negative["w"] == "-4.0"  # tooltip shows the exact value
    zero = by_name["input x2 → hidden 1 unit 2"]  # w = 0.0: thinnest, neutral
    assert zero["width"] == MIN_LINE_WIDTH
    assert zero["color"] not in (POSITIVE_COLOR, NEGATIVE_COLOR)


def test_weight_scale_fixes_the_full_width_across_redraws(rose_network) -> None:
    weights, _ = rose_network
    edges = rows(network_diagram_spec([2, 4, 1], weights, weight_scale=8.0), "edges")

    widths = {edge["edge"]: edge["width"] for edge in edges}
    assert widths["input x2 → hidden 1 unit 3"] == pytest.approx(MAX_LINE_WIDTH / 2)


def test_every_unit_after_the_input_has_its_bias_including_the_output(rose_network) -> None:
    weights, biases = rose_network
    marks = rows(network_diagram_spec([2, 4, 1], weights, biases), "biases")

    assert len(marks) == 4 + 1
    output = [mark for mark in marks if mark["unit"] == "output unit 1"]
    assert output and output[0]["bias"] == pytest.approx(-0.7)
    assert output[0]["color"] == NEGATIVE_COLOR
    assert output[0]["b"] == "-0.7"


def test_without_weights_draws_plain_structure() -> None:
    spec = network_diagram_spec([3, 5, 2])

    edges = rows(spec, "edges")
    assert len(edges) == 3 * 5 + 5 * 2
    assert len({edge["width"] for edge in edges}) == 1
    assert rows(spec, "biases") == []
    assert rows(spec, "label details")[1]["text"] == "5"


def test_wide_layers_are_elided_with_a_marker() -> None:
    spec = network_diagram_spec([2, 30, 1], max_units_drawn=12)

    hidden_units = [row for row in rows(spec, "units") if row["x"] == 1]
    assert len(hidden_units) == 12
    assert {"hidden 1 unit 1", "hidden 1 unit 30"} <= {row["unit"] for row in hidden_units}
    (marker,) = rows(spec, "elided")
    assert marker["text"] == "+18 more" and marker["more"] == 18 and marker["x"] == 1
    assert len(rows(spec, "edges")) == 2 * 12 + 12 * 1
    assert rows(spec, "label details")[1]["text"] == "30"


# The test's own estimate of a glyph's width in font sizes, independent of kit.diagram's: the
# widest common sans-serif (DejaVu Sans, semi-bold) averages about 0.6 on these labels.
GLYPH_WIDTH_EM = 0.6
UNIT_RADIUS_PX = 13  # the circles' area is 520 px²
Box = tuple[float, float, float, float]  # left, top, right, bottom, in pixels


def pixel_position(spec: dict, layer: dict, row: dict, width: float) -> tuple[float, float]:
    """Where Vega-Lite puts ``row`` of ``layer`` in a chart ``width`` pixels wide."""
    (x0, x1) = layer["encoding"]["x"]["scale"]["domain"]
    (y0, y1) = layer["encoding"]["y"]["scale"]["domain"]  # reversed: y0 is the top edge
    return (row["x"] - x0) / (x1 - x0) * width, (row["y"] - y0) / (y1 - y0) * spec["height"]


def text_boxes(spec: dict, width: float) -> list[tuple[str, Box]]:
    """The estimated box of every text the spec draws (labels, details, "+N more" hints)."""
    boxes = []
    for layer in spec["layer"]:
        mark = layer["mark"]
        if mark["type"] != "text":
            continue
        for row in layer["data"]["values"]:
            lines = row["text"].split(mark["lineBreak"]) if "lineBreak" in mark else [row["text"]]
            text_width = max(len(line) for line in lines) * mark["fontSize"] * GLYPH_WIDTH_EM
            text_height = len(lines) * mark.get("lineHeight", mark["fontSize"] + 2)  # Vega default
            x, y = pixel_position(spec, layer, row, width)
            top = y if mark.get("baseline") == "top" else y - text_height / 2
            boxes.append(
                (row["text"], (x - text_width / 2, top, x + text_width / 2, top + text_height))
            )
    return boxes


def unit_boxes(spec: dict, width: float) -> list[tuple[str, Box]]:
    """The circles' boxes, and their bias squares'."""
    (units,) = [layer for layer in spec["layer"] if layer["name"] == "units"]
    (biases,) = [layer for layer in spec["layer"] if layer["name"] == "biases"]
    boxes = []
    for row in units["data"]["values"]:
        x, y = pixel_position(spec, units, row, width)
        r = UNIT_RADIUS_PX
        boxes.append((row["unit"], (x - r, y - r, x + r, y + r)))
    for row in biases["data"]["values"]:
        x, y = pixel_position(spec, biases, row, width)
        x, y, half = (
            x + biases["mark"]["xOffset"],
            y + biases["mark"]["yOffset"],
            row["size"] ** 0.5 / 2,
        )
        boxes.append((f"bias of {row['unit']}", (x - half, y - half, x + half, y + half)))
    return boxes


def overlap(a: Box, b: Box) -> bool:
    """Whether the boxes share more than a rounding error (touching boxes do not overlap)."""
    eps = 1e-6
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


@pytest.mark.parametrize("width", [LAYOUT_WIDTH_PX, 600, 900])
@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("activation", ["relu", "sigmoid", "leaky_relu"])
def test_texts_overlap_no_other_text_no_unit_and_stay_inside(
    width: int, depth: int, activation: str
) -> None:
    sizes = [2, *[64] * depth, 1]
    weights = [np.ones((units, inputs)) for inputs, units in itertools.pairwise(sizes)]
    biases = [np.ones(units) for units in sizes[1:]]
    spec = network_diagram_spec(sizes, weights, biases, [activation] * depth + ["sigmoid"])

    texts = text_boxes(spec, width)
    assert len(texts) == 2 * len(sizes) + depth  # name and detail per column, a hint per wide one
    for (text, box), (other, other_box) in itertools.combinations(texts, 2):
        assert not overlap(box, other_box), f"{text!r} overlaps {other!r} at {width} px"
    for (text, box), (unit, unit_box) in itertools.product(texts, unit_boxes(spec, width)):
        assert not overlap(box, unit_box), f"{text!r} overlaps {unit} at {width} px"
    for name, (left, top, right, bottom) in texts + unit_boxes(spec, width):
        assert left >= 0 and top >= 0 and right <= width and bottom <= spec["height"], name


def test_roomy_diagrams_keep_one_line_labels_on_one_row(rose_network) -> None:
    weights, biases = rose_network
    spec = network_diagram_spec([2, 4, 1], weights, biases, ["tanh", "sigmoid"])

    (details,) = [layer for layer in spec["layer"] if layer["name"] == "label details"]
    assert "lineBreak" not in details["mark"]
    assert len({row["y"] for row in rows(spec, "labels")}) == 1


def test_crowded_diagrams_alternate_label_rows() -> None:
    spec = network_diagram_spec([2, *[64] * 6, 1], activations=["leaky_relu"] * 6 + ["sigmoid"])

    ys = [row["y"] for row in rows(spec, "labels")]
    assert ys[0::2] == [ys[0]] * 4 and ys[1::2] == [ys[1]] * 4 and ys[1] > ys[0]
    assert [row["text"] for row in rows(spec, "elided")] == ["+52 more"] * 6


def test_diverged_weights_still_serialise() -> None:
    weights = [np.array([[np.nan, 1.0]]), np.array([[np.inf]])]
    spec = network_diagram_spec([2, 1, 1], weights)

    json.dumps(spec, allow_nan=False)
    assert rows(spec, "edges")[0]["w"] == "nan"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layer_sizes": [3]}, "at least an input and an output"),
        ({"layer_sizes": [2, 0, 1]}, "at least an input and an output"),
        ({"layer_sizes": [2, 4, 1], "weights": [np.ones((2, 4)), np.ones((1, 4))]}, r"\(4, 2\)"),
        ({"layer_sizes": [2, 4, 1], "weights": [np.ones((4, 2))]}, "one per layer"),
        ({"layer_sizes": [2, 4, 1], "biases": [np.ones(3), np.ones(1)]}, "expected 4"),
        ({"layer_sizes": [2, 4, 1], "activations": ["tanh"]}, "one activation name per layer"),
    ],
)
def test_wrong_shapes_get_actionable_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        network_diagram_spec(**kwargs)
