"""Figures for a teacher's slides: each lesson's main views drawn by matplotlib, downloaded as
PNG (300 dpi), SVG or PDF.

The builders take plain arrays and return a ``matplotlib.figure.Figure`` (Agg, no pyplot, so no
global figure state between sessions). Colours come from ``kit.colormaps``, the same tables the
live views use. matplotlib is imported inside the functions only: importing this module (or
``kit.live``) does not load it, and a page pays for it when a teacher asks for a file.

``download_figure`` shows the three buttons. Streamlit calls ``build`` only when one is clicked,
on a thread of its own, so ``build`` must close over arrays, not over ``st.session_state``.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from classroom.store import MAX_THUMBNAIL_BYTES
from kit import colormaps
from kit.charts import Curve

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DPI = 300
FORMATS = {  # format -> (button label, MIME type)
    "png": ("PNG · 300 dpi", "image/png"),
    "svg": ("SVG", "image/svg+xml"),
    "pdf": ("PDF", "application/pdf"),
}
# Files carry no date, and SVG ids come from a fixed salt: the same figure gives the same bytes.
METADATA = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
# Sizes readable on a projector from the back of a classroom (points, at the figure's size).
STYLE = {
    "font.size": 14,
    "axes.titlesize": 17,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "kit.figures",
}
SLIDE = (8.0, 4.5)  # inches, 16:9
SQUARE = (6.4, 5.9)  # a plane with its colour bar and legend
LINE_STYLES = ("-", "--", ":", "-.")  # curves differ in dash as well as colour
PATH_COLOUR = "#d62728"
INK = "#1b1f24"
# rcParams are process-wide: one figure at a time is built or saved under STYLE.
_LOCK = threading.RLock()


THUMBNAIL_INCHES = (4.0, 3.0)
THUMBNAIL_DPI = 60


class FigureFormatError(ValueError):
    """A download format this module does not write."""


@contextmanager
def slide_style() -> Iterator[None]:
    """Draw in the slides' style (fonts, sizes), under the lock that guards matplotlib's
    global settings: builders run on Streamlit's threads."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(STYLE):
        yield


def new_figure(size: tuple[float, float]) -> Figure:
    """A figure of ``size`` inches with constrained layout (no pyplot: nothing global)."""
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def matplotlib_colormap(name: str, strength: float = 1.0):
    """The page's colour map ``name`` (``kit.colormaps``) as a matplotlib colour map."""
    from matplotlib.colors import ListedColormap

    return ListedColormap(colormaps.lut(name, strength) / 255.0, name=name)


def _hex(rgb: np.ndarray) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb))


# ---- the builders ----------------------------------------------------------------------------
def cost_curve(
    iterations: Sequence[int],
    costs: Sequence[float],
    *,
    label: str = "cost",
    extra: Sequence[Curve] = (),
    log: bool = True,
    title: str = "The cost",
    y_label: str = "cost",
) -> Figure:
    """Cost against iteration: ``costs[k]`` at ``iterations[k]``, then each ``extra`` curve (a
    test cost, another run) in its own colour and dash. ``log`` draws a log y axis when every
    cost is positive."""
    curves = [Curve(label, np.asarray(iterations), np.asarray(costs, dtype=float)), *extra]
    with slide_style():
        fig = new_figure(SLIDE)
        ax = fig.add_subplot()
        for n, drawn in enumerate(curves):
            style = LINE_STYLES[n % len(LINE_STYLES)]
            ax.plot(drawn.iterations, drawn.costs, style, linewidth=2.2, label=drawn.label)
        every_cost = np.concatenate([np.ravel(c.costs) for c in curves])
        if log and every_cost.size and np.all(every_cost[np.isfinite(every_cost)] > 0):
            ax.set_yscale("log")
        ax.set(title=title, xlabel="iteration", ylabel=y_label)
        ax.grid(alpha=0.3)
        if len(curves) > 1:
            ax.legend()
    return fig


