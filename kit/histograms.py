"""Histograms of a network's weights and of its layers' activations over the data, per layer,
and their Vega-Lite charts. No Streamlit: a page draws the charts with ``st.vega_lite_chart``.

The bin edges are fixed (they depend on the activation, never on the values), so two pictures
of the same layer taken a few hundred iterations apart can be compared bar by bar. A value
beyond the edges is counted in the outermost bin on its side, and ``outside`` says how many
were.
"""

from dataclasses import dataclass

import numpy as np

BINS = 24
WEIGHT_RANGE = (-3.0, 3.0)
# Where each activation's outputs live; unbounded ones get a range that holds a trained
# network's usual values, the rest land in the outer bins.
ACTIVATION_RANGES = {
    "tanh": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "relu": (0.0, 5.0),
    "leaky_relu": (-1.0, 5.0),
    "linear": (-5.0, 5.0),
}
DEFAULT_RANGE = (-5.0, 5.0)
CHUNK = 4096  # rows per forward pass, so memory stays fixed however many samples there are


@dataclass(frozen=True)
class Histogram:
    """``counts[i]`` values fell in [edges[i], edges[i + 1]) (the last bin includes its right
    edge); ``outside`` of them were beyond the edges and are counted in the outer bins."""

    edges: np.ndarray
    counts: np.ndarray
    outside: int

    @property
    def total(self) -> int:
        return int(self.counts.sum())


@dataclass(frozen=True)
class LayerHistograms:
    """Layer ``index`` (1 = the first hidden layer): ``units`` units of ``activation``."""

    index: int
    units: int
    activation: str
    weights: Histogram
    activations: Histogram

    @property
    def title(self) -> str:
        return f"Layer {self.index}: {self.units} {self.activation}"


def fixed_edges(low: float, high: float, bins: int = BINS) -> np.ndarray:
    """``bins`` equal bins from ``low`` to ``high``."""
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"a histogram needs finite edges low < high, got {low!r} and {high!r}")
    if int(bins) != bins or bins < 1:
        raise ValueError(f"bins must be a whole number of at least 1, got {bins!r}")
    return np.linspace(low, high, int(bins) + 1)


def histogram(values: np.ndarray, edges: np.ndarray) -> Histogram:
    """Counts of ``values`` in the bins ``edges``, values beyond them in the outer bins."""
    values = np.asarray(values, dtype=float).ravel()
    outside = int(np.count_nonzero((values < edges[0]) | (values > edges[-1])))
    counts, _ = np.histogram(np.clip(values, edges[0], edges[-1]), bins=edges)
    return Histogram(edges=edges, counts=counts, outside=outside)


def activation_edges(activation: str, bins: int = BINS) -> np.ndarray:
    return fixed_edges(*ACTIVATION_RANGES.get(activation, DEFAULT_RANGE), bins)


def layer_histograms(network, X, bins: int = BINS) -> list[LayerHistograms]:
    """Per layer of ``network`` (an ``nn.Network``): the histogram of its weights (not the
    biases) and of its activations A over every sample of ``X`` (n_samples, features)."""
    X = network.check_data(X).astype(float, copy=False)
    weight_edges = fixed_edges(*WEIGHT_RANGE, bins)
    counts = [np.zeros(bins, np.int64) for _ in network.layers]
    outside = [0] * len(network.layers)
    for start in range(0, len(X), CHUNK):
        A = X[start : start + CHUNK]
        for i, layer in enumerate(network.layers):
            Z = A @ layer.weights.T.astype(float) + layer.bias.T.astype(float)
            A = np.asarray(layer.activation(Z), dtype=float)
            part = histogram(A, activation_edges(layer.activation.name, bins))
            counts[i] += part.counts
            outside[i] += part.outside
    return [
        LayerHistograms(
            index=i + 1,
            units=layer.units,
            activation=layer.activation.name,
            weights=histogram(layer.weights, weight_edges),
            activations=Histogram(
                activation_edges(layer.activation.name, bins), counts[i], outside[i]
            ),
        )
        for i, layer in enumerate(network.layers)
    ]


def _bars(hist: Histogram, what: str) -> list[dict]:
    return [
        {"what": what, "from": float(low), "to": float(high), "count": int(count)}
        for low, high, count in zip(hist.edges[:-1], hist.edges[1:], hist.counts, strict=True)
    ]


def histogram_spec(layer: LayerHistograms, height: int = 160) -> dict:
    """A Vega-Lite chart of one layer: its weights' histogram beside its activations'."""

    def panel(hist: Histogram, what: str, colour: str) -> dict:
        beyond = f" ({hist.outside} beyond the edges, in the outer bars)" if hist.outside else ""
        return {
            "title": f"{what}{beyond}",
            "data": {"values": _bars(hist, what)},
            "mark": {"type": "bar", "color": colour},
            "encoding": {
                "x": {"field": "from", "type": "quantitative", "bin": {"binned": True},
                      "title": what, "scale": {"domain": [float(hist.edges[0]),
                                                           float(hist.edges[-1])]}},
                "x2": {"field": "to"},
                "y": {"field": "count", "type": "quantitative", "title": "count"},
                "tooltip": [
                    {"field": "from", "format": ".3g"},
                    {"field": "to", "format": ".3g"},
                    {"field": "count"},
                ],
            },
            "height": height,
        }  # fmt: skip

    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": layer.title,
        "hconcat": [
            panel(layer.weights, "weights", "#4c78a8"),
            panel(layer.activations, "activations", "#f58518"),
        ],
    }
