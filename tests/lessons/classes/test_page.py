"""AppTest of the Many classes lesson: it loads, trains three to five classes with a softmax
(the confusion matrix is k × k, per-class accuracy shows), regresses a surface (its cost
falls), and Reproduce compares float32 with float64 and checks the gradients.

tests/live.py plays the live view's browser part (Play, frames). The page runs on its own
(``lesson`` below): the navigation lists it once ``lessons/__init__.py`` has its entry, which
waits for Home's card picture of lesson 6.
"""

import base64
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kit.settings import build_network
from lessons.classes.logic import CLASS_COLOURS, GRID, ZOOM, ClassesChoice, make_data
from tests import REPO_ROOT
from tests.live import ask, open_tab, payload, play_until_it_stops, run_of, shown

PAGE = "app_pages/6_Many_classes.py"
KEY = "classes"


@pytest.fixture
def lesson(monkeypatch: pytest.MonkeyPatch, class_data: Path) -> AppTest:
    """An AppTest of the page script alone, not yet run (AppTest reads the repo's
    ``.streamlit/config.toml`` from the working directory)."""
    monkeypatch.chdir(REPO_ROOT)
    return AppTest.from_file(str(REPO_ROOT / PAGE), default_timeout=30)


# Each table by a column only it has (AppTest's dataframes carry no keys).
COLUMNS = {
    "confusion": "predicted 0 · orange",
    "per_class": "accuracy (%)",
    "gradcheck_table": "relative error",
    "reference_table": "precision",
}


def dataframe(at: AppTest, key: str):
    """The table the page keys ``classes.<key>``."""
    return next(frame.value for frame in at.dataframe if COLUMNS[key] in frame.value.columns)


def surface_pixels(at: AppTest) -> np.ndarray:
    image = shown(at, KEY)["v"]["surface"]["image"]
    pixels = np.frombuffer(base64.b64decode(image["b64"]), np.uint8)
    return pixels.reshape(image["h"], image["w"], 3)


def test_the_page_loads_with_three_classes_and_a_softmax(lesson: AppTest) -> None:
    at = lesson.run()

    assert not at.exception and not at.error
    assert at.title[0].value == "6 · Many classes"
    assert at.radio(key=f"{KEY}.mode").value == "classify"
    sent = payload(at, KEY)
    assert sent["scene"]["panels"]["surface"]["colormap"] == "rgb"
    network = run_of(at, KEY).network
    assert network.layers[-1].activation.name == "softmax" and network.layers[-1].units == 3
    assert network.loss.name == "categorical_cross_entropy"
    assert dataframe(at, "confusion").shape == (3, 3)
    assert len(dataframe(at, "per_class")) == 3


def test_playing_four_blobs_learns_them_and_reports_every_class(
    lesson: AppTest, time_to_spare: None
) -> None:
    at = lesson.run()
    at.selectbox(key=f"{KEY}.data").set_value("blobs")
    at.slider(key=f"{KEY}.classes").set_value(4)
    at.run()
    ask(at, KEY, "speed", 0)
    play_until_it_stops(at, KEY, asks=40)

    assert not at.exception
    run = run_of(at, KEY)
    assert run.network.layers[-1].units == 4 and run.iteration > 300
    matrix = dataframe(at, "confusion")
    assert matrix.shape == (4, 4)
    # Blobs of spread 0.2 (the default noise) around four centres: about 100 %; chance is 25 %.
    assert np.trace(matrix.to_numpy()) / matrix.to_numpy().sum() > 0.8
    per_class = dataframe(at, "per_class")
    assert len(per_class) == 4 and (per_class["accuracy (%)"] > 50).all()
    assert float(shown(at, KEY)["read"]["Train accuracy"].rstrip(" %")) > 80
    # The picture is RGB over the grid, and the class colours show in it (the painted points).
    pixels = surface_pixels(at)
    assert pixels.shape == (GRID * ZOOM, GRID * ZOOM, 3)
    flat = pixels.reshape(-1, 3)
    for colour in CLASS_COLOURS[:4]:
        assert (np.abs(flat - colour).max(axis=1) == 0).any()


def test_regression_mode_trains_a_linear_output_and_its_cost_falls(
    lesson: AppTest, time_to_spare: None
) -> None:
    at = lesson.run()
    at.radio(key=f"{KEY}.mode").set_value("regress")
    at.run()

    assert not at.exception and not at.error
    run = run_of(at, KEY)
    network = run.network
    assert network.layers[-1].activation.name == "linear" and network.layers[-1].units == 1
    assert network.loss.name == "mse"
    assert "accuracy" not in payload(at, KEY)["scene"]["panels"]
    data = make_data(ClassesChoice(mode="regress"))  # the page's defaults
    X, Y = data.inputs[data.train], data.Y[data.train]
    start = build_network(run.settings, run.output).cost(X, Y)
    ask(at, KEY, "speed", 0)
    play_until_it_stops(at, KEY, asks=20)

    assert run_of(at, KEY).iteration > 200
    # sin x · cos y has variance about 0.2; 16 tanh units get far below half of the start.
    assert shown(at, KEY)["cost"] < 0.5 * start
    assert "Train MSE" in shown(at, KEY)["read"]


def test_reproduce_compares_precisions_and_checks_the_softmax_gradients(lesson: AppTest) -> None:
    at = lesson.run()
    at = open_tab(at, KEY, "Reproduce")
    gradients = dataframe(at, "gradcheck_table")
    assert len(gradients) == 2 and gradients["passes"].all()
    at.button(key=f"{KEY}.reference").click().run()

    assert not at.exception
    table = dataframe(at, "reference_table")
    assert list(table["precision"]) == ["float32", "float64"]
    costs = table.iloc[:, 1].to_numpy()
    # Adam at 0.05 on the spiral: measured 2e-6 apart after 300 steps; float32 is chaotic, so
    # the page may say they parted, but never by much here.
    assert np.isfinite(costs).all() and abs(costs[0] - costs[1]) / costs[1] < 1e-2
    said = [s.value for s in at.success] + [w.value for w in at.warning]
    assert any(text.startswith("They agree for") for text in said)


def test_the_data_choices_live_in_the_url(lesson: AppTest) -> None:
    lesson.query_params.update({"mode": "regress", "surface": "saddle", "noise": "0"})
    at = lesson.run()

    assert not at.exception and not at.error
    assert at.radio(key=f"{KEY}.mode").value == "regress"
    assert at.selectbox(key=f"{KEY}.surface").value == "saddle"
    at.radio(key=f"{KEY}.mode").set_value("classify")
    at.run()
    at.selectbox(key=f"{KEY}.data").set_value("rose")
    at.run()
    assert at.query_params["data"] == "rose" and "mode" not in at.query_params
    assert run_of(at, KEY).network.layers[-1].units == 3


def test_the_math_and_the_code_show_the_softmax_network(lesson: AppTest) -> None:
    at = lesson.run()
    for tab in ("The math", "The code"):
        at = open_tab(at, KEY, tab)
        assert not at.exception and not at.error, tab
    code = "\n".join(block.value for block in at.code)
    assert "softmax" in code
