"""The Rose lesson without Streamlit: the plane data a student chooses, the network's inputs and
train/test split, a network evaluated over the plane, its pictures and the capacity sweep.

Inputs: every dataset is rescaled so that its farthest point lies at radius ``INPUT_RADIUS`` = 4,
the size of the tutorial's rose (``datasets.toy.input_scale``). The rose is therefore fed to the
network exactly as the tutorial feeds it (scale 1), and the toy sets in [-1, 1] are stretched to
the same size, so the tutorial's learning rate 1.2 suits them all. Optional features (x², y², xy,
sin πx, sin πy) are computed from the coordinates divided by 4 (so in [-1, 1]) and appended after
x and y (``datasets.toy.with_features``).

Data by hand: the student's own points (``datasets.hand.HandPoints``) replace the dataset's with
the same scale, features and plot (``with_hand_points``), so a clicked point is fed where it was
clicked; ``points_code`` writes them out for the export.

Surfaces are drawn cheaply: the network is evaluated on a fixed ``GRID`` × ``GRID`` grid, the
values coloured with numpy and encoded as a small PNG, a data URL inside an SVG (nothing is
fetched).
"""

from __future__ import annotations

import inspect
import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

import nn
from datasets import TOY_DATASETS, DatasetError, make_rose
from datasets.hand import HandPoints, click_fractions
from datasets.hand import points_code as hand_points_code
from datasets.toy import (
    INPUT_RADIUS,
    input_scale,
    plot_extent,
    plot_grid,
    split_indices,
    with_features,
)
from kit import colormaps
from kit.charts import png_data_url
from kit.colormaps import SURFACE_STRENGTH

if TYPE_CHECKING:
    from kit.settings import Settings

GRID = 80
SURFACE_PIXELS = 400
MAX_UNITS_DRAWN = 6
# TensorFlow Playground's colours: class 1 (positive) blue, class 0 (negative) orange.
NEGATIVE, POSITIVE = (np.array(rgb) for rgb in colormaps.class_colours("playground"))
DATASETS = tuple(TOY_DATASETS)
FEATURES = {
    "x2": "x²",
    "y2": "y²",
    "xy": "xy",
    "sinx": "sin πx",
    "siny": "sin πy",
}
"""The extra input features ``with_features`` computes, by name, with their labels."""
SWEEP_UNITS = (1, 2, 3, 4, 5, 20, 50)
SWEEP_CHUNK = 400  # iterations per tick of the sweep at most


# ---- data ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlaneChoice:
    """What the plane's data controls chose; ``petals``, ``points_per_petal`` and ``class_one``
    are the rose's own. ``test_share`` of the points (drawn with ``seed``) are held out;
    ``features`` (names in ``FEATURES``) follow x and y as inputs."""

    name: str = "rose"
    noise: float = 0.0
    seed: int = 0
    petals: int = 7
    points_per_petal: int = 100
    class_one: tuple[int, ...] = (0, 3, 6)
    test_share: float = 0.2
    features: tuple[str, ...] = ()

    def generator_call(self) -> str:
        """The Python call that makes the raw points."""
        if self.name == "rose":
            return (
                f"make_rose(petals={self.petals}, points_per_petal={self.points_per_petal}, "
                f"class_one={tuple(self.class_one)!r}, noise={self.noise!r}, seed={self.seed})"
            )
        function = TOY_DATASETS[self.name].__name__
        return f"{function}(noise={self.noise!r}, seed={self.seed})"


def raw_points(choice: PlaneChoice) -> tuple[np.ndarray, np.ndarray]:
    """The dataset's points (n, 2) in its own coordinates and labels (n, 1); DatasetError if the
    choice is invalid."""
    if choice.name == "rose":
        return make_rose(
            petals=choice.petals,
            points_per_petal=choice.points_per_petal,
            class_one=choice.class_one,
            noise=choice.noise,
            seed=choice.seed,
        )
    if choice.name not in TOY_DATASETS:
        raise DatasetError(f"unknown dataset {choice.name!r}; choose one of {', '.join(DATASETS)}")
    return TOY_DATASETS[choice.name](noise=choice.noise, seed=choice.seed)


