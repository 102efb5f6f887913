"""lessons.titanic.views without a browser: splits, baselines, the confusion matrix, permutation
importance, the hand-made passenger, the reproduction table and the chart specs."""

import json
import subprocess
import sys

import numpy as np
import pytest

import nn
from datasets import titanic
from kit import REPO_ROOT
from kit.code_view import experiment_script
from kit.controls import OutputSpec, Settings, build_network, export_settings
from lessons.titanic import views

REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())
TUTORIAL = REFERENCE["titanic_logistic"]
OUTPUT = OutputSpec(input_dim=14, units=1, activation="sigmoid", loss="cross_entropy")


def sex_only_network(weight: float = -4.0, bias: float = 2.0) -> nn.Network:
    """A depth-0 network that looks at the Sex feature only: women survive, men do not."""
    net = build_network(Settings(), OUTPUT)
    net.layers[0].weights[:] = 0.0
    net.layers[0].weights[0, titanic.FEATURES.index("Sex")] = weight
    net.layers[0].bias[:] = bias
    return net


# ---- splits -----------------------------------------------------------------------------------
def test_splits_are_read_only_and_their_code_makes_the_same_arrays() -> None:
    for split in (views.tutorial_split(), views.random_split(0.3, 7)):
        assert not split.X_train.flags.writeable and not split.Y_test.flags.writeable
        namespace: dict = {}
        exec(split.code, namespace)  # the page's own export code, as the script will run it
        assert np.array_equal(namespace["X"], split.X_train)
        assert np.array_equal(namespace["Y"], split.Y_train)
        assert np.array_equal(namespace["X_test"], split.X_test)
    tutorial = views.tutorial_split()
    assert (len(tutorial.X_train), len(tutorial.X_test)) == (792, 100)
    assert len(views.random_split(0.3, 7).X_test) == round(891 * 0.3)
    assert views.random_split(0.3, 7).key != views.random_split(0.3, 8).key


def test_exported_script_reproduces_the_tutorials_first_costs() -> None:
    settings = export_settings(Settings(), OUTPUT)
    script = experiment_script(views.tutorial_split().code, settings, iterations=2000)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    printed = [
        float(line.rsplit(":", 1)[1])
        for line in result.stdout.splitlines()
        if line.startswith("Cost after iteration") and line.split()[3] in ("0:", "1000:")
    ]
    assert printed == pytest.approx(TUTORIAL["costs"][:2], rel=1e-9)


# ---- baselines and metrics --------------------------------------------------------------------
def test_baselines_table_is_computed_from_the_data_and_adds_the_model() -> None:
    split = views.tutorial_split()
    expected = titanic.baselines(split.X_train, split.Y_train, split.X_test, split.Y_test)
    table = views.baselines_table(split, (0.8, 0.75))
    rows = {(row.rule, row.set): row.accuracy for row in table.itertuples()}
    assert rows[("majority class", "train")] == pytest.approx(
        100 * expected.loc["majority class", "train"]
    )
    assert rows[("every woman survives", "test")] == pytest.approx(
        100 * expected.loc["every woman survives", "test"]
    )
    assert rows[("this network", "train")] == pytest.approx(80.0)
    assert rows[("this network", "test")] == pytest.approx(75.0)
    spec = views.baselines_spec(table)
    assert spec["encoding"]["y"]["sort"] == [
        "majority class",
        "every woman survives",
        "this network",
    ]
    assert len(spec["data"]["values"]) == 6


def test_confusion_counts_precision_and_recall() -> None:
    P = np.array([[0.9], [0.8], [0.3], [0.6], [0.1]])
    Y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    counts = views.confusion(P, Y, 0.5)
    assert counts == {"tp": 2, "fp": 1, "fn": 1, "tn": 1}
    assert views.precision_recall(counts) == pytest.approx((2 / 3, 2 / 3))
    nobody = views.confusion(P, Y, 0.95)
    assert nobody == {"tp": 0, "fp": 0, "fn": 3, "tn": 2}
    assert views.precision_recall(nobody) == (None, 0.0)
    assert views.precision_recall({"tp": 0, "fp": 0, "fn": 0, "tn": 5}) == (None, None)
    spec = views.confusion_spec(counts)
    cells = {(row["actual"], row["predicted"]): row["passengers"] for row in spec["data"]["values"]}
    assert cells == {
        ("died", "died"): 1,
        ("died", "survived"): 1,
        ("survived", "died"): 1,
        ("survived", "survived"): 2,
    }


