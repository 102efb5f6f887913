"""Lesson 4's "Record a GIF" without Streamlit: the picture the network draws, from its start to
the transmission, as a copy trains (the page's button, which films the preset's own recipe:
test_slides_page.py)."""

import numpy as np

from kit.gif import MAX_BYTES, MAX_SIDE, gif_bytes
from lessons.mustafar import logic
from lessons.mustafar.slides import (
    GIF_PIXELS,
    enlargement,
    network_picture,
    picture_film,
)
from nn.presets import FAST_IMAGE


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
