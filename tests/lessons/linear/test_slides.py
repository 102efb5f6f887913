"""Lesson 1's "Record a GIF": the fitted line turning into y = 2x + 1 as a copy trains, and the
page's button beside its figures (the film of the page's own run, which it leaves alone)."""

import numpy as np
from streamlit.testing.v1 import AppTest

from kit.gif import MAX_BYTES, gif_bytes
from lessons.linear import logic
from lessons.linear.slides import NETWORK_COLOUR, gif_recording, line_film
from lessons.linear.views import OUTPUT, TUTORIAL
from tests import REPO_ROOT
from tests.live import run_of, with_figures_open

BLUE = tuple(int(NETWORK_COLOUR[k : k + 2], 16) for k in (1, 3, 5))


def line_height(frame: np.ndarray) -> int:
    """How many pixel rows the network's line crosses in the right half of the plot (the
    legend is at the top left): flat, few; y = 2x + 1, many."""
    right = frame[:, 200:].astype(int)
    rows = np.flatnonzero((np.abs(right - BLUE).max(axis=2) < 40).any(axis=1))
    return int(rows.max() - rows.min()) if len(rows) else 0


def test_the_film_shows_the_flat_start_line_turning_into_the_fit():
    problem = logic.Problem.of(*logic.points())
    frames = line_film(TUTORIAL.spec(OUTPUT), 1000, problem, count=8)()
    assert len(frames) == 8 and all(f.shape == (300, 400, 3) for f in frames)
    # The tutorial's init (× 0.01) starts nearly flat; 1000 steps later the line climbs 2 a unit.
    assert line_height(frames[0]) < 10 < 100 < line_height(frames[-1])  # measured 2 and 112
    assert len(gif_bytes(frames)) <= MAX_BYTES


def test_the_page_offers_record_a_gif_and_films_a_copy_of_its_run():
    at = AppTest.from_file(str(REPO_ROOT / "app_pages/1_Linear_regression.py"), default_timeout=90)
    at.run()
    at = with_figures_open(at, "linear")
    assert not at.exception
    assert at.download_button(key="linear.gif").proto.label == "Record a GIF"
    run = run_of(at, "linear")
    weights = run.network.layers[0].weights.copy()
    frames = gif_recording(run, logic.Problem.of(*logic.points()))()
    assert len(frames) == 2  # iterations 0 and 1: the run took one step
    assert run.iteration == 1 and np.array_equal(weights, run.network.layers[0].weights)
