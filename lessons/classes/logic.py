"""The Many classes lesson without Streamlit: plane data with 3 to 5 classes (or a smooth
function to regress), the network's inputs and split, its pictures, the confusion matrix and the
reproduce checks.

Classify: the output is a softmax over k units trained with categorical cross-entropy; the
surface colour at a point is the class colours blended by the network's probabilities,
RGB = P @ colours, so a confident region shows its class's colour and a border the mix of two.
Regress: one linear unit trained with the mean squared error; the surface shows the value on a
diverging colour map, the points their targets on the same map.

Inputs are scaled as the Rose lesson scales them (``datasets.toy.input_scale``: the farthest
point at radius 4). Pictures are RGB pixels on a ``GRID`` × ``GRID`` grid, enlarged ``ZOOM``
times with the points painted in: the live view's picture panel paints two point colours only,
so points of k classes travel inside the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import nn
from datasets import DatasetError
from datasets.hand import HandPoints, click_fractions
from datasets.multiclass import (
    MULTICLASS_DATASETS,
    make_surface_samples,
)
from datasets.toy import input_scale, plot_extent, plot_grid, split_indices
from kit import colormaps
from kit.settings import OutputSpec, Settings

GRID = 64
# The picture is GRID · ZOOM pixels a side (49 kB of RGB a frame), points painted at that size.
ZOOM = 2
MODES = {"classify": "Classify", "regress": "Regress"}
DATASETS = tuple(MULTICLASS_DATASETS)
CLASS_COLOURS = np.array(colormaps.CLASS_COLOURS, dtype=float)
CLASS_NAMES = ("orange", "sky blue", "green", "blue", "purple")
VALUE_RANGE = (-1.0, 1.0)  # every surface's targets lie in it (datasets.multiclass.SURFACES)
REFERENCE_ITERATIONS = 300
REFERENCE_TOLERANCE = 1e-3
"""The relative difference allowed between the costs of float32 and float64 training of the same
run, step by step (float32 rounds at about 6e-8 a step; with gradient descent the steps stay
within 1e-6 of each other for hundreds of steps; a fast Adam may part later: float32 is chaotic)."""
GRADIENT_TOLERANCE = 1e-6  # ``nn.gradient_check``: about 1e-9 when backprop is right


# ---- data ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassesChoice:
    """What the data controls chose: the mode (a key of ``MODES``), the dataset (a key of
    ``MULTICLASS_DATASETS``) and its number of classes, or the surface to regress (a key of
    ``SURFACES``), noise, seed and the held-out share."""

    mode: str = "classify"
    dataset: str = "spiral"
    classes: int = 3
    surface: str = "waves"
    noise: float = 0.2
    seed: int = 0
    test_share: float = 0.2

    @property
    def outputs(self) -> int:
        """Output units: one per class, or one value."""
        return self.classes if self.mode == "classify" else 1


def raw_points(choice: ClassesChoice) -> tuple[np.ndarray, np.ndarray]:
    """Points (n, 2) and targets: one-hot (n, classes) or values (n, 1); DatasetError if the
    choice is not valid."""
    if choice.mode == "regress":
        return make_surface_samples(choice.surface, noise=choice.noise, seed=choice.seed)
    if choice.mode != "classify":
        raise DatasetError(f"unknown mode {choice.mode!r}; choose one of {', '.join(MODES)}")
    if choice.dataset not in MULTICLASS_DATASETS:
        raise DatasetError(
            f"unknown dataset {choice.dataset!r}; choose one of {', '.join(DATASETS)}"
        )
    return MULTICLASS_DATASETS[choice.dataset](
        classes=choice.classes, noise=choice.noise, seed=choice.seed
    )


@dataclass
class ClassesData:
    """Raw points, targets, the network's inputs and the train/test split of one choice."""

    choice: ClassesChoice
    points: np.ndarray  # raw coordinates (n, 2)
    Y: np.ndarray  # one-hot (n, k) or values (n, 1)
    scale: float  # inputs = points * scale
    train: np.ndarray  # row indices
    test: np.ndarray  # row indices
    extent: float | None = None  # the plot shows [-extent, extent]² (by default, the points')

    def __post_init__(self) -> None:
        if self.extent is None:
            self.extent = plot_extent(self.points)

    @property
    def inputs(self) -> np.ndarray:
        return self.points * self.scale

    @property
    def classify(self) -> bool:
        return self.choice.mode == "classify"

    def output(self) -> OutputSpec:
        """The lesson's output layer: softmax and categorical cross-entropy over the classes,
        or one linear unit and the mean squared error."""
        if self.classify:
            return OutputSpec(2, self.choice.classes, "softmax", "categorical_cross_entropy")
        return OutputSpec(2, 1, "linear", "mse")

    def grid_points(self, size: int = GRID) -> np.ndarray:
        """Raw coordinates (size², 2) of a size × size grid over the plot, row 0 at the top."""
        return plot_grid(self.extent, size)


