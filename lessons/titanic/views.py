"""What the Titanic lesson's page draws: the live view, baselines as bars, the confusion matrix at
a chosen threshold, what the model learned, "would you survive?", the passengers and their
preprocessing, and the tutorial's printed numbers beside ours. ``page()`` is the page body; the
computations are in ``logic``.
"""

from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

import nn
from datasets import titanic
from kit import url_state as state
from kit.charts import FONT_SIZES
from kit.class_panel import class_panel
from kit.code_view import code_view
from kit.controls import (
    apply_settings,
    locked_controls,
    network_builder,
    synced_slider,
    write_url,
)
from kit.diagram import NEGATIVE_COLOR, POSITIVE_COLOR
from kit.export import export_button
from kit.live import Run, live_view, rounded
from kit.math_panel import math_panel
from kit.reproduce import reproduce, tutorial_reference
from kit.session import LessonState, lesson_state
from kit.settings import OutputSpec, Settings, export_settings
from lessons.titanic import logic, slides

KEY = "titanic"
OUTPUT = OutputSpec(
    input_dim=len(titanic.FEATURES), units=1, activation="sigmoid", loss="cross_entropy"
)
# The tutorial's run: 1 sigmoid unit, tutorial init × 0.01, seed 1, lr 0.01, full-batch GD.
TUTORIAL = Settings(max_iterations=10_000, speed=1000)
FAST = Settings(optimizer="adam", max_iterations=1000, speed=300)
HIDDEN = Settings(
    depth=2,
    units=(16, 16),
    activations=("relu", "relu"),
    init="he",
    optimizer="adam",
    max_iterations=2000,
)
PRESETS = {"Tutorial": TUTORIAL, "Fast": FAST}
TUTORIAL_RESULTS = tutorial_reference("titanic_logistic")

SURVIVED_COLOR, DIED_COLOR = POSITIVE_COLOR, NEGATIVE_COLOR
TRAIN_COLOR, TEST_COLOR = "#0877bd", "#f59322"
SPLITS = {"tutorial": "The tutorial's (1–792 train)", "random": "Random, seeded"}
CLASSES = {1: "1st class", 2: "2nd class", 3: "3rd class"}
PORT_CHOICES = {**titanic.PORTS, "unknown": "unknown"}


@dataclass
class TitanicState(LessonState):
    """What the Titanic lesson keeps between reruns, beside kit's ``live`` and ``builder``:

    - ``passenger``: the last passenger sent from "Would you survive?", as
      ``datasets.titanic.encode_passenger`` takes it (``embarked`` None when unknown), or None
      before the first;
    - ``reproduced``: what the tutorial's reproduction printed, one ``nn.Progress`` every
      ``print_every`` iterations, or None before the button is pressed.
    """

    passenger: dict | None = None
    reproduced: list[nn.Progress] | None = None


