"""Lesson 1's "Record a GIF" without Streamlit: the fitted line turning into y = 2x + 1 as a
copy trains (the page's button: test_slides_page.py)."""

import numpy as np

from kit.gif import MAX_BYTES, gif_bytes
from kit.settings import OutputSpec, Settings
from lessons.linear import logic
from lessons.linear.slides import NETWORK_COLOUR, line_film

TUTORIAL = Settings()  # the tutorial's run: 1 unit, init × 0.01, lr 0.01, gradient descent
OUTPUT = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
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
