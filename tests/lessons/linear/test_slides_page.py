"""Lesson 1's "Record a GIF" button beside its figures: it films a copy of the page's own run,
which it leaves alone."""

import numpy as np
from streamlit.testing.v1 import AppTest

from lessons.linear import logic
from lessons.linear.slides import gif_recording
from tests import REPO_ROOT
from tests.live import run_of, with_figures_open


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
