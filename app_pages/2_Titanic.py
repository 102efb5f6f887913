"""Lesson 2: logistic regression is a network with no hidden layer, on 891 real passengers."""

from dataclasses import replace

import streamlit as st

import nn
from datasets import titanic
from kit.code_view import code_view, export_button
from kit.controls import (
    OutputSpec,
    Settings,
    apply_settings,
    export_settings,
    locked_controls,
    network_builder,
)
from kit.live import Run, live_view, rounded
from kit.math_panel import math_panel
from kit.reproduce import reproduce
from kit.reproduce import tutorial_reference as reference
from lessons.titanic import views as titanic_views

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
TUTORIAL_RESULTS = reference("titanic_logistic")

st.title("2 · Titanic")
st.markdown(
    "Logistic regression is the smallest neural network: **one sigmoid unit**, "
    "p(survived) = σ(w · x + b), on the tutorial's 14 features of each passenger. "
    "It reaches about 80 % training accuracy. Does it beat a one-line rule? "
    "And what do hidden layers add on real data? Press **Play**, then add layers in the sidebar."
)

# ---- the data ---------------------------------------------------------------------------------
settings = network_builder(KEY, OUTPUT, TUTORIAL, PRESETS)
split = titanic_views.split_picker(KEY)
women = split.baselines.loc["every woman survives", "test"] * 100


# ---- the live view ----------------------------------------------------------------------------
def scene(run: Run) -> dict:
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


def views(run: Run) -> dict:
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
    KEY, split.X_train, split.Y_train, settings, OUTPUT, scene, views,
    data_key=split.key, evaluate=titanic_views.evaluator(split),
)  # fmt: skip
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


# ---- reproduce the tutorial -------------------------------------------------------------------
def reproduce_tutorial() -> None:
    apply_settings(KEY, TUTORIAL)
    titanic_views.use_tutorial_split(KEY)
    tutorial = titanic_views.tutorial_split()
    st.session_state[f"{KEY}.reproduced"] = reproduce(
        KEY,
        tutorial.X_train,
        tutorial.Y_train,
        replace(TUTORIAL, max_iterations=TUTORIAL_RESULTS["iterations"]),
        OUTPUT,
        TUTORIAL_RESULTS["print_every"],
        data_key=tutorial.key,
        metrics={"accuracy": nn.Trainer.train_accuracy},  # same pass as the cost, at 0.5,
        evaluate=titanic_views.evaluator(tutorial),
    )


tabs = ["Does it beat a rule?", "Would you survive?", "The passengers", "Reproduce the tutorial",
        "The math", "The code"]  # fmt: skip
rule_tab, survive_tab, data_tab, reproduce_tab, math_tab, code_tab = st.tabs(
    tabs, key=f"{KEY}.tab", on_change="rerun"
)
if data_tab.open:
    with data_tab:
        titanic_views.show_data(split)
        st.info(split.description, icon=":material/call_split:")
if reproduce_tab.open:
    with reproduce_tab:
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
        if f"{KEY}.reproduced" in st.session_state:
            titanic_views.show_reproduction(st.session_state[f"{KEY}.reproduced"], TUTORIAL_RESULTS)
if run is not None:
    if rule_tab.open:
        with rule_tab:
            latest = run.latest_metrics()
            accuracies = (latest["train accuracy"] / 100, latest["test accuracy"] / 100)
            table = titanic_views.baselines_table(split, accuracies)
            st.vega_lite_chart(titanic_views.baselines_spec(table), width="stretch")
            st.subheader("What the model learned")
            titanic_views.show_what_it_learned(run.network, split, run.settings.seed)
            st.subheader("Metrics on the test set")
            titanic_views.show_metrics(run.network, split, KEY)
    threshold = st.session_state.get(f"{KEY}.threshold", 0.5)
    if survive_tab.open:
        with survive_tab:
            titanic_views.survival_form(KEY, run.network, threshold, run.iteration)
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
