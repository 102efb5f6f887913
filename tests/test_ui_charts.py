"""ui.charts: the Vega-Lite specs hold the data they should, thinned and finite."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from ui.charts import (
    MAX_POINTS,
    cost_surface_spec,
    curve,
    fit_spec,
    linear_cost_grid,
    loss_curves_spec,
    thin,
)


def test_thin_keeps_first_and_last_and_caps_the_count() -> None:
    indices, values = thin(np.arange(10_000.0), 500)
    assert len(indices) <= 500
    assert indices[0] == 0 and indices[-1] == 9_999
    assert np.array_equal(values, indices)
    assert len(thin([1.0, 2.0])[0]) == 2


def test_loss_curves_overlay_history_on_a_log_axis() -> None:
    history = [
        curve("#1 lr 0.01", np.linspace(10, 1, 3000)),
        curve("#2 lr 0.1", [5.0, 0.0, np.nan, 1.0]),
    ]
    current = curve("#3 lr 1", [3.0, 2.0, 1.0])
    spec = loss_curves_spec(current, history)
    json.dumps(spec)  # plain JSON: what the browser receives
    assert spec["encoding"]["y"]["scale"]["type"] == "log"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["#1 lr 0.01", "#2 lr 0.1", "#3 lr 1"]
    rows = spec["data"]["values"]
    by_run = {
        label: [r for r in rows if r["run"] == label]
        for label in ["#1 lr 0.01", "#2 lr 0.1", "#3 lr 1"]
    }
    assert len(by_run["#1 lr 0.01"]) <= MAX_POINTS
    assert [r["iteration"] for r in by_run["#2 lr 0.1"]] == [0, 3]  # 0 and NaN cannot be drawn
    assert all(r["current"] for r in by_run["#3 lr 1"])
    assert not any(r["current"] for r in by_run["#1 lr 0.01"])


def test_loss_curves_without_a_run_is_empty() -> None:
    assert loss_curves_spec(None)["data"]["values"] == []


def test_fit_spec_has_points_and_lines() -> None:
    X = np.array([[0.0], [1.0]])
    spec = fit_spec((X, 2 * X + 1), [("network", X, X), ("least squares", X, 2 * X + 1)])
    json.dumps(spec)
    lines, points = spec["layer"]
    assert points["data"]["values"] == [{"x": 0.0, "y": 1.0}, {"x": 1.0, "y": 3.0}]
    assert {r["line"] for r in lines["data"]["values"]} == {"network", "least squares"}


def test_cost_grid_is_the_mse_of_a_line() -> None:
    X = np.array([[-1.0], [0.0], [2.0]])
    Y = 2 * X + 1
    ws, bs, J = linear_cost_grid(X, Y, (2.0, 1.0), 3.0, n=7)
    assert J.shape == (7, 7)
    assert J[3, 3] == 0  # the centre is the exact answer
    i, j = 1, 5
    assert np.isclose(J[i, j], np.mean((ws[j] * X + bs[i] - Y) ** 2))


def test_cost_surface_draws_one_picture_its_legend_path_and_answer() -> None:
    X = np.linspace(-2, 4, 7).reshape(-1, 1)
    ws, bs, J = linear_cost_grid(X, 2 * X + 1, (2.0, 1.0), 3.0, n=10)
    path = np.array([[0.0, 0.0], [0.5, 0.1], [np.inf, np.nan]])
    spec = cost_surface_spec(ws, bs, J, path=path, answer=(2.0, 1.0))
    json.dumps(spec)
    picture, legend, drawn_path, answer = spec["layer"]
    (drawn,) = picture["data"]["values"]
    rgb = np.asarray(Image.open(io.BytesIO(base64.b64decode(drawn["url"].split(",")[1]))))
    assert rgb.shape == (10, 10, 3)  # one pixel per cell, the highest b on top
    i, j = np.unravel_index(J.argmin(), J.shape)
    assert rgb[9 - i, j].sum() == rgb.sum(axis=2).min()  # the lowest cost is the darkest blue
    assert rgb[9 - i, j].sum() < rgb[0, 0].sum()
    assert [r["log_cost"] for r in legend["data"]["values"]] == [
        pytest.approx(np.log10(J.min() + 1e-6)),
        pytest.approx(np.log10(J.max() + 1e-6)),
    ]
    assert [(r["w"], r["b"]) for r in drawn_path["data"]["values"]] == [(0.0, 0.0), (0.5, 0.1)]
    assert answer["data"]["values"] == [{"w": 2.0, "b": 1.0}]


def test_a_thinned_trainer_history_is_drawn_at_its_own_iterations() -> None:
    from nn.training import History
    from ui.math_panel import grad_norm_spec

    costs, norms = History(100), History(100)
    for step in range(1000):
        costs.append(step, 1.0 / (step + 1))
        norms.append(step, np.array([1.0 / (step + 1)]))
    drawn = curve("long run", costs, max_points=1000)
    assert list(drawn.iterations) == costs.iterations and drawn.iterations[-1] == 999
    assert np.allclose(drawn.costs, 1.0 / (drawn.iterations + 1))
    rows = grad_norm_spec(norms)["data"]["values"]
    assert all(row["norm"] == 1.0 / (row["iteration"] + 1) for row in rows)
    assert rows[-1]["iteration"] == 999
