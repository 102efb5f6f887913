"""Data by hand without Streamlit or a lesson: the student's points (add, remove, clear), the
browser's click checked, the points as JSON for "Save or continue" and as Python for the
export."""

import ast
import json

import numpy as np
import pytest

from datasets.hand import (
    MAX_HAND_POINTS,
    HandPoints,
    click_fractions,
    is_number,
    points_code,
)


def test_a_datasets_points_become_editable_with_their_classes_and_test_rows():
    points = np.array([[0.0, 0.0], [1.0, 2.0], [-1.0, 0.5]])
    hand = HandPoints.of(points, np.array([1, 0, 1]), np.array([2]))

    np.testing.assert_array_equal(hand.points, points)
    assert hand.classes.tolist() == [1, 0, 1] and hand.held_out.tolist() == [False, False, True]
    assert hand.points is not points  # an edit never reaches the dataset's own array


def test_an_added_point_is_a_training_point_of_its_class():
    hand = HandPoints.of(np.zeros((2, 2)), np.array([0, 1]), np.array([0], int)).add((0.5, -2), 1)

    assert len(hand) == 3
    np.testing.assert_array_equal(hand.points[-1], [0.5, -2])
    assert hand.classes[-1] == 1 and not hand.held_out[-1]


def test_removing_takes_the_nearest_point_within_reach_only():
    hand = HandPoints.empty().add((0.0, 0.0), 0).add((1.0, 0.0), 1).add((0.0, 1.0), 2)

    nearer = hand.remove_nearest((0.9, 0.1), radius=0.2)
    assert nearer.classes.tolist() == [0, 2]
    assert hand.remove_nearest((0.5, 0.5), radius=0.2) is hand  # nothing that close
    assert HandPoints.empty().remove_nearest((0, 0), 1.0).points.shape == (0, 2)


def test_the_plane_holds_a_bounded_number_of_points():
    full = HandPoints(np.zeros((MAX_HAND_POINTS, 2)), np.zeros(MAX_HAND_POINTS, int),
                      np.zeros(MAX_HAND_POINTS, bool))  # fmt: skip
    with pytest.raises(ValueError, match=f"{MAX_HAND_POINTS:,} points, the most"):
        full.add((0, 0), 0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [([0, 1, False], (0.0, 1.0, False)), ([0.25, 0.75, True], (0.25, 0.75, True))],
)
def test_a_click_is_two_fractions_and_shift(value, expected):
    assert click_fractions(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "0.5,0.5", [0.5, 0.5], [0.5, 0.5, 1], [1.5, 0.5, False], [0.5, -0.1, False],
     [0.5, float("nan"), True], [float("inf"), 0.5, True], ["0.5", 0.5, False],
     [True, 0.5, False], [0.5, 0.5, False, 9], {"fx": 0.5}],
)  # fmt: skip
def test_a_forged_click_is_refused(value):
    with pytest.raises(ValueError, match="click"):
        click_fractions(value)


@pytest.mark.parametrize(
    ("value", "number"), [(1, True), (0.5, True), (True, False), ("1", False), (np.nan, False)]
)
def test_a_number_is_a_finite_int_or_float(value, number):
    assert is_number(value) is number


def test_points_travel_as_json_and_come_back_the_same():
    hand = HandPoints.of(np.array([[0.1, 0.2], [3.0, -4.0]]), np.array([1, 0]), np.array([1]))
    hand = hand.add((0.25, -0.5), 1)
    back = HandPoints.from_json(json.loads(json.dumps(hand.to_json())), classes=2)

    np.testing.assert_allclose(back.points, hand.points, atol=1e-6)
    np.testing.assert_array_equal(back.classes, hand.classes)
    np.testing.assert_array_equal(back.held_out, hand.held_out)


def test_no_points_travel_too():
    back = HandPoints.from_json(HandPoints.empty().to_json(), classes=2)
    assert back.points.shape == (0, 2) and not len(back.classes)


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ([], "not a list of points"),
        ({"points": [[0, 0]], "classes": [0]}, "not a list of points"),
        ({"points": "[[0, 0]]", "classes": [0], "held_out": [False]}, "not a list of points"),
        ({"points": [[0, 0]], "classes": [0, 1], "held_out": [False]}, "must match"),
        ({"points": [[0, "x"]], "classes": [0], "held_out": [False]}, "two numbers"),
        ({"points": [[0, 0, 0]], "classes": [0], "held_out": [False]}, "two numbers"),
        ({"points": [[0, 1e9]], "classes": [0], "held_out": [False]}, "off the plane"),
        ({"points": [[0, 0]], "classes": [4], "held_out": [False]}, "this page has 4"),
        ({"points": [[0, 0]], "classes": [-1], "held_out": [False]}, "this page has 4"),
        ({"points": [[0, 0]], "classes": [True], "held_out": [False]}, "this page has 4"),
        ({"points": [[0, 0]], "classes": [0], "held_out": ["no"]}, "true or false"),
        ({"points": [[0, 0]] * (MAX_HAND_POINTS + 1), "classes": [0] * (MAX_HAND_POINTS + 1),
          "held_out": [False] * (MAX_HAND_POINTS + 1)}, "at most"),
    ],
)  # fmt: skip
def test_saved_points_that_do_not_fit_say_why(saved, message):
    with pytest.raises(ValueError, match=message):
        HandPoints.from_json(saved, classes=4)


def test_the_exported_points_are_the_points_and_classes_written_as_numbers():
    points = np.array([[0.125, -3.5], [1 / 3, 2.0]])
    code = points_code(points, np.array([1, 0]))
    ast.parse(code)  # Python
    written = code.split("np.array(")[1].split(")")[0]
    classes = code.split("np.array(")[2].split(", dtype")[0]

    np.testing.assert_array_equal(ast.literal_eval(written), points)  # every digit kept
    assert ast.literal_eval(classes) == [1, 0]
    empty = points_code(np.empty((0, 2)), np.empty(0, int))
    assert ast.literal_eval(empty.split("np.array(")[1].split(")")[0]) == []


def test_a_point_that_is_not_a_number_is_not_exported():
    with pytest.raises(ValueError, match="not a finite number"):
        points_code(np.array([[np.nan, 0.0]]), np.array([0]))
