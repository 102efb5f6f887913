"""Views of the Titanic lesson: the data and its preprocessing, the split, baselines as bars,
the confusion matrix at a chosen threshold, what the model learned, "would you survive?" and
the tutorial's printed numbers beside ours.

Computations (``confusion``, ``permutation_importance``, ``reproduction_table``...) are plain
functions of arrays, tested without Streamlit; the ``show_*`` functions draw them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd
import streamlit as st

import nn
from datasets import titanic
from kit import url_state as state
from kit.charts import FONT_SIZES
from kit.controls import synced_slider
from kit.diagram import NEGATIVE_COLOR, POSITIVE_COLOR

SURVIVED_COLOR, DIED_COLOR = POSITIVE_COLOR, NEGATIVE_COLOR
TRAIN_COLOR, TEST_COLOR = "#0877bd", "#f59322"
SPLITS = {"tutorial": "The tutorial's (1–792 train)", "random": "Random, seeded"}
PERMUTATION_REPEATS = 10
THRESHOLDS = np.round(np.arange(0.02, 0.99, 0.02), 2)
METRICS = ("train cost", "test cost", "train accuracy", "test accuracy")


# ---- the data and the split -------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """Train and test passengers (read-only arrays), a name for the live trainer, and the code
    that makes them in an exported script."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    key: tuple
    code: str
    description: str

    @property
    def baselines(self) -> pd.DataFrame:
        """Accuracy (0..1) of the no-learning rules on this split, computed once."""
        return _baselines(self.key)


def _frozen(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    for array in arrays:
        array.setflags(write=False)  # cached and shared by every session: nobody may write
    return arrays


@cache
def tutorial_split() -> Split:
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


@cache
def random_split(test_fraction: float, seed: int) -> Split:
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


@cache
def _baselines(key: tuple) -> pd.DataFrame:
    split = tutorial_split() if key[0] == "tutorial" else random_split(*key[1:])
    return titanic.baselines(split.X_train, split.Y_train, split.X_test, split.Y_test)


@cache
def passengers() -> pd.DataFrame:
    return titanic.load_raw()


@cache
def encoded_passengers() -> pd.DataFrame:
    return titanic.features(titanic.load_raw())


def use_tutorial_split(key: str) -> None:
    """Switch the split picker back to the tutorial's (call from a callback)."""
    st.session_state[f"{key}.split"] = st.session_state[f"{key}.split.store"] = "tutorial"


def split_picker(key: str) -> Split:
    """The sidebar's data controls, mirrored into ?split=, ?test_fraction= and ?split_seed=."""
    widget, store = f"{key}.split", f"{key}.split.store"
    if store not in st.session_state:
        asked = state.read_query(st.query_params, {"split": state.choice(SPLITS)})
        st.session_state[store] = asked.get("split", "tutorial")
    st.session_state.setdefault(widget, st.session_state[store])
    st.sidebar.header("Data")
    kind = st.sidebar.radio("Train / test split", tuple(SPLITS), format_func=SPLITS.get, key=widget)
    st.session_state[store] = kind
    state.sync_query_params(
        st.query_params, {"split": kind} if kind != "tutorial" else {}, ["split"]
    )
    if kind == "tutorial":
        state.sync_query_params(st.query_params, {}, ["test_fraction", "split_seed"])
        return tutorial_split()
    fraction = synced_slider(
        key,
        "test_fraction",
        "Test fraction",
        0.1,
        0.5,
        0.2,
        step=0.05,
        help="Share of the 891 passengers kept aside to test the network.",
    )
    seed = synced_slider(
        key, "split_seed", "Split seed", 0, 99, 0, help="Who goes to the test set."
    )
    return random_split(round(float(fraction), 2), int(seed))


def show_data(split: Split) -> None:
    """Tabs: the raw passengers, raw column -> feature, the 14 features, the class balance."""
    raw, encoded = passengers(), encoded_passengers()
    tabs = st.tabs(["Passengers", "Preprocessing", "The 14 features", "Class balance"])
    with tabs[0]:
        st.caption(f"Kaggle's Titanic training file: {len(raw)} passengers, as shipped.")
        st.dataframe(raw, hide_index=True, height=280)
    with tabs[1]:
        st.caption("Each raw column becomes one or more numbers between 0 and 1.")
        steps = pd.DataFrame(
            [
                (column, rule, ", ".join(names))
                for column, rule, names in titanic.PREPROCESSING_STEPS
            ],
            columns=["raw column", "rule", "features"],
        )
        st.dataframe(steps, hide_index=True, width="stretch")
        st.caption("The same passengers as the network sees them (first rows):")
        st.dataframe(encoded.head(8), width="stretch")
    with tabs[2]:
        table = pd.DataFrame(
            {
                "feature": titanic.FEATURES,
                "meaning": [titanic.FEATURE_DESCRIPTIONS[name] for name in titanic.FEATURES],
                "mean": encoded.mean().to_numpy(),
            }
        )
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={"mean": st.column_config.NumberColumn(format="%.3f")},
        )
    with tabs[3]:
        left, right = st.columns([3, 2], gap="large")
        left.vega_lite_chart(class_balance_spec(split), width="stretch")
        rate = float(np.mean(split.Y_train))
        right.markdown(
            f"**{rate:.1%}** of the training passengers survived. A model that always says "
            f"*died* is already right **{1 - rate:.1%}** of the time on them: accuracy alone "
            "must be compared with that."
        )


