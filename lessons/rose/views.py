"""The Rose lesson's page: the dataset picker and data controls, the live view of the decision
surface and of every hidden unit, "line versus flower", the capacity sweep, the math and the
code. A click on the surface adds a point of the chosen class and a Shift-click removes one (data
by hand): everything on the page uses the student's points from then on. The data, inputs,
pictures and the sweep's state are ``lessons.rose.logic``; what the page keeps between reruns is
one ``RoseState`` under ``st.session_state["rose"]``.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd
import streamlit as st

import nn
from datasets import DatasetError, make_rose
from datasets.hand import REMOVE_RADIUS
from kit import colormaps
from kit import url_state as state
from kit.charts import FONT_SIZES, png_data_url
from kit.class_panel import class_panel
from kit.code_view import code_view
from kit.controls import (
    colour_picker,
    locked_controls,
    network_builder,
    synced_slider,
    write_url,
)
from kit.export import export_button
from kit.frame_clock import ask_again, live_fragment
from kit.hand_panel import HandState, Plane, hand_panel
from kit.histograms import histogram_spec, layer_histograms
from kit.live import Run, encode, live_view, rounded
from kit.math_panel import math_panel
from kit.reproduce import comparison_table, tutorial_reference
from kit.session import LessonState, lesson_state
from kit.settings import OutputSpec, Settings, build_network, export_settings
from lessons.rose.logic import (
    DATASETS,
    FEATURES,
    GRID,
    MAX_UNITS_DRAWN,
    SWEEP_UNITS,
    CapacitySweep,
    PlaneChoice,
    PlaneData,
    PlaneView,
    accuracy_of,
    capacity_spec,
    clicked_point,
    data_code,
    enlarged_unit_svg,
    evaluate_plane,
    hand_points_of,
    make_plane_data,
    output_image,
    plane_svg,
    point_rows,
    points_code,
    thumbnail,
    tutorial_plane_data,
    unit_name,
    unit_range,
    with_hand_points,
)
from lessons.rose.slides import gif_recording, slide_figures

KEY = "rose"
# A big network's weights and unit maps are most of a snapshot: redrawn 4 times a second.
BIG_NETWORK, DETAILS_SECONDS = 1_000, 0.25  # parameters, seconds
TUTORIAL = Settings(
    depth=1, units=(4,), activations=("tanh",), learning_rate=1.2,
    max_iterations=5000, speed=300,
)  # fmt: skip
FAST = Settings(
    depth=1, units=(8,), activations=("tanh",), learning_rate=0.05, optimizer="adam",
    max_iterations=2000, speed=300,
)  # fmt: skip
DATASET_LABELS = {name: name.capitalize() for name in DATASETS}
# A tick runs inside the fragment that draws the sweep's buttons, and a click waits for it.
SWEEP_TICK_SECONDS = 0.2
DLAI_SWEEP = {1: 67.5, 2: 67.25, 3: 90.75, 4: 90.5, 5: 91.25, 20: 90.0, 50: 90.25}
# What a teacher may lock beside the network: the dataset and the controls every dataset has.
DATA_LOCKS = ("data", "noise", "data_seed", "test_share", "features")
PARAMS = {
    "data": state.choice(DATASETS),
    "features": state.listed(state.choice(FEATURES), len(FEATURES)),
    "class_one": state.listed(state.clamped_int(0, 49), 50),
}


# ---- line versus flower --------------------------------------------------------------------------
TUTORIAL_RUNS = {
    "rose_logistic": Settings(depth=0, learning_rate=1.2, max_iterations=1000),
    "rose_two_layer": Settings(
        depth=1, units=(4,), activations=("tanh",), learning_rate=1.2, max_iterations=4000
    ),
}


@dataclass
class Trained:
    """A network trained on click, with what the tutorial prints."""

    title: str
    network: nn.Network
    progress: list[nn.Progress]
    accuracy: float
    seconds: float


@dataclass
class Comparison:
    """Line versus flower's last training: the data it trained on (``"tutorial"``, the
    tutorial's 688 points, or the page's data key, ``hand_key``, whose training split it used)
    and each of ``TUTORIAL_RUNS``' results, by section."""

    data: tuple | Literal["tutorial"]
    runs: dict[str, Trained]


