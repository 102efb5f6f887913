"""lessons.titanic.logic without Streamlit: splits, baselines, the live metrics, the confusion
matrix, permutation importance, the hand-made passenger, the reproduction table, cache bounds."""

import json
import subprocess
import sys

import numpy as np
import pytest

import nn
from datasets import titanic
from kit import REPO_ROOT
from lessons.titanic import logic
from tests.lessons.titanic.networks import sex_only_network

REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())
TUTORIAL = REFERENCE["titanic_logistic"]


def test_logic_does_not_import_streamlit() -> None:
    code = "import lessons.titanic.logic, sys; assert 'streamlit' not in sys.modules"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# ---- splits -----------------------------------------------------------------------------------
def test_splits_are_read_only_and_their_code_makes_the_same_arrays() -> None:
    for split in (logic.tutorial_split(), logic.random_split(0.3, 7)):
        assert not split.X_train.flags.writeable and not split.Y_test.flags.writeable
        namespace: dict = {}
        exec(split.code, namespace)  # the page's own export code, as the script will run it
        assert np.array_equal(namespace["X"], split.X_train)
        assert np.array_equal(namespace["Y"], split.Y_train)
        assert np.array_equal(namespace["X_test"], split.X_test)
    tutorial = logic.tutorial_split()
    assert (len(tutorial.X_train), len(tutorial.X_test)) == (792, 100)
    assert len(logic.random_split(0.3, 7).X_test) == round(891 * 0.3)
    assert logic.random_split(0.3, 7).key != logic.random_split(0.3, 8).key


def test_passengers_raw_and_encoded() -> None:
    raw, encoded = logic.passengers(), logic.encoded_passengers()
    assert len(raw) == len(encoded) == 891 and "Name" in raw.columns
    assert list(encoded.columns) == titanic.FEATURES
    assert np.array_equal(encoded.to_numpy(), titanic.features(titanic.load_raw()).to_numpy())


# ---- bounded caches ---------------------------------------------------------------------------
def test_every_cache_is_bounded() -> None:
    for cached in (logic.tutorial_split, logic.passengers, logic.encoded_passengers):
        assert cached.cache_info().maxsize == 1
    assert logic.random_split.cache_info().maxsize == logic.RANDOM_SPLITS_CACHED
    assert logic._baselines.cache_info().maxsize == logic.BASELINES_CACHED


def test_random_splits_and_their_baselines_stay_within_the_bound() -> None:
    first = logic.random_split(0.2, 0)
    first_baselines = first.baselines.copy()
    for seed in range(logic.RANDOM_SPLITS_CACHED + 5):  # more slider choices than the cache holds
        for fraction in (0.1, 0.5):
            assert len(logic.random_split(fraction, seed).baselines) == 2
    assert logic.random_split.cache_info().currsize <= logic.RANDOM_SPLITS_CACHED
    assert logic._baselines.cache_info().currsize <= logic.BASELINES_CACHED
    # An evicted split comes back the same: the shuffle is seeded.
    again = logic.random_split(0.2, 0)
    assert again is not first
    assert np.array_equal(again.X_test, first.X_test) and again.key == first.key
    assert again.baselines.equals(first_baselines)


# ---- baselines and metrics --------------------------------------------------------------------
def test_baselines_table_is_computed_from_the_data_and_adds_the_model() -> None:
    split = logic.tutorial_split()
    expected = titanic.baselines(split.X_train, split.Y_train, split.X_test, split.Y_test)
    table = logic.baselines_table(split, (0.8, 0.75))
    rows = {(row.rule, row.set): row.accuracy for row in table.itertuples()}
    assert rows[("majority class", "train")] == pytest.approx(
        100 * expected.loc["majority class", "train"]
    )
    assert rows[("every woman survives", "test")] == pytest.approx(
        100 * expected.loc["every woman survives", "test"]
    )
    assert rows[("this network", "train")] == pytest.approx(80.0)
    assert rows[("this network", "test")] == pytest.approx(75.0)


def test_evaluator_measures_cost_and_accuracy_on_both_sets() -> None:
    split, net = logic.tutorial_split(), sex_only_network()
    measured = logic.evaluator(split)(net)
    assert tuple(measured) == logic.METRICS
    assert measured["train cost"] == pytest.approx(net.cost(split.X_train, split.Y_train))
    assert measured["test cost"] == pytest.approx(net.cost(split.X_test, split.Y_test))
    # The sex-only network is the "every woman survives" rule.
    for name, X, Y in (
        ("train", split.X_train, split.Y_train),
        ("test", split.X_test, split.Y_test),
    ):
        rule = titanic.women_survive_accuracy(X, Y)
        assert measured[f"{name} accuracy"] == pytest.approx(100 * rule)