def class_balance_spec(split: Split) -> dict:
    """Stacked bars: survived and died, in the training and the test set."""
    rows = []
    for name, Y in (("train", split.Y_train), ("test", split.Y_test)):
        survived = int(np.sum(Y))
        for outcome, count in (("survived", survived), ("died", len(Y) - survived)):
            rows.append(
                {"set": name, "outcome": outcome, "passengers": count, "share": count / len(Y)}
            )
    return {
        "height": 170,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "set", "type": "nominal", "title": None, "sort": ["train", "test"]},
            "x": {
                "field": "passengers",
                "type": "quantitative",
                "stack": "normalize",
                "title": "share of passengers",
                "axis": {"format": "%"},
            },
            "color": _outcome_color(),
            "tooltip": [
                {"field": "set"},
                {"field": "outcome"},
                {"field": "passengers"},
                {"field": "share", "format": ".1%"},
            ],
        },
        "config": _config(),
    }


# ---- live metrics -----------------------------------------------------------------------------
def evaluator(split: Split) -> Callable[[nn.Network], dict[str, float]]:
    """The live trainer's ``evaluate``: train and test cost, and accuracy in percent."""

    def evaluate(network: nn.Network) -> dict[str, float]:
        return {
            "train cost": network.cost(split.X_train, split.Y_train),
            "test cost": network.cost(split.X_test, split.Y_test),
            "train accuracy": 100 * nn.accuracy(network.predict(split.X_train), split.Y_train),
            "test accuracy": 100 * nn.accuracy(network.predict(split.X_test), split.Y_test),
        }

    return evaluate


def baselines_table(split: Split, model: tuple[float, float] | None = None) -> pd.DataFrame:
    """Accuracy in percent of each rule (and the model, as (train, test) fractions) per set."""
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


def baselines_spec(table: pd.DataFrame, height: int = 240) -> dict:
    """Grouped horizontal bars: each rule's train and test accuracy, labelled in percent."""
    rules = list(dict.fromkeys(table["rule"]))
    y = {
        "field": "rule",
        "type": "nominal",
        "sort": rules,
        "title": None,
        "axis": {"labelLimit": 200},
    }
    x = {
        "field": "accuracy",
        "type": "quantitative",
        "title": "accuracy (%)",
        "scale": {"domain": [0, 100]},
    }
    encoding = {"y": y, "x": x, "yOffset": {"field": "set", "sort": ["train", "test"]}}
    return {
        "height": height,
        "data": {"values": table.to_dict("records")},
        "encoding": encoding,
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 3},
                "encoding": {
                    "color": {
                        "field": "set",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": ["train", "test"], "range": [TRAIN_COLOR, TEST_COLOR]},
                    },
                    "tooltip": [
                        {"field": "rule"},
                        {"field": "set"},
                        {"field": "accuracy", "format": ".1f"},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 13},
                "encoding": {"text": {"field": "accuracy", "format": ".1f"}},
            },
        ],
        "config": {**_config(), "legend": {**FONT_SIZES, "orient": "bottom"}},
    }


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


