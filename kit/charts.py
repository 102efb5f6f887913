"""Chart helpers: thinned cost curves (the history overlay), the linear model's cost surface
J(w, b) as a picture, and pictures as PNG data URLs. Font sizes for the Vega-Lite charts that
the paused views draw."""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from nn.training import History

MAX_POINTS = 500
# Vega's "blues" scheme, light to dark: the cost surface's colours (dark = low cost).
BLUES = np.array(
    [(247, 251, 255), (222, 235, 247), (198, 219, 239), (158, 202, 225), (107, 174, 214),
     (66, 146, 198), (33, 113, 181), (8, 81, 156), (8, 48, 107)], dtype=float
)  # fmt: skip
FONT_SIZES = {"labelFontSize": 14, "titleFontSize": 15}  # readable from the back of a classroom


@dataclass(frozen=True)
class Curve:
    """A named cost curve: ``costs[k]`` belongs to iteration ``iterations[k]``."""

    label: str
    iterations: np.ndarray
    costs: np.ndarray


def thin(values: Sequence[float], max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of at most ``max_points`` evenly spread entries, first and last kept."""
    values = np.asarray(values, dtype=float)
    if len(values) <= max_points:
        indices = np.arange(len(values))
    else:
        indices = np.unique(np.linspace(0, len(values) - 1, max_points).round().astype(int))
    return indices, values[indices]


def curve(label: str, costs: Sequence[float], max_points: int = MAX_POINTS) -> Curve:
    """A thinned Curve of a run's costs: a Trainer's ``History`` (it knows each cost's
    iteration) or a list of one cost per iteration, from iteration 0."""
    picked, values = thin(costs, max_points)
    iterations = np.asarray(costs.iterations)[picked] if isinstance(costs, History) else picked
    return Curve(label, iterations, values)


def linear_cost_grid(
    X: np.ndarray, Y: np.ndarray, center: tuple[float, float], half_width: float, n: int = 36
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ws, bs, J) with J[i, j] = mean((ws[j] x + bs[i] - y)^2): the MSE of y = w x + b."""
    ws = np.linspace(center[0] - half_width, center[0] + half_width, n)
    bs = np.linspace(center[1] - half_width, center[1] + half_width, n)
    x, y = np.ravel(X), np.ravel(Y)
    residuals = ws[None, :, None] * x + bs[:, None, None] - y  # (b, w, samples)
    return ws, bs, np.mean(residuals**2, axis=2)


def png_data_url(rgb: np.ndarray) -> str:
    """An RGB uint8 array as a PNG data URL: a picture inside a spec, nothing to fetch."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def blues(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """RGB uint8 of ``values`` on the reversed blues scheme: ``low`` darkest, ``high`` lightest."""
    t = np.clip((values - low) / ((high - low) or 1.0), 0.0, 1.0) * (len(BLUES) - 1)
    below = np.minimum(t.astype(int), len(BLUES) - 2)
    share = (t - below)[..., None]
    dark_to_light = BLUES[::-1]
    rgb = dark_to_light[below] * (1 - share) + dark_to_light[below + 1] * share
    return rgb.round().astype(np.uint8)
