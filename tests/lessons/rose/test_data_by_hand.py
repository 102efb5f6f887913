"""AppTest of data by hand on the Rose lesson: a click on the decision surface adds a point of
the chosen class (Shift, or the Remove tool, takes the nearest away), Clear empties the plane,
and the run trains on with its weights; the tabs use the student's points; the points travel in
"Save or continue", never in the URL; a class link that fixes the data takes no clicks.

tests/live.py plays the browser's part: a click is the live view's "point" command with the
surface's fractions [fx, fy, shift]."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kit.live.hand import DataByHand
from kit.live.saved import saved_bytes
from lessons.rose.logic import PlaneChoice, make_plane_data, with_hand_points
from tests import REPO_ROOT
from tests.kit.test_class_session import open_with
from tests.lessons.classes import test_page as classes_page
from tests.live import ask, frames, notes, open_tab, payload, run_of, shown

PAGE = "app_pages/3_Rose.py"
KEY = "rose"
ROSE = make_plane_data(PlaneChoice())  # the page's default data
media = classes_page.media  # the fixture: what a download button serves
served, run_the_export = classes_page.served, classes_page.run_the_export


@pytest.fixture
def lesson(monkeypatch: pytest.MonkeyPatch, class_data: Path) -> AppTest:
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30)


def training_points(at: AppTest) -> int:
    """What the live view's counter "Training points" shows."""
    return int(shown(at, KEY)["read"]["Training points"].replace(",", ""))


def click(at: AppTest, fx: float, fy: float, shift: bool = False) -> dict:
    """A click on the surface at fractions (fx, fy) of its width and height from the top left."""
    return ask(at, KEY, "point", [float(fx), float(fy), shift])


def fractions_of(xy, extent: float) -> tuple[float, float]:
    """The surface's fractions at the plane's point xy (as the live view draws it)."""
    return (xy[0] + extent) / (2 * extent), (extent - xy[1]) / (2 * extent)


def drawn_points(at: AppTest) -> list:
    return payload(at, KEY)["scene"]["panels"]["surface"]["points"]


def test_a_click_adds_a_point_of_the_chosen_class_to_the_same_run(lesson: AppTest) -> None:
    at = lesson.run()
    before = training_points(at)
    assert payload(at, KEY)["scene"]["panels"]["surface"]["clicks"]
    ask(at, KEY, "step")
    run = run_of(at, KEY)
    weights = run.network.layers[0].weights.copy()
    at.session_state[f"{KEY}.tool.2"] = 1  # "Add blue"
    click(at, 0.05, 0.05)

    assert not at.exception and not at.error
    assert training_points(at) == before + 1
    assert run_of(at, KEY) is run and run.trainer.n == before + 1 and run.iteration == 1
    np.testing.assert_array_equal(run.network.layers[0].weights, weights)
    mine = at.session_state[KEY].by_hand.points
    assert mine.classes[-1] == 1 and not mine.held_out[-1]
    e = ROSE.extent
    np.testing.assert_allclose(mine.points[-1], (-e + 0.1 * e, e - 0.1 * e))
    drawn = drawn_points(at)[before]  # training points first, the new one last of them
    assert drawn == pytest.approx([*mine.points[-1], 1])  # drawn where clicked, blue
    edited = with_hand_points(ROSE, mine)  # measured anew, now
    X, Y = edited.inputs[edited.train], edited.Y[edited.train]
    assert run.latest_metrics()["train cost"] == pytest.approx(run.network.cost(X, Y))
    assert not any("point" in name for name in at.query_params)  # the URL stays short
    ask(at, KEY, "step")
    assert run_of(at, KEY).iteration == 2


def test_shift_click_or_the_remove_tool_takes_the_nearest_point_away(lesson: AppTest) -> None:
    at = lesson.run()
    before = len(ROSE.points)
    first, second = (fractions_of(ROSE.points[row], ROSE.extent) for row in ROSE.train[:2])
    click(at, *first, shift=True)
    assert len(at.session_state[KEY].by_hand.points) == before - 1

    at.session_state[f"{KEY}.tool.2"] = "remove"
    click(at, *second)
    assert len(at.session_state[KEY].by_hand.points) == before - 2
    assert training_points(at) == len(ROSE.train) - 2
    assert len(drawn_points(at)) == before - 2
    assert not at.warning

    click(at, 0.0, 0.0)  # a corner far from every point: nothing to remove, and it says so
    assert len(at.session_state[KEY].by_hand.points) == before - 2
    assert "No point removed" in at.warning[0].value