def confusion_spec(counts: dict[str, int], height: int = 240) -> dict:
    """A 2 × 2 heat map: actual outcome in rows, predicted in columns, counts written in."""
    cells = [
        ("died", "died", counts["tn"], "true negative"),
        ("died", "survived", counts["fp"], "false positive"),
        ("survived", "died", counts["fn"], "false negative"),
        ("survived", "survived", counts["tp"], "true positive"),
    ]
    rows = [{"actual": a, "predicted": p, "passengers": n, "kind": kind} for a, p, n, kind in cells]
    largest = max(max(counts.values()), 1)
    order = ["died", "survived"]
    return {
        "height": height,
        "data": {"values": rows},
        "encoding": {
            "x": {
                "field": "predicted",
                "type": "nominal",
                "sort": order,
                "title": "predicted",
                "axis": {"labelAngle": 0, "orient": "top"},
            },
            "y": {"field": "actual", "type": "nominal", "sort": order, "title": "actual"},
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "white", "strokeWidth": 3},
                "encoding": {
                    "color": {
                        "field": "passengers",
                        "type": "quantitative",
                        "legend": None,
                        "scale": {"scheme": "blues", "domain": [0, largest]},
                    },
                    "tooltip": [{"field": "kind"}, {"field": "passengers"}],
                },
            },
            {
                "mark": {"type": "text", "fontSize": 26, "fontWeight": "bold", "dy": -8},
                "encoding": {
                    "text": {"field": "passengers"},
                    "color": {
                        "condition": {
                            "test": f"datum.passengers > {largest / 2}",
                            "value": "white",
                        },
                        "value": "#1b1f24",
                    },
                },
            },
            {
                "mark": {"type": "text", "fontSize": 13, "dy": 18},
                "encoding": {
                    "text": {"field": "kind"},
                    "color": {
                        "condition": {
                            "test": f"datum.passengers > {largest / 2}",
                            "value": "white",
                        },
                        "value": "#3b4652",
                    },
                },
            },
        ],
        "config": _config(),
    }


def threshold_curves(P: np.ndarray, Y: np.ndarray) -> pd.DataFrame:
    """Accuracy, precision and recall (percent) on (P, Y) at each of ``THRESHOLDS``."""
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


def threshold_spec(curves: pd.DataFrame, threshold: float, height: int = 240) -> dict:
    """Accuracy, precision and recall against the threshold, a rule at the chosen one."""
    names = ["accuracy", "precision", "recall"]
    return {
        "height": height,
        "layer": [
            {
                "data": {"values": curves.to_dict("records")},
                "mark": {"type": "line", "strokeWidth": 2.5},
                "encoding": {
                    "x": {
                        "field": "threshold",
                        "type": "quantitative",
                        "scale": {"domain": [0, 1]},
                    },
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": "%",
                        "scale": {"domain": [0, 100]},
                    },
                    "color": {
                        "field": "metric",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": names, "range": ["#1b1f24", TRAIN_COLOR, TEST_COLOR]},
                    },
                    "tooltip": [
                        {"field": "metric"},
                        {"field": "threshold"},
                        {"field": "value", "format": ".1f"},
                    ],
                },
            },
            {
                "data": {"values": [{"threshold": threshold}]},
                "mark": {
                    "type": "rule",
                    "strokeDash": [5, 4],
                    "strokeWidth": 2,
                    "color": "#e4572e",
                },
                "encoding": {"x": {"field": "threshold", "type": "quantitative"}},
            },
        ],
        "config": {**_config(), "legend": {**FONT_SIZES, "orient": "bottom"}},
    }


def show_metrics(network: nn.Network, split: Split, key: str) -> float:
    """Confusion matrix on the test set at the slider's threshold, precision, recall and how
    they move with the threshold; returns the threshold."""
    P = network.predict(split.X_test)
    threshold = st.slider(
        "Threshold: predict *survived* when the probability is above",
        0.05,
        0.95,
        0.5,
        step=0.05,
        key=f"{key}.threshold",
    )
    counts = confusion(P, split.Y_test, threshold)
    precision, recall = precision_recall(counts)
    matrix, curves = st.columns(2, gap="large")
    with matrix:
        st.vega_lite_chart(confusion_spec(counts), width="stretch")
        a, p, r = st.columns(3)
        a.metric("Test accuracy", f"{(counts['tp'] + counts['tn']) / len(P):.1%}")
        p.metric(
            "Precision",
            "–" if precision is None else f"{precision:.1%}",
            help="Of the passengers predicted to survive, the share who did: TP / (TP + FP).",
        )
        r.metric(
            "Recall",
            "–" if recall is None else f"{recall:.1%}",
            help="Of the passengers who survived, the share the network found: TP / (TP + FN).",
        )
        if precision is None:
            st.caption("At this threshold the network predicts that nobody survives.")
    with curves:
        st.vega_lite_chart(
            threshold_spec(threshold_curves(P, split.Y_test), threshold), width="stretch"
        )
        st.caption(
            "A higher threshold saves fewer passengers: precision rises, recall falls. "
            "The dashed line is the slider."
        )
    return threshold


