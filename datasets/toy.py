"""Two-class toy datasets in the plane, after TensorFlow Playground, ConvNetJS and deeplearning.ai.

Every generator returns X of shape (n_points, 2) and Y of shape (n_points, 1), float64 with
Y in {0, 1}, takes ``noise`` and ``seed`` keywords, and gives the same points for the same seed.
Points are shuffled (with the seed) so that any slice is a fair sample of both classes.

How a network is fed them (the Rose lesson and the sweep): ``input_scale`` puts the farthest
point at radius ``INPUT_RADIUS`` = 4, ``with_features`` appends optional features (x², y², xy,
sin πx, sin πy) and ``split_indices`` holds out a seeded share for testing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from datasets._errors import check_float, check_int
from datasets.rose import make_rose

_MAX_POINTS = 1_000_000


def _finish(
    X: np.ndarray, y: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order].astype(np.float64), y[order].reshape(-1, 1).astype(np.float64)


def _counts(n_points: int) -> tuple[int, int]:
    """Split n_points into (class 1, class 0) counts, class 1 getting the odd point."""
    return n_points - n_points // 2, n_points // 2


def make_circle(
    n_points: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A disk (class 1, radius < 0.5) inside a ring (class 0, 0.7 < radius < 1): TF Playground.

    Points are uniform in radius and angle. ``noise`` (0 to 0.5 is useful) shifts the point used to
    decide the label by U(-noise, noise) per axis, so labels near the gap flip; coordinates stay
    in [-1, 1].
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    n_in, n_out = _counts(n_points)
    r = np.concatenate([rng.uniform(0.0, 0.5, n_in), rng.uniform(0.7, 1.0, n_out)])
    angle = rng.uniform(0.0, 2 * np.pi, n_points)
    X = np.column_stack([r * np.sin(angle), r * np.cos(angle)])
    shifted = X + rng.uniform(-1.0, 1.0, X.shape) * noise
    y = np.hypot(shifted[:, 0], shifted[:, 1]) < 0.5
    return _finish(X, y, rng)


def make_xor(
    n_points: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points in the four quadrants; class 1 where x * y > 0 (TF Playground's "xor").

    Coordinates are in [-1, 1] with a gap of 0.06 along both axes. ``noise`` shifts the point used
    to decide the label by U(-noise, noise) per axis, so labels near the axes flip.
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-0.94, 0.94, (n_points, 2))
    X += np.where(X > 0, 0.06, -0.06)
    shifted = X + rng.uniform(-1.0, 1.0, X.shape) * noise
    y = shifted[:, 0] * shifted[:, 1] >= 0
    return _finish(X, y, rng)


def make_gaussians(
    n_points: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two round Gaussian blobs: class 1 centred at (1/3, 1/3), class 0 at (-1/3, -1/3).

    The standard deviation grows with noise, sd = sqrt(0.5 + 7 * noise) / 6 (TF Playground's
    variance 0.5 to 4 on a [-6, 6] plane, scaled to [-1, 1]); a few points may fall outside [-1, 1].
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    n_pos, n_neg = _counts(n_points)
    sd = np.sqrt(0.5 + 7.0 * noise) / 6.0
    centres = np.repeat([[1 / 3, 1 / 3], [-1 / 3, -1 / 3]], [n_pos, n_neg], axis=0)
    X = centres + sd * rng.standard_normal((n_points, 2))
    y = np.arange(n_points) < n_pos
    return _finish(X, y, rng)


def make_spiral(
    n_points: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two spiral arms (TF Playground): r = i / n, t = 3.5 * pi * i / n (+ pi for class 0).

    x = r sin(t), y = r cos(t), plus U(-noise, noise) / 5 per coordinate; coordinates in about
    [-1, 1].
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    arms = []
    for count, delta in zip(_counts(n_points), (0.0, np.pi), strict=True):
        i = np.arange(count) / count
        t = 1.75 * 2 * np.pi * i + delta
        arms.append(np.column_stack([i * np.sin(t), i * np.cos(t)]))
    X = np.concatenate(arms)
    X += rng.uniform(-1.0, 1.0, X.shape) * noise / 5.0
    y = np.arange(n_points) < len(arms[0])
    return _finish(X, y, rng)


def make_moons(
    n_points: int = 500, noise: float = 0.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (scikit-learn's make_moons), rescaled to [-1, 1]^2.

    Class 0: (cos t, sin t); class 1: (1 - cos t, 0.5 - sin t), t uniform in [0, pi]; then
    N(0, noise^2) per coordinate, and x -> (x - 0.5) / 1.5, y -> (y - 0.25) / 0.75.
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.default_rng(seed)
    n_pos, n_neg = _counts(n_points)
    t_neg = rng.uniform(0.0, np.pi, n_neg)
    t_pos = rng.uniform(0.0, np.pi, n_pos)
    X = np.concatenate(
        [
            np.column_stack([1 - np.cos(t_pos), 0.5 - np.sin(t_pos)]),
            np.column_stack([np.cos(t_neg), np.sin(t_neg)]),
        ]
    )
    X += noise * rng.standard_normal(X.shape)
    X = (X - [0.5, 0.25]) / [1.5, 0.75]
    y = np.arange(n_points) < n_pos
    return _finish(X, y, rng)


def make_planar_flower(
    n_points: int = 400, noise: float = 0.2, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """deeplearning.ai's "planar" flower: 8 petals, 4 per class, radius up to about 4.

    For class j in (0, 1) with N points: t = linspace(3.12 j, 3.12 (j + 1), N) + N(0, noise^2),
    r = 4 sin(4t) + N(0, noise^2), x = r sin(t), y = r cos(t). Coordinates lie in about [-4.5, 4.5].
    Draws with the legacy ``RandomState(seed).randn`` in the course's order, so the defaults
    (400 points, noise 0.2, seed 1) are the course's ``load_planar_dataset()`` (in samples-in-rows
    layout, not shuffled: class 0 first).
    """
    n_points = check_int("n_points", n_points, 2, _MAX_POINTS)
    noise = check_float("noise", noise, 0.0, 1.0)
    rng = np.random.RandomState(seed)  # noqa: NPY002 - the course's legacy generator
    n0 = n_points - n_points // 2
    X = np.zeros((n_points, 2))
    y = np.zeros(n_points)
    start = 0
    for j, count in enumerate((n0, n_points - n0)):
        t = np.linspace(j * 3.12, (j + 1) * 3.12, count) + rng.randn(count) * noise
        r = 4 * np.sin(4 * t) + rng.randn(count) * noise
        X[start : start + count] = np.column_stack([r * np.sin(t), r * np.cos(t)])
        y[start : start + count] = j
        start += count
    return X, y.reshape(-1, 1)


TOY_DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "rose": make_rose,
    "circle": make_circle,
    "xor": make_xor,
    "gaussians": make_gaussians,
    "spiral": make_spiral,
    "moons": make_moons,
    "planar flower": make_planar_flower,
}
"""Name -> generator, for the page's picker; each accepts ``noise=`` and ``seed=`` keywords."""


