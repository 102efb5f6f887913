"""The math panel: LaTeX formatting, the numbers it shows against numpy by hand, the gradient-norm
chart spec, and the panel drawn by Streamlit (AppTest) with its gradient-check button."""

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nn
from kit.math_panel import (
    grad_norm_spec,
    gradient_check_rows,
    layer_equations,
    layer_latex,
    matrix_latex,
    number_latex,
)
from nn import Network


def tiny_network(output: str = "sigmoid", loss: str = "cross_entropy") -> Network:
    net = Network(loss=loss, init="xavier", seed=3)
    return net.add(3, activation="tanh", input_dim=2).add(1, activation=output)


# ---- formatting ----------------------------------------------------------------------------
def test_number_latex_rounds_to_significant_digits_and_writes_powers_of_ten():
    assert number_latex(3.14159) == "3.14"
    assert number_latex(3.14159, digits=4) == "3.142"
    assert number_latex(-0.0) == "0"
    assert number_latex(-1.2345e-7) == r"-1.23 \times 10^{-7}"
    assert number_latex(float("nan")) == r"\mathrm{NaN}"


def test_matrix_latex_writes_a_small_matrix_in_full():
    text = matrix_latex(np.array([[1.0, -2.5], [0.125, 1e-9]]))
    assert text == r"\begin{bmatrix}1 & -2.5 \\ 0.125 & 1 \times 10^{-9}\end{bmatrix}"


def test_matrix_latex_treats_a_1d_array_as_a_column():
    assert matrix_latex([1.0, 2.0]) == r"\begin{bmatrix}1 \\ 2\end{bmatrix}"


def test_matrix_latex_elides_the_middle_of_wide_and_tall_matrices():
    matrix = np.arange(100.0).reshape(10, 10)
    text = matrix_latex(matrix, max_rows=6, max_cols=6)
    body = text.removeprefix(r"\begin{bmatrix}").removesuffix(r"\end{bmatrix}")
    rows = body.split(r" \\ ")
    assert len(rows) == 7  # 3 rows, a row of dots, 3 rows
    assert rows[3].split(" & ") == [r"\vdots"] * 3 + [r"\ddots"] + [r"\vdots"] * 3
    assert rows[0].split(" & ") == ["0", "1", "2", r"\cdots", "7", "8", "9"]
    assert rows[-1].split(" & ")[-1] == "99"
    assert "45" not in rows[0] and "55" not in body  # the middle is gone


def test_matrix_latex_keeps_a_matrix_at_the_limit_whole():
    text = matrix_latex(np.ones((6, 6)))
    assert r"\vdots" not in text and r"\cdots" not in text
    assert text.count(r" \\ ") == 5


# ---- the numbers, against numpy by hand ------------------------------------------------------
def test_layer_equations_match_the_chain_rule_by_hand():
    net = tiny_network()
    x, y = np.array([0.7, -1.3]), np.array([1.0])
    W1, b1 = net.layers[0].weights.copy(), net.layers[0].bias.copy()
    W2, b2 = net.layers[1].weights.copy(), net.layers[1].bias.copy()

    a0 = x[:, None]
    z1 = W1 @ a0 + b1
    a1 = np.tanh(z1)
    z2 = W2 @ a1 + b2
    a2 = 1 / (1 + np.exp(-z2))
    delta2 = a2 - y[:, None]  # cross-entropy with a sigmoid output, m = 1
    delta1 = (W2.T @ delta2) * (1 - a1**2)

    first, second = layer_equations(net, x, y)
    np.testing.assert_allclose(first["a_prev"], a0)
    np.testing.assert_allclose(first["z"], z1, rtol=1e-12)
    np.testing.assert_allclose(first["a"], a1, rtol=1e-12)
    np.testing.assert_allclose(second["z"], z2, rtol=1e-12)
    np.testing.assert_allclose(second["a"], a2, rtol=1e-12)
    np.testing.assert_allclose(second["delta"], delta2, rtol=1e-12)
    np.testing.assert_allclose(second["dW"], delta2 @ a1.T, rtol=1e-12)
    np.testing.assert_allclose(second["db"], delta2, rtol=1e-12)
    np.testing.assert_allclose(first["backprop"], W2.T @ delta2, rtol=1e-12)
    np.testing.assert_allclose(first["slope"], 1 - a1**2, rtol=1e-12)
    np.testing.assert_allclose(first["delta"], delta1, rtol=1e-12)
    np.testing.assert_allclose(first["dW"], delta1 @ a0.T, rtol=1e-12)
    np.testing.assert_allclose(first["db"], delta1, rtol=1e-12)
    assert first["W"].shape == (3, 2) and second["W"].shape == (1, 3)


def test_layer_equations_apply_g_prime_at_the_output_for_mse():
    net = tiny_network(output="linear", loss="mse")
    x, y = np.array([0.2, 0.4]), np.array([3.0])
    *_, out = layer_equations(net, x, y)
    np.testing.assert_allclose(out["delta"], 2 * (out["a"] - 3.0), rtol=1e-12)