def test_confusion_counts_precision_and_recall() -> None:
    P = np.array([[0.9], [0.8], [0.3], [0.6], [0.1]])
    Y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    counts = logic.confusion(P, Y, 0.5)
    assert counts == {"tp": 2, "fp": 1, "fn": 1, "tn": 1}
    assert logic.precision_recall(counts) == pytest.approx((2 / 3, 2 / 3))
    nobody = logic.confusion(P, Y, 0.95)
    assert nobody == {"tp": 0, "fp": 0, "fn": 3, "tn": 2}
    assert logic.precision_recall(nobody) == (None, 0.0)
    assert logic.precision_recall({"tp": 0, "fp": 0, "fn": 0, "tn": 5}) == (None, None)


def test_threshold_curves_agree_with_the_confusion_matrix() -> None:
    split = logic.tutorial_split()
    P = sex_only_network().predict(split.X_test)
    curves = logic.threshold_curves(P, split.Y_test)
    at_half = curves[(curves["threshold"] == 0.5)].set_index("metric")["value"]
    counts = logic.confusion(P, split.Y_test, 0.5)
    precision, recall = logic.precision_recall(counts)
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
    table = logic.feature_weights(net)
    assert list(table["feature"][:1]) == ["Fare"] and list(table["feature"][-1:]) == ["Sex"]
    assert sorted(table["value"]) == sorted(net.layers[0].weights[0])


def test_permutation_importance_finds_the_only_feature_used_and_is_seeded() -> None:
    split = logic.tutorial_split()
    net = sex_only_network()
    table = logic.permutation_importance(net, split.X_test, split.Y_test, seed=3)
    assert table["feature"][0] == "Sex" and table["value"][0] > 10
    others = table[table["feature"] != "Sex"]
    assert (others["value"] == 0).all() and (others["spread"] == 0).all()
    again = logic.permutation_importance(net, split.X_test, split.Y_test, seed=3)
    assert again.equals(table)
    assert not split.X_test.flags.writeable  # shuffled a copy, never the data


# ---- would you survive? -----------------------------------------------------------------------
def test_survival_probability_uses_the_encoding_and_the_network() -> None:
    net = sex_only_network()
    woman, features = logic.survival_probability(net, logic.FAMOUS["Rose"])
    man, _ = logic.survival_probability(net, logic.FAMOUS["Jack"])
    assert woman == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert man == pytest.approx(1 / (1 + np.exp(2.0)))
    assert np.array_equal(features, titanic.encode_passenger(**logic.FAMOUS["Rose"]))
    with pytest.raises(titanic.PassengerError, match="age must be between"):
        logic.survival_probability(net, {**logic.FAMOUS["Rose"], "age": 150.0})


def test_title_warning_only_for_the_other_sexs_title() -> None:
    assert logic.title_warning("male", "Mrs") == "Mrs is a woman's title, but you chose male."
    assert (
        logic.title_warning("female", "Master") == "Master is a man's title, but you chose female."
    )
    assert logic.title_warning("female", "Dr") is None
    assert logic.title_warning("male", "Mr") is None


def test_the_default_and_famous_passengers_can_be_scored() -> None:
    for passenger in (logic.DEFAULT_PASSENGER, *logic.FAMOUS.values()):
        assert titanic.encode_passenger(**passenger).shape == (len(titanic.FEATURES),)
        assert logic.title_warning(passenger["sex"], passenger["title"]) is None


# ---- the tutorial -----------------------------------------------------------------------------
def test_reproduction_table_and_agreement() -> None:
    progress = [
        nn.Progress(i * TUTORIAL["print_every"], cost, 0.01, {"accuracy": accuracy / 100})
        for i, (cost, accuracy) in enumerate(
            zip(TUTORIAL["costs"], TUTORIAL["train_accuracy_percent"], strict=True)
        )
    ]
    table = logic.reproduction_table(progress, TUTORIAL)
    assert list(table["tutorial cost"]) == TUTORIAL["costs"]
    assert list(table["this engine accuracy (%)"]) == TUTORIAL["train_accuracy_percent"]
    assert logic.agreement(table)[0]

    progress[3] = nn.Progress(3000, progress[3].cost * (1 + 1e-6), 0.01, progress[3].metrics)
    assert not logic.agreement(logic.reproduction_table(progress, TUTORIAL))[0]
    progress[3] = nn.Progress(3000, TUTORIAL["costs"][3], 0.01, {"accuracy": 0.5})
    agrees, message = logic.agreement(logic.reproduction_table(progress, TUTORIAL))
    assert not agrees and "accuracies equal: no" in message