def fitted_line(
    x: np.ndarray,
    y: np.ndarray,
    w: float,
    b: float,
    *,
    least_squares: tuple[float, float] | None = None,
    title: str = "The fitted line",
) -> Figure:
    """The data points (x, y) and the network's line ŷ = w x + b across them (plus the
    least-squares line (w, b), dashed, when given)."""
    x, y = np.ravel(x), np.ravel(y)
    pad = 0.05 * (float(np.ptp(x)) or 1.0)
    xs = np.array([x.min() - pad, x.max() + pad])
    with slide_style():
        fig = new_figure(SLIDE)
        ax = fig.add_subplot()
        ax.scatter(x, y, s=46, color=INK, zorder=3, label="data")
        ax.plot(xs, w * xs + b, linewidth=2.6, label=f"network: ŷ = {w:.4g} x + {b:.4g}")
        if least_squares is not None:
            w_best, b_best = least_squares
            ax.plot(xs, w_best * xs + b_best, "--", color="0.45", linewidth=1.8,
                    label=f"least squares: y = {w_best:.4g} x + {b_best:.4g}")  # fmt: skip
        ax.set(title=title, xlabel="x", ylabel="y")
        ax.grid(alpha=0.3)
        ax.legend()
    return fig


def cost_surface(
    grid: tuple[np.ndarray, np.ndarray, np.ndarray],
    path: np.ndarray | None = None,
    best: tuple[float, float] | None = None,
    *,
    colormap: str = "blues_r",
    title: str = "The cost surface J(w, b)",
) -> Figure:
    """log10 J over the (w, b) plane, as the live view draws it (low cost dark on "blues_r").

    ``grid`` is Linear's ``cost_grid``: (ws (n,), bs (m,), J (m, n)) with
    J[i, j] = J(ws[j], bs[i]); ``path`` (k, 2) holds the (w, b) that gradient descent visited,
    drawn in red; ``best`` is the least-squares (w, b), a diamond."""
    ws, bs, J = (np.asarray(a, dtype=float) for a in grid)
    dw, db = (ws[1] - ws[0]) / 2, (bs[1] - bs[0]) / 2
    log_costs = np.log10(J + 1e-6)
    with slide_style():
        fig = new_figure(SQUARE)
        ax = fig.add_subplot()
        image = ax.imshow(
            log_costs, origin="lower", aspect="auto", interpolation="bilinear",
            extent=(ws[0] - dw, ws[-1] + dw, bs[0] - db, bs[-1] + db),
            cmap=matplotlib_colormap(colormap),
        )  # fmt: skip
        fig.colorbar(image, ax=ax, label="log₁₀ J(w, b)")
        if path is not None and len(path):
            path = np.asarray(path, dtype=float)
            ax.plot(
                path[:, 0], path[:, 1], color=PATH_COLOUR, linewidth=2, label="gradient descent"
            )
            ax.plot(*path[0, :2], "o", color=PATH_COLOUR, markersize=7)
        if best is not None:
            ax.plot(*best, "D", color="white", markeredgecolor=INK, markersize=10,
                    label="least squares")  # fmt: skip
        ax.set(title=title, xlabel="w", ylabel="b")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper right")
    return fig


