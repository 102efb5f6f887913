"""Plane data with more than two classes, and smooth functions of the plane to regress (numpy only).

Every generator returns X (n, 2) float64 and Y (n, k) one-hot float64 (row i has a single 1 in
the column of its class), is deterministic given ``seed`` and raises ``DatasetError`` with what
is allowed when an argument is not. ``MULTICLASS_DATASETS`` maps picker names to the
generators; ``SURFACES`` maps names to functions f(x, y) for regression on the plane, with
``make_surface_samples`` drawing points and their targets.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from datasets._errors import DatasetError, check_float, check_int

MAX_CLASSES = 5
_MAX_POINTS_PER_CLASS = 5_000


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """(n, classes) float64: row i is 1 in column ``labels[i]`` and 0 elsewhere."""
    labels = np.asarray(labels, dtype=int)
    Y = np.zeros((len(labels), classes))
    Y[np.arange(len(labels)), labels] = 1.0
    return Y


def _classes(value: object) -> int:
    return check_int("classes", value, 2, MAX_CLASSES)


def make_spiral_arms(
    classes: int = 3, points_per_class: int = 100, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` spiral arms (CS231n's spiral): arm c has radius r = i / points_per_class and
    angle t = 4 r + 2π c / classes + N(0, noise²); x = r sin t, y = r cos t, in [-1, 1]²."""
    classes = _classes(classes)
    points_per_class = check_int("points_per_class", points_per_class, 2, _MAX_POINTS_PER_CLASS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, points_per_class), classes)
    labels = np.repeat(np.arange(classes), points_per_class)
    t = 4.0 * r + 2 * np.pi * labels / classes + rng.normal(0.0, 1.0, r.shape) * noise
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, one_hot(labels, classes)


def make_blobs(
    classes: int = 4, points_per_class: int = 100, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs: class c is N(μ_c, noise²·I) around a centre μ_c on the unit circle at
    angle 2π c / classes (so the centres are evenly spread), ``points_per_class`` each."""
    classes = _classes(classes)
    points_per_class = check_int("points_per_class", points_per_class, 2, _MAX_POINTS_PER_CLASS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(classes), points_per_class)
    angles = 2 * np.pi * labels / classes
    centres = np.column_stack([np.cos(angles), np.sin(angles)])
    X = centres + rng.normal(0.0, 1.0, centres.shape) * noise
    return X, one_hot(labels, classes)


def make_rose_classes(
    classes: int = 3,
    petals: int = 6,
    points_per_petal: int = 100,
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The rose r = 4 cos(petals θ), θ in [0, π) (``datasets.rose.make_rose``'s curve), petal i
    in class i mod ``classes``; points with |r| ≤ 0.1 (the crowded centre) are dropped and
    ``noise`` adds N(0, noise²) to every coordinate. Coordinates in about [-4, 4]²."""
    classes = _classes(classes)
    petals = check_int("petals", petals, classes, 50)
    points_per_petal = check_int("points_per_petal", points_per_petal, 2, _MAX_POINTS_PER_CLASS)
    noise = check_float("noise", noise, 0.0, 2.0)
    rng = np.random.default_rng(seed)
    n = petals * points_per_petal
    theta = np.arange(n) * np.pi / n
    r = 4.0 * np.cos(petals * theta)
    # θ = 0 is the middle of petal 0: petal i spans θ within π / (2 petals) of i π / petals.
    petal = np.floor(theta * petals / np.pi + 0.5).astype(int) % petals
    keep = np.abs(r) > 0.1
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])[keep]
    X += rng.normal(0.0, 1.0, X.shape) * noise
    return X, one_hot(petal[keep] % classes, classes)


MULTICLASS_DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "spiral": make_spiral_arms,
    "blobs": make_blobs,
    "rose": make_rose_classes,
}
"""The picker's datasets by name; each takes ``classes``, ``noise`` and ``seed``."""


# ---- regression on the plane ---------------------------------------------------------------------
SURFACES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "waves": lambda x, y: np.sin(x) * np.cos(y),
    "bump": lambda x, y: 2.0 * np.exp(-(x**2 + y**2) / 2.0) - 1.0,
    "saddle": lambda x, y: (x**2 - y**2) / 4.0,
}
"""Smooth targets f(x, y) on [-2, 2]², each with values in [-1, 1]: sin x · cos y, a Gaussian
bump 2 e^{-(x² + y²)/2} - 1 and the saddle (x² - y²) / 4."""
SURFACE_FORMULAS = {
    "waves": "sin x · cos y",
    "bump": "2 exp(−(x² + y²)/2) − 1",
    "saddle": "(x² − y²) / 4",
}
SURFACE_EXTENT = 2.0


def make_surface_samples(
    name: str = "waves", n_points: int = 200, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``n_points`` points uniform in [-2, 2]² and their targets f(x, y) + N(0, noise²) for the
    surface ``name`` (one of ``SURFACES``): X (n, 2), Y (n, 1), float64. By default as many as
    lesson 6 regresses (its challenges' training data too)."""
    if name not in SURFACES:
        raise DatasetError(f"unknown surface {name!r}; choose one of {', '.join(SURFACES)}")
    n_points = check_int("n_points", n_points, 2, 20_000)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-SURFACE_EXTENT, SURFACE_EXTENT, (n_points, 2))
    Y = SURFACES[name](X[:, 0], X[:, 1]) + rng.normal(0.0, 1.0, n_points) * noise
    return X, Y.reshape(-1, 1)
