"""Every mistake a student can make gets a message that says what to do; nn imports numpy only."""

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

from nn import Network, NetworkError


def net_2_4_1(loss: str = "cross_entropy") -> Network:
    return Network(loss=loss, seed=0).add(4, "tanh", input_dim=2).add(1, "sigmoid")


X = np.zeros((5, 2))
Y = np.zeros((5, 1))


@pytest.mark.parametrize(
    ("X", "Y", "message"),
    [
        (np.zeros(5), Y, r"X has shape \(5,\).*expects \(n_samples, 2\).*reshape\(-1, 2\)"),
        (np.zeros((5, 3)), Y, r"X has shape \(5, 3\).*expects \(n_samples, 2\).*2 features"),
        (X, np.zeros((5, 2)), r"Y has shape \(5, 2\).*expects \(n_samples, 1\)"),
        (X, np.zeros((4, 1)), r"X has 5 samples but Y has 4"),
        (np.zeros((0, 2)), np.zeros((0, 1)), r"X has no samples"),
        (np.array([[0, 1], [np.nan, 2]]), np.zeros((2, 1)), r"NaN.*row 1, column 0"),
        (np.array([[0, np.inf]]), np.zeros((1, 1)), r"infinity.*row 0, column 1"),
        ([["a", "b"]], [[1]], r"X must be numbers"),
    ],
)
def test_bad_data_is_explained(X, Y, message):
    with pytest.raises(NetworkError, match=message):
        net_2_4_1().train_step(X, Y, learning_rate=0.1)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: Network().add(4, "rleu", input_dim=2),
            r"unknown activation 'rleu'; choose one of: "
            r"identity, leaky_relu, linear, relu, sigmoid, softmax, tanh",
        ),
        (
            lambda: Network(loss="crossentropy"),
            r"unknown loss 'crossentropy'; choose one of: .*mse",
        ),
        (
            lambda: Network(init="glorot"),
            r"unknown init 'glorot'; choose one of: he, tutorial, xavier",
        ),
        (
            lambda: Network(dtype="float16"),
            r"unknown dtype 'float16'; choose one of: float32, float64",
        ),
        (
            lambda: Network().add(0, "relu", input_dim=2),
            r"units must be a whole number of at least 1, got 0",
        ),
        (lambda: Network().add(2.5, "relu", input_dim=2), r"units must be a whole number.*2\.5"),
        (lambda: Network().add(4, "relu"), r"first layer needs input_dim.*input_dim=2"),
        (
            lambda: Network().add(4, "relu", input_dim=2).add(3, input_dim=5),
            r"input_dim=5 does not match the previous layer's 4 units",
        ),
    ],
)
def test_bad_settings_are_explained(build, message):
    with pytest.raises(NetworkError, match=message):
        build()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            dict(optimizer="adamw"),
            r"unknown optimizer 'adamw'; choose one of: adam, gd, .*momentum",
        ),
        (dict(learning_rate=-1), r"learning rate must be a positive number, got -1"),
        (dict(learning_rate="fast"), r"learning rate must be a number, got 'fast'"),
        (dict(batch_size=0), r"batch_size must be a whole number ≥ 1 or None, got 0"),
        (dict(l2=-0.1), r"l2 must be 0 or more"),
    ],
)
def test_bad_training_settings_are_explained(settings, message):
    with pytest.raises(NetworkError, match=message):
        net_2_4_1().trainer(X, Y, **settings)


def test_a_loss_that_needs_another_output_layer_says_which():
    net = Network(loss="cross_entropy").add(4, "tanh", input_dim=2).add(1, "tanh")
    with pytest.raises(NetworkError, match=r"cross_entropy needs a sigmoid output layer.*tanh"):
        net.fit(X, Y, 1)


def test_an_empty_network_says_how_to_start():
    with pytest.raises(NetworkError, match=r"no layers yet; add some with net.add"):
        Network().predict(X)


def test_the_tutorials_empty_activation_name_means_linear():
    net = Network(loss="mse").add(1, activation="", input_dim=1)
    assert net.layers[0].activation.name == "linear"


def test_nn_imports_numpy_and_nothing_else():
    allowed = {"numpy"} | sys.stdlib_module_names
    for path in Path("nn").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed, f"{path} imports {name}"
