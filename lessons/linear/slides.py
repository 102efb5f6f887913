"""Lesson 1 for slides and homework: "Download figure" (the fitted line, the cost surface with
gradient descent's path) and "Record a GIF" (the fitted line moving through the points as
gradient descent trains a copy of the run).

``slide_figures`` and ``gif_recording`` are the live view's ``figures=`` and ``gif=``
(``kit.live.live_view``): they read the run on the script's thread and return closures over
plain arrays and a run spec, never the session, which Streamlit calls on a thread of its own
when a button is clicked. ``line_film`` is pure (matplotlib's Agg, no pyplot, no Streamlit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

import nn
from kit import figures
from kit.gif import FRAMES, figure_frame, training_frames
from lessons.linear import logic

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.live import Run

FRAME_INCHES, FRAME_DPI = (4.0, 3.0), 100  # 400 × 300 pixels a frame
NETWORK_COLOUR = "#0877bd"
INK = "#1b1f24"


def slide_figures(
    run: Run, problem: logic.Problem, colours: str
) -> dict[str, Callable[[], Figure]]:
    """The live view's ``figures=``: by title, the fitted line with the least-squares line and
    the cost surface (in ``colours``, reversed) with the run's path, for slides; nothing for a
    deeper network, which is no line w x + b. The run is read now; each build holds plain
    numbers."""
    if run.settings.depth != 0:
        return {}
    w, b = logic.line_weights(run.network)
    X, Y, best = problem.X, problem.Y, problem.best
    surface = problem.surface
    grid = (surface.ws, surface.bs, surface.costs)
    path = run.path_array()[:, :2] if len(run.path) else None
    return {
        "The fitted line": lambda: figures.fitted_line(X, Y, w, b, least_squares=best),
        "The cost surface": lambda: figures.cost_surface(grid, path, best, colormap=f"{colours}_r"),
    }


def line_film(
    spec: nn.RunSpec, iterations: int, problem: logic.Problem, count: int = FRAMES
) -> Callable[[], list[np.ndarray]]:
    """``record()``: train ``spec`` from the start on a fresh network (its seed: the same first
    weights) on the problem's points for ``iterations`` steps and draw, at ``count``
    ``kit.gif.snapshot_iterations``, the points, the least-squares line (dashed) and the
    network's line (its curve, for a deeper network) with the iteration and the cost: RGB
    frames of 400 × 300 pixels on the live view's axes."""
    from matplotlib.figure import Figure  # only when a film is recorded

    X, Y, xs = problem.X, problem.Y, problem.xs

    def record() -> list[np.ndarray]:
        trainer = spec.trainer(X, Y)
        fig = Figure(figsize=FRAME_INCHES, dpi=FRAME_DPI, layout="constrained")
        ax = fig.add_subplot()
        ax.scatter(X[:, 0], Y[:, 0], s=28, color=INK, zorder=3, label="data")
        ax.plot(xs[:, 0], problem.best_line[:, 0], "--", color="0.55", linewidth=1.4,
                label="least squares")  # fmt: skip
        (line,) = ax.plot(xs[:, 0], xs[:, 0] * np.nan, color=NETWORK_COLOUR, linewidth=2.4,
                          label="network")  # fmt: skip
        ax.set_xlim(float(xs[0, 0]), float(xs[-1, 0]))
        ax.set_ylim(*problem.y_range)
        ax.set_xlabel("x", fontsize=10)
        ax.set_ylabel("y", fontsize=10)
        ax.tick_params(labelsize=9)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)

        def draw(network: nn.Network) -> np.ndarray:
            line.set_ydata(network.predict(xs)[:, 0])
            cost = network.cost(X, Y)
            ax.set_title(f"iteration {trainer.iteration:,} · cost {cost:.4g}", fontsize=10)
            return figure_frame(fig)

        return training_frames(trainer, iterations, draw, count)

    return record


def gif_recording(run: Run, problem: logic.Problem) -> Callable[[], list[np.ndarray]]:
    """The live view's ``gif=``: the ``line_film`` of the run's spec up to the run's iteration
    (its planned maximum before it trained). A fresh network trains: the student's run is
    never touched."""
    iterations = run.iteration or run.settings.max_iterations
    return line_film(run.settings.spec(run.output), iterations, problem)
