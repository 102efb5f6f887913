"""Lesson 4's "Record a GIF": the picture the network draws, from its start to the
transmission, as a copy trains; the preset's own recipe is what the copy trains; and the page's
button beside its figures (the film of the page's own run, which it leaves alone)."""

import numpy as np
from streamlit.testing.v1 import AppTest

from kit.gif import MAX_BYTES, MAX_SIDE, gif_bytes
from lessons.mustafar import logic
from lessons.mustafar.slides import (
    GIF_PIXELS,
    enlargement,
    gif_recording,
    network_picture,
    picture_film,
    run_spec,
)
from nn.presets import FAST_IMAGE
from tests import REPO_ROOT
from tests.live import run_of, with_figures_open


def helmet(resolution: int) -> logic.PictureData:
    picture = logic.builtin_picture(logic.DEFAULT_TRANSMISSION)
    return logic.picture_data(picture, "1bit", 0.5, resolution)


def test_pictures_are_enlarged_by_whole_pixels_towards_the_gif_size():
    assert enlargement((100, 94)) == 3 and enlargement((8, 8)) == GIF_PIXELS // 8
    assert enlargement((200, 150)) == 1 and enlargement((150, 100, 3)) == 2
    for shape in ((8, 8), (37, 20), (100, 94), (200, 200)):
        assert max(shape) * enlargement(shape) <= min(GIF_PIXELS, MAX_SIDE)


def test_the_film_goes_from_the_start_to_a_picture_close_to_the_transmission():
    data = helmet(40)
    spec = FAST_IMAGE.with_changes(seed=1, iterations=600)
    frames = picture_film(spec, 600, data)()
    times = enlargement(data.shape)
    assert frames[0].shape == (data.shape[0] * times, data.shape[1] * times)
    target = np.repeat(np.repeat(255 * (1 - data.Y.reshape(data.shape)), times, 0), times, 1)
    start, end = (np.abs(frame - target).mean() for frame in (frames[0], frames[-1]))
    assert end < start / 2  # measured 123 at the start, 20 at the end (both OpenBLAS kernels)
    start_network = spec.trainer(data.X, data.Y).network  # its biases centred on the pixels
    assert np.array_equal(frames[0], network_picture(start_network, data))
    assert len(gif_bytes(frames)) <= MAX_BYTES


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
