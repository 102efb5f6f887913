"""Lesson 4's "Record a GIF" button beside its figures: it films a copy of the page's own run
(the preset's own recipe), which it leaves alone."""

import numpy as np
from streamlit.testing.v1 import AppTest

from lessons.mustafar import logic
from lessons.mustafar.slides import gif_recording, network_picture, run_spec
from nn.presets import FAST_IMAGE
from tests import REPO_ROOT
from tests.lessons.mustafar.test_slides import helmet
from tests.live import run_of, with_figures_open


def test_the_page_films_the_presets_recipe_on_a_copy_of_its_run():
    at = AppTest.from_file(str(REPO_ROOT / "app_pages/4_Mustafar.py"), default_timeout=90).run()
    at = with_figures_open(at, "mustafar")
    assert not at.exception
    assert at.download_button(key="mustafar.gif").proto.label == "Record a GIF"
    run = run_of(at, "mustafar")
    # The page starts on the Fast preset: the copy trains its recipe, schedule and all.
    spec = run_spec(run)
    assert spec == FAST_IMAGE.with_changes(seed=run.settings.seed, outputs=1)
    weights = [layer.weights.copy() for layer in run.network.layers]
    data = helmet(logic.DEFAULT_RESOLUTION)
    frames = gif_recording(run, data)()
    assert len(frames) == 2  # iterations 0 and 1: the run took one step
    assert np.array_equal(frames[0], network_picture(spec.trainer(data.X, data.Y).network, data))
    assert run.iteration == 1 and all(
        np.array_equal(before, layer.weights)
        for before, layer in zip(weights, run.network.layers, strict=True)
    )
