"""Lesson 2's "Record a GIF" button beside its figures: it films a copy of the page's own run,
which it leaves alone."""

import numpy as np
from streamlit.testing.v1 import AppTest

from lessons.titanic import logic
from lessons.titanic.slides import gif_recording
from tests import REPO_ROOT
from tests.live import run_of, with_figures_open


def test_the_page_offers_record_a_gif_and_films_a_copy_of_its_run():
    at = AppTest.from_file(str(REPO_ROOT / "app_pages/2_Titanic.py"), default_timeout=90).run()
    at = with_figures_open(at, "titanic")
    assert not at.exception
    assert at.download_button(key="titanic.gif").proto.label == "Record a GIF"
    run = run_of(at, "titanic")
    weights = run.network.layers[0].weights.copy()
    frames = gif_recording(run, logic.tutorial_split())()
    assert len(frames) == 2  # iterations 0 and 1: the run took one step
    assert run.iteration == 1 and np.array_equal(weights, run.network.layers[0].weights)
