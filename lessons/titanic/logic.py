"""The Titanic lesson without Streamlit: the train/test split, the no-learning baselines, the
metrics measured as the network trains, the confusion matrix at a threshold, what the model
learned, one hand-made passenger's chance and the tutorial's printed numbers beside ours.

Every function takes and returns arrays or tables (samples in rows); ``views`` draws them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

import nn
from datasets import titanic

PERMUTATION_REPEATS = 10
THRESHOLDS = np.round(np.arange(0.02, 0.99, 0.02), 2)
METRICS = ("train cost", "test cost", "train accuracy", "test accuracy")
"""The names ``evaluator``'s metrics go by, in the live view's curves and history."""

# The split sliders allow 9 test fractions x 100 seeds. A split holds every passenger once
# (891 x 15 float64, about 110 kB): 32 of them, a class's worth of recent choices, stay under 4 MB.
RANDOM_SPLITS_CACHED = 32
BASELINES_CACHED = RANDOM_SPLITS_CACHED + 1  # one table per cached split, and the tutorial's


# ---- the data and the split -------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """Train and test passengers (read-only arrays: X (n, 14), Y (n, 1)), a name for the live
    trainer (``key``), the code that makes them in an exported script and a sentence about it."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    key: tuple
    code: str
    description: str

    @property
    def baselines(self) -> pd.DataFrame:
        """Accuracy (0..1) of the no-learning rules on this split: ``titanic.baselines``."""
        return _baselines(self.key)