@dataclass
class RoseState(LessonState):
    """What the Rose lesson keeps between reruns, beside kit's ``live`` and ``builder``:

    - ``dataset``: the dataset picked under the live view (one of ``DATASETS``); ``None``
      until the session's first visit reads it from the URL;
    - ``comparison``: line versus flower's last training, ``None`` before the first click;
    - ``sweep``: the capacity sweep, running or done, ``None`` before the first start;
    - ``details_at``: when (``time.monotonic()`` seconds) the live view last sent a big
      network's weights and unit maps, which it sends at most every ``DETAILS_SECONDS``;
    - ``by_hand``: the student's own points (``kit.hand_panel``), made on a data choice
      without its input features (``points_choice``: the points stay while features change).
    """

    dataset: str | None = None
    comparison: Comparison | None = None
    sweep: CapacitySweep | None = None
    details_at: float = 0.0
    by_hand: HandState = field(default_factory=HandState)


def train_tutorial_run(section: str, X: np.ndarray, Y: np.ndarray) -> Trained:
    """The tutorial's run ``section`` (tutorial init 0.01, seed 1, lr 1.2, full-batch GD)."""
    settings = TUTORIAL_RUNS[section]
    every = tutorial_reference(section)["print_every"]
    start = time.perf_counter()
    network = build_network(settings, OutputSpec(X.shape[1], 1, "sigmoid", "cross_entropy"))
    trainer = network.trainer(X, Y, learning_rate=settings.learning_rate)
    progress = list(trainer.run(settings.max_iterations, every=every))
    progress = [report for report in progress if report.iteration % every == 0]
    seconds = time.perf_counter() - start
    title = "Logistic regression (depth 0)" if settings.depth == 0 else "4 tanh hidden units"
    return Trained(title, network, progress, nn.accuracy(network.predict(X), Y), seconds)


def tutorial_table(trained: Trained, section: str) -> pd.DataFrame:
    """The costs ``trained`` printed beside the tutorial's, with their relative difference."""
    return comparison_table(trained.progress, tutorial_reference(section)["costs"])


# ---- the capacity sweep's chart ------------------------------------------------------------------
def sweep_spec(results: list[dict], units: Sequence[int], height: int = 260) -> dict:
    """Vega-Lite: train and test accuracy (%) against hidden units, ``units`` in sweep order;
    non-finite accuracies and missing test accuracies are left out."""
    rows = [
        {"units": str(r["units"]), "accuracy": r[split], "split": split}
        for r in results
        for split in ("train", "test")
        if r[split] is not None and np.isfinite(r[split])
    ]
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "line", "point": {"size": 80}, "strokeWidth": 2.5},
        "encoding": {
            "x": {
                "field": "units",
                "type": "ordinal",
                "sort": [str(u) for u in units],
                "scale": {"domain": [str(u) for u in units]},
                "title": "hidden units (one tanh layer)",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "accuracy",
                "type": "quantitative",
                "scale": {"domain": [40, 100]},
                "title": "accuracy (%)",
            },
            "color": {
                "field": "split",
                "type": "nominal",
                "title": None,
                "scale": {"domain": ["train", "test"], "range": ["#0877bd", "#f59322"]},
            },
            "tooltip": [
                {"field": "units"},
                {"field": "split"},
                {"field": "accuracy", "format": ".1f"},
            ],
        },
        "config": {"axis": {**FONT_SIZES}, "legend": {**FONT_SIZES, "orient": "bottom"}},
    }


# ---- the plane's data controls -------------------------------------------------------------------
def _from_url(name: str, default):
    """The URL's ``?name=`` (clamped by ``PARAMS[name]``), or ``default`` when absent or bad."""
    return state.read_query(st.query_params, {name: PARAMS[name]}).get(name, default)


def _to_url(key: str, name: str, value, default) -> None:
    """Write ``?name=value`` into the URL, or drop it when ``value`` is the default."""
    wanted = state.query_values({name: value}, {name: default}, {name: PARAMS[name]})
    write_url(key, wanted, [name])


def _pick(key: str, name: str) -> None:
    lesson_state(key, RoseState).dataset = name
    _to_url(key, "data", name, PlaneChoice.name)


