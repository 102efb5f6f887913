"""The Many classes lesson for slides and homework, without a page: the figures it offers (the
surface with its points, the confusion matrix), the film "Record a GIF" records, and the data
code the exported script runs (the page's own points, digit for digit)."""

import ast
import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from datasets.hand import HandPoints
from kit.figures import figure_bytes
from kit.gif import FRAMES, MAX_BYTES, MAX_SIDE, gif_bytes
from kit.settings import Settings
from lessons.classes.export import data_code, points_code
from lessons.classes.logic import (
    GRID,
    ClassesChoice,
    confusion_matrix,
    hand_points_of,
    make_data,
    picture,
    surface,
    with_hand_points,
)
from lessons.classes.slides import (
    CONFUSION_TITLE,
    GIF_ZOOM,
    SURFACE_TITLE,
    figure_builds,
    surface_film,
)
from tests import REPO_ROOT

# The page's default network and optimizer.
ADAM = Settings(
    depth=1, units=(16,), activations=("tanh",), learning_rate=0.05, optimizer="adam", init="xavier"
)


def trained(data, iterations: int = 300):
    """The page's default network trained ``iterations`` steps on the data's training split."""
    spec = ADAM.spec(data.output())
    trainer = spec.trainer(data.inputs[data.train], data.Y[data.train])
    for _ in trainer.run(iterations, every=iterations):
        pass
    return trainer.network


def png_dpi(fig) -> float:
    return Image.open(io.BytesIO(figure_bytes(fig, "png"))).info["dpi"][0]


# ---- Download figure -----------------------------------------------------------------------------
def test_classify_offers_the_surface_and_the_confusion_matrix_of_the_test_points():
    data = make_data(ClassesChoice(dataset="blobs", classes=4))
    network = trained(data)
    builds = figure_builds(network, data)
    assert list(builds) == [SURFACE_TITLE, CONFUSION_TITLE]
    plane = builds[SURFACE_TITLE]()
    (ax,) = plane.axes
    assert ax.get_title() == SURFACE_TITLE and ax.get_xlim() == (-data.extent, data.extent)
    assert ax.images[0].get_array().shape == (2 * GRID, 2 * GRID, 3)
    # Training dots, test squares, one legend entry per class.
    assert [len(c.get_offsets()) for c in ax.collections[:2]] == [len(data.train), len(data.test)]
    assert [t.get_text() for t in plane.legends[0].texts] == [
        "0 · orange", "1 · sky blue", "2 · green", "3 · blue"
    ]  # fmt: skip
    confusion = builds[CONFUSION_TITLE]()
    expected = confusion_matrix(network.predict(data.inputs[data.test]), data.Y[data.test])
    written = [int(t.get_text()) for t in confusion.axes[0].texts]
    assert written == list(expected.ravel()) and sum(written) == len(data.test)
    assert confusion.axes[0].get_title() == "Confusion matrix (test points)"
    assert round(png_dpi(confusion)) == 300


def test_hidden_test_points_leave_the_plane_and_no_split_counts_the_training_points():
    data = make_data(ClassesChoice(test_share=0.0))
    builds = figure_builds(trained(data, 20), data, show_test=False)
    (ax,) = builds[SURFACE_TITLE]().axes
    assert [len(c.get_offsets()) for c in ax.collections[:1]] == [len(data.train)]
    written = [int(t.get_text()) for t in builds[CONFUSION_TITLE]().axes[0].texts]
    assert sum(written) == len(data.train) == len(data.points)


def test_regress_offers_its_value_map_with_a_colour_bar_and_no_confusion():
    data = make_data(ClassesChoice(mode="regress", surface="bump"))
    builds = figure_builds(trained(data, 50), data, colours="puor")
    assert list(builds) == [SURFACE_TITLE]
    fig = builds[SURFACE_TITLE]()
    assert len(fig.axes) == 2  # the plane and its colour bar
    assert fig.axes[0].get_title() == "The function the network learned"


def test_a_student_who_cleared_every_point_gets_the_plane_alone():
    data = make_data(ClassesChoice())
    empty = with_hand_points(data, HandPoints.empty())
    builds = figure_builds(trained(data, 5), empty)
    assert list(builds) == [SURFACE_TITLE]
    builds[SURFACE_TITLE]()


