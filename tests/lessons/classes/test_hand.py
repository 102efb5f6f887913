"""Lesson 6's data by hand without Streamlit: a dataset's points as the student's, their
points as the run's data, and a click on the picture as a place on the plane (the points
themselves: tests/datasets/test_hand.py)."""

import numpy as np
import pytest

from datasets.hand import HandPoints
from lessons.classes.logic import (
    CLASS_COLOURS,
    GRID,
    ZOOM,
    ClassesChoice,
    clicked_point,
    hand_points_of,
    make_data,
    picture,
    with_hand_points,
)

CHOICE = ClassesChoice(dataset="blobs", classes=4, test_share=0.25)


def test_a_datasets_points_become_the_students_with_their_classes_and_split():
    data = make_data(CHOICE)
    hand = hand_points_of(data)
    again = with_hand_points(data, hand)

    np.testing.assert_array_equal(again.points, data.points)
    np.testing.assert_array_equal(again.Y, data.Y)
    np.testing.assert_array_equal(again.train, data.train)
    np.testing.assert_array_equal(again.test, data.test)
    assert again.scale == data.scale and again.extent == data.extent


def test_an_added_point_trains_and_keeps_the_scale_and_the_plot():
    data = make_data(CHOICE)
    far = (0.99 * data.extent, -0.99 * data.extent)
    hand = hand_points_of(data).add(far, 3)
    edited = with_hand_points(data, hand)

    assert len(edited.train) == len(data.train) + 1 and len(edited.test) == len(data.test)
    np.testing.assert_array_equal(edited.points[-1], far)
    assert edited.Y[-1].tolist() == [0, 0, 0, 1]
    assert len(edited.points) - 1 in edited.train
    assert edited.scale == data.scale and edited.extent == data.extent


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