def dataset_picker(key: str) -> str:
    """A row of thumbnails with a button under each; returns the chosen dataset's name, read
    from the URL on the session's first visit."""
    lesson = lesson_state(key, RoseState)
    if lesson.dataset is None:
        lesson.dataset = _from_url("data", PlaneChoice.name)
    chosen = lesson.dataset
    locked = "data" in locked_controls(key)
    for column, name in zip(st.columns(len(DATASETS)), DATASETS, strict=True):
        with column:
            st.image(thumbnail(name), width="stretch")
            st.button(
                DATASET_LABELS[name],
                key=f"{key}.pick.{name}",
                type="primary" if name == chosen else "secondary",
                on_click=_pick,
                args=(key, name),
                width="stretch",
                disabled=locked and name != chosen,
            )
    return chosen


def plane_controls(key: str, name: str) -> PlaneChoice:
    """The sidebar's Data section for dataset ``name``: the rose's generator controls, noise,
    seed, the test share and the input features."""
    bar = st.sidebar
    bar.header("Data")
    bar.caption(f"Dataset: **{DATASET_LABELS[name]}** (pick another below the live view).")
    rose = {}
    if name == "rose":
        petals = synced_slider(key, "petals", "Petals", 2, 12, 7)
        per_petal = synced_slider(key, "points_per_petal", "Points per petal", 10, 300, 100)
        default = PlaneChoice.class_one
        widget = f"{key}.class_one"
        if widget not in st.session_state:  # the session's first visit: the URL's value
            st.session_state[widget] = list(_from_url("class_one", default))
        st.session_state[widget] = [p for p in st.session_state[widget] if p < petals]
        class_one = bar.multiselect(
            "Class-1 petals (blue)",
            list(range(petals)),
            key=widget,
            help="Petals are numbered from 0, anticlockwise from the positive x axis.",
            persist_state="session",
        )
        _to_url(key, "class_one", tuple(sorted(class_one)), default)
        rose = {"petals": petals, "points_per_petal": per_petal, "class_one": tuple(class_one)}
    noise = synced_slider(key, "noise", "Noise", 0.0, 0.5, 0.0, step=0.05)
    seed = synced_slider(key, "data_seed", "Data seed", 0, 100, 0, help="Noise and split.")
    test_share = synced_slider(
        key, "test_share", "Test share", 0.0, 0.5, 0.2, step=0.05,
        help="Held out of training (a seeded shuffle): hollow squares on the plot.",
    )  # fmt: skip
    features = _feature_toggles(key)
    return PlaneChoice(
        name=name, noise=noise, seed=int(seed), test_share=test_share, features=features, **rose
    )


def url_values(choice: PlaneChoice) -> dict:
    """The data settings by their URL names (``PARAMS`` and the synced sliders')."""
    values = {
        "data": choice.name,
        "noise": choice.noise,
        "data_seed": choice.seed,
        "test_share": choice.test_share,
        "features": choice.features,
    }
    if choice.name == "rose":
        values.update(
            petals=choice.petals,
            points_per_petal=choice.points_per_petal,
            class_one=tuple(choice.class_one),
        )
    return values


def _feature_toggles(key: str) -> tuple[str, ...]:
    widget = f"{key}.features"
    if widget not in st.session_state:  # the session's first visit: the URL's value
        st.session_state[widget] = list(_from_url("features", ()))
    chosen = st.sidebar.pills(
        "Extra input features",
        list(FEATURES),
        selection_mode="multi",
        format_func=FEATURES.get,
        key=widget,
        help="Computed from u = x/4, v = y/4 and fed to the network after x and y. "
        "A good feature can replace a layer: try the circle with x² and y² and no hidden layer.",
        persist_state="session",
        disabled="features" in locked_controls(key),
    )
    features = tuple(name for name in FEATURES if name in chosen)  # a fixed order
    _to_url(key, "features", features, ())
    return features


# ---- data by hand --------------------------------------------------------------------------------
def points_choice(choice: PlaneChoice) -> PlaneChoice:
    """What the student's points belong to: the choice but its input features (the points stay
    while the student tries features on them)."""
    return replace(choice, features=())


def hand_key(base: PlaneData) -> tuple:
    """Names the data the page trains on: the choice, and the student's edits when the points
    are theirs (what the sweep and line versus flower compare against)."""
    by_hand = lesson_state(KEY, RoseState).by_hand
    return (base.choice, None if by_hand.points is None else by_hand.edits)