@dataclass
class PlaneData:
    """Raw points, the network's inputs and the train/test split of one PlaneChoice."""

    choice: PlaneChoice
    points: np.ndarray  # raw coordinates (n, 2)
    Y: np.ndarray  # labels (n, 1) in {0, 1}
    scale: float  # inputs = with_features(points * scale, choice.features)
    inputs: np.ndarray  # scaled coordinates and features (n, input_dim)
    train: np.ndarray  # row indices
    test: np.ndarray  # row indices
    extent: float | None = None  # the plot shows [-extent, extent]² (by default, the points')

    def __post_init__(self) -> None:
        if self.extent is None:
            self.extent = plot_extent(self.points)

    @property
    def input_dim(self) -> int:
        return self.inputs.shape[1]

    def to_inputs(self, points: np.ndarray) -> np.ndarray:
        """The network's inputs for raw points (m, 2), made as the data's own were."""
        return with_features(points * self.scale, self.choice.features)

    def grid_points(self, size: int = GRID) -> np.ndarray:
        """Raw coordinates (size², 2) of a size × size grid over the plot, row 0 at the top."""
        return plot_grid(self.extent, size)


def make_plane_data(choice: PlaneChoice) -> PlaneData:
    """The choice's points, scaled to radius INPUT_RADIUS, with its features and split."""
    points, Y = raw_points(choice)
    scale = input_scale(points)
    train, test = split_indices(len(points), choice.test_share, choice.seed)
    inputs = with_features(points * scale, choice.features)
    return PlaneData(choice, points, Y, scale, inputs, train, test)


def tutorial_plane_data() -> PlaneData:
    """The tutorial's 688 rose points as the tutorial trains on them: unscaled, no features,
    every point in training."""
    points, Y = make_rose()
    return PlaneData(PlaneChoice(), points, Y, 1.0, points, np.arange(len(points)), np.arange(0))


# The functions the exported data code defines, shown to students as the lesson runs them.
_EXPORTED_HELPERS: tuple[Callable, ...] = (input_scale, with_features, split_indices)


def data_code(choice: PlaneChoice) -> str:
    """Python that rebuilds the page's training data (X, Y) for "Export this experiment": the
    scaling, features and split are the source of the functions the lesson itself calls."""
    function = "make_rose" if choice.name == "rose" else TOY_DATASETS[choice.name].__name__
    helpers = "\n\n".join(inspect.getsource(helper) for helper in _EXPORTED_HELPERS)
    return "\n".join(
        [
            "import numpy as np",
            f"from datasets import {function}",
            "",
            f"INPUT_RADIUS = {INPUT_RADIUS!r}  # every dataset is scaled to the rose's size",
            "",
            "",
            helpers.rstrip(),
            "",
            "",
            f"points, labels = {choice.generator_call()}",
            f"inputs = with_features(points * input_scale(points), {tuple(choice.features)!r})",
            f"# The split: a seeded shuffle holds out {choice.test_share:.0%} for testing.",
            f"train, test = split_indices(len(inputs), {choice.test_share!r}, {choice.seed})",
            "X, Y = inputs[train], labels[train]",
        ]
    )


# ---- data by hand --------------------------------------------------------------------------------
def hand_points_of(data: PlaneData) -> HandPoints:
    """The points of a dataset, to edit: class 1 (blue) and class 0 (orange), its test rows held
    out."""
    return HandPoints.of(data.points, (data.Y[:, 0] > 0.5).astype(int), data.test)


def with_hand_points(data: PlaneData, hand: HandPoints) -> PlaneData:
    """``data`` with the student's points instead of its own: the same choice, input scale,
    features and plot, so the network sees a clicked point where the student clicked it."""
    Y = hand.classes.astype(float).reshape(-1, 1)
    train, test = np.flatnonzero(~hand.held_out), np.flatnonzero(hand.held_out)
    inputs = with_features(hand.points * data.scale, data.choice.features)
    return PlaneData(data.choice, hand.points, Y, data.scale, inputs, train, test, data.extent)


def clicked_point(data: PlaneData, value: object) -> tuple[tuple[float, float], bool]:
    """The browser's click ``[fx, fy, shift]`` (fractions of the surface from its top left) as
    raw coordinates (x, y) and whether Shift was held; ValueError for anything else. The live
    view draws the surface and its points over [-extent, extent]², continuously: fraction 0 is
    the left (top) edge, 1 the right (bottom) one."""
    fx, fy, shift = click_fractions(value)
    extent = data.extent
    return (-extent + fx * 2 * extent, extent - fy * 2 * extent), shift