def test_threshold_curves_agree_with_the_confusion_matrix() -> None:
    split = views.tutorial_split()
    P = sex_only_network().predict(split.X_test)
    curves = views.threshold_curves(P, split.Y_test)
    at_half = curves[(curves["threshold"] == 0.5)].set_index("metric")["value"]
    counts = views.confusion(P, split.Y_test, 0.5)
    precision, recall = views.precision_recall(counts)
    assert at_half["accuracy"] == pytest.approx(100 * nn.accuracy(P, split.Y_test))
    assert at_half["precision"] == pytest.approx(100 * precision)
    assert at_half["recall"] == pytest.approx(100 * recall)
    # The sex-only network is the "every woman survives" rule.
    rule = titanic.women_survive_accuracy(split.X_test, split.Y_test)
    assert at_half["accuracy"] == pytest.approx(100 * rule)


# ---- what the model learned -------------------------------------------------------------------
def test_feature_weights_are_the_layers_weights_largest_first() -> None:
    net = sex_only_network()
    net.layers[0].weights[0, titanic.FEATURES.index("Fare")] = 1.5
    table = views.feature_weights(net)
    assert list(table["feature"][:1]) == ["Fare"] and list(table["feature"][-1:]) == ["Sex"]
    assert sorted(table["value"]) == sorted(net.layers[0].weights[0])
    spec = views.feature_bars_spec(table, "weight w")
    assert spec["encoding"]["y"]["sort"] == list(table["feature"])


def test_permutation_importance_finds_the_only_feature_used_and_is_seeded() -> None:
    split = views.tutorial_split()
    net = sex_only_network()
    table = views.permutation_importance(net, split.X_test, split.Y_test, seed=3)
    assert table["feature"][0] == "Sex" and table["value"][0] > 10
    others = table[table["feature"] != "Sex"]
    assert (others["value"] == 0).all() and (others["spread"] == 0).all()
    again = views.permutation_importance(net, split.X_test, split.Y_test, seed=3)
    assert again.equals(table)
    assert not split.X_test.flags.writeable  # shuffled a copy, never the data


# ---- would you survive? -----------------------------------------------------------------------
def test_survival_probability_uses_the_encoding_and_the_network() -> None:
    net = sex_only_network()
    woman, features = views.survival_probability(net, views.FAMOUS["Rose"])
    man, _ = views.survival_probability(net, views.FAMOUS["Jack"])
    assert woman == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert man == pytest.approx(1 / (1 + np.exp(2.0)))
    assert np.array_equal(features, titanic.encode_passenger(**views.FAMOUS["Rose"]))
    with pytest.raises(titanic.PassengerError, match="age must be between"):
        views.survival_probability(net, {**views.FAMOUS["Rose"], "age": 150.0})


def test_title_warning_only_for_the_other_sexs_title() -> None:
    assert views.title_warning("male", "Mrs") == "Mrs is a woman's title, but you chose male."
    assert (
        views.title_warning("female", "Master") == "Master is a man's title, but you chose female."
    )
    assert views.title_warning("female", "Dr") is None
    assert views.title_warning("male", "Mr") is None


# ---- the tutorial -----------------------------------------------------------------------------
def test_reproduction_table_and_agreement() -> None:
    progress = [
        nn.Progress(i * TUTORIAL["print_every"], cost, 0.01, {"accuracy": accuracy / 100})
        for i, (cost, accuracy) in enumerate(
            zip(TUTORIAL["costs"], TUTORIAL["train_accuracy_percent"], strict=True)
        )
    ]
    table = views.reproduction_table(progress, TUTORIAL)
    assert list(table["tutorial cost"]) == TUTORIAL["costs"]
    assert list(table["this engine accuracy (%)"]) == TUTORIAL["train_accuracy_percent"]
    assert views.agreement(table)[0]

    progress[3] = nn.Progress(3000, progress[3].cost * (1 + 1e-6), 0.01, progress[3].metrics)
    assert not views.agreement(views.reproduction_table(progress, TUTORIAL))[0]
    progress[3] = nn.Progress(3000, TUTORIAL["costs"][3], 0.01, {"accuracy": 0.5})
    agrees, message = views.agreement(views.reproduction_table(progress, TUTORIAL))
    assert not agrees and "accuracies equal: no" in message