# ---- the ROC curve ------------------------------------------------------------------------------
def test_roc_curve_of_a_small_case_worked_by_hand() -> None:
    # highest first: 0.9 survived, 0.8 died, 0.7 survived, 0.6 died; 2 of each
    fpr, tpr, thresholds = logic.roc_curve([0.9, 0.8, 0.7, 0.6], [[1], [0], [1], [0]])
    np.testing.assert_array_equal(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_array_equal(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_array_equal(thresholds, [np.inf, 0.9, 0.8, 0.7, 0.6])
    # 0.5 x 0.5 + 0.5 x 1; and 3 of the 4 (survivor, non-survivor) pairs are in order
    assert logic.auc(fpr, tpr) == 0.75


def test_tied_probabilities_make_one_point_and_count_half() -> None:
    fpr, tpr, thresholds = logic.roc_curve([0.5, 0.5, 0.2], [1, 0, 0])
    np.testing.assert_array_equal(fpr, [0, 0.5, 1])
    np.testing.assert_array_equal(tpr, [0, 1, 1])
    np.testing.assert_array_equal(thresholds, [np.inf, 0.5, 0.2])
    assert logic.auc(fpr, tpr) == 0.75  # the tie is half a pair in order: (0.5 + 1) / 2


def test_a_perfect_ranking_has_auc_1_and_a_reversed_one_0() -> None:
    Y = np.array([1, 1, 1, 0, 0, 0, 0])
    P = np.linspace(0.9, 0.1, len(Y))
    assert logic.auc(*logic.roc_curve(P, Y)[:2]) == 1.0
    assert logic.auc(*logic.roc_curve(1 - P, Y)[:2]) == 0.0
    assert logic.auc(*logic.roc_curve(np.full(len(Y), 0.3), Y)[:2]) == 0.5  # no ranking at all


def test_auc_is_the_share_of_pairs_in_order_and_each_point_is_a_confusion_matrix() -> None:
    rng = np.random.default_rng(5)
    Y = rng.random(60) < 0.4
    P = np.round(rng.random(60) * 0.5 + 0.3 * Y, 2)  # rounded: some ties
    fpr, tpr, thresholds = logic.roc_curve(P, Y)
    survivors, others = P[Y], P[~Y]
    pairs = (survivors[:, None] > others).mean() + 0.5 * (survivors[:, None] == others).mean()
    assert logic.auc(fpr, tpr) == pytest.approx(pairs, abs=1e-12)
    assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
    for x, y, threshold in zip(fpr[1:], tpr[1:], thresholds[1:], strict=True):
        counts = logic.confusion(P, Y, float(np.nextafter(threshold, -np.inf)))  # p >= threshold
        assert (x, y) == (counts["fp"] / (~Y).sum(), counts["tp"] / Y.sum())


def test_the_women_rule_is_one_point_that_agrees_with_its_accuracy() -> None:
    split = logic.tutorial_split()
    fpr, tpr = logic.women_rule_point(split.X_test, split.Y_test)
    positives = float(split.Y_test.sum())
    negatives = len(split.Y_test) - positives
    accuracy = (tpr * positives + (1 - fpr) * negatives) / len(split.Y_test)
    assert accuracy == pytest.approx(split.baselines.loc["every woman survives", "test"])
    assert 0 < fpr < 0.5 < tpr < 1  # a good rule: far above the diagonal
    assert logic.rule_point([1, 0, 1, 0], [1, 1, 0, 0]) == (0.5, 0.5)


def test_roc_refuses_one_kind_of_passenger_only_and_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="both kinds"):
        logic.roc_curve([0.2, 0.9], [1, 1])
    with pytest.raises(ValueError, match="one probability per passenger"):
        logic.roc_curve([0.2, 0.9, 0.5], [1, 0])
    with pytest.raises(ValueError, match="at least 2 points"):
        logic.auc([0.0], [0.0])