def points_code(data: PlaneData) -> str:
    """Python that rebuilds training data the student made by hand for "Export this
    experiment": the training points as clicked and their classes, fed at the input scale of
    the dataset they started from with the page's features (``with_features``' own source).
    ValueError if a value is not a finite number."""
    if not np.isfinite(data.scale):
        raise ValueError("the points hold a value that is not a finite number; clear them")
    rows = data.train
    written = hand_points_code(data.points[rows], (data.Y[rows, 0] > 0.5).astype(int))
    return "\n".join(
        [
            "import numpy as np",
            "",
            f"INPUT_RADIUS = {INPUT_RADIUS!r}  # every dataset is scaled to the rose's size",
            "",
            "",
            inspect.getsource(with_features).rstrip(),
            "",
            "",
            written,
            "# Fed as the dataset you started from was, with the page's extra features.",
            f"inputs = with_features(points * {float(data.scale)!r}, "
            f"{tuple(data.choice.features)!r})",
            "X, Y = inputs, classes.reshape(-1, 1).astype(float)  # class 1 is blue",
        ]
    )


# ---- evaluating a network over the plane ---------------------------------------------------------
def layer_outputs(network: nn.Network, inputs: np.ndarray) -> list[np.ndarray]:
    """Every layer's activations a = g(a_prev Wᵀ + bᵀ) for samples in rows (n, units), the
    output last."""
    activations, a = [], np.asarray(inputs, dtype=float)
    for layer in network.layers:
        a = layer.activation(a @ layer.weights.T + layer.bias.T)
        activations.append(a)
    return activations


def accuracy_of(network: nn.Network, inputs: np.ndarray, Y: np.ndarray) -> float:
    """The share of samples classified right (threshold 0.5); NaN for no samples."""
    return nn.accuracy(network.predict(inputs), Y) if len(inputs) else float("nan")


@dataclass
class PlaneView:
    """One evaluation of a network over the grid: the output and every hidden unit."""

    output: np.ndarray  # (GRID, GRID) probability of class 1
    hidden: list[np.ndarray]  # per hidden layer (GRID, GRID, units)
    activations: list[str]  # per hidden layer
    seconds: float


def evaluate_plane(network: nn.Network, data: PlaneData, size: int = GRID) -> PlaneView:
    """The network over a size × size grid of the data's plot, row 0 at the top."""
    start = time.perf_counter()
    outputs = layer_outputs(network, data.to_inputs(data.grid_points(size)))
    shape = (size, size)
    hidden = [a.reshape(*shape, a.shape[1]) for a in outputs[:-1]]
    names = [layer.activation.name for layer in network.layers[:-1]]
    return PlaneView(outputs[-1].reshape(shape), hidden, names, time.perf_counter() - start)


def unit_name(layer: int, unit: int) -> str:
    """A hidden unit's name in the picker, counting from 1."""
    return f"layer {layer + 1} · unit {unit + 1}"


# ---- colouring -----------------------------------------------------------------------------------
def colorize(
    values: np.ndarray, low: float, high: float, strength: float = 1.0, colours: str = "playground"
) -> np.ndarray:
    """RGB uint8 (..., 3) on a diverging map (``kit.colormaps``): ``low`` orange, the middle
    white, ``high`` blue (or purple on "puor"); NaN white."""
    return colormaps.apply(values, low, high, colours, strength)


def output_image(values: np.ndarray, discrete: bool, colours: str = "playground") -> np.ndarray:
    """The output (probability of class 1) as colours; ``discrete`` shows hard 0/1 regions."""
    if discrete:
        values = (values > 0.5).astype(float)
    return colorize(values, 0.0, 1.0, SURFACE_STRENGTH, colours)


def unit_range(activation: str, values: np.ndarray) -> tuple[float, float]:
    """The colour range of a hidden unit: its activation's own range when bounded, else
    symmetric around 0 up to the largest |value|."""
    if activation == "tanh":
        return -1.0, 1.0
    if activation == "sigmoid":
        return 0.0, 1.0
    largest = float(np.nanmax(np.abs(values))) if values.size else 1.0
    return -(largest or 1.0), largest or 1.0


