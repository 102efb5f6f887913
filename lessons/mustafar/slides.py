"""Lesson 4 for slides and homework: "Download figure" (the target beside the network's
picture) and "Record a GIF" (the picture the network draws, from noise to the transmission, as
a copy of the run trains).

``slide_figures`` and ``gif_recording`` are the live view's ``figures=`` and ``gif=``
(``kit.live.live_view``): they read the run on the script's thread and return closures over
plain arrays and a run spec, never the session, which Streamlit calls on a thread of its own
when a button is clicked. ``picture_film`` is pure (no Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import nn
from datasets import xy_to_image
from kit import figures
from kit.gif import MAX_SIDE, training_frames
from lessons.mustafar import enhance
from lessons.mustafar.logic import PictureData, preset_of, quality_name

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.live import Run

GIF_PIXELS = 300  # a frame's longer side is enlarged towards this, whole pixels at a time


def slide_figures(run: Run, data: PictureData) -> dict[str, Callable[[], Figure]]:
    """The live view's ``figures=``: the target beside the network's picture, for slides, with
    the run's latest score as the caption. The run is read now; the build holds plain
    arrays."""
    target = data.Y.reshape(data.shape)
    output = run.network.predict(data.X, dtype="float32").reshape(data.shape)
    name = quality_name(data)
    score = run.latest_metrics().get(name)
    caption = None if score is None else f"{name}: {enhance.short_score(score, data.mode)}"
    return {"The pictures": lambda: figures.target_and_output(target, output, caption=caption)}


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