# ---- what the model learned -------------------------------------------------------------------
def feature_weights(network: nn.Network) -> pd.DataFrame:
    """The depth-0 network's weight per feature, largest first."""
    weights = network.layers[0].weights[0]
    table = pd.DataFrame({"feature": titanic.FEATURES, "value": weights})
    return table.sort_values("value", ascending=False, ignore_index=True)


def permutation_importance(
    network: nn.Network, X: np.ndarray, Y: np.ndarray, seed: int, repeats: int = PERMUTATION_REPEATS
) -> pd.DataFrame:
    """Drop in accuracy (percentage points) when one feature's column is shuffled across the
    samples, breaking its link to the outcome; mean and spread over ``repeats`` seeded shuffles."""
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


def feature_bars_spec(table: pd.DataFrame, title: str, height: int = 380) -> dict:
    """Horizontal bars per feature (in the table's order), blue positive, orange negative."""
    rows = [
        {**row, "meaning": titanic.FEATURE_DESCRIPTIONS[row["feature"]]}
        for row in table.to_dict("records")
    ]
    tooltip = [{"field": "feature"}, {"field": "value", "format": ".3f"}, {"field": "meaning"}]
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "bar", "cornerRadiusEnd": 2},
        "encoding": {
            "y": {
                "field": "feature",
                "type": "nominal",
                "sort": list(table["feature"]),
                "title": None,
            },
            "x": {"field": "value", "type": "quantitative", "title": title},
            "color": {
                "condition": {"test": "datum.value >= 0", "value": POSITIVE_COLOR},
                "value": NEGATIVE_COLOR,
            },
            "tooltip": tooltip,
        },
        "config": _config(),
    }


def show_what_it_learned(network: nn.Network, split: Split, seed: int) -> None:
    """Depth 0: the weights. Deeper: permutation importance on the test set."""
    if len(network.layers) == 1:
        st.vega_lite_chart(feature_bars_spec(feature_weights(network), "weight w"), width="stretch")
        st.caption(
            f"p(survived) = σ(w · x + b), b = {network.layers[0].bias[0, 0]:+.3f}. "
            "Blue weights push towards survival, orange towards death. Every feature lies "
            "between 0 and 1, so the weights can be compared."
        )
        return
    table = permutation_importance(network, split.X_test, split.Y_test, seed)
    st.vega_lite_chart(feature_bars_spec(table, "drop in test accuracy (points)"), width="stretch")
    st.caption(
        "A hidden layer mixes the features, so no single weight tells their part. "
        f"**Permutation importance**: shuffle one feature's column across the test passengers "
        f"(seeded, {PERMUTATION_REPEATS} times) and see how many points of test accuracy the "
        "network loses: the more it loses, the more it relies on that feature."
    )


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
CLASSES = {1: "1st class", 2: "2nd class", 3: "3rd class"}
PORT_CHOICES = {**titanic.PORTS, "unknown": "unknown"}


def _fill(key: str, passenger: dict) -> None:
    for name, value in passenger.items():
        st.session_state[f"{key}.passenger.{name}"] = "unknown" if value is None else value


def title_warning(sex: str, title: str) -> str | None:
    """A note when the title belongs to the other sex (the network sees both as given)."""
    if sex == "male" and title in WOMENS_TITLES:
        return f"{title} is a woman's title, but you chose male."
    if sex == "female" and title in MENS_TITLES:
        return f"{title} is a man's title, but you chose female."
    return None


def survival_probability(network: nn.Network, passenger: dict) -> tuple[float, np.ndarray]:
    """(p(survived), the 14 features) of one passenger; raises PassengerError for bad values."""
    x = titanic.encode_passenger(**passenger)
    return float(network.predict(x.reshape(1, -1))[0, 0]), x


