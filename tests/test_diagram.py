"""The network diagram is a pure function returning a Vega-Lite spec: test its data."""

import json

import numpy as np
import pytest

from ui.diagram import (
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
        "elided",
        "labels",
    ]
    assert {layer["mark"]["type"] for layer in spec["layer"]} >= {"rule", "circle", "square"}
    json.dumps(spec, allow_nan=False)  # st.vega_lite_chart must be able to serialise it
    assert len(rows(spec, "units")) == 2 + 4 + 1
    assert len(rows(spec, "edges")) == 2 * 4 + 4 * 1
    assert [row["text"] for row in rows(spec, "labels")] == [
        "input (2)",
        "hidden 1: 4 tanh",
        "output: 1 sigmoid",
    ]


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
    assert rows(spec, "labels")[1]["text"] == "hidden 1: 5"


def test_wide_layers_are_elided_with_a_marker() -> None:
    spec = network_diagram_spec([2, 30, 1], max_units_drawn=12)

    hidden_units = [row for row in rows(spec, "units") if row["x"] == 1]
    assert len(hidden_units) == 12
    assert {"hidden 1 unit 1", "hidden 1 unit 30"} <= {row["unit"] for row in hidden_units}
    (marker,) = rows(spec, "elided")
    assert marker["text"] == "…" and marker["more"] == 18 and marker["x"] == 1
    assert len(rows(spec, "edges")) == 2 * 12 + 12 * 1
    assert rows(spec, "labels")[1]["text"] == "hidden 1: 30"


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