# ---- teaching moments ----------------------------------------------------------------------------
def line_versus_flower(
    key: str, data: PlaneData, colours: str = "playground", data_key: tuple | None = None
) -> None:
    """Depth 0 against 4 tanh units, trained on click, on the tutorial's rose (its printed
    costs beside the tutorial's) or on the page's training split, named by ``data_key``
    (``hand_key``: the student's points once they edited)."""
    data_key = (data.choice, None) if data_key is None else data_key
    source = st.radio(
        "Train on",
        ["the tutorial's rose (688 points, as printed)", "the data above (training split)"],
        key=f"{key}.lvf.source",
        horizontal=True,
    )
    tutorial = source.startswith("the tutorial")
    lesson = lesson_state(key, RoseState)
    empty = not tutorial and not len(data.train)
    if empty:
        st.info("The data above has no training points: click the surface to add some.")
    clicked = st.button(
        "Train both", key=f"{key}.lvf.train", type="primary", icon=":material/bolt:",
        disabled=empty,
    )  # fmt: skip
    if clicked:
        if tutorial:
            X, Y = make_rose()
            trained_on = "tutorial"
        else:
            X, Y, trained_on = data.inputs[data.train], data.Y[data.train], data_key
        runs = {section: train_tutorial_run(section, X, Y) for section in TUTORIAL_RUNS}
        lesson.comparison = Comparison(trained_on, runs)
    if lesson.comparison is None:
        st.caption("Press **Train both**: each trains in a fraction of a second.")
        return
    trained_on, runs = lesson.comparison.data, lesson.comparison.runs
    on_tutorial = trained_on == "tutorial"
    if on_tutorial:
        shown = tutorial_plane_data()
    elif trained_on == data_key:
        shown = data
    else:
        st.info("The data changed since the last training: press **Train both** again.")
        return
    for column, (section, trained) in zip(st.columns(2), runs.items(), strict=True):
        with column:
            st.markdown(
                f"**{trained.title}**: {TUTORIAL_RUNS[section].max_iterations:,} iterations"
            )
            view = evaluate_plane(trained.network, shown)
            url = png_data_url(output_image(view.output, discrete=False, colours=colours))
            st.image(plane_svg(url, shown.extent, point_rows(shown, False), 320, colours))
            final = trained.progress[-1]
            st.metric(f"accuracy · {trained.title}", f"{100 * trained.accuracy:.1f} %")
            st.caption(
                f"cost {final.cost:.4f} at iteration {final.iteration:,}; "
                f"trained in {1000 * trained.seconds:.0f} ms"
            )
            if on_tutorial:
                st.dataframe(
                    tutorial_table(trained, section),
                    hide_index=True,
                    key=f"{key}.lvf.table.{section}",
                    column_config={
                        name: st.column_config.NumberColumn(format="%.10f")
                        for name in ("tutorial cost", "this engine")
                    }
                    | {"relative difference": st.column_config.NumberColumn(format="%.1e")},
                )
    if on_tutorial:
        st.caption(
            "Tutorial init (scale 0.01, seed 1), learning rate 1.2, full-batch gradient descent "
            "on the tutorial's 688 points, no split and no input scaling: the costs printed every "
            "1,000 iterations match the tutorial's to about 1e-15."
        )


def capacity_sweep(key: str, data: PlaneData, settings: Settings, data_key: tuple) -> None:
    """Accuracy against hidden units, trained one short tick per run of a live fragment. The
    fragment draws its own buttons: a click reruns it alone, and the run that draws them is
    the run that decides whether another follows, so they always match the sweep."""

    @live_fragment
    def progress() -> None:
        live = lesson_state(key, RoseState).sweep
        trainable = bool(len(data.train))
        ticking = live is not None and live.running and live.data_key == data_key and trainable
        if ticking:
            live.tick(data, seconds=SWEEP_TICK_SECONDS)
            ticking = live.running
        running = live is not None and live.running
        sweep_controls(key, settings, data_key, ticking or not trainable, running)
        if not trainable:
            st.info("There are no training points: click the surface to add some.")
        if live is None:
            st.caption("Press **Run the sweep**: 1, 2, 3, 4, 5, 20 and 50 tanh units in turn.")
            return
        if live.data_key != data_key:
            st.info("The data changed since this sweep: run it again to compare on these data.")
        if ticking:
            ask_again(f"{key}.sweep.clock", 0.1)
        st.progress(live.fraction(), text=f"Sweep: {sweep_status(live, ticking)}")
        st.vega_lite_chart(sweep_spec(live.results, live.units), width="stretch")
        diverged = [r["units"] for r in live.results if r["diverged"]]
        if diverged:
            st.warning(
                f"Training diverged for {', '.join(map(str, diverged))} units: lower the "
                "learning rate in the sidebar and run the sweep again."
            )
        st.caption(
            "deeplearning.ai's flower (400 points, 5,000 iterations): "
            + ", ".join(f"{units}: {acc:g} %" for units, acc in DLAI_SWEEP.items())
        )

    progress()


