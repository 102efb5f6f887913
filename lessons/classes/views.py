"""The Many classes lesson's page: Classify (3 to 5 classes, softmax and categorical
cross-entropy) or Regress (a smooth function of the plane, linear output and MSE), the live
surface, the confusion matrix and per-class accuracy, Reproduce (float32 against float64, the
gradient check), the math and the code. In Classify a click on the plane adds a point of the
chosen class and a Shift-click removes one (data by hand). Data, pictures and checks are
``lessons.classes.logic``; the page keeps one ``ClassesState`` under
``st.session_state["classes"]``.
"""

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

import nn
from datasets import DatasetError
from datasets.hand import REMOVE_RADIUS
from datasets.multiclass import SURFACE_FORMULAS, SURFACES
from kit import colormaps
from kit import url_state as state
from kit.class_panel import class_panel
from kit.code_view import code_view
from kit.controls import (
    colour_picker,
    locked_controls,
    network_builder,
    synced_slider,
    write_url,
)
from kit.hand_panel import HandState, Plane, hand_panel
from kit.live import Run, encode, live_view, rounded
from kit.math_panel import math_panel
from kit.session import LessonState, lesson_state
from kit.settings import Settings
from lessons.classes.export import export_buttons
from lessons.classes.logic import (
    CLASS_NAMES,
    DATASETS,
    GRADIENT_TOLERANCE,
    GRID,
    MODES,
    REFERENCE_ITERATIONS,
    REFERENCE_TOLERANCE,
    VALUE_RANGE,
    ClassesChoice,
    ClassesData,
    clicked_point,
    confusion_matrix,
    gradient_errors,
    hand_points_of,
    make_data,
    metrics,
    per_class_accuracy,
    picture,
    reference_check,
    surface,
    with_hand_points,
)
from lessons.classes.slides import gif_recording, slide_figures

KEY = "classes"
DEFAULTS = Settings(
    depth=1, units=(16,), activations=("tanh",), learning_rate=0.05, optimizer="adam",
    init="xavier", max_iterations=2000, speed=300,
)  # fmt: skip
PRESETS = {
    "Default": DEFAULTS,
    "Gradient descent": Settings(
        depth=1, units=(16,), activations=("tanh",), learning_rate=0.2, init="xavier",
        max_iterations=3000, speed=300,
    ),
}  # fmt: skip
DATASET_LABELS = {"spiral": "Spiral arms", "blobs": "Gaussian blobs", "rose": "Rose petals"}
SURFACE_LABELS = {name: f"{name.capitalize()}: {SURFACE_FORMULAS[name]}" for name in SURFACES}
# The data choices kept in the URL beside the synced sliders', with their defaults.
PARAMS = {
    "mode": state.choice(MODES),
    "data": state.choice(DATASETS),
    "surface": state.choice(SURFACES),
}
URL_DEFAULTS = {
    "mode": ClassesChoice.mode,
    "data": ClassesChoice.dataset,
    "surface": ClassesChoice.surface,
}
# What a teacher may lock beside the network: every data control, by its URL name.
DATA_LOCKS = ("mode", "data", "surface", "classes", "noise", "data_seed", "test_share")


@dataclass
class ClassesState(LessonState):
    """The lesson's state: the student's own points (``kit.hand_panel``), made on a data
    choice."""

    by_hand: HandState = field(default_factory=HandState)


def _url_backed(key: str, name: str) -> str:
    """The session-state key of the widget for URL setting ``name``, holding the URL's value
    (or the default) on the session's first visit."""
    widget = f"{key}.{name}"
    if widget not in st.session_state:
        query = state.read_query(st.query_params, {name: PARAMS[name]})
        st.session_state[widget] = query.get(name, URL_DEFAULTS[name])
    return widget


def _to_url(key: str, name: str, value: str) -> None:
    """Write ``?name=value`` into the URL, or drop it when ``value`` is the default."""
    wanted = state.query_values({name: value}, {name: URL_DEFAULTS[name]}, {name: PARAMS[name]})
    write_url(key, wanted, [name])


