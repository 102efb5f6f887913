"""Rose's data by hand without Streamlit: a dataset's points as the student's, their points as
the run's data (the same scale, features and plot), and a click on the surface as a place on
the plane, drawn back under the pointer by the live view (the points themselves:
tests/datasets/test_hand.py)."""

import re

import numpy as np
import pytest

import nn
from datasets.hand import HandPoints
from datasets.toy import with_features
from kit import REPO_ROOT
from kit.settings import OutputSpec, Settings, build_network
from lessons.rose.logic import (
    PlaneChoice,
    clicked_point,
    hand_points_of,
    make_plane_data,
    with_hand_points,
)

CHOICE = PlaneChoice(name="circle", noise=0.1, features=("x2", "sinx"), test_share=0.25)
VIEW_JS = REPO_ROOT / "kit/live/view.js"


def test_a_datasets_points_become_the_students_with_their_classes_split_and_features():
    data = make_plane_data(CHOICE)
    again = with_hand_points(data, hand_points_of(data))

    np.testing.assert_array_equal(again.points, data.points)
    np.testing.assert_array_equal(again.Y, data.Y)
    np.testing.assert_array_equal(again.inputs, data.inputs)
    np.testing.assert_array_equal(again.train, data.train)
    np.testing.assert_array_equal(again.test, data.test)
    assert again.scale == data.scale and again.extent == data.extent and again.input_dim == 4


def test_an_added_point_trains_with_the_same_scale_features_and_plot():
    data = make_plane_data(CHOICE)
    far = (0.99 * data.extent, -0.99 * data.extent)
    edited = with_hand_points(data, hand_points_of(data).add(far, 1))

    assert len(edited.train) == len(data.train) + 1 and len(edited.test) == len(data.test)
    assert len(edited.points) - 1 in edited.train
    np.testing.assert_array_equal(edited.points[-1], far)
    assert edited.Y[-1].tolist() == [1.0]  # class 1: blue
    expected = with_features(np.array([far]) * data.scale, CHOICE.features)
    np.testing.assert_array_equal(edited.inputs[-1:], expected)
    assert edited.scale == data.scale and edited.extent == data.extent


def test_cleared_data_has_no_points_to_train_or_test_on():
    data = with_hand_points(make_plane_data(CHOICE), HandPoints.empty())
    assert data.points.shape == (0, 2) and data.Y.shape == (0, 1)
    assert data.inputs.shape == (0, 4) and not len(data.train) and not len(data.test)


def overlay_fractions(xy, extent: float) -> tuple[float, float]:
    """Where view.js's pictureView draws a point of ``spec.points`` over ``spec.extent``
    [x0, x1, y0, y1], as fractions of its width and height (its ``px`` and ``py``)."""
    x0, x1, y0, y1 = -extent, extent, -extent, extent  # Rose's scene sends this extent
    width = height = 1.0
    px = (xy[0] - x0) / (x1 - x0) * width
    py = height - (xy[1] - y0) / (y1 - y0) * height
    return px, py


def test_the_overlay_formula_is_the_one_view_js_uses():
    """``overlay_fractions`` copies view.js: if the drawing changes, this fails first."""
    script = VIEW_JS.read_text()
    assert "const px = (x) => ((x - x0) / (x1 - x0)) * width;" in script
    assert "const py = (y) => height - ((y - y0) / (y1 - y0)) * height;" in script
    click = re.search(r"const at = \[(.+?)\];", script).group(1)
    assert click == "(event.clientX - left) / width, (event.clientY - top) / height"


@pytest.mark.parametrize(
    ("fx", "fy"), [(0.0, 0.0), (1.0, 1.0), (0.5, 0.5), (0.031, 0.87), (0.999, 0.2)]
)
def test_a_point_added_at_a_fraction_is_drawn_at_that_fraction(fx, fy):
    data = make_plane_data(CHOICE)
    xy, shift = clicked_point(data, [fx, fy, False])
    edited = with_hand_points(data, HandPoints.empty().add(xy, 0))

    assert not shift
    assert overlay_fractions(edited.points[-1], edited.extent) == pytest.approx((fx, fy))


def test_shift_says_remove():
    assert clicked_point(make_plane_data(CHOICE), [0.5, 0.5, True])[1] is True


@pytest.mark.parametrize("value", [None, [0.5, 0.5], [2, 0.5, False], ["x", 0.5, True], {"a": 1}])
def test_a_forged_click_is_refused(value):
    with pytest.raises(ValueError, match="click"):
        clicked_point(make_plane_data(CHOICE), value)


def test_a_network_learns_the_points_a_student_clicked():
    """Two clusters clicked on an emptied plane, orange left and blue right, are learned."""
    data = make_plane_data(PlaneChoice(name="xor"))
    hand = HandPoints.empty()
    for k in range(20):
        y = -0.8 + 0.08 * k
        hand = hand.add((-0.6, y), 0).add((0.6, y), 1)
    mine = with_hand_points(data, hand)
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    network = build_network(settings, OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    trainer = network.trainer(mine.inputs[mine.train], mine.Y[mine.train], learning_rate=1.2)
    list(trainer.run(300, every=300))

    assert nn.accuracy(network.predict(mine.inputs), mine.Y) == 1.0
