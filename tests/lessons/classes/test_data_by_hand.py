"""AppTest of what data by hand does on the Many classes lesson alone: another dataset starts
from its own points, and Regress takes no clicks (what it does on every lesson:
tests/kit/test_hand_panel.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lessons.classes.logic import GRID, ZOOM, ClassesChoice, make_data
from tests import REPO_ROOT
from tests.live import ask, payload, shown

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