def make_data(choice: ClassesChoice) -> ClassesData:
    """The choice's points scaled to radius 4, with its split."""
    points, Y = raw_points(choice)
    train, test = split_indices(len(points), choice.test_share, choice.seed)
    return ClassesData(choice, points, Y, input_scale(points), train, test)


# ---- data by hand --------------------------------------------------------------------------------
def hand_points_of(data: ClassesData) -> HandPoints:
    """The points of a dataset (classify), to edit."""
    return HandPoints.of(data.points, data.Y.argmax(axis=1), data.test)


def with_hand_points(data: ClassesData, hand: HandPoints) -> ClassesData:
    """``data`` with the student's points instead of its own: the same choice, input scale and
    plot, so the network sees a clicked point where the student clicked it."""
    Y = np.eye(data.choice.classes)[hand.classes]
    train, test = np.flatnonzero(~hand.held_out), np.flatnonzero(hand.held_out)
    return ClassesData(data.choice, hand.points, Y, data.scale, train, test, data.extent)


def clicked_point(data: ClassesData, value: object, pixels: int = GRID * ZOOM) -> tuple:
    """The browser's click ``[fx, fy, shift]`` (fractions of the picture from its top left)
    as raw coordinates (x, y) and whether Shift was held; ValueError for anything else. The
    picture's first and last pixel centres lie on the plot's edges (``picture``)."""
    fx, fy, shift = click_fractions(value)

    def coordinate(fraction: float) -> float:
        centre = np.clip((fraction * pixels - 0.5) / (pixels - 1), 0, 1)
        return float(-data.extent + 2 * data.extent * centre)

    return (coordinate(fx), -coordinate(fy)), shift


# ---- measuring -----------------------------------------------------------------------------------
def confusion_matrix(P: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """(k, k) counts: row = true class, column = predicted class (the largest probability)."""
    k = Y.shape[1]
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (Y.argmax(axis=1), P.argmax(axis=1)), 1)
    return matrix


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Per true class, the share of its points predicted right (NaN for a class with none)."""
    totals = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, np.diag(matrix) / totals, np.nan)


def metrics(network: nn.Network, data: ClassesData) -> dict[str, float]:
    """Train (and, with a test split, test) cost, and the accuracy when classifying."""
    out = {}
    for split, rows in (("train", data.train), ("test", data.test)):
        if not len(rows):
            continue
        X, Y = data.inputs[rows], data.Y[rows]
        out[f"{split} cost"] = network.cost(X, Y)
        if data.classify:
            out[f"{split} accuracy"] = nn.accuracy(network.predict(X), Y)
    return out


# ---- pictures ------------------------------------------------------------------------------------
def blend(P: np.ndarray, lighten: float = colormaps.CLASS_LIGHTEN) -> np.ndarray:
    """RGB float (..., 3): the class colours blended by the probabilities P (..., k), mixed
    ``lighten`` with white."""
    rgb = P @ CLASS_COLOURS[: P.shape[-1]]
    return (1 - lighten) * rgb + lighten * 255.0


def values_rgb(values: np.ndarray, colours: str, strength: float = 1.0) -> np.ndarray:
    """RGB float (..., 3) of regression values on the diverging map ``colours`` over
    ``VALUE_RANGE``."""
    return colormaps.apply(values, *VALUE_RANGE, colours, strength).astype(float)


def surface(network: nn.Network, data: ClassesData, size: int = GRID) -> np.ndarray:
    """The network over a size × size grid, row 0 at the top: probabilities (size, size, k) or
    values (size, size, 1)."""
    outputs = network.predict(data.grid_points(size) * data.scale)
    return outputs.reshape(size, size, -1)


def surface_rgb(outputs: np.ndarray, classify: bool, colours: str = "playground") -> np.ndarray:
    """RGB float (size, size, 3) of ``surface``'s outputs."""
    if classify:
        return blend(outputs)
    return values_rgb(outputs[..., 0], colours, colormaps.SURFACE_STRENGTH)