# ---- the page ---------------------------------------------------------------------------------
def page() -> None:
    """Lesson 2: logistic regression is a network with no hidden layer, on 891 real passengers."""
    st.title("2 · Titanic")
    st.markdown(
        "Logistic regression is the smallest neural network: **one sigmoid unit**, "
        "p(survived) = σ(w · x + b), on the tutorial's 14 features of each passenger. "
        "It reaches about 80 % training accuracy. Does it beat a one-line rule? "
        "And what do hidden layers add on real data? Press **Play**, then add layers in the "
        "sidebar."
    )
    settings = network_builder(KEY, OUTPUT, TUTORIAL, PRESETS)
    split = split_picker(KEY)
    women = split.baselines.loc["every woman survives", "test"] * 100

    def readouts(run: Run) -> dict:
        """The accuracies, the lead over the best one-line rule and the weights, now."""
        latest = run.latest_metrics()
        lead = latest["test accuracy"] - women
        layers = run.network.layers
        return {
            "read": {
                "Train accuracy": f"{latest['train accuracy']:.1f} %",
                "Test accuracy": f"{latest['test accuracy']:.1f} %",
                "vs “every woman survives”": f"{lead:+.1f} points",
            },
            "v": {
                "diagram": {
                    "weights": [rounded(layer.weights.T, 3) for layer in layers],
                    "biases": [rounded(layer.bias, 3) for layer in layers],
                }
            },
        }

    run = live_view(
        KEY, split.X_train, split.Y_train, settings, OUTPUT, scene, readouts,
        data_key=split.key, evaluate=logic.evaluator(split), figures=slides.slide_figures,
        gif=partial(slides.gif_recording, split=split),
    )  # fmt: skip
    class_panel(
        KEY, run, split_values(KEY), slides.slide_figures,
        data_locks=("split", "test_fraction", "split_seed"), dataset="tutorial",
    )  # fmt: skip
    depth_switch(settings)

    tabs = ["Does it beat a rule?", "Would you survive?", "The passengers",
            "Reproduce the tutorial", "The math", "The code"]  # fmt: skip
    rule_tab, survive_tab, data_tab, reproduce_tab, math_tab, code_tab = st.tabs(
        tabs, key=f"{KEY}.tab", on_change="rerun"
    )
    if data_tab.open:
        with data_tab:
            show_data(split)
            st.info(split.description, icon=":material/call_split:")
    if reproduce_tab.open:
        with reproduce_tab:
            show_reproduce_tab()
    if run is None:
        return
    if rule_tab.open:
        with rule_tab:
            latest = run.latest_metrics()
            accuracies = (latest["train accuracy"] / 100, latest["test accuracy"] / 100)
            table = logic.baselines_table(split, accuracies)
            st.vega_lite_chart(baselines_spec(table), width="stretch")
            st.subheader("What the model learned")
            show_what_it_learned(run.network, split, run.settings.seed)
            st.subheader("Metrics on the test set")
            show_metrics(run.network, split, KEY)
    # The slider is in the first tab; it keeps its value while another tab is open.
    threshold = st.session_state.get(f"{KEY}.threshold", 0.5)
    if survive_tab.open:
        with survive_tab:
            survival_form(KEY, run.network, threshold, run.iteration)
    if math_tab.open:
        with math_tab:
            math_panel(
                run.network,
                split.X_train,
                split.Y_train,
                key=f"{KEY}.math",
                grad_norms=run.trainer.grad_norms,
            )
    if code_tab.open:
        with code_tab:
            code_view(run.network, optimizer=settings.optimizer)
            iterations = run.iteration or settings.max_iterations  # before training: the plan
            export_button(
                f"{KEY}.export", split.code, export_settings(settings, OUTPUT), iterations
            )


def scene(run: Run) -> dict:
    """The live view's panels: cost and accuracy curves (train and test), the weights."""
    layers = run.network.layers
    panels = {
        "cost": {"kind": "curves", "title": "Cross-entropy cost",
                 "series": ["train cost", "test cost"], "height": 230},
        "accuracy": {"kind": "curves", "title": "Accuracy (%)",
                     "series": ["train accuracy", "test accuracy"], "height": 230},
        "diagram": {"kind": "diagram", "title": "The network's weights",
                    "sizes": [OUTPUT.input_dim, *(layer.units for layer in layers)],
                    "activations": [layer.activation.name for layer in layers]},
    }  # fmt: skip
    return {"layout": [["cost", "accuracy", "diagram"]], "panels": panels}


def depth_switch(settings: Settings) -> None:
    """One button between logistic regression (depth 0) and two hidden layers."""
    if settings.depth == 0:
        switch, label = (
            HIDDEN,
            "Depth 0 is logistic regression. Try two hidden layers (2×16 relu, Adam)",
        )
    else:
        switch, label = TUTORIAL, "Back to logistic regression (depth 0, the tutorial's settings)"
    st.button(
        label,
        key=f"{KEY}.switch_depth",
        on_click=apply_settings,
        args=(KEY, switch, locked_controls(KEY)),
        icon=":material/swap_horiz:",
    )


