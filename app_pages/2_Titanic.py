"""Lesson 2: logistic regression is a network with no hidden layer, on 891 real passengers."""

from dataclasses import replace

import streamlit as st

import nn
from datasets import titanic
from ui import titanic as views
from ui.code_view import code_view, export_button
from ui.controls import (
    OutputSpec,
    Settings,
    apply_settings,
    export_settings,
    locked_controls,
    network_builder,
)
from ui.math_panel import math_panel
from ui.trainer import Run, live_trainer, look_closer, reproduce, show_metric_curves
from ui.trainer import tutorial_reference as reference

KEY = "titanic"
OUTPUT = OutputSpec(
    input_dim=len(titanic.FEATURES), units=1, activation="sigmoid", loss="cross_entropy"
)
# The tutorial's run: 1 sigmoid unit, tutorial init × 0.01, seed 1, lr 0.01, full-batch GD.
TUTORIAL = Settings(iterations_per_frame=100, max_iterations=10_000)
FAST = Settings(optimizer="adam", iterations_per_frame=20, max_iterations=1000)
HIDDEN = Settings(
    depth=2,
    units=(16, 16),
    activations=("relu", "relu"),
    init="he",
    optimizer="adam",
    iterations_per_frame=20,
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
split = views.split_picker(KEY)
st.header("The passengers")
views.show_data(split)
st.info(split.description, icon=":material/call_split:")


# ---- train and look, redrawn every frame ------------------------------------------------------
def draw(run: Run) -> None:
    latest = run.latest_metrics()
    train_accuracy, test_accuracy = latest["train accuracy"], latest["test accuracy"]
    cost_column, accuracy_column = st.columns(2, gap="large")
    with cost_column:
        st.subheader("Cost")
        show_metric_curves(run, ["train cost", "test cost"], "cross-entropy cost")
    with accuracy_column:
        st.subheader("Accuracy")
        show_metric_curves(run, ["train accuracy", "test accuracy"], "accuracy (%)")
    bars_column, learned_column = st.columns(2, gap="large")
    with bars_column:
        st.subheader("Does it beat a one-line rule?")
        table = views.baselines_table(split, (train_accuracy / 100, test_accuracy / 100))
        st.vega_lite_chart(views.baselines_spec(table), width="stretch")
        women = table.query("rule == 'every woman survives' and set == 'test'")["accuracy"].item()
        lead = test_accuracy - women
        st.caption(
            f"On the test set the network is {abs(lead):.1f} points "
            f"{'above' if lead >= 0 else 'below'} the rule “every woman survives”."
        )
    with learned_column:
        st.subheader("What the model learned")
        views.show_what_it_learned(run.network, split, run.settings.seed)
    st.subheader("Metrics on the test set")
    views.show_metrics(run.network, split, KEY)


st.header("Train")
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
run = live_trainer(
    KEY,
    split.X_train,
    split.Y_train,
    settings,
    OUTPUT,
    draw,
    data_key=split.key,
    evaluate=views.evaluator(split),
)


# ---- reproduce the tutorial -------------------------------------------------------------------
def reproduce_tutorial() -> None:
    apply_settings(KEY, TUTORIAL)
    views.use_tutorial_split(KEY)
    tutorial = views.tutorial_split()
    st.session_state[f"{KEY}.reproduced"] = reproduce(
        KEY,
        tutorial.X_train,
        tutorial.Y_train,
        replace(TUTORIAL, max_iterations=TUTORIAL_RESULTS["iterations"]),
        OUTPUT,
        TUTORIAL_RESULTS["print_every"],
        data_key=tutorial.key,
        metrics={"accuracy": nn.Trainer.train_accuracy},  # same pass as the cost, at 0.5,
        evaluate=views.evaluator(tutorial),
    )


if not look_closer(run, "would you survive?, reproduce the tutorial, the math and the code"):
    st.stop()
survive_tab, reproduce_tab, math_tab, code_tab = st.tabs(
    ["Would you survive?", "Reproduce the tutorial", "The math", "The code"]
)
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
        views.show_reproduction(st.session_state[f"{KEY}.reproduced"], TUTORIAL_RESULTS)
if run is not None:
    threshold = st.session_state.get(f"{KEY}.threshold", 0.5)
    with survive_tab:
        views.survival_form(KEY, run.network, threshold, run.iteration)
    with math_tab:
        math_panel(
            run.network,
            split.X_train,
            split.Y_train,
            key=f"{KEY}.math",
            grad_norms=run.trainer.grad_norms,
        )
    with code_tab:
        code_view(run.network, optimizer=settings.optimizer)
        iterations = run.iteration or settings.max_iterations  # before training: the plan
        export_button(f"{KEY}.export", split.code, export_settings(settings, OUTPUT), iterations)