# ---- SVG pictures (an <img> in the page: no chart library to run per frame) ----------------------
SVG_MARGIN = 30


def _point_rows(points: np.ndarray, Y: np.ndarray, split: str) -> list[dict]:
    return [
        {"x": round(float(x), 4), "y": round(float(y), 4), "class": int(c), "split": split}
        for (x, y), c in zip(points, Y[:, 0] > 0.5, strict=True)
    ]


def point_rows(data: PlaneData, show_test: bool) -> list[dict]:
    """The training points (and with ``show_test`` the test points) as rows x, y, class, split."""
    rows = _point_rows(data.points[data.train], data.Y[data.train], "train")
    if show_test and len(data.test):
        rows += _point_rows(data.points[data.test], data.Y[data.test], "test")
    return rows


def _svg_points(rows: list[dict], to_pixel, radius: float, colours: str) -> list[str]:
    hexes = ["#" + bytes(int(c) for c in rgb).hex() for rgb in colormaps.class_colours(colours)]
    marks = []
    for row in rows:
        px, py = to_pixel(row["x"], row["y"])
        color = hexes[row["class"]]
        if row["split"] == "test":
            side = 2 * radius
            marks.append(
                f'<rect x="{px - radius:.1f}" y="{py - radius:.1f}" width="{side:.1f}" '
                f'height="{side:.1f}" fill="{color}" fill-opacity="0.3" stroke="#1b1f24" '
                'stroke-width="1.3"/>'
            )
        else:
            marks.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="{radius:g}" fill="{color}" '
                'stroke="#ffffff" stroke-width="1"/>'
            )
    return marks


def plane_svg(
    url: str,
    extent: float,
    rows: list[dict],
    pixels: int = SURFACE_PIXELS,
    colours: str = "playground",
) -> str:
    """The plane as SVG: the surface PNG (a data URL), the points over it in the classes'
    colours on map ``colours`` (training points as circles, test points as hollow squares), a
    frame with ticks."""
    m = SVG_MARGIN
    size = pixels + 2 * m

    def to_pixel(x: float, y: float) -> tuple[float, float]:
        return m + (x + extent) / (2 * extent) * pixels, m + (extent - y) / (2 * extent) * pixels

    ticks = []
    step = _tick_step(extent)
    for value in np.arange(-np.floor(extent / step) * step, extent + 1e-9, step):
        px, py = to_pixel(value, value)
        label = f"{value:g}"
        ticks.append(
            f'<line x1="{px:.1f}" y1="{m + pixels}" x2="{px:.1f}" y2="{m + pixels + 5}" '
            'stroke="#3b4652"/>'
            f'<text x="{px:.1f}" y="{m + pixels + 19}" text-anchor="middle">{label}</text>'
            f'<line x1="{m - 5}" y1="{py:.1f}" x2="{m}" y2="{py:.1f}" stroke="#3b4652"/>'
            f'<text x="{m - 8}" y="{py + 4:.1f}" text-anchor="end">{label}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="12" fill="#3b4652">'
        f'<image href="{url}" x="{m}" y="{m}" width="{pixels}" height="{pixels}" '
        'preserveAspectRatio="none"/>'
        + "".join(_svg_points(rows, to_pixel, 3.6 if len(rows) < 1500 else 2.2, colours))
        + f'<rect x="{m}" y="{m}" width="{pixels}" height="{pixels}" fill="none" '
        'stroke="#9aa5b1"/>' + "".join(ticks) + "</svg>"
    )


