"""AppTest of the Many classes lesson: it loads, trains three to five classes with a softmax
(the confusion matrix is k × k, per-class accuracy shows), regresses a surface (its cost
falls), and Reproduce compares float32 with float64 and checks the gradients.

tests/live.py plays the live view's browser part (Play, frames). The page runs on its own
(``lesson`` below): the navigation lists it once ``lessons/__init__.py`` has its entry, which
waits for Home's card picture of lesson 6.
"""

import base64
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from kit.settings import build_network
from lessons.classes.logic import CLASS_COLOURS, GRID, ZOOM, ClassesChoice, make_data
from tests import REPO_ROOT
from tests.live import ask, open_tab, payload, play_until_it_stops, run_of, shown, with_figures_open

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


# ---- slides and homework: Download figure, Record a GIF, Export ----------------------------------
@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list:
    """The media file managers of the AppTest's runs, newest last: what a download button
    serves, and its deferred data run as a click runs it. (AppTest makes a manager per run and
    drops it; this keeps each, nothing else changes.)"""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import app_test

    managers = []

    class Kept(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Kept)
    return managers


def served(media: list, button) -> bytes:
    """The bytes a download button serves; deferred data is made as a click makes it."""
    manager = media[-1]
    url = button.proto.url
    if button.proto.deferred_file_id:
        url = manager.execute_deferred(button.proto.deferred_file_id)
    return manager.read_file(Path(url).stem).content


def test_paused_the_page_offers_its_figures_and_a_gif_filmed_on_a_copy(
    lesson: AppTest, media: list
) -> None:
    from PIL import Image, ImageSequence

    from lessons.classes.slides import GIF_ZOOM

    at = with_figures_open(lesson.run(), KEY)

    assert not at.exception and not at.error
    titles = ["The cost", "The network over the plane", "The confusion matrix"]
    assert all(title in [c.value for c in at.caption] for title in titles)
    figure_buttons = [b for b in at.get("download_button") if ".figure." in b.proto.id]
    assert [b.proto.label for b in figure_buttons] == ["PNG · 300 dpi", "SVG", "PDF"] * 3
    surface_png = next(b for b in figure_buttons if "The-network-over-the-plane.png" in b.proto.id)
    assert round(Image.open(io.BytesIO(served(media, surface_png))).info["dpi"][0]) == 300
    run = run_of(at, KEY)
    weights = [layer.weights.copy() for layer in run.network.layers]
    button = at.download_button(key=f"{KEY}.gif")
    assert button.proto.label == "Record a GIF"
    film = Image.open(io.BytesIO(served(media, button)))
    frames = list(ImageSequence.Iterator(film))
    assert film.format == "GIF" and len(frames) == 2  # iterations 0 and 1: the run took one step
    assert film.size == (GRID * GIF_ZOOM, GRID * GIF_ZOOM)
    assert run.iteration == 1 and all(  # the student's run is untouched
        np.array_equal(before, layer.weights)
        for before, layer in zip(weights, run.network.layers, strict=True)
    )


def test_regress_offers_its_value_map_and_no_confusion_matrix(lesson: AppTest, media: list):
    lesson.query_params.update({"mode": "regress"})
    at = with_figures_open(lesson.run(), KEY)

    assert not at.exception and not at.error
    captions = [c.value for c in at.caption]
    assert "The network over the plane" in captions and "The confusion matrix" not in captions
    assert served(media, at.download_button(key=f"{KEY}.gif")).startswith(b"GIF89a")


def run_the_export(archive: bytes, into: Path) -> tuple[Path, float]:
    """Unzip "Export this experiment" into ``into``, run its script there without PYTHONPATH
    (only the zip's files are importable): the script and the final cost it printed."""
    with zipfile.ZipFile(io.BytesIO(archive)) as files:
        files.extractall(into)
    (folder,) = into.iterdir()
    (script,) = folder.glob("*.py")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, script.name], cwd=folder, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return script, float(re.search(r"^Final cost: (\S+)$", done.stdout, re.MULTILINE).group(1))


@pytest.mark.parametrize("mode", ["classify", "regress"])
def test_the_code_tab_exports_a_script_that_trains_the_same_run_and_a_notebook(
    lesson: AppTest, media: list, tmp_path: Path, mode: str
) -> None:

    import nbformat

    lesson.query_params.update({"mode": mode})
    at = lesson.run()
    for _ in range(3):
        ask(at, KEY, "step")
    at = open_tab(at, KEY, "The code")

    assert not at.exception and not at.error
    run = run_of(at, KEY)
    script, final = run_the_export(served(media, at.download_button(key=f"{KEY}.export")), tmp_path)
    assert run.iteration == 3 and final == pytest.approx(run.trainer.costs[-1], rel=1e-12)
    notebook = served(media, at.download_button(key=f"{KEY}.export.notebook"))
    parsed = nbformat.reads(notebook.decode(), as_version=4)
    nbformat.validate(parsed)
    plot = "# The classes over the plane" if mode == "classify" else "# The learned function"
    assert parsed.cells[-1].source.startswith(plot)
    assert notebook == script.with_suffix(".ipynb").read_bytes()


def test_points_made_by_hand_export_as_numbers_and_train_the_same_run(
    lesson: AppTest, media: list, tmp_path: Path
) -> None:

    at = lesson.run()
    ask(at, KEY, "point", [0.5, 0.5, False])  # a click in the middle: a point of class 0
    ask(at, KEY, "step")
    at = open_tab(at, KEY, "The code")

    assert not at.exception and not at.error
    hand = at.session_state[KEY].by_hand.points
    assert hand is not None and len(hand) == len(make_data(ClassesChoice()).points) + 1
    script, final = run_the_export(served(media, at.download_button(key=f"{KEY}.export")), tmp_path)
    assert "# Your own training points" in script.read_text()
    run = run_of(at, KEY)
    assert run.iteration == 1 and final == pytest.approx(run.trainer.costs[-1], rel=1e-12)


# ---- data by hand: what only this lesson does (the rest: tests/kit/test_hand_panel.py) --------
def training_points(at: AppTest) -> int:
    """What the live view's counter "Training points" shows."""
    return int(shown(at, KEY)["read"]["Training points"].replace(",", ""))


def test_another_dataset_starts_from_its_own_points(lesson: AppTest) -> None:
    at = lesson.run()
    ask(at, KEY, "point", [0.1, 0.1, False])
    assert at.session_state[KEY].by_hand.points is not None
    at.selectbox(key=f"{KEY}.data").set_value("blobs").run()

    assert at.session_state[KEY].by_hand.points is None
    assert training_points(at) == len(make_data(ClassesChoice(dataset="blobs")).train)


def test_regress_has_no_clicks(lesson: AppTest) -> None:
    at = lesson.run()
    at.radio(key=f"{KEY}.mode").set_value("regress").run()

    assert not payload(at, KEY)["scene"]["panels"]["surface"]["clicks"]
    assert not [c for c in at.get("button_group") if "tool" in str(c.key)]
