"""AppTest of data by hand on the Many classes lesson: a click on the plane adds a point of the
chosen class (Shift, or the Remove tool, takes the nearest away), Clear empties the plane, and
the run trains on with its weights; the points travel in "Save or continue", never in the URL.

tests/live.py plays the browser's part: a click is the live view's "point" command with the
picture's fractions [fx, fy, shift]."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kit.live.hand import DataByHand
from kit.live.saved import saved_bytes
from lessons.classes.logic import GRID, ZOOM, ClassesChoice, make_data, with_hand_points
from tests import REPO_ROOT
from tests.kit.test_class_session import open_with
from tests.live import ask, frames, notes, payload, run_of, shown

PAGE = "app_pages/6_Many_classes.py"
KEY = "classes"
PIXELS = GRID * ZOOM


@pytest.fixture
def lesson(monkeypatch: pytest.MonkeyPatch, class_data: Path) -> AppTest:
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30)


def training_points(at: AppTest) -> int:
    """What the live view's counter "Training points" shows."""
    return int(shown(at, KEY)["read"]["Training points"].replace(",", ""))


def click(at: AppTest, row: int, column: int, shift: bool = False) -> dict:
    """A click on the picture's pixel (row, column)."""
    return ask(at, KEY, "point", [(column + 0.5) / PIXELS, (row + 0.5) / PIXELS, shift])


def pixel_of(xy, extent: float) -> tuple[int, int]:
    """The picture's pixel (row, column) at the plane's point xy."""
    column = round((xy[0] + extent) / (2 * extent) * (PIXELS - 1))
    return round((extent - xy[1]) / (2 * extent) * (PIXELS - 1)), column


def test_a_click_adds_a_point_of_the_chosen_class_to_the_same_run(lesson: AppTest) -> None:
    at = lesson.run()
    before = training_points(at)
    ask(at, KEY, "step")
    run = run_of(at, KEY)
    weights = run.network.layers[0].weights.copy()
    at.session_state[f"{KEY}.tool.3"] = 2  # "Add green"
    click(at, 10, 20)

    assert not at.exception and not at.error
    assert training_points(at) == before + 1
    assert run_of(at, KEY) is run and run.trainer.n == before + 1 and run.iteration == 1
    np.testing.assert_array_equal(run.network.layers[0].weights, weights)
    mine = at.session_state[KEY].by_hand.points
    assert mine.classes[-1] == 2 and not mine.held_out[-1]
    edited = with_hand_points(make_data(ClassesChoice()), mine)  # measured anew, now
    X, Y = edited.inputs[edited.train], edited.Y[edited.train]
    assert run.latest_metrics()["train cost"] == pytest.approx(run.network.cost(X, Y))
    assert not any("point" in name for name in at.query_params)  # the URL stays short
    ask(at, KEY, "step")
    assert run_of(at, KEY).iteration == 2


def test_shift_click_or_the_remove_tool_takes_the_nearest_point_away(lesson: AppTest) -> None:
    at = lesson.run()
    data = make_data(ClassesChoice())
    before = len(data.points)
    first, second = (pixel_of(data.points[row], data.extent) for row in data.train[:2])
    click(at, *first, shift=True)
    assert len(at.session_state[KEY].by_hand.points) == before - 1

    at.session_state[f"{KEY}.tool.3"] = "remove"
    click(at, *second)
    assert len(at.session_state[KEY].by_hand.points) == before - 2
    assert training_points(at) == len(data.train) - 2
    assert not at.warning

    click(at, 0, 0)  # a corner far from every point: nothing to remove, and it says so
    assert len(at.session_state[KEY].by_hand.points) == before - 2
    assert "No point removed" in at.warning[0].value