def test_cleared_plane_waits_for_points_then_trains_on_them(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.clear_points").click().run()

    assert training_points(at) == 0 and not at.exception and not at.error
    assert "Train accuracy" not in shown(at, KEY)["read"]
    assert any("no training points" in text for text in notes(at, KEY, "info"))
    assert not ask(at, KEY, "play")["playing"]  # nothing to train on: Play stops at once
    assert run_of(at, KEY).iteration == 0
    at.session_state[f"{KEY}.tool.2"] = 1
    click(at, 0.8, 0.5)
    at.session_state[f"{KEY}.tool.2"] = 0
    click(at, 0.2, 0.5)
    click(at, 0.2, 0.3)
    assert training_points(at) == 3
    assert at.session_state[KEY].by_hand.points.classes.tolist() == [1, 0, 0]
    ask(at, KEY, "step")
    assert run_of(at, KEY).iteration == 1 and not at.exception

    at.button(key=f"{KEY}.dataset_points").click().run()  # back to the dataset's points
    assert training_points(at) == len(ROSE.train)
    assert run_of(at, KEY).iteration == 1  # the same run trains on


def test_an_empty_plane_leaves_every_tab_standing(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.clear_points").click().run()
    for tab in ("Capacity sweep", "The math", "Weights & activations"):
        at = open_tab(at, KEY, tab)
        assert not at.exception and not at.error, tab
        assert any("no training points" in info.value for info in at.info), tab
        if tab == "Capacity sweep":
            assert at.button(key=f"{KEY}.sweep.start").disabled  # nothing to sweep on
    at = open_tab(at, KEY, "Line versus flower")
    assert not at.button(key=f"{KEY}.lvf.train").disabled  # the tutorial's rose still trains
    at.radio(key=f"{KEY}.lvf.source").set_value(at.radio(key=f"{KEY}.lvf.source").options[1])
    at.run()
    assert at.button(key=f"{KEY}.lvf.train").disabled and not at.exception
    assert any("no training points" in info.value for info in at.info)


def test_a_click_while_playing_keeps_training(lesson: AppTest) -> None:
    at = lesson.run()
    ask(at, KEY, "play")
    frames(at, KEY, 2)
    trained = run_of(at, KEY).iteration
    sent = click(at, 0.05, 0.95)

    assert sent["playing"] and training_points(at) == len(ROSE.train) + 1
    frames(at, KEY, 2)
    assert run_of(at, KEY).iteration > trained


@pytest.mark.parametrize("value", [None, [0.5, 0.5], [2, 0.5, False], ["x", 0.5, True], {"a": 1}])
def test_a_forged_click_changes_nothing(lesson: AppTest, value) -> None:
    at = lesson.run()
    points = training_points(at)
    ask(at, KEY, "point", value)

    assert not at.exception and not at.error
    assert training_points(at) == points and at.session_state[KEY].by_hand.points is None


def test_the_tools_are_named_by_the_colour_map(lesson: AppTest) -> None:
    at = lesson.run()
    (tools,) = [c for c in at.get("button_group") if c.key == f"{KEY}.tool.2"]
    assert [option.content for option in tools.proto.options] == [
        "Add orange", "Add blue", "Remove",
    ]  # fmt: skip
    at.selectbox(key=f"{KEY}.colours").set_value("puor").run()
    (tools,) = [c for c in at.get("button_group") if c.key == f"{KEY}.tool.2"]
    assert [option.content for option in tools.proto.options][:2] == ["Add orange", "Add purple"]


def test_another_dataset_starts_from_its_own_points(lesson: AppTest) -> None:
    at = lesson.run()
    click(at, 0.05, 0.05)
    at.button(key=f"{KEY}.pick.xor").click().run()

    assert at.session_state[KEY].by_hand.points is None
    assert training_points(at) == len(make_plane_data(PlaneChoice(name="xor")).train)


def test_features_keep_the_students_points_and_feed_them(lesson: AppTest) -> None:
    at = lesson.run()
    at.session_state[f"{KEY}.tool.2"] = 1
    click(at, 0.05, 0.05)
    at.pills(key=f"{KEY}.features").set_value(["x2", "y2"]).run()

    assert not at.exception and not at.error
    hand = at.session_state[KEY].by_hand.points
    assert hand is not None and training_points(at) == len(ROSE.train) + 1
    run = run_of(at, KEY)
    assert run.network.layers[0].weights.shape[1] == 4  # x, y, x², y²
    assert run.trainer.n == len(ROSE.train) + 1
    expected = with_hand_points(make_plane_data(PlaneChoice(features=("x2", "y2"))), hand)
    np.testing.assert_array_equal(run.trainer._X, expected.inputs[expected.train])


def test_the_tabs_use_the_students_points(lesson: AppTest) -> None:
    at = open_tab(lesson.run(), KEY, "Capacity sweep")
    at.button(key=f"{KEY}.sweep.start").click().run()
    click(at, 0.05, 0.05)  # the data changed: the sweep waits
    assert "paused" in at.get("progress")[0].proto.text

    at = open_tab(at, KEY, "Line versus flower")
    at.radio(key=f"{KEY}.lvf.source").set_value(at.radio(key=f"{KEY}.lvf.source").options[1])
    at.button(key=f"{KEY}.lvf.train").click().run()
    assert not at.exception and not at.info  # trained on these data: shown, not out of date
    assert at.session_state[KEY].comparison.data == (PlaneChoice(), 1)  # after the first edit
    trained = at.session_state[KEY].comparison.runs["rose_logistic"].network
    assert trained.layers[0].weights.shape == (1, 2)
    click(at, 0.95, 0.05)
    at = open_tab(at, KEY, "Line versus flower")
    assert any("data changed" in info.value for info in at.info)


def test_points_made_by_hand_export_as_numbers_and_train_the_same_run(
    lesson: AppTest, media: list, tmp_path: Path
) -> None:
    at = lesson.run()
    at.session_state[f"{KEY}.tool.2"] = 1
    click(at, 0.5, 0.5)  # a blue point in the middle
    ask(at, KEY, "step")
    at = open_tab(at, KEY, "The code")

    assert not at.exception and not at.error
    assert len(at.session_state[KEY].by_hand.points) == len(ROSE.points) + 1
    archive = served(media, at.download_button(key=f"{KEY}.export"))
    script, final = run_the_export(archive, tmp_path)
    assert "# Your own training points" in script.read_text()
    run = run_of(at, KEY)
    assert run.iteration == 1 and final == pytest.approx(run.trainer.costs[-1], rel=1e-12)


def test_the_points_travel_in_a_saved_file(lesson: AppTest) -> None:
    at = lesson.run()
    at.button(key=f"{KEY}.clear_points").click().run()
    for fx, fy in ((0.2, 0.2), (0.8, 0.2), (0.5, 0.8)):
        click(at, fx, fy)
    ask(at, KEY, "step")
    hand = at.session_state[KEY].by_hand.points
    file = DataByHand(edits=None, click=None, saved=hand.to_json, restore=None)
    saved = saved_bytes(KEY, run_of(at, KEY), file)

    again = AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30).run()  # a reload
    assert training_points(again) == len(ROSE.train)
    again.file_uploader(key=f"{KEY}.continue_file").set_value(("mine.npz", saved, "x")).run()

    assert not again.exception and not again.error
    assert training_points(again) == 3 and run_of(again, KEY).iteration == 1
    restored = again.session_state[KEY].by_hand.points
    np.testing.assert_allclose(restored.points, hand.points, atol=1e-6)
    ask(again, KEY, "step")
    assert run_of(again, KEY).trainer.n == 3 and run_of(again, KEY).iteration == 2


def test_saved_points_of_other_classes_are_refused_in_words(lesson: AppTest) -> None:
    at = lesson.run()
    saved = saved_bytes(KEY, run_of(at, KEY), DataByHand(
        edits=None, click=None, restore=None,
        saved=lambda: {"points": [[0.0, 0.0]], "classes": [2], "held_out": [False]},
    ))  # fmt: skip

    at.file_uploader(key=f"{KEY}.continue_file").set_value(("three.npz", saved, "x")).run()
    assert not at.exception
    assert "cannot be continued" in at.error[0].value and "has 2" in at.error[0].value
    assert at.session_state[KEY].by_hand.points is None


def test_a_class_link_that_fixes_the_data_takes_no_clicks(app: AppTest, class_link) -> None:
    query = class_link({"data": "circle", "noise": "0.3"}, ["data", "noise"])
    at = open_with(app, query, PAGE)
    points = training_points(at)

    assert not at.exception and not at.error
    assert not payload(at, KEY)["scene"]["panels"]["surface"]["clicks"]
    assert "takes no clicks" in " ".join(caption.value for caption in at.caption)
    assert not [c for c in at.get("button_group") if "tool" in str(c.key)]
    ask(at, KEY, "point", [0.5, 0.5, False])  # a click sent all the same does nothing
    assert training_points(at) == points and at.session_state[KEY].by_hand.points is None
