"""Lesson 2's "Record a GIF" without Streamlit: the train and test accuracy curves growing past
"every woman survives" as a copy trains (the page's button: test_slides_page.py)."""

import numpy as np

from datasets import titanic
from kit.gif import MAX_BYTES, gif_bytes
from kit.settings import OutputSpec, Settings
from lessons.titanic import logic
from lessons.titanic.slides import TEST_COLOUR, TRAIN_COLOUR, accuracy_film

FAST = Settings(optimizer="adam", max_iterations=1000)  # the page's Fast preset
OUTPUT = OutputSpec(len(titanic.FEATURES), 1, "sigmoid", "cross_entropy")


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
