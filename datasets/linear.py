"""Lesson 1 data: points on a straight line, y = slope * x + intercept (+ noise)."""

from __future__ import annotations

import numpy as np

from datasets._errors import DatasetError, check_float, check_int


def make_linear(
    n_points: int = 7,
    x_min: float = -2.0,
    x_max: float = 4.0,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 0.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Evenly spaced x in [x_min, x_max] and y = slope * x + intercept + noise * N(0, 1).

    The defaults are the tutorial's seven points: X = -2, -1, ..., 4 and Y = 2X + 1 exactly.
    Returns X of shape (n_points, 1) and Y of shape (n_points, 1), float64.
    """
    n_points = check_int("n_points", n_points, 2, 1_000_000)
    x_min = check_float("x_min", x_min)
    x_max = check_float("x_max", x_max)
    if x_max <= x_min:
        raise DatasetError(f"x_max must be larger than x_min; got x_min={x_min}, x_max={x_max}")
    slope = check_float("slope", slope)
    intercept = check_float("intercept", intercept)
    noise = check_float("noise", noise, 0.0)
    x = np.linspace(x_min, x_max, n_points)
    y = slope * x + intercept
    if noise > 0:
        y = y + noise * np.random.default_rng(seed).standard_normal(n_points)
    return x.reshape(-1, 1), y.reshape(-1, 1)
