"""The Many classes lesson for slides and homework: "Download figure" (the surface with its
points, the confusion matrix) and "Record a GIF" (the surface as the network learns it).

``slide_figures`` and ``gif_recording`` are the live view's ``figures=`` and ``gif=``
(``kit.live.live_view``): they read the run on the script's thread and return closures over
plain arrays, which Streamlit calls on a thread of its own when a button is clicked. The
builders draw with matplotlib (Agg, no pyplot) in ``kit.figures``' style; matplotlib is imported
when a figure is built, never on the live path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

import nn
from kit import colormaps
from kit.gif import training_frames
from lessons.classes.logic import (
    CLASS_COLOURS,
    CLASS_NAMES,
    GRID,
    VALUE_RANGE,
    ClassesData,
    confusion_matrix,
    picture,
    point_colours,
    surface,
    surface_rgb,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from kit.live import Run

FIGURE_GRID = 2 * GRID  # the slide's surface: 128 × 128 samples, drawn smooth
GIF_ZOOM = 3  # the recorded picture: GRID · 3 = 192 pixels a side, the points painted in
SURFACE_TITLE = "The network over the plane"
CONFUSION_TITLE = "The confusion matrix"


# ---- the builders --------------------------------------------------------------------------------
def surface_figure(
    rgb: np.ndarray,
    extent: float,
    points: np.ndarray,
    point_rgb: np.ndarray,
    *,
    test_points: np.ndarray | None = None,
    test_rgb: np.ndarray | None = None,
    classes: Sequence[str] = (),
    value_map: str | None = None,
    title: str = SURFACE_TITLE,
) -> Figure:
    """The surface over the square [-extent, extent]² and the points on it.

    ``rgb`` (H, W, 3) in 0–255 has row 0 at the top (``logic.surface_rgb``); ``points`` (n, 2)
    are drawn as dots of their colour ``point_rgb`` (n, 3), ``test_points`` as squares with a
    dark edge. ``classes`` names a legend entry per class colour (``CLASS_COLOURS``, classify);
    ``value_map`` (a ``kit.colormaps`` name, regress) adds a colour bar of the values over
    ``VALUE_RANGE``."""
    from kit import figures  # matplotlib and the slides' style, only when a figure is built

    image = np.clip(np.asarray(rgb, dtype=float) / 255.0, 0.0, 1.0)
    bounds = (-extent, extent, -extent, extent)
    with figures.slide_style():  # the slides' fonts, under the lock that guards rcParams
        fig = figures.new_figure(figures.SQUARE)
        ax = fig.add_subplot()
        ax.imshow(image, origin="upper", extent=bounds, interpolation="bilinear")
        # A class's dot stands out ringed in white; a value's may be white itself: ring it dark.
        ring = "white" if value_map is None else figures.INK
        ax.scatter(*np.asarray(points, dtype=float).T, s=30, c=np.asarray(point_rgb) / 255.0,
                   edgecolors=ring, linewidths=0.8)  # fmt: skip
        if test_points is not None and test_rgb is not None and len(test_points):
            ax.scatter(*np.asarray(test_points, dtype=float).T, s=34, marker="s",
                       c=np.asarray(test_rgb) / 255.0, edgecolors=figures.INK,
                       linewidths=1.2)  # fmt: skip
        if value_map is not None:
            from matplotlib.cm import ScalarMappable
            from matplotlib.colors import Normalize

            table = figures.matplotlib_colormap(value_map, colormaps.SURFACE_STRENGTH)
            scale = ScalarMappable(Normalize(*VALUE_RANGE), table)
            fig.colorbar(scale, ax=ax, label="value f(x, y)")
        for name, colour in zip(classes, CLASS_COLOURS, strict=False):
            ax.scatter([], [], s=60, color=colour / 255.0, edgecolors="white", label=name)
        if classes:
            fig.legend(loc="outside lower center", ncols=min(len(classes), 5), frameon=False,
                       handletextpad=0.2)  # fmt: skip
        ax.set(title=title, xlabel="x", ylabel="y", xlim=bounds[:2], ylim=bounds[2:])
    return fig


def confusion_figure(
    matrix: np.ndarray, names: Sequence[str], *, title: str = CONFUSION_TITLE
) -> Figure:
    """The (k, k) counts as a table of squares, darker for more points: row = true class,
    column = predicted class, each count written in its square."""
    from kit import figures

    counts = np.asarray(matrix, dtype=int)
    k = len(counts)
    with figures.slide_style():
        fig = figures.new_figure(figures.SQUARE)
        ax = fig.add_subplot()
        image = ax.imshow(counts, cmap=figures.matplotlib_colormap("blues"), vmin=0,
                          vmax=max(int(counts.max()), 1))  # fmt: skip
        fig.colorbar(image, ax=ax, label="points")
        middle = counts.max() / 2
        for (row, column), count in np.ndenumerate(counts):
            ax.text(column, row, str(count), ha="center", va="center",
                    color="white" if count > middle else figures.INK)  # fmt: skip
        ax.set_xticks(range(k), labels=list(names), rotation=30, ha="right")
        ax.set_yticks(range(k), labels=list(names))
        ax.set(title=title, xlabel="predicted class", ylabel="true class")
        ax.spines[:].set_visible(False)
    return fig


# ---- what the live view offers -------------------------------------------------------------------
def class_labels(k: int) -> list[str]:
    """The names of k classes as the page shows them, e.g. "0 · orange"."""
    return [f"{c} · {CLASS_NAMES[c]}" for c in range(k)]


def figure_builds(
    network: nn.Network, data: ClassesData, show_test: bool = True, colours: str = "playground"
) -> dict[str, Callable[[], Figure]]:
    """By title, what draws ``network`` on ``data`` for slides: the surface with the points
    (the test points too with ``show_test``) and, when classifying, the confusion matrix on
    the test points (the training points when nothing is held out; none without points). The
    network is read now; each build holds plain arrays."""
    outputs = surface(network, data, size=FIGURE_GRID)
    rgb = surface_rgb(outputs, data.classify, colours)
    train, test = data.train, data.test if show_test else data.test[:0]
    points, point_rgb = data.points[train], point_colours(data, train, colours)
    test_points, test_rgb = data.points[test], point_colours(data, test, colours)
    extent = data.extent
    if not data.classify:
        return {
            SURFACE_TITLE: lambda: surface_figure(
                rgb, extent, points, point_rgb, test_points=test_points, test_rgb=test_rgb,
                value_map=colours, title="The function the network learned",
            )
        }  # fmt: skip
    names = class_labels(data.choice.classes)
    builds = {
        SURFACE_TITLE: lambda: surface_figure(
            rgb, extent, points, point_rgb, test_points=test_points, test_rgb=test_rgb,
            classes=names,
        ),
    }  # fmt: skip
    rows, split = (data.test, "test") if len(data.test) else (data.train, "training")
    if len(rows):  # a student who cleared every point has no confusion to show
        matrix = confusion_matrix(network.predict(data.inputs[rows]), data.Y[rows])
        title = f"Confusion matrix ({split} points)"
        builds[CONFUSION_TITLE] = lambda: confusion_figure(matrix, names, title=title)
    return builds


def surface_film(
    spec: nn.RunSpec,
    iterations: int,
    data: ClassesData,
    show_test: bool = True,
    colours: str = "playground",
) -> Callable[[], list[np.ndarray]]:
    """``record()``: train ``spec`` from the start on a fresh network (its seed: the same first
    weights) on the training points for ``iterations`` steps, and draw the live view's picture
    (``logic.picture``, ``GIF_ZOOM`` times the grid: uint8, 192 × 192 × 3) at
    ``kit.gif.snapshot_iterations``. With no training point the film is the start alone."""
    X, Y = data.inputs[data.train], data.Y[data.train]

    def draw(network: nn.Network) -> np.ndarray:
        return picture(data, surface(network, data), show_test, colours, zoom=GIF_ZOOM)

    if not len(X):
        return lambda: [draw(spec.network(X.shape[1]))]
    return lambda: training_frames(spec.trainer(X, Y), iterations, draw)


def slide_figures(
    run: Run, data: ClassesData, show_test: bool = True, colours: str = "playground"
) -> dict[str, Callable[[], Figure]]:
    """The live view's ``figures=``: ``figure_builds`` of the run's network as it is now."""
    return figure_builds(run.network, data, show_test, colours)


def gif_recording(
    run: Run, data: ClassesData, show_test: bool = True, colours: str = "playground"
) -> Callable[[], list[np.ndarray]]:
    """The live view's ``gif=``: the ``surface_film`` of the run's spec up to the run's
    iteration (its planned maximum before it trained), on the data the page trains on now. A
    fresh network trains: the student's run is never touched."""
    iterations = run.iteration or run.settings.max_iterations
    return surface_film(run.settings.spec(run.output), iterations, data, show_test, colours)