def survival_form(key: str, network: nn.Network, threshold: float, iterations: int) -> None:
    """A hand-made passenger and the current network's probability that they survive."""
    for name, value in DEFAULT_PASSENGER.items():
        st.session_state.setdefault(f"{key}.passenger.{name}", value)
    buttons = st.columns([1, 1, 4])
    for column, (name, passenger) in zip(buttons, FAMOUS.items(), strict=False):
        column.button(
            f"Fill in {name}",
            key=f"{key}.fill.{name}",
            on_click=_fill,
            args=(key, passenger),
            icon=":material/person:",
        )
    field = f"{key}.passenger."
    with st.form(f"{key}.form", border=True):
        row1, row2 = st.columns(4), st.columns(4)
        pclass = row1[0].selectbox(
            "Class", tuple(CLASSES), format_func=CLASSES.get, key=field + "pclass"
        )
        sex = row1[1].selectbox("Sex", ("female", "male"), key=field + "sex")
        age = row1[2].number_input("Age (years)", step=1.0, key=field + "age", help="0 to 100.")
        fare = row1[3].number_input(
            "Fare (£)",
            step=1.0,
            format="%.2f",
            key=field + "fare",
            help="What the ticket cost; most paid under £50.",
        )
        sibsp = row2[0].number_input("Siblings or spouses aboard", step=1, key=field + "sibsp")
        parch = row2[1].number_input("Parents or children aboard", step=1, key=field + "parch")
        title = row2[2].selectbox("Title", titanic.TITLES, key=field + "title")
        port = row2[3].selectbox(
            "Boarded at", tuple(PORT_CHOICES), format_func=PORT_CHOICES.get, key=field + "embarked"
        )
        submitted = st.form_submit_button("Would this passenger survive?", type="primary")
    if submitted:
        st.session_state[f"{key}.passenger"] = dict(
            pclass=pclass,
            sex=sex,
            age=age,
            fare=fare,
            sibsp=sibsp,
            parch=parch,
            title=title,
            embarked=None if port == "unknown" else port,
        )
    passenger = st.session_state.get(f"{key}.passenger")
    if passenger is None:
        st.caption("Describe a passenger and press the button; the current network answers.")
        return
    try:
        probability, x = survival_probability(network, passenger)
    except titanic.PassengerError as error:
        st.error(f"That passenger cannot be scored: {error}.", icon=":material/person_off:")
        return
    if note := title_warning(passenger["sex"], passenger["title"]):
        st.warning(f"{note} The network sees both as you typed them.")
    verdict = "survives" if probability > threshold else "does not survive"
    answer, explanation = st.columns([1, 2], gap="large")
    answer.metric("Chance of survival", f"{probability:.1%}", border=True)
    explanation.markdown(
        f"At threshold {threshold:.2f} the network says this passenger **{verdict}**."
    )
    if iterations == 0:
        explanation.info("The network has not trained yet: press Play first.")
    else:
        explanation.caption(f"Answered by the current network after {iterations:,} iterations.")
    with st.expander("What the network sees: this passenger's 14 features"):
        seen = pd.DataFrame({"feature": titanic.FEATURES, "x": x})
        if len(network.layers) == 1:
            seen["w · x"] = network.layers[0].weights[0] * x
        st.dataframe(seen, hide_index=True, width="stretch")


# ---- reproduce the tutorial -------------------------------------------------------------------
def reproduction_table(progress: list[nn.Progress], reference: dict) -> pd.DataFrame:
    """The tutorial's printed cost and training accuracy beside this engine's, per print."""
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
    """Whether every cost agrees within ``tolerance`` (relative) and every accuracy is equal."""
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


def show_reproduction(progress: list[nn.Progress], reference: dict) -> None:
    """The verdict, then the table of printed numbers side by side."""
    table = reproduction_table(progress, reference)
    agrees, message = agreement(table)
    (st.success if agrees else st.error)(
        message, icon=":material/check_circle:" if agrees else None
    )
    formats = {name: "%.10e" for name in ("tutorial cost", "this engine", "relative difference")}
    formats |= {name: "%.1f" for name in ("tutorial accuracy (%)", "this engine accuracy (%)")}
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            name: st.column_config.NumberColumn(format=fmt) for name, fmt in formats.items()
        },
    )
    st.caption(
        "Each accuracy is measured on the same forward pass as the printed cost (threshold "
        "0.5). The trained network is now the current run: see its test accuracy above."
    )


# ---- shared chart settings --------------------------------------------------------------------
def _outcome_color() -> dict:
    return {
        "field": "outcome",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["survived", "died"], "range": [SURVIVED_COLOR, DIED_COLOR]},
        "legend": {"orient": "bottom"},
    }


def _config() -> dict:
    return {
        "axis": {**FONT_SIZES, "grid": True, "gridColor": "#e6eaef"},
        "legend": FONT_SIZES,
        "view": {"stroke": None},
    }