# ---- the data controls ---------------------------------------------------------------------------
def data_controls(key: str) -> ClassesChoice:
    """The sidebar's Data section: the task, then the data for it; the controls a class link
    locks are greyed out."""
    locked = locked_controls(key)
    bar = st.sidebar
    bar.header("Data")
    mode = bar.radio(
        "Task",
        list(MODES),
        format_func=MODES.get,
        horizontal=True,
        key=_url_backed(key, "mode"),
        help="Classify: one softmax unit per class. Regress: one linear unit, the value.",
        disabled="mode" in locked,
    )
    _to_url(key, "mode", mode)
    extra = {}
    if mode == "classify":
        dataset = bar.selectbox(
            "Dataset", DATASETS, format_func=DATASET_LABELS.get, key=_url_backed(key, "data"),
            disabled="data" in locked,
        )  # fmt: skip
        _to_url(key, "data", dataset)
        classes = synced_slider(key, "classes", "Classes", 3, 5, 3)
        extra = {"dataset": dataset, "classes": int(classes)}
    else:
        surface_name = bar.selectbox(
            "Function f(x, y)", list(SURFACES), format_func=SURFACE_LABELS.get,
            key=_url_backed(key, "surface"), disabled="surface" in locked,
        )  # fmt: skip
        _to_url(key, "surface", surface_name)
        extra = {"surface": surface_name}
    noise = synced_slider(key, "noise", "Noise", 0.0, 0.5, 0.2, step=0.05)
    seed = synced_slider(key, "data_seed", "Data seed", 0, 100, 0, help="Noise and split.")
    test_share = synced_slider(
        key, "test_share", "Test share", 0.0, 0.5, 0.2, step=0.05,
        help="Held out of training (a seeded shuffle): white squares on the plot.",
    )  # fmt: skip
    return ClassesChoice(mode=mode, noise=noise, seed=int(seed), test_share=test_share, **extra)


def url_values(choice: ClassesChoice) -> dict:
    """The data settings by their URL names (``PARAMS`` and the synced sliders'): what a class
    link locks and a submission's settings hold."""
    values: dict = {"mode": choice.mode}
    if choice.mode == "classify":
        values.update(data=choice.dataset, classes=choice.classes)
    else:
        values["surface"] = choice.surface
    values.update(noise=choice.noise, data_seed=choice.seed, test_share=choice.test_share)
    return values


# ---- the live view -------------------------------------------------------------------------------
def _scene(run: Run, data: ClassesData, clicks: bool) -> dict:
    """The live view's panels: the surface with the points, the network, cost and accuracy."""
    layers = run.network.layers
    side = GRID * 2
    if data.classify:
        caption = f"{GRID}×{GRID} grid: the class colours mixed by their probabilities."
    else:
        caption = f"{GRID}×{GRID} grid: the value from {VALUE_RANGE[0]:g} to {VALUE_RANGE[1]:g}; "
        caption += "points show their targets."
    panels = {
        "surface": {
            "kind": "picture", "title": "The network over the plane", "colormap": "rgb",
            "max_width": 400, "flex": 1.1, "caption": caption,
            "image": encode(np.full((side, side, 3), 255, np.uint8), 0, 255),
            "clicks": clicks and "Click: add a point · Shift-click: remove one",
        },
        "diagram": {
            "kind": "diagram", "title": "Network",
            "sizes": [2, *(layer.units for layer in layers)],
            "activations": [layer.activation.name for layer in layers],
        },
        "cost": {"kind": "curves", "title": "Cost (log scale)",
                 "series": ["train cost", "test cost"], "log": True, "height": 180},
    }  # fmt: skip
    bottom = ["cost"]
    if data.classify:
        panels["accuracy"] = {
            "kind": "curves",
            "title": "Accuracy",
            "percent": True,
            "series": ["train accuracy", "test accuracy"],
            "height": 180,
        }
        bottom.append("accuracy")
    return {"layout": [["surface", "diagram"], bottom], "panels": panels}