# ---- the data and the split -------------------------------------------------------------------
def use_tutorial_split(key: str) -> None:
    """Switch the split picker back to the tutorial's (call from a callback)."""
    st.session_state[f"{key}.split"] = "tutorial"


def split_picker(key: str) -> logic.Split:
    """The sidebar's data controls, mirrored into ?split=, ?test_fraction= and ?split_seed=.
    The split is read from the URL on the session's first visit and kept across pages."""
    widget = f"{key}.split"
    if widget not in st.session_state:  # the session's first visit: the URL's value
        asked = state.read_query(st.query_params, {"split": state.choice(SPLITS)})
        st.session_state[widget] = asked.get("split", "tutorial")
    st.sidebar.header("Data")
    kind = st.sidebar.radio(
        "Train / test split",
        tuple(SPLITS),
        format_func=SPLITS.get,
        key=widget,
        persist_state="session",
        disabled="split" in locked_controls(key),
    )
    write_url(key, {"split": kind} if kind != "tutorial" else {}, ["split"])
    if kind == "tutorial":
        write_url(key, {}, ["test_fraction", "split_seed"])
        return logic.tutorial_split()
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
    return logic.random_split(round(float(fraction), 2), int(seed))


def split_values(key: str) -> dict:
    """The split's settings by their URL names, as the sidebar holds them."""
    kind = st.session_state[f"{key}.split"]
    if kind == "tutorial":
        return {"split": kind}
    return {
        "split": kind,
        "test_fraction": st.session_state[f"{key}.test_fraction"],
        "split_seed": st.session_state[f"{key}.split_seed"],
    }


def show_data(split: logic.Split) -> None:
    """Tabs: the raw passengers, raw column -> feature, the 14 features, the class balance."""
    raw, encoded = logic.passengers(), logic.encoded_passengers()
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


def class_balance_spec(split: logic.Split) -> dict:
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


# ---- does it beat a rule? ---------------------------------------------------------------------
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


def show_metrics(network: nn.Network, split: logic.Split, key: str) -> float:
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
        persist_state="session",
    )
    counts = logic.confusion(P, split.Y_test, threshold)
    precision, recall = logic.precision_recall(counts)
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
            threshold_spec(logic.threshold_curves(P, split.Y_test), threshold), width="stretch"
        )
        st.caption(
            "A higher threshold saves fewer passengers: precision rises, recall falls. "
            "The dashed line is the slider."
        )
    show_roc(P, split)
    return threshold


def show_roc(P: np.ndarray, split: logic.Split) -> None:
    """The ROC curve of the network's test probabilities ``P``, its AUC, and the "every woman
    survives" rule as one point."""
    fpr, tpr, thresholds = logic.roc_curve(P, split.Y_test)
    area = logic.auc(fpr, tpr)
    women = logic.women_rule_point(split.X_test, split.Y_test)
    chart, words = st.columns(2, gap="large")
    chart.vega_lite_chart(roc_spec(fpr, tpr, thresholds, area, women), width="stretch")
    words.metric(
        "AUC on the test set",
        f"{area:.3f}",
        help="Area under the ROC curve: the chance that a random survivor gets a higher "
        "probability than a random passenger who died. 0.5 is a coin toss, 1 is perfect.",
    )
    words.caption(
        "Each point of the curve is one threshold: lower it and the network saves more "
        "survivors (true positive rate, up) but also more who died (false positive rate, "
        "right). The orange dot is the rule “every woman survives”: one rule, one point. A "
        "network is better than the rule where its curve passes above and left of the dot."
    )


