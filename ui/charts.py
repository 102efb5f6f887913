"""Raw Vega-Lite specs for the live views: cheap to rebuild on every training frame.

Building a dict and handing it to ``st.vega_lite_chart(spec, width="stretch")`` costs a few
milliseconds; ``st.line_chart`` or Altair cost about 90 ms. Data travel inline in the spec,
thinned to at most ``MAX_POINTS`` per curve.
"""

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from nn.training import History

MAX_POINTS = 500
CURRENT_COLOR = "#0877bd"
HISTORY_COLORS = ("#f59322", "#7b5ea7", "#2a9d8f", "#c0392b", "#8c6d31")
POINT_COLOR = "#1b1f24"
FIT_COLOR = "#0877bd"
REFERENCE_COLOR = "#9aa5b1"
PATH_COLOR = "#e4572e"
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


def _config() -> dict:
    return {
        "axis": {**FONT_SIZES, "grid": True, "gridColor": "#e6eaef"},
        "legend": {**FONT_SIZES, "labelLimit": 320, "orient": "bottom", "direction": "vertical"},
        "view": {"stroke": None},
    }


def loss_curves_spec(
    current: Curve | None, history: Sequence[Curve] = (), height: int = 300
) -> dict:
    """Cost against iteration on a log scale: the current run bold, past runs thin beside it."""
    rows, labels, colors = [], [], []
    for index, item in enumerate(history):
        labels.append(item.label)
        colors.append(HISTORY_COLORS[index % len(HISTORY_COLORS)])
        rows += _curve_rows(item, current=False)
    if current is not None:
        labels.append(current.label)
        colors.append(CURRENT_COLOR)
        rows += _curve_rows(current, current=True)
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "line", "interpolate": "linear", "clip": True},
        "encoding": {
            "x": {"field": "iteration", "type": "quantitative", "title": "iteration"},
            "y": {
                "field": "cost",
                "type": "quantitative",
                "scale": {"type": "log"},
                "title": "cost (log scale)",
                "axis": {"format": ".0e"},
            },
            "color": {
                "field": "run",
                "type": "nominal",
                "title": None,
                "scale": {"domain": labels, "range": colors},
            },
            "strokeWidth": {
                "field": "current",
                "type": "nominal",
                "scale": {"domain": [True, False], "range": [3.5, 1.8]},
                "legend": None,
            },
            "tooltip": [
                {"field": "run", "title": "run"},
                {"field": "iteration"},
                {"field": "cost", "format": ".4g"},
            ],
        },
        "config": _config(),
    }


def metric_curves_spec(
    series: dict[str, Sequence[tuple[int, float]]], title: str, height: int = 260, log: bool = False
) -> dict:
    """Several metrics against iteration (e.g. train and test accuracy), one coloured line each;
    each series is (iteration, value) pairs, thinned to ``MAX_POINTS``."""
    rows = []
    for name, points in series.items():
        if not points:
            continue
        indices, _ = thin(np.arange(len(points)))
        for i in indices:
            iteration, value = points[int(i)]
            if np.isfinite(value) and (value > 0 or not log):
                rows.append({"iteration": int(iteration), "value": float(value), "metric": name})
    names = list(series)
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "line", "strokeWidth": 2.5, "point": len(rows) < 60},
        "encoding": {
            "x": {"field": "iteration", "type": "quantitative", "title": "iteration"},
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": title,
                "scale": {"type": "log"} if log else {"zero": False},
            },
            "color": {
                "field": "metric",
                "type": "nominal",
                "title": None,
                "scale": {"domain": names, "range": [CURRENT_COLOR, *HISTORY_COLORS][: len(names)]},
            },
            "tooltip": [
                {"field": "metric", "type": "nominal"},
                {"field": "iteration", "type": "quantitative"},
                {"field": "value", "type": "quantitative", "format": ".4g"},
            ],
        },
        "config": _config(),
    }


def _curve_rows(item: Curve, current: bool) -> list[dict]:
    # A log axis cannot show 0, NaN or infinity: leave those points out.
    keep = np.isfinite(item.costs) & (item.costs > 0)
    return [
        {"iteration": int(i), "cost": float(c), "run": item.label, "current": current}
        for i, c in zip(item.iterations[keep], item.costs[keep], strict=True)
    ]