def _tick_step(extent: float) -> float:
    for step in (0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if extent / step <= 5:
            return step
    return 20.0


def enlarged_unit_svg(
    view: PlaneView, data: PlaneData, choice: str, show_test: bool, colours: str = "playground"
) -> str | None:
    """The chosen hidden unit's map (``unit_name``) at full size, with the points; None if it no
    longer exists."""
    names = {
        unit_name(layer, unit): (layer, unit)
        for layer, values in enumerate(view.hidden)
        for unit in range(values.shape[2])
    }
    if choice not in names:
        return None
    layer, unit = names[choice]
    values = view.hidden[layer][:, :, unit]
    low, high = unit_range(view.activations[layer], values)
    url = png_data_url(colorize(values, low, high, SURFACE_STRENGTH, colours))
    return plane_svg(url, data.extent, point_rows(data, show_test), 300, colours)


# ---- dataset thumbnails --------------------------------------------------------------------------
# One PNG (about 1 kB) per dataset at the picker's size: every class draws the same seven.
@lru_cache(maxsize=len(DATASETS))
def thumbnail(name: str, size: int = 72) -> bytes:
    """A size × size PNG of a dataset's default points: class 1 blue, class 0 orange."""
    X, Y = TOY_DATASETS[name]()
    extent = plot_extent(X)
    pixels = np.full((size, size, 3), 255, np.uint8)
    columns = np.clip(((X[:, 0] / extent + 1) / 2 * (size - 1)).round().astype(int), 1, size - 2)
    rows = np.clip(((1 - (X[:, 1] / extent + 1) / 2) * (size - 1)).round().astype(int), 1, size - 2)
    colors = np.where(Y > 0.5, POSITIVE, NEGATIVE).astype(np.uint8)
    for dr in (-1, 0):
        for dc in (-1, 0):
            pixels[rows + dr, columns + dc] = colors
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


# ---- the capacity sweep --------------------------------------------------------------------------
def capacity_spec(settings: Settings, iterations: int) -> nn.RunSpec:
    """What the capacity sweep trains at each width: one hidden layer of the settings' first
    activation (tanh when there is none), their learning rate, optimizer, init and seed, full
    batch, no L2."""
    activation = (settings.activations[:1] or ("tanh",))[0]
    return nn.RunSpec(
        hidden=((1, activation),),
        init=settings.init,
        init_scale=settings.init_scale,
        seed=settings.seed,
        optimizer=settings.optimizer,
        learning_rate=settings.learning_rate,
        iterations=iterations,
    )


@dataclass
class CapacitySweep:
    """Accuracy against hidden units: ``spec`` trained with one hidden layer of each width in
    ``units`` in turn (the activation of ``spec``'s first hidden layer), a chunk per tick.

    ``results`` holds one dict per finished width: units, train and test accuracy in % (test
    None without a test split) and whether it diverged."""

    units: tuple[int, ...]
    spec: nn.RunSpec
    data_key: tuple
    results: list[dict] = field(default_factory=list)
    trainer: nn.Trainer | None = None
    cancelled: bool = False

    @property
    def done(self) -> bool:
        return len(self.results) >= len(self.units)

    @property
    def running(self) -> bool:
        return not self.done and not self.cancelled

    def fraction(self) -> float:
        """The share of all widths' iterations trained, in [0, 1]."""
        current = self.trainer.iteration / self.spec.iterations if self.trainer else 0.0
        return min((len(self.results) + current) / len(self.units), 1.0)

    def spec_of(self, units: int) -> nn.RunSpec:
        """The run of one width."""
        return self.spec.with_changes(hidden=((units, self.spec.hidden[0][1]),))

    def tick(
        self, data: PlaneData, budget: int = SWEEP_CHUNK, seconds: float | None = None
    ) -> None:
        """Train the current width up to ``budget`` more iterations with ``Trainer.run``, and,
        if ``seconds`` is given, no longer than that (one iteration at least); record it when
        finished (or diverged) and move on to the next."""
        if not self.running:
            return
        units = self.units[len(self.results)]
        X, Y = data.inputs[data.train], data.Y[data.train]
        if self.trainer is None:
            self.trainer = self.spec_of(units).trainer(X, Y)
        left = self.spec.iterations - self.trainer.iteration
        diverged = False
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                for _ in self.trainer.run(min(budget, left), every=budget, seconds=seconds):
                    pass
            except nn.TrainingDiverged:
                diverged = True
        if diverged or self.trainer.iteration >= self.spec.iterations:
            network = self.trainer.network
            test = data.inputs[data.test], data.Y[data.test]
            self.results.append(
                {
                    "units": units,
                    "train": 100 * accuracy_of(network, X, Y),
                    "test": 100 * accuracy_of(network, *test) if len(data.test) else None,
                    "diverged": diverged,
                }
            )
            self.trainer = None