def roc_spec(
    fpr: np.ndarray,
    tpr: np.ndarray,
    thresholds: np.ndarray,
    area: float,
    rule: tuple[float, float],
    height: int = 260,
) -> dict:
    """The ROC curve (a step line through the points), the diagonal of a coin toss and the
    "every woman survives" rule as a point, titled with the AUC."""
    curve = [
        {"i": i, "fpr": float(x), "tpr": float(y), "threshold": None if np.isinf(t) else float(t)}
        for i, (x, y, t) in enumerate(zip(fpr, tpr, thresholds, strict=True))
    ]
    axis = {"type": "quantitative", "scale": {"domain": [0, 1]}}
    return {
        "height": height,
        "title": f"ROC curve on the test set · AUC {area:.3f}",
        "layer": [
            {
                "data": {"values": [{"fpr": 0, "tpr": 0}, {"fpr": 1, "tpr": 1}]},
                "mark": {"type": "line", "strokeDash": [4, 4], "color": "#9aa5b1"},
                "encoding": {"x": {"field": "fpr", **axis}, "y": {"field": "tpr", **axis}},
            },
            {
                "data": {"values": curve},
                "mark": {"type": "line", "strokeWidth": 2.5, "color": TRAIN_COLOR},
                "encoding": {
                    "x": {"field": "fpr", **axis, "title": "false positive rate"},
                    "y": {"field": "tpr", **axis, "title": "true positive rate"},
                    "order": {"field": "i"},  # by threshold: ties in fpr keep their tpr order
                    "tooltip": [
                        {"field": "threshold", "format": ".3f"},
                        {"field": "fpr", "format": ".2f"},
                        {"field": "tpr", "format": ".2f"},
                    ],
                },
            },
            {
                "data": {
                    "values": [{"fpr": rule[0], "tpr": rule[1], "rule": "every woman survives"}]
                },
                "mark": {"type": "point", "filled": True, "size": 120, "color": TEST_COLOR},
                "encoding": {
                    "x": {"field": "fpr", **axis},
                    "y": {"field": "tpr", **axis},
                    "tooltip": [
                        {"field": "rule"},
                        {"field": "fpr", "format": ".2f"},
                        {"field": "tpr", "format": ".2f"},
                    ],
                },
            },
        ],
        "config": _config(),
    }


# ---- what the model learned -------------------------------------------------------------------
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


def show_what_it_learned(network: nn.Network, split: logic.Split, seed: int) -> None:
    """Depth 0: the weights. Deeper: permutation importance on the test set."""
    if len(network.layers) == 1:
        st.vega_lite_chart(
            feature_bars_spec(logic.feature_weights(network), "weight w"), width="stretch"
        )
        st.caption(
            f"p(survived) = σ(w · x + b), b = {network.layers[0].bias[0, 0]:+.3f}. "
            "Blue weights push towards survival, orange towards death. Every feature lies "
            "between 0 and 1, so the weights can be compared."
        )
        return
    table = logic.permutation_importance(network, split.X_test, split.Y_test, seed)
    st.vega_lite_chart(feature_bars_spec(table, "drop in test accuracy (points)"), width="stretch")
    st.caption(
        "A hidden layer mixes the features, so no single weight tells their part. "
        f"**Permutation importance**: shuffle one feature's column across the test passengers "
        f"(seeded, {logic.PERMUTATION_REPEATS} times) and see how many points of test accuracy the "
        "network loses: the more it loses, the more it relies on that feature."
    )


# ---- would you survive? -----------------------------------------------------------------------
def _fill(key: str, passenger: dict) -> None:
    for name, value in passenger.items():
        st.session_state[f"{key}.passenger.{name}"] = "unknown" if value is None else value


