"""Backpropagation agrees with central differences, and stays finite where the tutorial's NaNs."""

import itertools

import numpy as np
import pytest

from nn import Network, get_activation, gradient_check

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
# Each loss with the output activations it can be paired with.
OUTPUTS = [
    ("cross_entropy", "sigmoid"),
    ("categorical_cross_entropy", "softmax"),
    ("mse", "linear"),
    ("mse", "sigmoid"),
    ("mse", "tanh"),
    ("mse", "relu"),
    ("mse", "leaky_relu"),
    ("mse", "softmax"),
]


def toy_problem(loss: str, outputs: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 3))
    if loss == "categorical_cross_entropy":
        Y = np.eye(outputs)[rng.integers(0, outputs, 12)]
    elif loss == "cross_entropy":
        Y = rng.integers(0, 2, (12, outputs)).astype(float)
    else:
        Y = rng.normal(size=(12, outputs))
    return X, Y


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
@pytest.mark.parametrize(("hidden", "output"), list(itertools.product(HIDDEN, OUTPUTS)))
def test_backprop_matches_central_differences(hidden, output, depth):
    loss, output_activation = output
    outputs = 1 if output_activation == "sigmoid" and loss == "cross_entropy" else 3
    X, Y = toy_problem(loss, outputs, seed=depth)
    net = Network(loss=loss, init="xavier", seed=depth)
    net.add(5, activation=hidden, input_dim=3)
    for _ in range(depth - 1):
        net.add(4, activation=hidden)
    net.add(outputs, activation=output_activation)
    # relu has a kink at z = 0 where no derivative exists. With zero biases, a sample whose relu
    # inputs are all 0 has z = 0 exactly in the next layer, so give the biases random values.
    rng = np.random.default_rng(depth)
    for layer in net.layers:
        layer.bias[:] = rng.normal(scale=0.5, size=layer.bias.shape)
    errors = gradient_check(net, X, Y)
    assert len(errors) == depth + 1
    assert max(errors) < 1e-6, errors


def test_gradient_check_includes_l2():
    X, Y = toy_problem("cross_entropy", 1)
    net = Network(init="he", seed=3).add(4, "tanh", input_dim=3).add(1, "sigmoid")
    assert max(gradient_check(net, X, Y, l2=0.1)) < 1e-6


def test_gradient_check_includes_l1_and_l2_together():
    X, Y = toy_problem("cross_entropy", 1)
    net = Network(init="he", seed=3).add(4, "tanh", input_dim=3).add(1, "sigmoid")
    # |W| has a kink at 0: every He weight here is far from 0 compared with the step h.
    assert min(np.abs(layer.weights).min() for layer in net.layers) > 1e-3
    assert max(gradient_check(net, X, Y, l1=0.1)) < 1e-6
    assert max(gradient_check(net, X, Y, l2=0.05, l1=0.1)) < 1e-6


def test_l1_penalty_is_l1_sum_abs_w_and_its_gradient_l1_sign_w_not_on_the_biases():
    X, Y = toy_problem("cross_entropy", 1)
    checked = Network(init="he", seed=3).add(4, "tanh", input_dim=3).add(1, "sigmoid")
    for layer in checked.layers:
        layer.bias[:] = 0.7  # non-zero biases, so a penalty on them would show
    ws = checked.workspace(len(X[:64]))
    ws.load(*checked.check_data(X[:64], Y[:64]))
    checked.forward_pass(ws)
    plain = checked.cost_of_pass(ws)
    weights = sum(np.abs(layer.weights).sum() for layer in checked.layers)
    assert checked.cost_of_pass(ws, l1=0.1) == pytest.approx(plain + 0.1 * weights)
    checked.backward_pass(ws)
    without = checked._grads.copy()
    checked.backward_pass(ws, l1=0.1)
    added = checked._grads - without
    expected = np.concatenate(
        [np.hstack([0.1 * np.sign(layer.weights), np.zeros_like(layer.bias)]).ravel()
         for layer in checked.layers]
    )  # fmt: skip
    np.testing.assert_allclose(added, expected, atol=1e-12)


def test_gradient_check_flags_a_wrong_gradient(monkeypatch):
    """The check can fail: break the tanh derivative and it must notice."""
    X, Y = toy_problem("cross_entropy", 1)
    net = Network(init="he", seed=3).add(4, "tanh", input_dim=3).add(1, "sigmoid")
    tanh = get_activation("tanh")
    monkeypatch.setattr(type(tanh), "backward", lambda self, dZ, A, scratch: None)
    assert gradient_check(net, X, Y)[0] > 1e-3


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_cross_entropy_is_finite_at_extreme_logits(dtype):
    """Logits of ±1000 give an exact, finite cost and gradient, and no RuntimeWarning
    (the suite turns RuntimeWarnings into errors)."""
    net = Network(loss="cross_entropy", dtype=dtype).add(1, "sigmoid", input_dim=1)
    net.layers[0].weights[:] = 1000
    X = np.array([[1.0], [-1.0], [1.0], [-1.0]])
    Y = np.array([[1.0], [0.0], [0.0], [1.0]])  # two right, two wrong by a logit of 1000
    cost = net.cost(X, Y)
    assert cost == pytest.approx(1000 / 2, rel=1e-6)
    net.train_step(X, Y, learning_rate=0.1)
    assert np.isfinite(net.layers[0].dW).all()


def test_a_saturated_sigmoid_does_not_turn_into_nan():
    """The tutorial's (1 - Y) / (1 - A) is 0/0 once a sigmoid rounds to 1.0 (a logit of 37 does
    it in float64). The fused gradient A - Y keeps training finite."""
    net = Network(loss="cross_entropy").add(1, "sigmoid", input_dim=1)
    net.layers[0].bias[:] = 40.0
    assert net.predict([[0.0]])[0, 0] == 1.0  # rounded to exactly one
    X, Y = np.zeros((2, 1)), np.ones((2, 1))
    for _ in range(5):
        cost = net.train_step(X, Y, learning_rate=2.8)
        assert np.isfinite(cost) and cost >= 0
    assert np.isfinite(net.layers[0].db).all()


def test_activation_derivatives_match_their_formulas():
    z = np.linspace(-3, 3, 13)
    sigmoid = 1 / (1 + np.exp(-z))
    expected = {
        "sigmoid": sigmoid * (1 - sigmoid),
        "tanh": 1 - np.tanh(z) ** 2,
        "relu": (z > 0).astype(float),
        "leaky_relu": np.where(z > 0, 1.0, 0.01),
        "linear": np.ones_like(z),
    }
    for name, derivative in expected.items():
        activation = get_activation(name)
        np.testing.assert_allclose(activation.derivative(z), derivative, rtol=1e-12)
        assert activation.latex and activation.derivative_latex