# ---- Record a GIF --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["classify", "regress"])
def test_the_film_trains_a_fresh_network_and_draws_the_live_picture(mode: str):
    data = make_data(ClassesChoice(mode=mode))
    spec = ADAM.spec(data.output())
    frames = surface_film(spec, 400, data)()
    side = GRID * GIF_ZOOM
    assert len(frames) == FRAMES and all(f.shape == (side, side, 3) for f in frames)
    assert side <= MAX_SIDE
    # The first frame is the network the spec starts from; the last is the one 400 steps on.
    start = spec.network(2)
    assert np.array_equal(frames[0], picture(data, surface(start, data), zoom=GIF_ZOOM))
    end = picture(data, surface(trained(data, 400), data), zoom=GIF_ZOOM)
    assert np.array_equal(frames[-1], end) and not np.array_equal(frames[0], end)
    assert len(gif_bytes(frames)) <= MAX_BYTES


def test_the_longest_default_run_films_within_the_gif_bounds():
    """3,000 steps, the longest a page preset plans (Gradient descent): the film still fits
    kit.gif's bound on bytes (measured 0.63 MB for the noisiest waves, the busiest picture)."""
    data = make_data(ClassesChoice(mode="regress", noise=0.5))
    frames = surface_film(ADAM.spec(data.output()), 3000, data)()
    assert len(gif_bytes(frames)) <= MAX_BYTES


def test_with_no_training_point_the_film_is_the_start_alone():
    data = make_data(ClassesChoice())
    empty = with_hand_points(data, HandPoints.empty())
    frames = surface_film(ADAM.spec(data.output()), 100, empty)()
    assert len(frames) == 1 and frames[0].dtype == np.uint8


# ---- the exported data ---------------------------------------------------------------------------
def run_code(code: str) -> dict:
    """What the data code defines, run as the exported script runs it (a fresh namespace)."""
    namespace: dict = {}
    exec(compile(code, "data.py", "exec"), namespace)  # the page's own code, as the script runs it
    return namespace


@pytest.mark.parametrize(
    "choice",
    [
        ClassesChoice(),
        ClassesChoice(dataset="blobs", classes=5, noise=0.35, seed=7, test_share=0.3),
        ClassesChoice(dataset="rose", classes=4, noise=0.1, test_share=0.0),
        ClassesChoice(mode="regress", surface="saddle", noise=0.05, seed=3),
        ClassesChoice(mode="regress", surface="waves", noise=0.15000000000000002),
    ],
    ids=["spiral", "blobs", "rose", "saddle", "waves"],
)
def test_the_data_code_rebuilds_the_pages_training_points_exactly(choice: ClassesChoice):
    data = make_data(choice)
    code = data_code(choice)
    defined = run_code(code)
    assert np.array_equal(defined["X"], data.inputs[data.train])
    assert np.array_equal(defined["Y"], data.Y[data.train])
    modules = {
        node.module for node in ast.walk(ast.parse(code)) if isinstance(node, ast.ImportFrom)
    }
    assert modules == {"datasets.multiclass"}  # nothing that needs pandas or Pillow


def test_points_made_by_hand_are_written_out_as_numbers():
    data = make_data(ClassesChoice(classes=4))
    hand = hand_points_of(data).add((0.123456789, -0.5), 3).add((1 / 3, 2 / 7), 0)
    mine = with_hand_points(data, hand)
    defined = run_code(points_code(mine))
    assert np.array_equal(defined["X"], mine.inputs[mine.train])
    assert np.array_equal(defined["Y"], mine.Y[mine.train])
    assert len(defined["X"]) == len(data.train) + 2
    empty = run_code(points_code(with_hand_points(data, HandPoints.empty())))
    assert empty["X"].shape == (0, 2) and empty["Y"].shape == (0, 4)


def test_a_point_that_is_not_a_number_is_refused():
    data = make_data(ClassesChoice())
    hand = hand_points_of(data)
    broken = HandPoints(
        np.vstack([hand.points, [[np.nan, 0.0]]]), np.append(hand.classes, 0),
        np.append(hand.held_out, False),
    )  # fmt: skip
    with pytest.raises(ValueError, match="not a finite number"):
        points_code(with_hand_points(data, broken))


def test_the_slides_and_the_export_logic_load_without_streamlit():
    code = (
        "import sys, lessons.classes.slides, lessons.classes.export; "
        "print('streamlit' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["False", "False"]
