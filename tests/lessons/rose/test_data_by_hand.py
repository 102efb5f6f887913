"""AppTest of what data by hand does on the Rose lesson alone: the surface draws a point where it
was clicked, the tools are named by the colour map, another dataset starts from its own points,
input features keep the student's points, the tabs and the export use them and an empty plane
leaves every tab standing (what it does on every lesson: tests/kit/test_hand_panel.py).

tests/live.py plays the browser's part: a click is the live view's "point" command with the
surface's fractions [fx, fy, shift]."""

from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from lessons.rose.logic import PlaneChoice, make_plane_data, with_hand_points
from tests import REPO_ROOT
from tests.lessons.classes import test_page as classes_page
from tests.live import ask, open_tab, payload, run_of, shown

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


def test_the_surface_draws_a_point_where_it_was_clicked(lesson: AppTest) -> None:
    at = lesson.run()
    before = training_points(at)
    at.session_state[f"{KEY}.tool.2"] = 1  # "Add blue"
    click(at, 0.05, 0.05)

    e = ROSE.extent
    drawn = payload(at, KEY)["scene"]["panels"]["surface"]["points"][before]
    assert drawn == pytest.approx([-e + 0.1 * e, e - 0.1 * e, 1])  # the last training point


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