def test_cleared_plane_waits_for_points_then_trains_on_them(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.clear_points").click().run()

    assert training_points(at) == 0 and not at.exception
    assert any("no training points" in text for text in notes(at, KEY, "info"))
    assert not ask(at, KEY, "play")["playing"]  # nothing to train on: Play stops at once
    assert run_of(at, KEY).iteration == 0
    for column in (30, 60, 90):
        click(at, 64, column)
    assert training_points(at) == 3
    ask(at, KEY, "step")
    assert run_of(at, KEY).iteration == 1 and not at.exception

    at.button(key=f"{KEY}.dataset_points").click().run()  # back to the dataset's points
    assert training_points(at) == len(make_data(ClassesChoice()).train)
    assert run_of(at, KEY).iteration == 1  # the same run trains on


def test_a_click_while_playing_keeps_training(lesson: AppTest) -> None:
    at = lesson.run()
    ask(at, KEY, "play")
    frames(at, KEY, 2)
    trained = run_of(at, KEY).iteration
    sent = click(at, 40, 40)

    assert sent["playing"] and training_points(at) == len(make_data(ClassesChoice()).train) + 1
    frames(at, KEY, 2)
    assert run_of(at, KEY).iteration > trained


@pytest.mark.parametrize("value", [None, [0.5, 0.5], [2, 0.5, False], ["x", 0.5, True], {"a": 1}])
def test_a_forged_click_changes_nothing(lesson: AppTest, value) -> None:
    at = lesson.run()
    points = training_points(at)
    ask(at, KEY, "point", value)

    assert not at.exception and not at.error
    assert training_points(at) == points and at.session_state[KEY].by_hand.points is None


def test_another_dataset_starts_from_its_own_points(lesson: AppTest) -> None:
    at = lesson.run()
    click(at, 10, 10)
    at.selectbox(key=f"{KEY}.data").set_value("blobs").run()

    assert at.session_state[KEY].by_hand.points is None
    choice = ClassesChoice(dataset="blobs")
    assert training_points(at) == len(make_data(choice).train)


def test_regress_has_no_clicks(lesson: AppTest) -> None:
    at = lesson.run()
    at.radio(key=f"{KEY}.mode").set_value("regress").run()

    assert not payload(at, KEY)["scene"]["panels"]["surface"]["clicks"]
    assert not [c for c in at.get("button_group") if "tool" in str(c.key)]


def test_the_points_travel_in_a_saved_file(lesson: AppTest, class_data: Path) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.clear_points").click().run()
    for row, column in ((20, 20), (20, 100), (100, 60)):
        click(at, row, column)
    ask(at, KEY, "step")
    hand = at.session_state[KEY].by_hand.points
    file = DataByHand(edits=None, click=None, saved=hand.to_json, restore=None)
    saved = saved_bytes(KEY, run_of(at, KEY), file)

    again = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30).run()  # a reload
    assert training_points(again) == len(make_data(ClassesChoice()).train)
    again.file_uploader(key=f"{KEY}.continue_file").set_value(("mine.npz", saved, "x")).run()

    assert not again.exception and not again.error
    assert training_points(again) == 3 and run_of(again, KEY).iteration == 1
    restored = again.session_state[KEY].by_hand.points
    np.testing.assert_allclose(restored.points, hand.points, atol=1e-6)
    ask(again, KEY, "step")
    assert run_of(again, KEY).trainer.n == 3 and run_of(again, KEY).iteration == 2


def test_saved_points_of_more_classes_are_refused_in_words(lesson: AppTest) -> None:
    at = lesson.run()
    at.slider(key=f"{KEY}.classes").set_value(4).run()
    at.session_state[f"{KEY}.tool.4"] = 3
    click(at, 50, 50)
    hand = at.session_state[KEY].by_hand.points
    file = DataByHand(edits=None, click=None, saved=hand.to_json, restore=None)
    saved = saved_bytes(KEY, run_of(at, KEY), file)

    again = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30).run()  # 3 classes
    again.file_uploader(key=f"{KEY}.continue_file").set_value(("four.npz", saved, "x")).run()
    assert not again.exception
    assert "cannot be continued" in again.error[0].value
    assert again.session_state[KEY].by_hand.points is None


def test_a_class_link_that_fixes_the_data_takes_no_clicks(app: AppTest, class_link) -> None:
    query = class_link({"data": "blobs", "noise": "0.3"}, ["data", "noise"])
    at = open_with(app, query, PAGE)
    points = training_points(at)

    assert not at.exception and not at.error
    assert not payload(at, KEY)["scene"]["panels"]["surface"]["clicks"]
    assert "takes no clicks" in " ".join(caption.value for caption in at.caption)
    assert not [c for c in at.get("button_group") if "tool" in str(c.key)]
    ask(at, KEY, "point", [0.5, 0.5, False])  # a click sent all the same does nothing
    assert training_points(at) == points and at.session_state[KEY].by_hand.points is None
