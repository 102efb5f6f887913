"""Lesson 4's "Record a GIF": the picture the network draws, from noise to the transmission, as
a copy of the run trains.

``picture_film`` is pure (no Streamlit): the live view calls ``gif_recording`` on the script's
thread and the ``record()`` it returns on a thread of its own when the button is clicked, so
``record`` holds plain arrays and a run spec, never the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import nn
from datasets import xy_to_image
from kit.gif import MAX_SIDE, training_frames
from lessons.mustafar.logic import PictureData, preset_of

if TYPE_CHECKING:
    from kit.live import Run

GIF_PIXELS = 300  # a frame's longer side is enlarged towards this, whole pixels at a time


def enlargement(shape: tuple[int, ...]) -> int:
    """How many times each pixel of a picture of ``shape`` is repeated across and down: the
    longer side comes closest to ``GIF_PIXELS`` without passing it (at least once, within
    ``kit.gif.MAX_SIDE``)."""
    longest = max(shape[:2])
    return max(1, min(GIF_PIXELS, MAX_SIDE) // longest)


def network_picture(network: nn.Network, data: PictureData) -> np.ndarray:
    """The network's picture as the live view shows it (float32 outputs; darkness as grey,
    1 = black, or RGB), uint8, each pixel ``enlargement`` times across and down."""
    P = network.predict(data.X, dtype="float32")
    image = xy_to_image(np.nan_to_num(P, nan=0.5), data.shape, data.mode, threshold=None)
    times = enlargement(data.shape)
    return np.repeat(np.repeat(np.asarray(image), times, axis=0), times, axis=1)


def picture_film(
    spec: nn.RunSpec, iterations: int, data: PictureData
) -> Callable[[], list[np.ndarray]]:
    """``record()``: train ``spec`` from the start on a fresh network (its seed: the same first
    weights) on every pixel for ``iterations`` steps and draw the network's picture
    (``network_picture``) at ``kit.gif.snapshot_iterations``."""
    return lambda: training_frames(
        spec.trainer(data.X, data.Y), iterations, lambda network: network_picture(network, data)
    )


def run_spec(run: Run) -> nn.RunSpec:
    """What the run trains: a preset's own recipe (its network, schedule and seed, as
    ``views.prepare_preset_run`` starts it) when the settings are a preset's, else the
    settings' run."""
    found = preset_of(run.settings)
    if found is None:
        return run.settings.spec(run.output)
    return found[1].with_changes(seed=run.settings.seed, outputs=run.output.units)


def gif_recording(run: Run, data: PictureData) -> Callable[[], list[np.ndarray]]:
    """The live view's ``gif=``: the ``picture_film`` of what the run trains, up to the run's
    iteration (its planned maximum before it trained). A fresh network trains: the student's
    run is never touched."""
    iterations = run.iteration or run.settings.max_iterations
    return picture_film(run_spec(run), iterations, data)