def decision_surface(
    probabilities: np.ndarray,
    extent: float | tuple[float, float, float, float],
    points: np.ndarray,
    classes: np.ndarray,
    *,
    test_points: np.ndarray | None = None,
    test_classes: np.ndarray | None = None,
    colormap: str = "playground",
    title: str = "Decision surface",
) -> Figure:
    """The network's P(class 1) over the plane, the p = 0.5 boundary, and the points on it.

    ``probabilities`` (H, W) has row 0 at the top (``lessons.rose`` ``grid_points``);
    ``extent`` is (x_min, x_max, y_min, y_max), or e for the square [-e, e]²; ``points`` (n, 2)
    and ``classes`` (n,) or (n, 1), class 1 where > 0.5: training points as dots in the map's
    class colours (``colormaps.class_colours``); test points as pale squares with a dark edge."""
    P = np.asarray(probabilities, dtype=float)
    x0, x1, y0, y1 = (-extent, extent, -extent, extent) if np.isscalar(extent) else extent
    colours = colormaps.class_colours(colormap)
    with slide_style():
        fig = new_figure(SQUARE)
        ax = fig.add_subplot()
        image = ax.imshow(
            P, origin="upper", extent=(x0, x1, y0, y1), interpolation="bilinear", vmin=0, vmax=1,
            cmap=matplotlib_colormap(colormap, colormaps.SURFACE_STRENGTH),
        )  # fmt: skip
        fig.colorbar(image, ax=ax, label="P(class 1)")
        if np.nanmin(P) < 0.5 < np.nanmax(P):
            xs, ys = np.linspace(x0, x1, P.shape[1]), np.linspace(y1, y0, P.shape[0])
            ax.contour(xs, ys, P, levels=[0.5], colors=INK, linewidths=1.4)
        _class_marks(ax, points, classes, colours, test=False)
        if test_points is not None and test_classes is not None:
            _class_marks(ax, test_points, test_classes, colours, test=True)
        ax.set(title=title, xlabel="x", ylabel="y", xlim=(x0, x1), ylim=(y0, y1))
        fig.legend(loc="outside lower center", ncols=4, frameon=False, handletextpad=0.2)
    return fig


def _class_marks(
    ax: Axes,
    points: np.ndarray,
    classes: np.ndarray,
    colours: tuple[np.ndarray, np.ndarray],
    test: bool,
) -> None:
    points, positive = np.asarray(points, dtype=float), np.ravel(classes) > 0.5
    marks = zip(("class 0", "class 1"), (~positive, positive), colours, strict=True)
    for label, chosen, colour in marks:
        if not chosen.any():
            continue
        if test:
            ax.scatter(*points[chosen].T, s=34, marker="s", color=_hex(colour), alpha=0.35,
                       edgecolors=INK, linewidths=1.2, label=f"{label} (test)")  # fmt: skip
        else:
            ax.scatter(*points[chosen].T, s=30, color=_hex(colour), edgecolors="white",
                       linewidths=0.8, label=label)  # fmt: skip


def target_and_output(
    target: np.ndarray,
    output: np.ndarray,
    *,
    colormap: str = "gray_r",
    output_title: str = "The network's picture",
    caption: str | None = None,
) -> Figure:
    """The target picture beside the network's, pixel for pixel (no smoothing).

    Both (H, W) values in [0, 1] drawn on ``colormap`` ("gray_r": 1 black, as Mustafar's
    darkness), or (H, W, 3) RGB in [0, 1]. ``caption`` (a score) goes under the pair."""
    pictures = [np.asarray(target, dtype=float), np.asarray(output, dtype=float)]
    rows, columns = pictures[0].shape[:2]
    height = 4.6
    with slide_style():
        fig = new_figure((2 * height * columns / rows + 0.6, height + (0.5 if caption else 0)))
        for ax, picture, title in zip(fig.subplots(1, 2), pictures, ("The target", output_title),
                                      strict=True):  # fmt: skip
            picture = np.clip(np.nan_to_num(picture, nan=0.5), 0.0, 1.0)
            if picture.ndim == 3:
                ax.imshow(picture, interpolation="nearest")
            else:
                ax.imshow(
                    picture,
                    cmap=matplotlib_colormap(colormap),
                    vmin=0,
                    vmax=1,
                    interpolation="nearest",
                )
            ax.set(title=title, xticks=[], yticks=[])
            ax.spines[:].set_visible(True)  # a frame: a white picture ends at its edge
            ax.spines[:].set_color("0.6")
        if caption:
            fig.supxlabel(caption)
    return fig


