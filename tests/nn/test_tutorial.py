"""The engine reproduces every number the tutorial printed, read from the reference JSON."""

import json

import numpy as np
import pandas as pd
import pytest

from nn import Network, Trainer
from tests import DATA

REFERENCE = json.loads((DATA / "tutorial_results.json").read_text())
TOLERANCE = 1e-9


def tutorial_network(run: dict) -> Network:
    """The network a reference run describes, with the tutorial's init and seed 1."""
    net = Network(loss=run["loss"], init="tutorial", init_scale=run["init_scale"], seed=1)
    for layer in run["model"]:
        net.add(layer["units"], activation=layer["activation"], input_dim=layer.get("inputs"))
    return net


def printed(costs: list[float], run: dict) -> np.ndarray:
    """The costs the tutorial printed: iterations 0, every, 2 every, ..."""
    return np.array(costs[:: run["print_every"]])


def rose() -> tuple[np.ndarray, np.ndarray]:
    data = np.load(DATA / "tutorial_rose.npz", allow_pickle=False)
    return data["X"].T, data["Y"].T.astype(float)


def test_linear_regression_costs_and_prediction():
    run = REFERENCE["linear_regression"]
    X = np.arange(-2.0, 5.0).reshape(-1, 1)
    net = tutorial_network(run)
    costs = net.fit(X, 2 * X + 1, run["iterations"], run["learning_rate"])
    np.testing.assert_allclose(printed(costs, run), run["costs"], rtol=TOLERANCE)
    assert round(float(net.predict([[12.0]])[0, 0]), 8) == run["predict_12"]


def test_titanic_logistic_regression_costs_and_accuracies():
    run = REFERENCE["titanic_logistic"]
    table = pd.read_csv(DATA / "tutorial_features_train.csv").drop(
        columns=["Unnamed: 0", "PassengerId"]
    )
    Y = table[["Survived"]].to_numpy(float)
    X = table.drop(columns="Survived").to_numpy(float)
    net = tutorial_network(run)
    trainer = net.trainer(X, Y, learning_rate=run["learning_rate"])
    reports = list(
        trainer.run(
            run["iterations"],
            every=run["print_every"],
            metrics={"accuracy": Trainer.train_accuracy},
        )
    )[: len(run["costs"])]
    np.testing.assert_allclose([r.cost for r in reports], run["costs"], rtol=TOLERANCE)
    accuracies = [round(100 * r.metrics["accuracy"], 1) for r in reports]
    assert accuracies == run["train_accuracy_percent"]


@pytest.mark.parametrize("name", ["rose_logistic", "rose_two_layer"])
def test_rose_runs(name):
    run = REFERENCE[name]
    X, Y = rose()
    costs = tutorial_network(run).fit(X, Y, run["iterations"], run["learning_rate"])
    np.testing.assert_allclose(printed(costs, run), run["costs"], rtol=TOLERANCE)


def test_summary_is_printed_in_the_tutorials_format():
    run = REFERENCE["mustafar_image"]
    net = tutorial_network(run)
    assert net.parameter_count == run["parameters"]
    assert str(net).splitlines() == [
        "1 -> Dense layer (nx=2, nh=27, activation=relu)",
        "2 -> Dense layer (nx=27, nh=31, activation=relu)",
        "3 -> Dense layer (nx=31, nh=31, activation=relu)",
        "4 -> Dense layer (nx=31, nh=1, activation=sigmoid)",
        "There are 1973 trainable parameters in the model.",
    ]


def test_tutorial_init_draws_layer_by_layer_from_one_random_state():
    net = tutorial_network(REFERENCE["mustafar_image"])
    rng = np.random.RandomState(1)
    for layer in net.layers:
        expected = 0.2 * rng.randn(layer.units, layer.inputs)
        np.testing.assert_array_equal(layer.weights, expected)
        assert not layer.bias.any()
