"""Lesson 3 data: the tutorial's rose, a rose curve whose petals alternate between two classes."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from datasets._errors import DatasetError, check_float, check_int

_TUTORIAL_NPZ = Path(__file__).parent / "data" / "tutorial_rose.npz"
_TUTORIAL_ARGS = (7, 100, (0, 3, 6), 4.0, 0.1)


# One entry: the function takes no arguments, so one file is ever read and kept.
@lru_cache(maxsize=1)
def _tutorial_rose() -> tuple[np.ndarray, np.ndarray]:
    """The tutorial's own 688 points, as saved by the tutorial (features in rows there)."""
    with np.load(_TUTORIAL_NPZ, allow_pickle=False) as data:
        X = np.ascontiguousarray(data["X"].T, dtype=np.float64)
        Y = np.ascontiguousarray(data["Y"].T, dtype=np.float64)
    X.setflags(write=False)
    Y.setflags(write=False)
    return X, Y


def _rose_curve(
    petals: int,
    points_per_petal: int,
    class_one: tuple[int, ...],
    radius: float,
    center_cutoff: float,
) -> tuple[np.ndarray, np.ndarray]:
    n = petals * points_per_petal
    theta = np.linspace(0.0, np.pi, n)
    r = radius * np.cos(petals * theta)
    labels = np.zeros(n)
    for petal in class_one:
        labels[petal * points_per_petal : (petal + 1) * points_per_petal] = 1.0
    # theta = 0 is the middle of petal 0: shift the labels half a petal so classes follow petals.
    labels = np.roll(labels, -(points_per_petal // 2))
    keep = np.abs(r) > center_cutoff
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])[keep]
    return X, labels[keep].reshape(-1, 1)


def make_rose(
    petals: int = 7,
    points_per_petal: int = 100,
    class_one: tuple[int, ...] = (0, 3, 6),
    radius: float = 4.0,
    center_cutoff: float = 0.1,
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Points on the rose r = radius * cos(petals * theta), theta in [0, pi].

    x = r cos(theta), y = r sin(theta).

    Petal i is class 1 when i is in ``class_one``, else class 0; points with |r| <= center_cutoff
    (the crowded centre) are dropped; ``noise`` adds N(0, noise^2) to every coordinate.
    Coordinates lie in [-radius, radius]^2. Returns X (n, 2) and Y (n, 1) float64, Y in {0, 1}.

    The defaults are the tutorial's rose: 688 points identical to the tutorial's ``.npz``. Its
    coordinates were computed by a numpy whose cos/sin round differently in the last bit, so for
    exactly these arguments the tutorial's recorded values are returned (they differ from the
    formula on this machine by at most one unit in the last place).
    """
    petals = check_int("petals", petals, 1, 50)
    points_per_petal = check_int("points_per_petal", points_per_petal, 2, 100_000)
    try:
        class_one = tuple(int(p) for p in class_one)
    except (TypeError, ValueError):
        raise DatasetError(
            f"class_one must be a list of petal numbers; got {class_one!r}"
        ) from None
    bad = [p for p in class_one if not 0 <= p < petals]
    if bad:
        raise DatasetError(
            f"class_one holds petal numbers {bad}, but petals go from 0 to {petals - 1}"
        )
    radius = check_float("radius", radius, 0.0)
    if radius == 0:
        raise DatasetError("radius must be larger than 0; got 0")
    center_cutoff = check_float("center_cutoff", center_cutoff, 0.0)
    if center_cutoff >= radius:
        raise DatasetError(
            f"center_cutoff must be smaller than radius ({radius}); got {center_cutoff}"
        )
    noise = check_float("noise", noise, 0.0)

    args = (petals, points_per_petal, tuple(sorted(set(class_one))), radius, center_cutoff)
    if args == _TUTORIAL_ARGS:
        X, Y = (a.copy() for a in _tutorial_rose())
    else:
        X, Y = _rose_curve(*args)
    if noise > 0:
        X = X + noise * np.random.default_rng(seed).standard_normal(X.shape)
    return X, Y
