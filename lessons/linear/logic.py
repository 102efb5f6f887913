"""Lesson 1's numbers: points on y = 2x + 1, the least-squares line through them, the cost
surface J(w, b) of the model y = w x + b, and the model's prediction at x = 12 (2·12 + 1 = 25).

Shapes follow the engine: X and Y are (n_points, 1), samples in rows. No Streamlit here.
"""

from dataclasses import dataclass

import numpy as np

import nn
from datasets import make_linear
from kit import colormaps

N_POINTS = 7  # the tutorial's X = -2, -1, ..., 4
NOISE = 0.0
SEED = 0  # of the noise: the same sliders draw the same points
PREDICT_AT = 12.0  # the tutorial's question: y at x = 12
SURFACE_SIZE = 36  # grid points per side of the cost surface
MIN_HALF_WIDTH = 3.0  # the surface spans at least w, b ± 3 around the answer
PLOT_SAMPLES = 30  # x values at which the fitted lines are drawn


def points(n_points: int = N_POINTS, noise: float = NOISE) -> tuple[np.ndarray, np.ndarray]:
    """(X, Y), each (n_points, 1): x evenly spread on [-2, 4], y = 2x + 1 + noise · N(0, 1)."""
    return make_linear(n_points=n_points, noise=noise, seed=SEED)


def data_code(n_points: int, noise: float) -> str:
    """The Python that makes the same points, for the exported script."""
    return (
        "from datasets import make_linear\n"
        f"X, Y = make_linear(n_points={n_points}, x_min=-2.0, x_max=4.0, noise={noise}, "
        f"seed={SEED})"
    )


def least_squares(X: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """(w, b) minimising mean((w x + b - y)^2): the closed-form answer gradient descent seeks."""
    design = np.hstack([X, np.ones_like(X)])  # (n_points, 2): a column of x, a column of 1
    w, b = np.linalg.lstsq(design, Y, rcond=None)[0].ravel()
    return float(w), float(b)


def predict(w: float, b: float, x: float | np.ndarray) -> float | np.ndarray:
    """The line's y at ``x`` (a number or an array of any shape): w x + b."""
    return w * x + b


def cost_grid(
    X: np.ndarray,
    Y: np.ndarray,
    center: tuple[float, float],
    half_width: float,
    n: int = SURFACE_SIZE,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ws, bs, J) with J[i, j] = mean((ws[j] x + bs[i] - y)^2): the MSE of y = w x + b on an
    n × n grid of w and b within ``half_width`` of ``center`` = (w, b)."""
    ws = np.linspace(center[0] - half_width, center[0] + half_width, n)
    bs = np.linspace(center[1] - half_width, center[1] + half_width, n)
    x, y = np.ravel(X), np.ravel(Y)
    residuals = ws[None, :, None] * x + bs[:, None, None] - y  # (b, w, samples)
    return ws, bs, np.mean(residuals**2, axis=2)


@dataclass(frozen=True)
class CostSurface:
    """J(w, b) on a grid: ``costs[i, j]`` is the cost at w = ``ws[j]``, b = ``bs[i]``."""

    ws: np.ndarray
    bs: np.ndarray
    costs: np.ndarray

    @property
    def extent(self) -> list[float]:
        """[w_left, w_right, b_bottom, b_top] of the picture: each grid point is a pixel's
        centre, so the edges lie half a step beyond the first and last."""
        dw, db = (self.ws[1] - self.ws[0]) / 2, (self.bs[1] - self.bs[0]) / 2
        return [
            float(self.ws[0] - dw),
            float(self.ws[-1] + dw),
            float(self.bs[0] - db),
            float(self.bs[-1] + db),
        ]

    def picture(self, colours: str = "blues") -> np.ndarray:
        """(n, n, 3) RGB uint8 of log10 J on the sequential map ``colours`` (``kit.colormaps``)
        reversed, largest b in row 0 (the top), dark where J is low: the log shows the valley's
        floor as well as its walls."""
        log_costs = np.log10(self.costs + 1e-6)  # + 1e-6: J is 0 at the exact answer
        return colormaps.apply(log_costs[::-1], log_costs.min(), log_costs.max(), f"{colours}_r")


def cost_surface(X: np.ndarray, Y: np.ndarray, best: tuple[float, float]) -> CostSurface:
    """The cost surface centred on ``best`` = (w, b) with half width max(3, |w|, |b|): it
    reaches w = 0 and b = 0, near where the tutorial's small init starts the path."""
    half_width = max(MIN_HALF_WIDTH, abs(best[0]), abs(best[1]))
    return CostSurface(*cost_grid(X, Y, best, half_width))


def plot_xs(X: np.ndarray) -> np.ndarray:
    """(PLOT_SAMPLES, 1) x values from half a unit left of the points to half a unit right."""
    return np.linspace(X.min() - 0.5, X.max() + 0.5, PLOT_SAMPLES).reshape(-1, 1)


def y_range(Y: np.ndarray, line: np.ndarray) -> list[float]:
    """[low, high] of the plot's y axis: the points and the line, with 10 % room each side."""
    ys = np.concatenate([np.ravel(Y), np.ravel(line)])
    low, high = float(ys.min()), float(ys.max())
    return [low - 0.1 * (high - low), high + 0.1 * (high - low)]


@dataclass(frozen=True)
class Problem:
    """The points and what the live view draws beside the network: the least-squares line at
    ``xs`` (PLOT_SAMPLES, 1) and the cost surface around its (w, b)."""

    X: np.ndarray  # (n_points, 1)
    Y: np.ndarray  # (n_points, 1)
    best: tuple[float, float]  # least squares (w, b)
    xs: np.ndarray  # (PLOT_SAMPLES, 1)
    best_line: np.ndarray  # (PLOT_SAMPLES, 1): w xs + b
    surface: CostSurface

    @classmethod
    def of(cls, X: np.ndarray, Y: np.ndarray) -> "Problem":
        """The problem of fitting a line to (X, Y)."""
        best = least_squares(X, Y)
        xs = plot_xs(X)
        return cls(X, Y, best, xs, predict(*best, xs), cost_surface(X, Y, best))

    @property
    def y_range(self) -> list[float]:
        """The plot's y axis: the points and the least-squares line, 10 % room each side."""
        return y_range(self.Y, self.best_line)


def line_weights(network: nn.Network) -> tuple[float, float]:
    """(w, b) of a network with no hidden layer and one linear unit."""
    layer = network.layers[0]
    return float(layer.weights[0, 0]), float(layer.bias[0, 0])


def network_prediction(network: nn.Network, x: float) -> float:
    """The network's ŷ at one x."""
    return float(network.predict(np.array([[x]]))[0, 0])