def _frame_values(run: Run, data: ClassesData, show_test: bool, colours: str) -> dict:
    """The picture, the weights and the readouts at the run's iteration."""
    image = picture(data, surface(run.network, data), show_test, colours)
    latest = run.latest_metrics()
    read = {"Training points": f"{len(data.train):,}"}
    for split in ("train", "test"):
        if f"{split} accuracy" in latest:
            read[f"{split.capitalize()} accuracy"] = f"{100 * latest[f'{split} accuracy']:.1f} %"
        elif f"{split} cost" in latest:
            read[f"{split.capitalize()} MSE"] = f"{latest[f'{split} cost']:.4f}"
    layers = run.network.layers
    values = {
        "surface": {"image": encode(image, 0, 255)},
        "diagram": {
            "weights": [rounded(layer.weights.T, 3) for layer in layers],
            "biases": [rounded(layer.bias, 3) for layer in layers],
        },
    }
    return {"read": read, "v": values}


# ---- below the live view -------------------------------------------------------------------------
def confusion_table(matrix: np.ndarray) -> pd.DataFrame:
    """The confusion matrix with named rows (true) and columns (predicted)."""
    names = [f"{c} · {CLASS_NAMES[c]}" for c in range(len(matrix))]
    return pd.DataFrame(
        matrix, index=[f"true {n}" for n in names], columns=[f"predicted {n}" for n in names]
    )


def class_report(network: nn.Network, data: ClassesData) -> None:
    """The confusion matrix and per-class accuracy on the test split (the training split when
    nothing is held out)."""
    rows, split = (data.test, "test") if len(data.test) else (data.train, "training")
    if not len(rows):
        return
    matrix = confusion_matrix(network.predict(data.inputs[rows]), data.Y[rows])
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**Confusion matrix** ({split} points: rows true, columns predicted)")
        st.dataframe(confusion_table(matrix), key=f"{KEY}.confusion")
    with right:
        st.markdown("**Per-class accuracy**")
        accuracy = per_class_accuracy(matrix)
        table = pd.DataFrame(
            {
                "class": [f"{c} · {CLASS_NAMES[c]}" for c in range(len(matrix))],
                "points": matrix.sum(axis=1),
                "accuracy (%)": np.round(100 * accuracy, 1),
            }
        )
        st.dataframe(table, hide_index=True, key=f"{KEY}.per_class")
    st.caption(
        "A row's off-diagonal counts are its points the network gives to another class: "
        "neighbouring arms or petals are confused first."
    )


def reproduce(settings: Settings, run: Run, data: ClassesData) -> None:
    """float32 against float64 on click, and the gradient check of the current network."""
    st.markdown(
        f"**float32 against float64.** The same run from the same start, "
        f"{REFERENCE_ITERATIONS} steps in each precision; the costs must agree step by step "
        f"to a relative {REFERENCE_TOLERANCE:g}."
    )
    if st.button("Train both precisions", key=f"{KEY}.reference", icon=":material/bolt:"):
        check = reference_check(settings, data)
        final = pd.DataFrame(
            {
                "precision": ["float32", "float64"],
                f"cost after {REFERENCE_ITERATIONS} steps": [check.costs32[-1], check.costs64[-1]],
            }
        )
        st.dataframe(final, hide_index=True, key=f"{KEY}.reference_table")
        largest = float(check.differences.max())
        if check.agrees:
            st.success(
                f"They agree for all {REFERENCE_ITERATIONS} steps: largest relative "
                f"difference {largest:.1e} (allowed {REFERENCE_TOLERANCE:g})."
            )
        else:
            st.warning(
                f"They agree for {check.agrees_for} steps, then part (largest relative "
                f"difference {largest:.1e}): float32 rounds each step a little differently and "
                "a fast optimizer amplifies it. Lower the learning rate and they stay together."
            )
    errors = gradient_errors(run.network, data)
    st.markdown(
        f"**Gradient check** ({run.network.layers[-1].activation.name} output, "
        f"{run.network.loss.name} loss): backpropagation against central differences, per layer."
    )
    st.dataframe(
        pd.DataFrame(
            {
                "layer": [f"layer {i + 1}" for i in range(len(errors))],
                "relative error": errors,
                "passes": [e < GRADIENT_TOLERANCE for e in errors],
            }
        ),
        hide_index=True,
        key=f"{KEY}.gradcheck_table",
        column_config={"relative error": st.column_config.NumberColumn(format="%.1e")},
    )