def sweep_controls(
    key: str, settings: Settings, data_key: tuple, ticking: bool, running: bool
) -> None:
    """Iterations, Run the sweep (off while the sweep trains on these data, or ``ticking`` when
    there is nothing to train on) and Cancel (on while it has configurations left). Both act in
    callbacks, before the run that redraws them."""
    left, middle, right = st.columns([2, 1, 1])
    left.select_slider(
        "Iterations per configuration",
        (500, 1000, 2000, 5000),
        value=1000,
        key=f"{key}.sweep.iterations",
        help="deeplearning.ai's flower exercise uses 5,000.",
    )
    middle.button("Run the sweep", key=f"{key}.sweep.start", icon=":material/play_arrow:",
                  on_click=start_sweep, args=(key, settings, data_key),
                  disabled=ticking, width="stretch")  # fmt: skip
    right.button("Cancel", key=f"{key}.sweep.cancel", icon=":material/stop:",
                 on_click=cancel_sweep, args=(key,), disabled=not running,
                 width="stretch")  # fmt: skip


def start_sweep(key: str, settings: Settings, data_key: tuple) -> None:
    """A new sweep, as many iterations per configuration as the slider says at the click, in
    place of any earlier one."""
    iterations = st.session_state[f"{key}.sweep.iterations"]  # the slider's value
    lesson_state(key, RoseState).sweep = CapacitySweep(
        SWEEP_UNITS, capacity_spec(settings, iterations), data_key
    )


def cancel_sweep(key: str) -> None:
    """Stop the sweep; it keeps what it trained."""
    live = lesson_state(key, RoseState).sweep
    if live is not None:
        live.cancelled = True


def sweep_status(live: CapacitySweep, ticking: bool) -> str:
    """The sweep's state in a few words, for its progress bar."""
    if live.cancelled and not live.done:
        return "cancelled"
    if ticking:
        return f"training {live.units[len(live.results)]} hidden units…"
    if live.running:
        return "paused: the data changed"
    return "done"


# ---- the page ------------------------------------------------------------------------------------
def page() -> None:
    """Lesson 3: a straight line cannot separate the rose's petals; 4 tanh units draw the
    flower."""
    st.title("3 · Rose")
    st.markdown(
        "Points on a 7-petal rose; the **blue** petals are class 1. Logistic regression can only "
        "draw a straight line. Add **one hidden layer of 4 tanh units** and the network draws "
        "the flower: press **Play** and watch it happen."
    )

    live_box = st.container()  # the live view on top; the dataset picker and toggles below it
    name = dataset_picker(KEY)
    try:
        base = make_plane_data(plane_controls(KEY, name))
    except DatasetError as error:
        st.error(f"These data settings do not make a dataset: {error}")
        st.stop()
    by_hand = lesson_state(KEY, RoseState).by_hand
    points = by_hand.points_on(points_choice(base.choice))
    data = base if points is None else with_hand_points(base, points)  # once they clicked
    output = OutputSpec(
        input_dim=data.input_dim, units=1, activation="sigmoid", loss="cross_entropy"
    )
    settings = network_builder(KEY, output, TUTORIAL, {"Tutorial": TUTORIAL, "Fast": FAST})
    colours = colour_picker(KEY, colormaps.DIVERGING)
    X, Y = data.inputs[data.train], data.Y[data.train]
    data_key, seen = (data.choice,), hand_key(base)

    show_test, discrete = st.columns([1, 1, 2])[:2]
    show_test = show_test.toggle("Show test points", value=True, key=f"{KEY}.show_test")
    discrete = discrete.toggle("Discretise output", key=f"{KEY}.discrete", help="Hard 0/1 regions.")
    with live_box:
        plane = Plane(
            made_on=points_choice(base.choice),
            classes=colormaps.END_NAMES[colours],
            start=partial(hand_points_of, base),
            place=partial(clicked_point, data),
            radius=REMOVE_RADIUS * 2 * data.extent,
        )
        hand = hand_panel(KEY, by_hand, plane, DATA_LOCKS)
        run = live_view(
            KEY, X, Y, settings, output,
            partial(_scene, data=data, show_test=show_test, colours=colours,
                    clicks=hand is not None),
            partial(_frame_values, data=data, discrete=discrete),
            data_key=data_key, evaluate=partial(_metrics, data=data), hand=hand,
            figures=partial(slide_figures, data=data, show_test=show_test, colours=colours),
            gif=partial(gif_recording, data=data, colours=colours),
        )  # fmt: skip
        class_panel(
            KEY, run, url_values(data.choice),
            partial(slide_figures, data=data, show_test=show_test, colours=colours),
            data_locks=DATA_LOCKS, dataset=name,
        )  # fmt: skip

    names = ["One unit up close", "Line versus flower", "Capacity sweep", "The math", "The code"]
    names.append(WEIGHTS_TAB)
    tabs = st.tabs(names, key=f"{KEY}.tab", on_change="rerun")
    if tabs[0].open:
        with tabs[0]:
            if run is not None:
                _enlarge(evaluate_plane(run.network, data), data, show_test, colours)
    if tabs[1].open:
        with tabs[1]:
            line_versus_flower(KEY, data, colours, seen)
    if tabs[2].open:
        with tabs[2]:
            capacity_sweep(KEY, data, settings, seen)
    if run is not None:
        if tabs[3].open:
            with tabs[3]:
                if _has_training_points(X):
                    math_panel(run.network, X, Y, key=f"{KEY}.math",
                               grad_norms=run.trainer.grad_norms)  # fmt: skip
        if tabs[4].open:
            with tabs[4]:
                code_view(run.network, optimizer=settings.optimizer)
                _export(run, settings, output, data, base)
        if tabs[names.index(WEIGHTS_TAB)].open:
            with tabs[names.index(WEIGHTS_TAB)]:
                if _has_training_points(X):
                    weights_and_activations(run.network, X)


