"""The Rose lesson for slides and homework: "Download figure" (the decision surface with its
points) and "Record a GIF" (the decision surface as a copy of the run learns it).

``slide_figures`` and ``gif_recording`` are the live view's ``figures=`` and ``gif=``
(``kit.live.live_view``): they read the run on the script's thread and return closures over
plain arrays and a run spec, never the session, which Streamlit calls on a thread of its own
when a button is clicked. The figure is drawn by ``kit.figures`` (matplotlib, imported only
when a figure is built), the film's frames by ``logic.output_image``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import nn
from kit import figures
from kit.gif import training_frames
from lessons.rose.logic import GRID, PlaneData, evaluate_plane, output_image

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.live import Run

GIF_PIXELS = 200  # the recorded decision surface: 200 × 200 pixels a frame


def slide_figures(
    run: Run, data: PlaneData, show_test: bool, colours: str = "playground"
) -> dict[str, Callable[[], Figure]]:
    """The live view's ``figures=``: the decision surface (``2 * GRID`` samples a side, in
    ``colours``) with the training points, and the test points with ``show_test``, for slides.
    The run's network is read now; the build holds plain arrays."""
    surface = evaluate_plane(run.network, data, size=2 * GRID).output
    train, test = data.train, data.test if show_test else data.test[:0]
    return {
        "The decision surface": lambda: figures.decision_surface(
            surface,
            data.extent,
            data.points[train],
            data.Y[train],
            test_points=data.points[test],
            test_classes=data.Y[test],
            colormap=colours,
        )
    }


def gif_recording(
    run: Run, data: PlaneData, colours: str = "playground"
) -> Callable[[], list[np.ndarray]]:
    """The live view's ``gif=``, the decision surface's film: ``record()`` trains the run's
    spec again from the start on a fresh network (the same seed, so the weights the run started
    with) on the training points up to the run's iteration (its planned maximum before it
    trained), and draws the surface (``GIF_PIXELS`` a side, in ``colours``) at
    ``kit.gif.snapshot_iterations``. The student's run is never touched."""
    spec, iterations = run.settings.spec(run.output), run.iteration or run.settings.max_iterations
    X, Y = data.inputs[data.train], data.Y[data.train]

    def draw(network: nn.Network) -> np.ndarray:
        return output_image(evaluate_plane(network, data, GIF_PIXELS).output, False, colours)

    return lambda: training_frames(spec.trainer(X, Y), iterations, draw)
