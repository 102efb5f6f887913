"""lessons.linear.logic: the seven points, the closed form, the cost surface, the prediction at
12, and the tutorial's numbers through the engine; all without Streamlit."""

import json
import subprocess
import sys

import numpy as np
import pytest

import nn
from kit import colormaps
from lessons.linear import logic
from tests import DATA, REPO_ROOT

REFERENCE = json.loads((DATA / "tutorial_results.json").read_text())["linear_regression"]


def test_importing_the_logic_imports_no_streamlit() -> None:
    code = "import lessons.linear.logic, sys; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


def test_the_default_points_are_the_tutorials_seven() -> None:
    X, Y = logic.points()
    assert X.shape == Y.shape == (7, 1)
    assert X.ravel().tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    assert np.array_equal(Y, 2 * X + 1)


def test_noise_moves_the_points_the_same_way_each_time() -> None:
    X, Y = logic.points(20, 0.5)
    again = logic.points(20, 0.5)[1]
    assert X.shape == (20, 1) and np.array_equal(Y, again)
    assert not np.allclose(Y, 2 * X + 1)


def test_the_closed_form_gives_w_2_and_b_1() -> None:
    w, b = logic.least_squares(*logic.points())
    assert w == pytest.approx(2.0, abs=1e-12) and b == pytest.approx(1.0, abs=1e-12)


def test_the_closed_form_is_least_squares_on_noisy_points() -> None:
    X, Y = logic.points(50, 1.0)
    slope, intercept = np.polyfit(X.ravel(), Y.ravel(), 1)
    assert logic.least_squares(X, Y) == pytest.approx((slope, intercept), abs=1e-9)


def test_predicting_12_gives_25() -> None:
    assert logic.predict(*logic.least_squares(*logic.points()), logic.PREDICT_AT) == (
        pytest.approx(25.0, abs=1e-10)
    )
    assert np.array_equal(logic.predict(2.0, 1.0, np.array([[0.0], [12.0]])), [[1.0], [25.0]])


def test_the_tutorials_network_predicts_25_at_12() -> None:
    X, Y = logic.points()
    network = nn.Network(loss="mse", init="tutorial", init_scale=REFERENCE["init_scale"], seed=1)
    network.add(1, activation="linear", input_dim=1)
    costs = network.fit(X, Y, REFERENCE["iterations"], REFERENCE["learning_rate"])
    every = REFERENCE["print_every"]
    assert costs[::every] == pytest.approx(REFERENCE["costs"], rel=1e-9)
    prediction = logic.network_prediction(network, logic.PREDICT_AT)
    assert prediction == pytest.approx(REFERENCE["predict_12"], abs=1e-6)
    w, b = logic.line_weights(network)
    assert logic.predict(w, b, logic.PREDICT_AT) == pytest.approx(prediction, abs=1e-12)


def test_cost_grid_is_the_mse_of_a_line() -> None:
    X = np.array([[-1.0], [0.0], [2.0]])
    Y = 2 * X + 1
    ws, bs, J = logic.cost_grid(X, Y, (2.0, 1.0), 3.0, n=7)
    assert J.shape == (7, 7)
    assert J[3, 3] == 0  # the centre is the exact answer
    i, j = 1, 5
    assert np.isclose(J[i, j], np.mean((ws[j] * X + bs[i] - Y) ** 2))


def test_the_cost_surfaces_minimum_is_at_2_1() -> None:
    X, Y = logic.points()
    surface = logic.cost_surface(X, Y, logic.least_squares(X, Y))
    n = logic.SURFACE_SIZE
    assert surface.ws.shape == surface.bs.shape == (n,) and surface.costs.shape == (n, n)
    i, j = np.unravel_index(np.argmin(surface.costs), surface.costs.shape)
    step = surface.ws[1] - surface.ws[0]
    assert abs(surface.ws[j] - 2.0) <= step and abs(surface.bs[i] - 1.0) <= step
    w_left, w_right, b_bottom, b_top = surface.extent
    assert (w_left + w_right) / 2 == pytest.approx(2.0)
    assert (b_bottom + b_top) / 2 == pytest.approx(1.0)
    assert w_left < 0 < w_right and b_bottom < 0 < b_top  # where the small init starts


def test_the_surface_widens_to_reach_the_origin() -> None:
    X = np.linspace(-2, 4, 7).reshape(-1, 1)
    surface = logic.cost_surface(X, 10 * X - 5, (10.0, -5.0))
    assert surface.ws[0] == pytest.approx(0.0) and surface.ws[-1] == pytest.approx(20.0)
    assert surface.bs[0] == pytest.approx(-15.0) and surface.bs[-1] == pytest.approx(5.0)


def test_the_surface_picture_is_darkest_at_the_lowest_cost() -> None:
    X, Y = logic.points()
    surface = logic.cost_surface(X, Y, (2.0, 1.0))
    picture = surface.picture()
    assert picture.shape == (logic.SURFACE_SIZE, logic.SURFACE_SIZE, 3)
    assert picture.dtype == np.uint8
    top = logic.SURFACE_SIZE - 1  # row 0 of the picture is the largest b
    i, j = np.unravel_index(np.argmin(surface.costs), surface.costs.shape)
    assert picture[top - i, j].tolist() == colormaps.lut("blues")[-1].tolist()  # the darkest
    i, j = np.unravel_index(np.argmax(surface.costs), surface.costs.shape)
    assert picture[top - i, j].tolist() == colormaps.lut("blues")[0].tolist()  # the lightest
    assert picture[top - i, j].tolist() != picture[i, j].tolist()  # so the flip is seen
    safe = surface.picture("cividis")  # the colour-blind-safe choice: its darkest at the floor
    i, j = np.unravel_index(np.argmin(surface.costs), surface.costs.shape)
    assert safe[top - i, j].tolist() == colormaps.lut("cividis")[-1].tolist()


def test_the_problem_holds_the_line_and_the_plot_range() -> None:
    X, Y = logic.points()
    problem = logic.Problem.of(X, Y)
    assert problem.xs.shape == problem.best_line.shape == (logic.PLOT_SAMPLES, 1)
    assert problem.xs[0, 0] == -2.5 and problem.xs[-1, 0] == 4.5
    assert np.allclose(problem.best_line, 2 * problem.xs + 1)
    low, high = problem.y_range
    assert low < -4.0 and high > 10.0  # the line's ends, y(-2.5) = -4 and y(4.5) = 10, with room
    assert (high - low) == pytest.approx(1.2 * 14.0)


def test_the_data_code_names_the_sliders_values() -> None:
    code = logic.data_code(12, 0.5)
    assert "make_linear(n_points=12, x_min=-2.0, x_max=4.0, noise=0.5, seed=0)" in code
