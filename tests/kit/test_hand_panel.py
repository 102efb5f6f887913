"""AppTest of data by hand (kit.hand_panel) on both lessons that have it, Rose and Many classes:
a click on the plane adds a point of the chosen class to the same run, Shift (or the Remove
tool) takes the nearest away, Clear empties the plane and Play waits for points, a click while
playing keeps training, a forged click changes nothing, the points travel in "Save or continue"
(never in the URL), and a class link that fixes the data takes no clicks. What only one lesson
does is in its own tests (tests/lessons/rose/test_data_by_hand.py, the end of
tests/lessons/classes/test_page.py).

tests/live.py plays the browser's part: a click is the live view's "point" command with the
picture's fractions [fx, fy, shift]."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kit.live.hand import DataByHand
from kit.live.saved import saved_bytes
from lessons.classes import logic as classes
from lessons.rose import logic as rose
from tests import REPO_ROOT
from tests.kit.test_class_session import open_with
from tests.live import ask, frames, notes, payload, run_of, shown

PIXELS = classes.GRID * classes.ZOOM  # lesson 6 paints its points into a picture of this size


@dataclass(frozen=True)
class Lesson:
    """A lesson with data by hand: its page, its key, its classes, the data it opens with, where
    its picture shows a point of the plane (fractions from the top left), and its data with
    the student's points."""

    key: str
    page: str
    classes: int
    data: object
    fractions: Callable[[tuple, float], tuple[float, float]]
    with_hand: Callable

    def __str__(self) -> str:
        return self.key


def on_pixels(xy, extent: float) -> tuple[float, float]:
    """Lesson 6's picture: the centre of the pixel a point is painted on."""
    column, row = (round(t / (2 * extent) * (PIXELS - 1)) for t in (xy[0] + extent, extent - xy[1]))
    return (column + 0.5) / PIXELS, (row + 0.5) / PIXELS


def on_surface(xy, extent: float) -> tuple[float, float]:
    """Rose's surface: its overlay draws a point at these fractions."""
    return (xy[0] + extent) / (2 * extent), (extent - xy[1]) / (2 * extent)


LESSONS = [
    Lesson("rose", "app_pages/3_Rose.py", 2, rose.make_plane_data(rose.PlaneChoice()), on_surface,
           rose.with_hand_points),
    Lesson("classes", "app_pages/6_Many_classes.py", 3, classes.make_data(classes.ClassesChoice()),
           on_pixels, classes.with_hand_points),
]  # fmt: skip


@pytest.fixture(params=LESSONS, ids=str)
def lesson(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, class_data: Path):
    monkeypatch.chdir(REPO_ROOT)
    return request.param


def opened(lesson: Lesson) -> AppTest:
    return AppTest.from_file(str(REPO_ROOT / lesson.page), default_timeout=30).run()


def training_points(at: AppTest, lesson: Lesson) -> int:
    """What the live view's counter "Training points" shows."""
    return int(shown(at, lesson.key)["read"]["Training points"].replace(",", ""))


def click(at: AppTest, lesson: Lesson, fx: float, fy: float, shift: bool = False) -> dict:
    return ask(at, lesson.key, "point", [float(fx), float(fy), shift])


def choose(at: AppTest, lesson: Lesson, tool: int | str) -> None:
    """Pick what a click does: add a point of class ``tool``, or "remove"."""
    at.session_state[f"{lesson.key}.tool.{lesson.classes}"] = tool


def mine(at: AppTest, lesson: Lesson):
    """The student's points (None while the data is the dataset's)."""
    return at.session_state[lesson.key].by_hand.points


def test_a_click_adds_a_point_of_the_chosen_class_to_the_same_run(lesson: Lesson) -> None:
    at = opened(lesson)
    before = training_points(at, lesson)
    assert payload(at, lesson.key)["scene"]["panels"]["surface"]["clicks"]
    ask(at, lesson.key, "step")
    run = run_of(at, lesson.key)
    weights = run.network.layers[0].weights.copy()
    last = lesson.classes - 1
    choose(at, lesson, last)
    click(at, lesson, 0.05, 0.05)

    assert not at.exception and not at.error
    assert training_points(at, lesson) == before + 1
    assert run_of(at, lesson.key) is run and run.trainer.n == before + 1 and run.iteration == 1
    np.testing.assert_array_equal(run.network.layers[0].weights, weights)
    points = mine(at, lesson)
    assert points.classes[-1] == last and not points.held_out[-1]
    where = lesson.fractions(points.points[-1], lesson.data.extent)
    assert where == pytest.approx((0.05, 0.05), abs=1 / PIXELS)  # under the pointer
    edited = lesson.with_hand(lesson.data, points)  # measured anew, now
    X, Y = edited.inputs[edited.train], edited.Y[edited.train]
    assert run.latest_metrics()["train cost"] == pytest.approx(run.network.cost(X, Y))
    assert not any("point" in name for name in at.query_params)  # the URL stays short
    ask(at, lesson.key, "step")
    assert run_of(at, lesson.key).iteration == 2