# ---- as a plot shows them --------------------------------------------------------------------
def plot_extent(points: np.ndarray) -> float:
    """Half the side of the square plot around raw ``points`` (n, 2): 10 % beyond the
    farthest coordinate, so the plot shows [-extent, extent]²."""
    return 1.1 * float(np.abs(points).max())


def plot_grid(extent: float, size: int) -> np.ndarray:
    """Coordinates (size², 2) of a size × size grid over [-extent, extent]², row 0 at the top
    (as a picture is drawn)."""
    ticks = np.linspace(-extent, extent, size)
    x, y = np.meshgrid(ticks, ticks[::-1])
    return np.column_stack([x.ravel(), y.ravel()])


# ---- as a network sees them ------------------------------------------------------------------
# These three functions are also shown to students and exported as code (lessons.rose.logic
# builds the exported script from their source), so each needs only NumPy and INPUT_RADIUS.
INPUT_RADIUS = 4.0
"""The radius every plane dataset is scaled to: the tutorial rose's, so the rose is fed as the
tutorial feeds it and its learning rate 1.2 suits every set."""


def input_scale(points: np.ndarray) -> float:
    """The factor that puts the farthest of ``points`` (n, 2) at radius INPUT_RADIUS: 1 for the
    tutorial's rose, about 4 for the sets in [-1, 1]; 1 when every point is at the origin."""
    radius = float(np.hypot(points[:, 0], points[:, 1]).max())
    return INPUT_RADIUS / radius if radius > 0 else 1.0


def with_features(inputs: np.ndarray, features: tuple[str, ...]) -> np.ndarray:
    """(n, 2 + len(features)): the scaled x and y, then the chosen extra features in the given
    order, each computed from u = x / INPUT_RADIUS and v = y / INPUT_RADIUS (in [-1, 1]):
    "x2" u², "y2" v², "xy" u·v, "sinx" sin πu, "siny" sin πv."""
    u, v = inputs[:, 0] / INPUT_RADIUS, inputs[:, 1] / INPUT_RADIUS
    extra = {
        "x2": lambda: u**2,
        "y2": lambda: v**2,
        "xy": lambda: u * v,
        "sinx": lambda: np.sin(np.pi * u),
        "siny": lambda: np.sin(np.pi * v),
    }
    return np.column_stack([inputs[:, 0], inputs[:, 1], *(extra[name]() for name in features)])


def split_indices(n: int, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) sorted row indices of n samples: a shuffle seeded by ``seed`` holds out its
    first round(n * test_share) rows for testing (at most n - 1, so one is left to train on)."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = min(int(round(n * test_share)), n - 1)
    return np.sort(order[n_test:]), np.sort(order[:n_test])