def point_colours(data: ClassesData, rows: np.ndarray, colours: str) -> np.ndarray:
    """RGB float (len(rows), 3): a point's class colour, or its target on the value map."""
    if data.classify:
        return CLASS_COLOURS[data.Y[rows].argmax(axis=1)]
    return values_rgb(data.Y[rows, 0], colours)


def picture(
    data: ClassesData,
    outputs: np.ndarray,
    show_test: bool = True,
    colours: str = "playground",
    zoom: int = ZOOM,
) -> np.ndarray:
    """RGB uint8 (size · zoom, size · zoom, 3): the surface enlarged, and over it the training
    points as discs of their colour ringed in dark grey, the test points (``show_test``) as
    dark-ringed white squares with their colour at the centre."""
    image = np.repeat(np.repeat(surface_rgb(outputs, data.classify, colours), zoom, 0), zoom, 1)
    pixels = image.shape[0]
    dark = np.array([40.0, 45.0, 52.0])
    around = range(-zoom, zoom + 1)
    disc = [(dr, dc) for dr in around for dc in around if dr * dr + dc * dc <= zoom * zoom + 1]
    core = [(dr, dc) for dr, dc in disc if dr * dr + dc * dc <= (zoom - 1) ** 2 + 1]
    square = [(dr, dc) for dr in around for dc in around]
    inner = [(dr, dc) for dr, dc in square if max(abs(dr), abs(dc)) < zoom]
    centre = [(dr, dc) for dr, dc in square if max(abs(dr), abs(dc)) < zoom - 1] or [(0, 0)]
    splits = [(data.train, ((disc, None), (core, "own")))]
    if show_test and len(data.test):
        splits.append((data.test, ((square, None), (inner, "white"), (centre, "own"))))
    for rows, layers in splits:
        if not len(rows):
            continue
        xy = data.points[rows]
        columns = np.round((xy[:, 0] + data.extent) / (2 * data.extent) * (pixels - 1))
        lines = np.round((data.extent - xy[:, 1]) / (2 * data.extent) * (pixels - 1))
        own = point_colours(data, rows, colours)
        for offsets, fill in layers:
            colour = own if fill == "own" else (255.0 if fill == "white" else dark)
            for dr, dc in offsets:
                r = np.clip(lines.astype(int) + dr, 0, pixels - 1)
                c = np.clip(columns.astype(int) + dc, 0, pixels - 1)
                image[r, c] = colour
    return np.clip(np.round(image), 0, 255).astype(np.uint8)


# ---- reproduce -----------------------------------------------------------------------------------
@dataclass
class ReferenceCheck:
    """The same run trained in float32 and in float64 from the same start: the cost after every
    step of each, and the relative difference allowed, ``tolerance``."""

    costs32: np.ndarray
    costs64: np.ndarray
    tolerance: float

    @property
    def differences(self) -> np.ndarray:
        """Per step, |cost32 - cost64| / |cost64| (inf where float32 diverged)."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = np.abs(self.costs32 - self.costs64) / np.abs(self.costs64)
        return np.where(np.isfinite(out), out, np.inf)

    @property
    def agrees_for(self) -> int:
        """How many steps the two costs stay within ``tolerance`` from the start."""
        apart = np.flatnonzero(self.differences > self.tolerance)
        return int(apart[0]) if len(apart) else len(self.costs64)

    @property
    def agrees(self) -> bool:
        return self.agrees_for == len(self.costs64)


def reference_check(
    settings: Settings,
    data: ClassesData,
    iterations: int = REFERENCE_ITERATIONS,
    tolerance: float = REFERENCE_TOLERANCE,
) -> ReferenceCheck:
    """Train the settings' run (``nn.RunSpec``) on the training split ``iterations`` steps from
    the same start in float32 and in float64, and keep both costs after every step."""
    X, Y = data.inputs[data.train], data.Y[data.train]
    costs = []
    for dtype in ("float32", "float64"):
        spec = settings.spec(data.output(), dtype).with_changes(
            iterations=iterations, target_cost=None
        )
        trainer = spec.trainer(X, Y)
        with np.errstate(over="ignore", invalid="ignore"):
            try:
                steps = [report.cost for report in spec.run(trainer, every=1)]
            except nn.TrainingDiverged:
                steps = []
        costs.append(np.array(steps + [np.inf] * (iterations - len(steps)), dtype=float))
    return ReferenceCheck(costs[0], costs[1], tolerance)


def gradient_errors(network: nn.Network, data: ClassesData) -> list[float]:
    """``nn.gradient_check`` of the network (softmax and its loss included) on up to 64
    training points: one relative error per layer."""
    return nn.gradient_check(network, data.inputs[data.train], data.Y[data.train])