def test_shift_click_or_the_remove_tool_takes_the_nearest_point_away(lesson: Lesson) -> None:
    at = opened(lesson)
    data = lesson.data
    first, second = (lesson.fractions(data.points[row], data.extent) for row in data.train[:2])
    click(at, lesson, *first, shift=True)
    assert len(mine(at, lesson)) == len(data.points) - 1

    choose(at, lesson, "remove")
    click(at, lesson, *second)
    assert len(mine(at, lesson)) == len(data.points) - 2
    assert training_points(at, lesson) == len(data.train) - 2
    assert not at.warning

    click(at, lesson, 0.0, 0.0)  # a corner far from every point: nothing to remove, and it says so
    assert len(mine(at, lesson)) == len(data.points) - 2
    assert "No point removed" in at.warning[0].value


def test_a_cleared_plane_waits_for_points_then_trains_on_them(lesson: Lesson) -> None:
    at = opened(lesson)
    at.button(key=f"{lesson.key}.clear_points").click().run()

    assert training_points(at, lesson) == 0 and not at.exception and not at.error
    assert any("no training points" in text for text in notes(at, lesson.key, "info"))
    assert not ask(at, lesson.key, "play")["playing"]  # nothing to train on: Play stops at once
    assert run_of(at, lesson.key).iteration == 0
    for tool, (fx, fy) in zip((1, 0, 0), ((0.8, 0.5), (0.2, 0.5), (0.2, 0.3)), strict=True):
        choose(at, lesson, tool)
        click(at, lesson, fx, fy)
    assert training_points(at, lesson) == 3
    assert mine(at, lesson).classes.tolist() == [1, 0, 0]
    ask(at, lesson.key, "step")
    assert run_of(at, lesson.key).iteration == 1 and not at.exception

    at.button(key=f"{lesson.key}.dataset_points").click().run()  # back to the dataset's points
    assert training_points(at, lesson) == len(lesson.data.train)
    assert run_of(at, lesson.key).iteration == 1  # the same run trains on


def test_a_click_while_playing_keeps_training(lesson: Lesson) -> None:
    at = opened(lesson)
    ask(at, lesson.key, "play")
    frames(at, lesson.key, 2)
    trained = run_of(at, lesson.key).iteration
    sent = click(at, lesson, 0.05, 0.95)

    assert sent["playing"] and training_points(at, lesson) == len(lesson.data.train) + 1
    frames(at, lesson.key, 2)
    assert run_of(at, lesson.key).iteration > trained


@pytest.mark.parametrize("value", [None, [0.5, 0.5], [2, 0.5, False], ["x", 0.5, True], {"a": 1}])
def test_a_forged_click_changes_nothing(lesson: Lesson, value) -> None:
    at = opened(lesson)
    points = training_points(at, lesson)
    ask(at, lesson.key, "point", value)

    assert not at.exception and not at.error
    assert training_points(at, lesson) == points and mine(at, lesson) is None


def test_the_points_travel_in_a_saved_file(lesson: Lesson) -> None:
    at = opened(lesson)
    at.button(key=f"{lesson.key}.clear_points").click().run()
    for fx, fy in ((0.2, 0.2), (0.8, 0.2), (0.5, 0.8)):
        click(at, lesson, fx, fy)
    ask(at, lesson.key, "step")
    points = mine(at, lesson)
    file = DataByHand(edits=None, click=None, saved=points.to_json, restore=None)
    saved = saved_bytes(lesson.key, run_of(at, lesson.key), file)

    again = opened(lesson)  # a reload: the dataset's points
    assert training_points(again, lesson) == len(lesson.data.train)
    upload = again.file_uploader(key=f"{lesson.key}.continue_file")
    upload.set_value(("mine.npz", saved, "x")).run()

    assert not again.exception and not again.error
    assert training_points(again, lesson) == 3 and run_of(again, lesson.key).iteration == 1
    np.testing.assert_allclose(mine(again, lesson).points, points.points, atol=1e-6)
    ask(again, lesson.key, "step")
    assert run_of(again, lesson.key).trainer.n == 3 and run_of(again, lesson.key).iteration == 2


def test_saved_points_of_a_class_the_page_lacks_are_refused_in_words(lesson: Lesson) -> None:
    at = opened(lesson)
    foreign = {"points": [[0.0, 0.0]], "classes": [lesson.classes], "held_out": [False]}
    file = DataByHand(edits=None, click=None, saved=lambda: foreign, restore=None)
    saved = saved_bytes(lesson.key, run_of(at, lesson.key), file)

    upload = at.file_uploader(key=f"{lesson.key}.continue_file")
    upload.set_value(("other.npz", saved, "x")).run()
    assert not at.exception
    assert "cannot be continued" in at.error[0].value
    assert f"has {lesson.classes}" in at.error[0].value
    assert mine(at, lesson) is None


def test_a_class_link_that_fixes_the_data_takes_no_clicks(
    lesson: Lesson, app: AppTest, class_link
) -> None:
    at = open_with(app, class_link({"noise": "0.3"}, ["noise"]), lesson.page)
    points = training_points(at, lesson)

    assert not at.exception and not at.error
    assert not payload(at, lesson.key)["scene"]["panels"]["surface"]["clicks"]
    assert "takes no clicks" in " ".join(caption.value for caption in at.caption)
    assert not [c for c in at.get("button_group") if "tool" in str(c.key)]
    ask(at, lesson.key, "point", [0.5, 0.5, False])  # a click sent all the same does nothing
    assert training_points(at, lesson) == points and mine(at, lesson) is None