def survival_form(key: str, network: nn.Network, threshold: float, iterations: int) -> None:
    """A hand-made passenger and the current network's probability that they survive."""
    for name, value in logic.DEFAULT_PASSENGER.items():
        st.session_state.setdefault(f"{key}.passenger.{name}", value)
    buttons = st.columns([1, 1, 4])
    for column, (name, passenger) in zip(buttons, logic.FAMOUS.items(), strict=False):
        column.button(
            f"Fill in {name}",
            key=f"{key}.fill.{name}",
            on_click=_fill,
            args=(key, passenger),
            icon=":material/person:",
        )

    def field(name: str) -> dict:
        # The tab is drawn only while open: the form keeps its values while another one is.
        return {"key": f"{key}.passenger.{name}", "persist_state": "session"}

    with st.form(f"{key}.form", border=True):
        row1, row2 = st.columns(4), st.columns(4)
        pclass = row1[0].selectbox(
            "Class", tuple(CLASSES), format_func=CLASSES.get, **field("pclass")
        )
        sex = row1[1].selectbox("Sex", ("female", "male"), **field("sex"))
        age = row1[2].number_input("Age (years)", step=1.0, help="0 to 100.", **field("age"))
        fare = row1[3].number_input(
            "Fare (£)",
            step=1.0,
            format="%.2f",
            help="What the ticket cost; most paid under £50.",
            **field("fare"),
        )
        sibsp = row2[0].number_input("Siblings or spouses aboard", step=1, **field("sibsp"))
        parch = row2[1].number_input("Parents or children aboard", step=1, **field("parch"))
        title = row2[2].selectbox("Title", titanic.TITLES, **field("title"))
        port = row2[3].selectbox(
            "Boarded at", tuple(PORT_CHOICES), format_func=PORT_CHOICES.get, **field("embarked")
        )
        submitted = st.form_submit_button("Would this passenger survive?", type="primary")
    saved = lesson_state(key, TitanicState)
    if submitted:
        saved.passenger = dict(
            pclass=pclass,
            sex=sex,
            age=age,
            fare=fare,
            sibsp=sibsp,
            parch=parch,
            title=title,
            embarked=None if port == "unknown" else port,
        )
    passenger = saved.passenger
    if passenger is None:
        st.caption("Describe a passenger and press the button; the current network answers.")
        return
    try:
        probability, x = logic.survival_probability(network, passenger)
    except titanic.PassengerError as error:
        st.error(f"That passenger cannot be scored: {error}.", icon=":material/person_off:")
        return
    if note := logic.title_warning(passenger["sex"], passenger["title"]):
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
def reproduce_tutorial() -> None:
    """Button callback: the tutorial's settings and split, trained as the tutorial printed."""
    apply_settings(KEY, TUTORIAL)
    use_tutorial_split(KEY)
    tutorial = logic.tutorial_split()
    lesson_state(KEY, TitanicState).reproduced = reproduce(
        KEY,
        tutorial.X_train,
        tutorial.Y_train,
        replace(TUTORIAL, max_iterations=TUTORIAL_RESULTS["iterations"]),
        OUTPUT,
        TUTORIAL_RESULTS["print_every"],
        data_key=tutorial.key,
        metrics={"accuracy": nn.Trainer.train_accuracy},  # same pass as the cost, at 0.5,
        evaluate=logic.evaluator(tutorial),
    )


def show_reproduce_tab() -> None:
    """The tutorial's run in words, the button that repeats it and, once pressed, the verdict."""
    st.markdown(
        "The tutorial's exact run: one sigmoid unit, tutorial init (scale 0.01, seed 1), "
        "learning rate 0.01, 8,000 iterations of full-batch gradient descent on the first 792 "
        "passengers, cross-entropy; it printed the cost and the training accuracy every 1,000."
    )
    st.button(
        "Reproduce the tutorial",
        key=f"{KEY}.reproduce",
        on_click=reproduce_tutorial,
        icon=":material/replay:",
        type="primary",
    )
    reproduced = lesson_state(KEY, TitanicState).reproduced
    if reproduced is not None:
        show_reproduction(reproduced, TUTORIAL_RESULTS)


def show_reproduction(progress: list[nn.Progress], reference: dict) -> None:
    """The verdict, then the table of printed numbers side by side."""
    table = logic.reproduction_table(progress, reference)
    agrees, message = logic.agreement(table)
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
