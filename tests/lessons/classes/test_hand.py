"""Data by hand without Streamlit: the student's points, a click on the picture as a place on
the plane, and the points as JSON for "Save or continue"."""

import json

import numpy as np
import pytest

from lessons.classes.logic import (
    CLASS_COLOURS,
    GRID,
    MAX_HAND_POINTS,
    ZOOM,
    ClassesChoice,
    HandPoints,
    clicked_point,
    make_data,
    picture,
    with_hand_points,
)

CHOICE = ClassesChoice(dataset="blobs", classes=4, test_share=0.25)


def test_a_datasets_points_become_the_students_with_their_classes_and_split():
    data = make_data(CHOICE)
    hand = HandPoints.of(data)
    again = with_hand_points(data, hand)

    np.testing.assert_array_equal(again.points, data.points)
    np.testing.assert_array_equal(again.Y, data.Y)
    np.testing.assert_array_equal(again.train, data.train)
    np.testing.assert_array_equal(again.test, data.test)
    assert again.scale == data.scale and again.extent == data.extent


def test_an_added_point_trains_and_keeps_the_scale_and_the_plot():
    data = make_data(CHOICE)
    far = (0.99 * data.extent, -0.99 * data.extent)
    hand = HandPoints.of(data).add(far, 3)
    edited = with_hand_points(data, hand)

    assert len(edited.train) == len(data.train) + 1 and len(edited.test) == len(data.test)
    np.testing.assert_array_equal(edited.points[-1], far)
    assert edited.Y[-1].tolist() == [0, 0, 0, 1]
    assert len(edited.points) - 1 in edited.train
    assert edited.scale == data.scale and edited.extent == data.extent


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


def test_cleared_data_has_no_points_to_train_or_test_on():
    data = with_hand_points(make_data(CHOICE), HandPoints.empty())
    assert data.points.shape == (0, 2) and data.Y.shape == (0, 4)
    assert not len(data.train) and not len(data.test)


@pytest.mark.parametrize(("row", "column"), [(0, 0), (5, 100), (127, 127), (64, 31)])
def test_a_click_on_a_pixel_lands_where_the_picture_paints_a_point_there(row, column):
    """A point added where the student clicked is painted under the pointer."""
    data = make_data(CHOICE)
    pixels = GRID * ZOOM
    click = [(column + 0.5) / pixels, (row + 0.5) / pixels, False]
    xy, shift = clicked_point(data, click)
    edited = with_hand_points(data, HandPoints.empty().add(xy, 2))
    image = picture(edited, np.full((GRID, GRID, 4), 0.25), show_test=False)

    assert not shift
    np.testing.assert_array_equal(image[row, column], CLASS_COLOURS[2])


@pytest.mark.parametrize(
    "value",
    [None, "0.5,0.5", [0.5, 0.5], [0.5, 0.5, 1], [1.5, 0.5, False], [0.5, float("nan"), True],
     ["0.5", 0.5, False], [0.5, 0.5, False, 9]],
)  # fmt: skip
def test_a_forged_click_is_refused(value):
    with pytest.raises(ValueError, match="click"):
        clicked_point(make_data(CHOICE), value)


def test_shift_says_remove():
    assert clicked_point(make_data(CHOICE), [0.5, 0.5, True])[1] is True


def test_points_travel_as_json_and_come_back_the_same():
    hand = HandPoints.of(make_data(CHOICE)).add((0.25, -0.5), 1)
    back = HandPoints.from_json(json.loads(json.dumps(hand.to_json())), classes=4)

    np.testing.assert_allclose(back.points, hand.points, atol=1e-6)
    np.testing.assert_array_equal(back.classes, hand.classes)
    np.testing.assert_array_equal(back.held_out, hand.held_out)


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ([], "not a list of points"),
        ({"points": [[0, 0]], "classes": [0]}, "not a list of points"),
        ({"points": [[0, 0]], "classes": [0, 1], "held_out": [False]}, "must match"),
        ({"points": [[0, "x"]], "classes": [0], "held_out": [False]}, "two numbers"),
        ({"points": [[0, 0, 0]], "classes": [0], "held_out": [False]}, "two numbers"),
        ({"points": [[0, 1e9]], "classes": [0], "held_out": [False]}, "off the plane"),
        ({"points": [[0, 0]], "classes": [4], "held_out": [False]}, "this page has 4"),
        ({"points": [[0, 0]], "classes": [True], "held_out": [False]}, "this page has 4"),
        ({"points": [[0, 0]], "classes": [0], "held_out": ["no"]}, "true or false"),
        ({"points": [[0, 0]] * (MAX_HAND_POINTS + 1), "classes": [0] * (MAX_HAND_POINTS + 1),
          "held_out": [False] * (MAX_HAND_POINTS + 1)}, "at most"),
    ],
)  # fmt: skip
def test_saved_points_that_do_not_fit_say_why(saved, message):
    with pytest.raises(ValueError, match=message):
        HandPoints.from_json(saved, classes=4)
