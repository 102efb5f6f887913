"""Lesson 2's "Record a GIF": the train and test accuracy curves growing past "every woman
survives" as a copy trains, and the page's button beside its figures (the film of the page's
own run, which it leaves alone)."""

import numpy as np
from streamlit.testing.v1 import AppTest

from kit.gif import MAX_BYTES, gif_bytes
from lessons.titanic import logic
from lessons.titanic.slides import TEST_COLOUR, TRAIN_COLOUR, accuracy_film, gif_recording
from lessons.titanic.views import FAST, OUTPUT
from tests import REPO_ROOT
from tests.live import run_of, with_figures_open


def pixels_of(frame: np.ndarray, colour: str) -> int:
    rgb = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    return int((np.abs(frame.astype(int) - rgb).max(axis=2) < 30).sum())


def test_the_film_draws_both_accuracy_curves_growing_to_the_end():
    frames = accuracy_film(FAST.spec(OUTPUT), 300, logic.tutorial_split(), count=8)()
    assert len(frames) == 8 and all(f.shape == (300, 400, 3) for f in frames)
    for colour in (TRAIN_COLOUR, TEST_COLOUR):
        drawn = [pixels_of(frame, colour) for frame in frames]
        # Frame 0 has one point, no line yet (its legend's sample only); the curve grows after.
        assert drawn[-1] > drawn[len(drawn) // 2] > drawn[0] + 100, colour
    assert len(gif_bytes(frames)) <= MAX_BYTES


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