def _has_training_points(X: np.ndarray) -> bool:
    """Whether there are training points; if not, it says so."""
    if not len(X):
        st.info("There are no training points: click the surface to add some.")
    return bool(len(X))


def _export(run: Run, settings: Settings, output: OutputSpec, data: PlaneData, base: PlaneData):
    """ "Export this experiment" for the run on ``data``: the generator's code when ``data`` is
    the dataset ``base`` itself, the points written out when the student made their own."""
    try:
        code = data_code(base.choice) if data is base else points_code(data)
    except ValueError as error:
        st.error(f"Cannot export this experiment: {error}")
        return
    iterations = run.iteration or settings.max_iterations
    export_button(f"{KEY}.export", code, export_settings(settings, output), iterations)


WEIGHTS_TAB = "Weights & activations"


def weights_and_activations(network: nn.Network, X: np.ndarray) -> None:
    """Per layer, the histogram of its weights and of its activations over the training data
    (``kit.histograms``), as they stand now: pause to see a moment of the run."""
    st.caption(
        "Each layer's weights, and what its units output over the training points. Fixed bins: "
        "compare before and after training. Saturated tanh units pile up at -1 and 1."
    )
    for layer in layer_histograms(network, X):
        st.vega_lite_chart(histogram_spec(layer), width="stretch")


def _metrics(network: nn.Network, data: PlaneData) -> dict[str, float]:
    """Train and test cost and accuracy, of each split that has points."""
    X, Y = data.inputs[data.train], data.Y[data.train]
    metrics = {}
    if len(data.train):
        metrics = {"train cost": network.cost(X, Y), "train accuracy": accuracy_of(network, X, Y)}
    if len(data.test):
        X_test, Y_test = data.inputs[data.test], data.Y[data.test]
        metrics["test cost"] = network.cost(X_test, Y_test)
        metrics["test accuracy"] = accuracy_of(network, X_test, Y_test)
    return metrics


def _surface_points(data: PlaneData, show_test: bool) -> list[list[float]]:
    """The points on the live surface: (x, y, 0/1 train class, 2/3 test class)."""
    return [
        [*map(float, point), int(y) + 2 * (row == "test")]
        for row, indices in (("train", data.train), ("test", data.test if show_test else []))
        for point, y in zip(data.points[indices], data.Y[indices, 0], strict=True)
    ]


