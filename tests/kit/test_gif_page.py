"""The Rose page's "Record a GIF" beside its figures: it films a copy of the page's own run,
which it leaves alone."""

import numpy as np
from streamlit.testing.v1 import AppTest

from kit.gif import MAX_BYTES, gif_bytes
from tests import REPO_ROOT
from tests.kit.test_gif import read
from tests.live import run_of, with_figures_open


def test_rose_offers_record_a_gif_beside_its_figures_and_it_films_a_copy():
    from lessons.rose import logic as plane
    from lessons.rose.slides import GIF_PIXELS, gif_recording

    at = AppTest.from_file(str(REPO_ROOT / "app_pages/3_Rose.py"), default_timeout=90).run()
    at = with_figures_open(at, "rose")
    assert not at.exception
    button = at.download_button(key="rose.gif")
    assert button.proto.label == "Record a GIF"
    # What the button records on a click: the same callable, from the page's run.
    run = run_of(at, "rose")
    weights = [layer.weights.copy() for layer in run.network.layers]
    record = gif_recording(run, plane.make_plane_data(plane.PlaneChoice()))
    data = gif_bytes(record())
    pictures = read(data)
    assert len(pictures) == 2  # iterations 0 and 1: the run took one step
    assert pictures[0].size == (GIF_PIXELS, GIF_PIXELS) and len(data) <= MAX_BYTES
    assert run.iteration == 1  # the student's run is untouched
    assert all(
        np.array_equal(a, layer.weights)
        for a, layer in zip(weights, run.network.layers, strict=True)
    )