def feature_bars(
    names: Sequence[str],
    values: Sequence[float],
    *,
    spread: Sequence[float] | None = None,
    value_label: str = "weight w",
    title: str = "What the model learned",
    colormap: str = "playground",
) -> Figure:
    """One horizontal bar per feature, the first name at the top: positive values in the map's
    class 1 colour (Playground blue), negative in its class 0 one (orange). ``spread`` (one per
    name) draws error bars, e.g. the standard deviation of a permutation importance."""
    values = np.asarray(values, dtype=float)
    negative, positive = colormaps.class_colours(colormap)
    colours = [_hex(positive if value >= 0 else negative) for value in values]
    rows = np.arange(len(values))
    with slide_style():
        fig = new_figure((SLIDE[0], max(3.0, 0.42 * len(values) + 1.4)))
        ax = fig.add_subplot()
        ax.barh(rows, values, color=colours, xerr=spread, ecolor=INK, capsize=3)
        ax.set_yticks(rows, labels=list(names))
        ax.invert_yaxis()
        ax.axvline(0, color=INK, linewidth=1)
        ax.set(title=title, xlabel=value_label)
        ax.grid(axis="x", alpha=0.3)
    return fig


# ---- files and the download buttons ----------------------------------------------------------
def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise FigureFormatError(
            f"Unknown figure format {fmt!r}; choose one of {', '.join(FORMATS)}."
        )


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as a file: "png" at 300 dpi, "svg" or "pdf" (vector; pictures inside are
    rasterised at 300 dpi). The same figure gives the same bytes: no date, fixed SVG ids."""
    _check(fmt)
    buffer = io.BytesIO()
    with slide_style():
        fig.savefig(buffer, format=fmt, dpi=DPI, metadata=METADATA[fmt])
    return buffer.getvalue()


def thumbnail(fig: Figure, max_bytes: int = MAX_THUMBNAIL_BYTES) -> bytes:
    """The figure as a small PNG for the class board: ``THUMBNAIL_INCHES`` wide at
    ``THUMBNAIL_DPI`` (about 240 × 180 pixels), in at most 64 colours, at most ``max_bytes``
    (the resolution halves until it fits). ValueError if even 30 pixels wide does not fit."""
    from PIL import Image

    fig.set_size_inches(THUMBNAIL_INCHES)
    dpi = THUMBNAIL_DPI
    while dpi >= 30 / THUMBNAIL_INCHES[0]:
        raw = io.BytesIO()
        with slide_style():
            fig.savefig(raw, format="png", dpi=dpi, metadata=METADATA["png"])
        image = Image.open(io.BytesIO(raw.getvalue())).convert("RGB")
        small = io.BytesIO()
        image.quantize(colors=64).save(small, format="PNG", optimize=True)
        if len(small.getvalue()) <= max_bytes:
            return small.getvalue()
        dpi /= 2
    raise ValueError(f"this figure does not fit in a {max_bytes:,}-byte thumbnail")


def figure_file(build: Callable[[], Figure], fmt: str) -> Callable[[], bytes]:
    """What a download button calls on a click: build the figure, return its ``fmt`` bytes."""
    _check(fmt)
    return lambda: figure_bytes(build(), fmt)


def file_stem(name: str) -> str:
    """``name`` as a safe file name without extension: letters, digits, ".", "_" and "-"."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "figure"


def download_figure(
    key: str, name: str, build: Callable[[], Figure], label: str = "Download figure"
) -> None:
    """Three download buttons in a row, PNG (300 dpi), SVG and PDF, saving ``name.<format>``.

    The figure is built only when a button is clicked (Streamlit's deferred ``data``), on a
    thread outside the script run, and the click does not rerun the page. Widget keys are
    ``f"{key}.png"``, ``f"{key}.svg"`` and ``f"{key}.pdf"``."""
    import streamlit as st  # only to draw: the rest of this module is plain logic

    stem = file_stem(name)
    row = st.container(horizontal=True, vertical_alignment="center", key=f"{key}.row")
    row.caption(label, width="content")
    for fmt, (text, mime) in FORMATS.items():
        row.download_button(
            text,
            data=figure_file(build, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{key}.{fmt}",
            on_click="ignore",
            icon=":material/download:",
            help=f"{label} as {fmt.upper()} for slides",
        )
