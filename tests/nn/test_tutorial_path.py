"""The teaching path (nn.tutorial) and the engine (nn.Network on nn.fast) compute the same
numbers in float64, to 1e-12: outputs, costs, gradients, and the weights after hundreds of
gradient-descent steps, for every activation and loss the teaching path has."""

import numpy as np
import pandas as pd
import pytest

from nn import Network, tutorial
from tests import DATA

RTOL, ATOL = 1e-12, 1e-14
STEPS = 300


def tutorial_linear():
    X = np.arange(-2.0, 5.0).reshape(-1, 1)
    return X, 2 * X + 1


def titanic():
    table = pd.read_csv(DATA / "tutorial_features_train.csv").drop(
        columns=["Unnamed: 0", "PassengerId"]
    )
    return table.drop(columns="Survived").to_numpy(float), table[["Survived"]].to_numpy(float)


def rose():
    data = np.load(DATA / "tutorial_rose.npz", allow_pickle=False)
    return data["X"].T, data["Y"].T.astype(float)


def random_data(outputs: int, classes: bool):
    rng = np.random.default_rng(5)
    X = rng.uniform(-1, 1, (300, 3))
    Z = np.column_stack([np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2], X[:, 0] - X[:, 2] ** 2])
    Y = Z[:, :outputs]
    return X, (Y > 0).astype(float) if classes else Y


# (data, loss, init, init_scale, learning_rate, [(units, activation), ...])
CASES = {
    "linear regression": (tutorial_linear, "mse", "tutorial", 0.01, 0.01, [(1, "linear")]),
    "titanic logistic": (titanic, "cross_entropy", "tutorial", 0.01, 0.01, [(1, "sigmoid")]),
    "rose 2-4-1": (rose, "cross_entropy", "tutorial", 0.01, 1.2, [(4, "tanh"), (1, "sigmoid")]),
    "relu, leaky relu, two sigmoid outputs": (
        lambda: random_data(2, classes=True),
        "cross_entropy",
        "he",
        1.0,
        0.5,
        [(8, "relu"), (6, "leaky_relu"), (2, "sigmoid")],
    ),
    "sigmoid and tanh hidden, linear outputs, squared error": (
        lambda: random_data(2, classes=False),
        "mse",
        "xavier",
        1.0,
        0.1,
        [(5, "sigmoid"), (4, "tanh"), (2, "linear")],
    ),
    "squared error through a sigmoid output": (
        lambda: random_data(1, classes=True),
        "mse",
        "tutorial",
        0.5,
        0.5,
        [(6, "relu"), (1, "sigmoid")],
    ),
}


def both_networks(case):
    make_data, loss, init, scale, rate, layers = case
    X, Y = make_data()
    engine = Network(loss=loss, init=init, init_scale=scale, seed=1, dtype="float64")
    teaching = tutorial.Network(loss=loss, init=init, init_scale=scale, seed=1)
    for i, (units, activation) in enumerate(layers):
        engine.add(units, activation, input_dim=None if i else X.shape[1])
        teaching.add(units, activation, input_dim=None if i else X.shape[1])
    return engine, teaching, X, Y, rate


def assert_same_parameters(engine: Network, teaching: tutorial.Network) -> None:
    for ours, theirs in zip(engine.layers, teaching.layers, strict=True):
        np.testing.assert_allclose(ours.weights, theirs.W, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ours.bias[:, 0], theirs.b, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", CASES)
def test_the_same_init_gives_the_same_weights_and_outputs(name):
    engine, teaching, X, Y, _ = both_networks(CASES[name])
    for ours, theirs in zip(engine.layers, teaching.layers, strict=True):
        np.testing.assert_array_equal(ours.weights, theirs.W)  # the very same draw
    np.testing.assert_allclose(engine.predict(X), teaching.forward(X), rtol=RTOL, atol=ATOL)
    teaching.forward(X)
    assert teaching.cost(Y) == pytest.approx(engine.cost(X, Y), rel=RTOL)


@pytest.mark.parametrize("name", CASES)
def test_one_step_gives_the_same_cost_and_gradients(name):
    engine, teaching, X, Y, rate = both_networks(CASES[name])
    assert teaching.train_step(X, Y, rate) == pytest.approx(engine.train_step(X, Y, rate), rel=RTOL)
    for ours, theirs in zip(engine.layers, teaching.layers, strict=True):
        assert np.abs(ours.dW).max() > 0  # a gradient that could differ
        np.testing.assert_allclose(ours.dW, theirs.dW, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ours.db[:, 0], theirs.db, rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ours.A, theirs.A, rtol=RTOL, atol=ATOL)
    assert_same_parameters(engine, teaching)


@pytest.mark.parametrize("name", CASES)
def test_hundreds_of_steps_end_at_the_same_weights(name):
    engine, teaching, X, Y, rate = both_networks(CASES[name])
    start = [layer.weights.copy() for layer in engine.layers]
    costs = engine.fit(X, Y, STEPS, learning_rate=rate)
    np.testing.assert_allclose(teaching.fit(X, Y, STEPS, rate), costs, rtol=RTOL)
    assert costs[-1] < costs[0]  # it learned: the weights moved somewhere that matters
    moved = [
        not np.allclose(a, layer.weights) for a, layer in zip(start, engine.layers, strict=True)
    ]
    assert any(moved)
    assert_same_parameters(engine, teaching)


def test_every_activation_and_loss_of_the_teaching_path_is_checked():
    used = {activation for case in CASES.values() for _, activation in case[-1]}
    assert used == set(tutorial.ACTIVATIONS)
    assert {case[1] for case in CASES.values()} == set(tutorial.LOSSES)


def test_the_teaching_path_refuses_cross_entropy_without_a_sigmoid_output():
    net = tutorial.Network(loss="cross_entropy", seed=1).add(1, "linear", input_dim=1)
    X, Y = tutorial_linear()
    with pytest.raises(ValueError, match="sigmoid output"):
        net.train_step(X, (Y > 0).astype(float), 0.1)