def fit_spec(
    points: tuple[np.ndarray, np.ndarray],
    lines: Sequence[tuple[str, np.ndarray, np.ndarray]],
    x_title: str = "x",
    y_title: str = "y",
    height: int = 300,
) -> dict:
    """Data points and named curves through them, e.g. [("learned", xs, ys), ...]; the first
    line is drawn bold, the others dashed and grey."""
    x, y = (np.asarray(a, dtype=float).ravel() for a in points)
    point_rows = [{"x": float(a), "y": float(b)} for a, b in zip(x, y, strict=True)]
    line_rows = [
        {"x": float(a), "y": float(b), "line": name}
        for name, xs, ys in lines
        for a, b in zip(np.ravel(xs), np.ravel(ys), strict=True)
        if np.isfinite(b)
    ]
    names = [name for name, _, _ in lines]
    x_scale = {"domain": _padded_range(x)}
    y_scale = {"domain": _padded_range(y)}
    return {
        "height": height,
        "layer": [
            {
                "data": {"values": line_rows},
                "mark": {"type": "line", "clip": True},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "title": x_title, "scale": x_scale},
                    "y": {"field": "y", "type": "quantitative", "title": y_title, "scale": y_scale},
                    "color": {
                        "field": "line",
                        "type": "nominal",
                        "title": None,
                        "scale": {
                            "domain": names,
                            "range": [FIT_COLOR] + [REFERENCE_COLOR] * (len(names) - 1),
                        },
                        "legend": {"orient": "top-left", "direction": "vertical"},
                    },
                    "strokeDash": {
                        "field": "line",
                        "type": "nominal",
                        "scale": {"domain": names, "range": [[1, 0]] + [[6, 4]] * (len(names) - 1)},
                        "legend": None,
                    },
                    "strokeWidth": {"value": 3},
                },
            },
            {
                "data": {"values": point_rows},
                "mark": {"type": "circle", "size": 110, "color": POINT_COLOR, "opacity": 0.9},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative", "scale": x_scale},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale},
                    "tooltip": [{"field": "x", "format": ".3g"}, {"field": "y", "format": ".3g"}],
                },
            },
        ],
        "config": _config(),
    }


def _padded_range(values: np.ndarray, share: float = 0.12) -> list[float]:
    low, high = float(np.min(values)), float(np.max(values))
    pad = (high - low) * share or 1.0
    return [low - pad, high + pad]


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


def cost_surface_spec(
    ws: np.ndarray,
    bs: np.ndarray,
    costs: np.ndarray,
    path: np.ndarray | None = None,
    answer: tuple[float, float] | None = None,
    height: int = 320,
    max_path_points: int = MAX_POINTS,
) -> dict:
    """A map of the cost over (w, b) (log colour), the optimiser's path over it and the
    closed-form answer as a diamond. ``path`` holds one (w, b) row per iteration. The map is
    one picture: a grid of cells would be a mark each, for the browser to redraw every frame."""
    dw, db = (ws[1] - ws[0]) / 2, (bs[1] - bs[0]) / 2
    log_costs = np.log10(costs + 1e-6)
    low, high = float(log_costs.min()), float(log_costs.max())
    x_scale = {"domain": [float(ws[0] - dw), float(ws[-1] + dw)], "nice": False}
    y_scale = {"domain": [float(bs[0] - db), float(bs[-1] + db)], "nice": False}
    x = {"field": "w", "type": "quantitative", "title": "weight w", "scale": x_scale}
    y = {"field": "b", "type": "quantitative", "title": "bias b", "scale": y_scale}
    middle = {"w": float(ws.mean()), "b": float(bs.mean())}
    picture = png_data_url(blues(log_costs[::-1], low, high))  # row 0 on top: the highest b
    layers = [
        {
            "data": {"values": [{**middle, "url": picture}]},
            "mark": {
                "type": "image",
                "width": {"expr": "width"},  # the plot's size, once axes and legend have theirs
                "height": {"expr": "height"},
                "aspect": False,
                "align": "center",
                "baseline": "middle",
            },
            "encoding": {"x": x, "y": y, "url": {"field": "url", "type": "nominal"}},
        },
        {  # no marks, only the colour legend of the picture
            "data": {"values": [{**middle, "log_cost": low}, {**middle, "log_cost": high}]},
            "mark": {"type": "point", "opacity": 0},
            "encoding": {
                "x": x,
                "y": y,
                "color": {
                    "field": "log_cost",
                    "type": "quantitative",
                    "title": "log₁₀ cost",
                    "legend": {"orient": "right", "direction": "vertical", "gradientLength": 200},
                    "scale": {"scheme": "blues", "reverse": True},
                },
            },
        },
    ]
    if path is not None and len(path):
        index, _ = thin(np.arange(len(path)), max_path_points)
        rows = [
            {"w": float(path[k, 0]), "b": float(path[k, 1]), "step": int(k)}
            for k in index
            if np.isfinite(path[k]).all()
        ]
        layers.append(
            {
                "data": {"values": rows},
                "mark": {"type": "line", "point": {"size": 30}, "clip": True, "color": PATH_COLOR},
                "encoding": {
                    "x": x,
                    "y": y,
                    "order": {"field": "step", "type": "quantitative"},
                    "color": {"value": PATH_COLOR},
                    "strokeWidth": {"value": 2.5},
                    "tooltip": [
                        {"field": "step", "title": "iteration"},
                        {"field": "w", "format": ".4f"},
                        {"field": "b", "format": ".4f"},
                    ],
                },
            }
        )
    if answer is not None:
        layers.append(
            {
                "data": {"values": [{"w": float(answer[0]), "b": float(answer[1])}]},
                "mark": {"type": "point", "shape": "diamond", "size": 220, "filled": True,
                         "color": "#ffd166", "stroke": POINT_COLOR, "strokeWidth": 1.5},
                "encoding": {"x": x, "y": y},
            }
        )  # fmt: skip
    return {"height": height, "layer": layers, "config": _config()}
