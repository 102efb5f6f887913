"""Chart helpers: thinned cost curves (the history overlay) and pictures as PNG data URLs.
Font sizes for the Vega-Lite charts that the paused views draw."""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from nn.training import History

MAX_POINTS = 500
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


def png_data_url(rgb: np.ndarray) -> str:
    """An RGB uint8 array as a PNG data URL: a picture inside a spec, nothing to fetch."""
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