# ---- the page ------------------------------------------------------------------------------------
def page() -> None:
    """Lesson 6: a softmax output tells three to five classes apart; a linear output learns a
    surface."""
    st.title("6 · Many classes")
    st.markdown(
        "A **softmax** over one output unit per class gives probabilities that add up to 1, and "
        "**categorical cross-entropy** punishes a low one for the right class; the plane mixes "
        "the class colours by them. The **Regress** task learns a smooth f(x, y) instead."
    )
    try:
        base = make_data(data_controls(KEY))
    except DatasetError as error:
        st.error(f"These data settings do not make a dataset: {error}")
        st.stop()
    state = lesson_state(KEY, ClassesState)
    show_test = st.sidebar.toggle("Show test points", value=True, key=f"{KEY}.show_test")
    points = state.by_hand.points_on(base.choice) if base.classify else None
    data = base if points is None else with_hand_points(base, points)
    output = data.output()
    settings = network_builder(KEY, output, DEFAULTS, PRESETS)
    colours = colour_picker(KEY, colormaps.DIVERGING)
    X, Y = data.inputs[data.train], data.Y[data.train]
    hand = None
    if base.classify:
        plane = Plane(
            made_on=base.choice,
            classes=CLASS_NAMES[: base.choice.classes],
            start=partial(hand_points_of, base),
            place=partial(clicked_point, data),
            radius=REMOVE_RADIUS * 2 * data.extent,
        )
        hand = hand_panel(KEY, state.by_hand, plane, DATA_LOCKS)
    run = live_view(
        KEY, X, Y, settings, output, partial(_scene, data=data, clicks=hand is not None),
        partial(_frame_values, data=data, show_test=show_test, colours=colours),
        data_key=(data.choice,), evaluate=partial(metrics, data=data), hand=hand,
        figures=partial(slide_figures, data=data, show_test=show_test, colours=colours),
        gif=partial(gif_recording, data=data, show_test=show_test, colours=colours),
    )  # fmt: skip
    class_panel(
        KEY, run, url_values(base.choice),
        partial(slide_figures, data=data, show_test=show_test, colours=colours),
        data_locks=DATA_LOCKS,
        dataset=base.choice.dataset if base.classify else base.choice.surface,
    )  # fmt: skip
    if run is None:
        return
    if not len(data.train):
        st.info("There are no training points: click the plane to add some.")
        return
    if data.classify:
        class_report(run.network, data)
    else:
        final = metrics(run.network, data)
        spread = float(np.var(data.Y[data.train]))
        st.caption(
            f"Mean squared error {final['train cost']:.4f} on the training points; predicting "
            f"their mean everywhere would give {spread:.4f} (their variance)."
        )
    tabs = st.tabs(["Reproduce", "The math", "The code"], key=f"{KEY}.tab", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            reproduce(settings, run, data)
    if tabs[1].open:
        with tabs[1]:
            math_panel(run.network, X, Y, key=f"{KEY}.math", grad_norms=run.trainer.grad_norms)
    if tabs[2].open:
        with tabs[2]:
            code_view(run.network, optimizer=settings.optimizer)
            export_buttons(f"{KEY}.export", run, settings, output, data, base)