def _frozen(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    for array in arrays:
        array.setflags(write=False)  # cached and shared by every session: nobody may write
    return arrays


@lru_cache(maxsize=1)  # one split, the same for everyone
def tutorial_split() -> Split:
    """The tutorial's files: passengers 1-792 train (792), 792-891 test (100)."""
    X, Y, X_test, Y_test = _frozen(*titanic.tutorial_split())
    return Split(
        X,
        Y,
        X_test,
        Y_test,
        key=("tutorial",),
        code="from datasets import titanic\nX, Y, X_test, Y_test = titanic.tutorial_split()",
        description=(
            f"The tutorial's split: passengers 1–{titanic.TEST_FROM_ID} train ({len(X)}), "
            f"{titanic.TEST_FROM_ID}–891 test ({len(X_test)}); passenger {titanic.TEST_FROM_ID} "
            "is in both, as in the tutorial's files."
        ),
    )


@lru_cache(maxsize=RANDOM_SPLITS_CACHED)
def random_split(test_fraction: float, seed: int) -> Split:
    """A seeded shuffle of the 891 passengers, round(891 * test_fraction) of them to test."""
    X, Y, X_test, Y_test = _frozen(*titanic.random_split(test_fraction, seed))
    return Split(
        X,
        Y,
        X_test,
        Y_test,
        key=("random", test_fraction, seed),
        code=(
            "from datasets import titanic\nX, Y, X_test, Y_test = "
            f"titanic.random_split(test_fraction={test_fraction!r}, seed={seed})"
        ),
        description=(
            f"A random split (seed {seed}): {len(X)} passengers train, {len(X_test)} test "
            f"({test_fraction:.0%}), no passenger in both."
        ),
    )


@lru_cache(maxsize=BASELINES_CACHED)
def _baselines(key: tuple) -> pd.DataFrame:
    split = tutorial_split() if key[0] == "tutorial" else random_split(*key[1:])
    return titanic.baselines(split.X_train, split.Y_train, split.X_test, split.Y_test)


@lru_cache(maxsize=1)  # one file, the same for everyone
def passengers() -> pd.DataFrame:
    """The 891 passengers as shipped (shared: do not modify)."""
    return titanic.load_raw()


@lru_cache(maxsize=1)  # one file, the same for everyone
def encoded_passengers() -> pd.DataFrame:
    """The 891 passengers' 14 features, indexed by PassengerId (shared: do not modify)."""
    return titanic.features(titanic.load_raw())


# ---- live metrics and baselines ---------------------------------------------------------------
def evaluator(split: Split) -> Callable[[nn.Network], dict[str, float]]:
    """The live trainer's ``evaluate``: train and test cost, and accuracy in percent (the keys
    are ``METRICS``)."""

    def evaluate(network: nn.Network) -> dict[str, float]:
        return {
            "train cost": network.cost(split.X_train, split.Y_train),
            "test cost": network.cost(split.X_test, split.Y_test),
            "train accuracy": 100 * nn.accuracy(network.predict(split.X_train), split.Y_train),
            "test accuracy": 100 * nn.accuracy(network.predict(split.X_test), split.Y_test),
        }

    return evaluate


def baselines_table(split: Split, model: tuple[float, float] | None = None) -> pd.DataFrame:
    """Accuracy in percent of each rule (and the model, as (train, test) fractions) per set:
    columns rule, set ("train" or "test"), accuracy."""
    table = split.baselines
    rows = [
        {"rule": rule, "set": name, "accuracy": 100 * float(table.loc[rule, name])}
        for rule in table.index
        for name in ("train", "test")
    ]
    if model is not None:
        rows += [
            {"rule": "this network", "set": name, "accuracy": 100 * value}
            for name, value in zip(("train", "test"), model, strict=True)
        ]
    return pd.DataFrame(rows)


# ---- metrics at a threshold -------------------------------------------------------------------
def confusion(P: np.ndarray, Y: np.ndarray, threshold: float) -> dict[str, int]:
    """Counts of true/false positives/negatives, "survived" being positive: p > threshold."""
    predicted, actual = np.ravel(P) > threshold, np.ravel(Y) > 0.5
    return {
        "tp": int(np.sum(predicted & actual)),
        "fp": int(np.sum(predicted & ~actual)),
        "fn": int(np.sum(~predicted & actual)),
        "tn": int(np.sum(~predicted & ~actual)),
    }


def precision_recall(counts: dict[str, int]) -> tuple[float | None, float | None]:
    """Precision TP / (TP + FP) and recall TP / (TP + FN); None when undefined (0 / 0)."""
    predicted, actual = counts["tp"] + counts["fp"], counts["tp"] + counts["fn"]
    precision = counts["tp"] / predicted if predicted else None
    recall = counts["tp"] / actual if actual else None
    return precision, recall


def threshold_curves(P: np.ndarray, Y: np.ndarray) -> pd.DataFrame:
    """Accuracy, precision and recall (percent) on (P, Y) at each of ``THRESHOLDS``: columns
    threshold, metric, value (an undefined precision or recall has no row)."""
    rows = []
    for threshold in THRESHOLDS:
        counts = confusion(P, Y, float(threshold))
        precision, recall = precision_recall(counts)
        values = {
            "accuracy": (counts["tp"] + counts["tn"]) / len(np.ravel(Y)),
            "precision": precision,
            "recall": recall,
        }
        rows += [
            {"threshold": float(threshold), "metric": name, "value": 100 * value}
            for name, value in values.items()
            if value is not None
        ]
    return pd.DataFrame(rows)


# ---- the ROC curve ------------------------------------------------------------------------------
def _labels(P: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scores, actual = np.asarray(P, dtype=float).ravel(), np.asarray(Y).ravel() > 0.5
    if len(scores) != len(actual):
        raise ValueError(
            f"P has {len(scores)} probabilities but Y has {len(actual)} answers; "
            "give one probability per passenger"
        )
    if actual.all() or not actual.any():
        raise ValueError(
            "an ROC curve needs passengers of both kinds, survivors and not, "
            f"but all {len(actual)} are {'survivors' if actual.any() else 'non-survivors'}; "
            "use a larger test set"
        )
    return scores, actual


def roc_curve(P: np.ndarray, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates, thresholds) of predicting *survived* when
    p >= threshold, for every threshold that changes a prediction: one point per distinct
    probability, highest first, after a first point (0, 0) at threshold +inf (nobody predicted
    to survive). The last point is (1, 1). Y needs survivors and non-survivors both, else a
    rate is 0 / 0 and this raises ValueError."""
    scores, actual = _labels(P, Y)
    order = np.argsort(-scores, kind="stable")
    scores, actual = scores[order], actual[order]
    # The last passenger of each run of equal probabilities: ties move together.
    last = np.r_[np.flatnonzero(np.diff(scores)), len(scores) - 1]
    tp = np.cumsum(actual)[last]
    fp = np.cumsum(~actual)[last]
    fpr = np.r_[0.0, fp / fp[-1]]
    tpr = np.r_[0.0, tp / tp[-1]]
    return fpr, tpr, np.r_[np.inf, scores[last]]


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """The area under the curve through the points (fpr, tpr), by trapezoids: the chance that
    a random survivor gets a higher probability than a random non-survivor (ties count half).
    1.0 ranks every survivor first, 0.5 is a coin, 0.0 ranks them all last."""
    fpr, tpr = np.asarray(fpr, dtype=float), np.asarray(tpr, dtype=float)
    if fpr.shape != tpr.shape or fpr.ndim != 1 or len(fpr) < 2:
        raise ValueError(
            f"auc needs two 1-D arrays of the same length, at least 2 points; got shapes "
            f"{fpr.shape} and {tpr.shape} (pass what roc_curve returns)"
        )
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def rule_point(predicted: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """(false positive rate, true positive rate) of a yes/no rule's ``predicted`` (1: survives)
    on Y: a single point on the ROC plot."""
    predicted, actual = _labels(predicted, Y)
    predicted = predicted > 0.5
    fpr = np.sum(predicted & ~actual) / np.sum(~actual)
    tpr = np.sum(predicted & actual) / np.sum(actual)
    return float(fpr), float(tpr)


def women_rule_point(X: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """The rule "every woman survives, every man dies" on (X, Y) as an ROC point."""
    return rule_point(1.0 - np.asarray(X)[:, titanic.FEATURES.index("Sex")], Y)


# ---- what the model learned -------------------------------------------------------------------
def feature_weights(network: nn.Network) -> pd.DataFrame:
    """The depth-0 network's weight per feature, largest first: columns feature, value."""
    weights = network.layers[0].weights[0]
    table = pd.DataFrame({"feature": titanic.FEATURES, "value": weights})
    return table.sort_values("value", ascending=False, ignore_index=True)


def permutation_importance(
    network: nn.Network, X: np.ndarray, Y: np.ndarray, seed: int, repeats: int = PERMUTATION_REPEATS
) -> pd.DataFrame:
    """Drop in accuracy (percentage points) when one feature's column is shuffled across the
    samples, breaking its link to the outcome; mean and spread over ``repeats`` seeded shuffles.
    Columns feature, value, spread; largest drop first. X is not modified."""
    rng = np.random.default_rng(seed)
    X, actual = np.asarray(X, dtype=np.float64), np.ravel(Y) > 0.5
    base = nn.accuracy(network.predict(X), Y)
    n_features = X.shape[1]
    # Every shuffled copy in one array, predicted one copy at a time: the network reuses the
    # buffers of a pass over X instead of keeping ones for all the copies (14 x 10 of them).
    copies = np.repeat(X[None], n_features * repeats, axis=0)
    for j in range(n_features):
        for r in range(repeats):
            copies[j * repeats + r, :, j] = rng.permutation(X[:, j])
    P = network.predict(copies.reshape(-1, n_features), chunk_size=len(X))
    P = P.reshape(n_features, repeats, len(X))
    drops = 100 * (base - np.mean((P > 0.5) == actual, axis=2))  # (features, repeats)
    rows = [
        {"feature": name, "value": float(np.mean(drops[j])), "spread": float(np.std(drops[j]))}
        for j, name in enumerate(titanic.FEATURES)
    ]
    return pd.DataFrame(rows).sort_values("value", ascending=False, ignore_index=True)


# ---- would you survive? -----------------------------------------------------------------------
FAMOUS = {
    "Rose": dict(
        pclass=1, sex="female", age=17.0, fare=150.0, sibsp=0, parch=1, title="Miss", embarked="S"
    ),
    "Jack": dict(
        pclass=3, sex="male", age=20.0, fare=0.0, sibsp=0, parch=0, title="Mr", embarked="S"
    ),
}
DEFAULT_PASSENGER = dict(
    pclass=2, sex="female", age=30.0, fare=20.0, sibsp=1, parch=0, title="Mrs", embarked="S"
)
WOMENS_TITLES = {"Mrs", "Miss", "Ms", "Mlle", "Mme", "Countess", "Lady", "Dona"}
MENS_TITLES = {"Mr", "Master", "Sir", "Don", "Jonkheer"}


def title_warning(sex: str, title: str) -> str | None:
    """A note when the title belongs to the other sex (the network sees both as given)."""
    if sex == "male" and title in WOMENS_TITLES:
        return f"{title} is a woman's title, but you chose male."
    if sex == "female" and title in MENS_TITLES:
        return f"{title} is a man's title, but you chose female."
    return None


def survival_probability(network: nn.Network, passenger: dict) -> tuple[float, np.ndarray]:
    """(p(survived), the 14 features) of one passenger (``titanic.encode_passenger``'s
    arguments); raises PassengerError for bad values."""
    x = titanic.encode_passenger(**passenger)
    return float(network.predict(x.reshape(1, -1))[0, 0]), x


# ---- reproduce the tutorial -------------------------------------------------------------------
def reproduction_table(progress: list[nn.Progress], reference: dict) -> pd.DataFrame:
    """The tutorial's printed cost and training accuracy beside this engine's, per print.

    ``reference`` has "costs" and "train_accuracy_percent"; each report's metrics hold
    "accuracy" (0..1). Rows: as many as both have."""
    n = min(len(progress), len(reference["costs"]))
    ours = np.array([report.cost for report in progress[:n]])
    theirs = np.array(reference["costs"][:n], dtype=float)
    return pd.DataFrame(
        {
            "iteration": [report.iteration for report in progress[:n]],
            "tutorial cost": theirs,
            "this engine": ours,
            "relative difference": np.abs(ours - theirs) / np.abs(theirs),
            "tutorial accuracy (%)": reference["train_accuracy_percent"][:n],
            "this engine accuracy (%)": [
                round(100 * report.metrics["accuracy"], 1) for report in progress[:n]
            ],
        }
    )


def agreement(table: pd.DataFrame, tolerance: float = 1e-9) -> tuple[bool, str]:
    """Whether every cost agrees within ``tolerance`` (relative) and every accuracy is equal,
    and a sentence saying so."""
    costs = bool((table["relative difference"] <= tolerance).all())
    accuracies = bool((table["tutorial accuracy (%)"] == table["this engine accuracy (%)"]).all())
    worst = float(table["relative difference"].max())
    if costs and accuracies:
        return True, (
            f"All {len(table)} printed costs agree (largest relative difference {worst:.1e}) "
            f"and all {len(table)} accuracies are equal."
        )
    return False, (
        f"Costs within {tolerance:g}: {'yes' if costs else 'no'} (largest relative difference "
        f"{worst:.1e}); accuracies equal: {'yes' if accuracies else 'no'}."
    )