def test_layer_equations_leave_the_network_untouched():
    net = tiny_network()
    before = [layer.params.copy() for layer in net.layers]
    layer_equations(net, np.array([0.5, 0.5]), np.array([0.0]))
    for layer, params in zip(net.layers, before, strict=True):
        np.testing.assert_array_equal(layer.params, params)
    assert net.layers[0].Z is None  # no pass ran on the original


def test_layer_latex_shows_shapes_and_the_numbers():
    net = tiny_network()
    first, second = layer_equations(net, np.array([0.7, -1.3]), np.array([1.0]))
    lines = layer_latex(first, net.loss)
    assert r"W^{[1]} \in \mathbb{R}^{3 \times 2}" in lines["shapes"][0]
    assert lines["forward"][0].startswith(r"\begin{aligned}z^{[1]} &= W^{[1]} a^{[0]} + b^{[1]} \\")
    assert number_latex(first["z"][0, 0]) in lines["forward"][0]
    assert r"W^{[2]\top} \delta^{[2]}" in lines["backward"][0]
    assert layer_latex(second, net.loss)["backward"][0].startswith(
        r"\delta^{[2]} = \frac{\partial J}{\partial z^{[2]}} ="
    )


# ---- gradient norms and gradient check -------------------------------------------------------
def test_grad_norm_spec_has_one_line_per_layer_on_a_log_axis():
    norms = [np.array([1.0, 0.5]), np.array([0.8, 0.0]), np.array([0.6, np.nan])]
    spec = grad_norm_spec(norms)
    assert spec["encoding"]["y"]["scale"] == {"type": "log"}
    assert spec["encoding"]["color"]["field"] == "layer"
    values = spec["data"]["values"]
    assert {row["layer"] for row in values} == {"layer 1", "layer 2"}
    assert len(values) == 4  # zero and NaN cannot sit on a log axis
    assert values[0] == {"iteration": 0, "layer": "layer 1", "norm": 1.0}


def test_grad_norm_spec_thins_long_runs_but_keeps_both_ends():
    norms = [np.array([k + 1.0, 2.0, 3.0]) for k in range(5000)]
    values = grad_norm_spec(norms, max_steps=500)["data"]["values"]
    iterations = sorted({row["iteration"] for row in values})
    assert len(iterations) == 500
    assert iterations[0] == 0 and iterations[-1] == 4999
    assert len(values) == 3 * 500


def test_grad_norm_spec_of_no_steps_is_empty():
    assert grad_norm_spec([])["data"]["values"] == []


def test_gradient_check_rows_tick_only_small_errors():
    rows = gradient_check_rows([3e-10, 0.2])
    assert rows[0] == {"layer": 1, "relative error": "3.00e-10", "ok": "✓"}
    assert rows[1]["ok"] == "✗"


# ---- the panel in Streamlit ------------------------------------------------------------------
def panel_script() -> None:
    import numpy as np

    from kit.math_panel import math_panel
    from nn import Network

    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    net = Network(loss="cross_entropy", init="xavier", seed=1)
    net.add(3, activation="tanh", input_dim=2).add(1, activation="sigmoid")
    trainer = net.trainer(X, Y, learning_rate=0.5)
    for _ in range(5):
        trainer.step()
    math_panel(net, X, Y, key="mp", grad_norms=trainer.grad_norms)


@pytest.fixture
def panel() -> AppTest:
    return AppTest.from_function(panel_script, default_timeout=30).run()


def test_math_panel_draws_equations_and_the_gradient_norm_chart(panel: AppTest):
    assert not panel.exception
    formulas = [element.value for element in panel.latex]
    assert any(r"W^{[1]} \in \mathbb{R}^{3 \times 2}" in text for text in formulas)
    assert any(r"\delta^{[1]} =" in text for text in formulas)
    assert any("features in rows" in text.value for text in panel.markdown)
    assert len(panel.get("vega_lite_chart")) == 1
    assert not panel.table  # the gradient check waits for its button


def test_math_panel_follows_the_chosen_sample(panel: AppTest):
    before = [element.value for element in panel.latex]
    panel.number_input(key="mp_sample").set_value(5).run()
    assert not panel.exception
    assert [element.value for element in panel.latex] != before


def test_gradient_check_runs_once_per_click_and_shows_small_errors(
    panel: AppTest, monkeypatch: pytest.MonkeyPatch
):
    calls, real_gradient_check = [], nn.gradient_check

    def counted_gradient_check(*args, **kwargs):
        calls.append(1)
        return real_gradient_check(*args, **kwargs)

    monkeypatch.setattr(nn, "gradient_check", counted_gradient_check)
    panel.run()
    assert calls == []  # reruns without a click never pay for it
    panel.button(key="mp_gradcheck").click().run()
    assert not panel.exception
    errors = panel.session_state["mp_gradcheck_result"][1]
    assert len(errors) == 2 and max(errors) < 1e-6
    assert list(panel.table[0].value["ok"]) == ["✓", "✓"]
    panel.run()  # a later rerun shows the cached result without recomputing
    assert len(panel.table) == 1 and calls == [1]