def _scene(run: Run, data: PlaneData, show_test: bool, colours: str, clicks: bool = False) -> dict:
    """The live view's panels: the surface (taking ``clicks``: data by hand), the network, the
    unit maps, cost and accuracy, on the colour map ``colours`` (sent as its table)."""
    negative, positive = colormaps.END_NAMES[colours]
    layers = run.network.layers
    hidden = [f"L{layer + 1} {layers[layer].activation.name}" for layer in range(len(layers) - 1)]
    panels = {
        "surface": {
            "kind": "picture", "title": "Decision surface", "smooth": True,
            "colormap": colormaps.table(colours, colormaps.SURFACE_STRENGTH),
            "classes": [rgb.tolist() for rgb in colormaps.class_colours(colours)],
            "extent": [-data.extent, data.extent, -data.extent, data.extent],
            "points": _surface_points(data, show_test), "max_width": 420, "flex": 1.1,
            "caption": f"Grid {GRID}×{GRID}, inputs scaled ×{data.scale:.3g}.",
            "clicks": clicks and "Click: add a point · Shift-click: remove one",
        },
        "diagram": {
            "kind": "diagram", "title": "Network",
            "sizes": [data.input_dim, *(layer.units for layer in layers)],
            "activations": [layer.activation.name for layer in layers],
        },
        "cost": {"kind": "curves", "title": "Cost (log scale)",
                 "series": ["train cost", "test cost"], "log": True, "height": 180},
        "accuracy": {"kind": "curves", "title": "Accuracy",
                     "series": ["train accuracy", "test accuracy"], "percent": True, "height": 180},
    }  # fmt: skip
    network = ["diagram"]
    if hidden:
        title = f"Each hidden unit over the plane ({positive} +, {negative} −)"
        panels["maps"] = {"kind": "maps", "title": title, "colormap": colormaps.table(colours)}
        network.append("maps")
    return {"layout": [["surface", network], ["cost", "accuracy"]], "panels": panels}


def _frame_values(run: Run, data: PlaneData, discrete: bool) -> dict:
    """The surface, the weights, the unit maps and the accuracies at the run's iteration."""
    view = evaluate_plane(run.network, data)
    output = (view.output > 0.5).astype(float) if discrete else view.output
    latest = run.latest_metrics()
    read = {}
    for split, rows in (("train", data.train), ("test", data.test)):
        if len(rows) and f"{split} accuracy" in latest:  # a split emptied by hand shows none
            read[f"{split.capitalize()} accuracy"] = f"{100 * latest[f'{split} accuracy']:.1f} %"
    read["Training points"] = f"{len(data.train):,}"
    values = {"surface": {"image": encode(output)}}
    now, lesson = time.monotonic(), lesson_state(KEY, RoseState)
    if run.network.parameter_count > BIG_NETWORK and now - lesson.details_at < DETAILS_SECONDS:
        return {"read": read, "v": values}
    lesson.details_at = now
    layers = run.network.layers
    values["diagram"] = {
        "weights": [rounded(layer.weights.T, 3) for layer in layers],
        "biases": [rounded(layer.bias, 3) for layer in layers],
    }
    if view.hidden:
        maps, names = [], []
        layers = zip(view.hidden, view.activations, strict=True)
        for layer, (outputs, activation) in enumerate(layers):
            for unit in range(min(outputs.shape[2], MAX_UNITS_DRAWN)):
                unit_values = outputs[::2, ::2, unit]  # 40 × 40 is plenty for a thumbnail
                maps.append(encode(unit_values, *unit_range(activation, unit_values)))
                names.append(f"L{layer + 1}·{unit + 1}")
        values["maps"] = {"images": maps, "names": names}
    return {"read": read, "v": values}


def _enlarge(view: PlaneView, data: PlaneData, show_test: bool, colours: str) -> None:
    """A picker of hidden units and the chosen one's map at full size."""
    units = [unit_name(i, u) for i, values in enumerate(view.hidden)
             for u in range(values.shape[2])]  # fmt: skip
    if not units:
        st.info("No hidden layer: the output is one sigmoid of a straight line's side.")
        return
    options = ["none", *units]
    if st.session_state.get(f"{KEY}.enlarge") not in options:
        st.session_state[f"{KEY}.enlarge"] = "none"
    chosen = st.selectbox("Enlarge a hidden unit", options, key=f"{KEY}.enlarge")
    if chosen != "none":
        st.image(enlarged_unit_svg(view, data, chosen, show_test, colours))
