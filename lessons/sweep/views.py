"""The Sweep page: search-space widgets in the sidebar, a sweep running in the background
(``logic.SweepJob``), the live results (table and scatter), and opening a run in its lesson
through the lesson's URL.

The sidebar holds the choices (the data and the search space); the page holds the run: one
live fragment draws Workers, Start and Cancel, the progress and the results, and looks again
half a second after the browser drew them while the sweep is busy. A click on Start or Cancel
reruns that fragment alone, and the run that draws the buttons is the run that decides whether
another follows, so the buttons always match the sweep.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import streamlit as st

import nn
import sweep
from kit.charts import FONT_SIZES
from kit.frame_clock import ask_again, live_fragment
from kit.session import LessonState, forget_lesson, lesson_state
from kit.settings import (
    BATCH_SIZES,
    HIDDEN_ACTIVATIONS,
    LEARNING_RATES,
    MAX_ITERATIONS,
    OPTIMIZERS,
)
from lessons.sweep import logic

KEY = "sweep"
REFRESH_SECONDS = 0.5  # between two looks at a busy sweep
UNIT_OPTIONS = (1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 27, 31, 32, 48, 60, 64)
ITERATION_OPTIONS = tuple(n for n in MAX_ITERATIONS if n <= 10_000)
TARGETS = (0.0, 0.3, 0.2, 0.1, 0.09, 0.05, 0.01)
MODES = {
    "grid": "Grid: every combination",
    "random": "Random: draw N models",
    "author": "The author's search (100 models)",
}
STATUS_COLORS = {"finished": "#0877bd", "reached target": "#2a9d8f", "stuck": "#f59322"}


@dataclass
class SweepState(LessonState):
    """The page's session state (``kit.session``); its own field, written by this module only:

    - ``job``: the session's last sweep (``logic.SweepJob``), running or not; None before the
      first Start. A new Start replaces it (after asking the old one to stop).

    The page starts no live run and builds no network: kit's parts stay empty.
    """

    job: logic.SweepJob | None = None


# ---- the search space ------------------------------------------------------------------------
def space_controls() -> tuple[list[nn.RunSpec], str]:
    """The search-space widgets, in the sidebar; returns the configs and a one-line summary
    (SpaceError if the choices make no sweep)."""
    bar = st.sidebar
    bar.header("Search")
    mode = bar.radio(
        "Search", tuple(MODES), format_func=MODES.get, key=f"{KEY}.mode",
        label_visibility="collapsed",
    )  # fmt: skip
    if mode == "author":
        return sweep.tutorial_grid(), logic.AUTHOR_SEARCH
    network, training = bar.container(), bar.container()
    network.header("Network")
    training.header("Training")
    grid = mode == "grid"
    if grid:
        depth = network.pills(
            "Hidden layers (depth)",
            range(0, 7),
            selection_mode="multi",
            default=[1, 2],
            key=f"{KEY}.depth",
        )
        units = network.multiselect(
            "Units per layer", UNIT_OPTIONS, default=[2, 4, 8], key=f"{KEY}.units"
        )
        rates = training.multiselect(
            "Learning rate",
            (*LEARNING_RATES, logic.SCHEDULE),
            default=[0.1, 1.2],
            format_func=logic.rate_label,
            key=f"{KEY}.learning_rate",
        )
        iterations = training.select_slider(
            "Iterations", ITERATION_OPTIONS, value=1000, key=f"{KEY}.iterations"
        )
    else:
        depth = network.slider("Hidden layers (depth)", 0, 6, (1, 3), key=f"{KEY}.depth_range")
        units = network.slider("Units per layer", 1, 64, (2, 32), key=f"{KEY}.units_range")
        rates = training.select_slider(
            "Learning rate (drawn log-uniformly)",
            LEARNING_RATES,
            value=(0.01, 1.0),
            format_func=lambda rate: f"{rate:g}",
            key=f"{KEY}.rate_range",
        )
        iterations = training.select_slider(
            "Iterations", ITERATION_OPTIONS, value=(200, 2000), key=f"{KEY}.iteration_range"
        )
    activation = network.pills(
        "Activation",
        HIDDEN_ACTIVATIONS,
        selection_mode="multi",
        default=["tanh"],
        key=f"{KEY}.activation",
    )
    optimizer = training.pills(
        "Optimizer", tuple(OPTIMIZERS), selection_mode="multi", default=["gd"],
        key=f"{KEY}.optimizer",
    )  # fmt: skip
    batch_size = training.multiselect(
        "Batch size",
        BATCH_SIZES,
        default=[0],
        key=f"{KEY}.batch_size",
        format_func=lambda size: "full batch" if size == 0 else str(size),
    )
    target = training.select_slider(
        "Stop a model at cost",
        TARGETS,
        value=0.0,
        key=f"{KEY}.target",
        format_func=lambda value: "never" if value == 0 else f"{value:g}",
    )
    shared = {
        "activation": tuple(activation),
        "optimizer": tuple(optimizer),
        "batch_size": tuple(batch_size),
        "target_cost": target,
    }
    if grid:
        seeds = network.number_input("Seeds per setting", 1, 10, 1, key=f"{KEY}.seeds")
        space = sweep.GridSpace(
            depth=tuple(sorted(depth)),
            units=tuple(sorted(units)),
            learning_rate=logic.grid_rates(rates),
            iterations=(iterations,),
            seed=tuple(range(1, int(seeds) + 1)),
            **shared,
        )
        size = space.size()
        summary = f"{size:,} models: every combination of the choices in the sidebar"
    else:
        models = network.number_input("Models", 1, logic.MAX_MODELS, 20, key=f"{KEY}.models")
        seed = network.number_input("Search seed", 0, 99_999, 0, key=f"{KEY}.search_seed")
        space = sweep.RandomSpace(
            models=int(models), depth=depth, units=units, learning_rate=rates,
            iterations=iterations, seeds=(1, 9), seed=int(seed), **shared,
        )  # fmt: skip
        size = space.size()
        summary = f"{size:,} random models (seed {seed}: the same seed draws the same models)"
    logic.check_size(size)
    return space.specs(), summary


# ---- the sweep in this session ---------------------------------------------------------------
def start(data: sweep.Dataset, configs: list[nn.RunSpec], jobs: int) -> None:
    """Cancel the session's sweep, if any, and start ``configs`` on ``jobs`` workers."""
    cancel()
    lesson_state(KEY, SweepState).job = logic.SweepJob(data.name, len(configs)).start(
        data, configs, jobs
    )
    st.session_state.pop(f"{KEY}.table", None)  # the new results: no row picked yet


def cancel() -> None:
    """Ask the session's sweep to stop (it does as its next run finishes)."""
    job = current_job()
    if job is not None:
        job.cancel.set()


def current_job() -> logic.SweepJob | None:
    """The session's last sweep, running or not."""
    return lesson_state(KEY, SweepState).job


# ---- the results' charts ---------------------------------------------------------------------
def scatter_spec(view: pd.DataFrame, height: int = 340) -> dict:
    """Cost against parameter count (both log), one point per run that did not diverge."""
    rows = [
        {"parameters": int(row.parameters), "cost": float(row.cost), "status": row.status,
         "architecture": row.architecture, "learning rate": row.schedule
         if row.schedule != "constant" else f"{row.learning_rate:g}",
         "accuracy": float(row.test_accuracy if row.test_accuracy == row.test_accuracy
                           else row.train_accuracy)}
        for row in view.itertuples()
        if not row.diverged and np.isfinite(row.cost) and row.cost > 0
    ]  # fmt: skip
    statuses = [s for s in STATUS_COLORS if any(r["status"] == s for r in rows)] or ["finished"]
    return {
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "point", "filled": True, "size": 90, "opacity": 0.8},
        "encoding": {
            "x": {"field": "parameters", "type": "quantitative", "scale": {"type": "log"},
                  "title": "trainable parameters"},
            "y": {"field": "cost", "type": "quantitative", "scale": {"type": "log"},
                  "title": "cost (test, else train)"},
            "color": {"field": "status", "type": "nominal", "title": None,
                      "scale": {"domain": statuses,
                                "range": [STATUS_COLORS[s] for s in statuses]}},
            "tooltip": [{"field": name} for name in
                        ("architecture", "learning rate", "parameters", "cost", "accuracy")],
        },
        "config": {"axis": {**FONT_SIZES}, "legend": {**FONT_SIZES, "orient": "bottom"}},
    }  # fmt: skip


def column_config() -> dict:
    """How the results table shows its columns."""
    number = st.column_config.NumberColumn
    return {
        "cost": number("cost", format="%.4f", help="Test cost; train cost without a test split"),
        "learning_rate": number("learning rate", format="%g"),
        "batch_size": st.column_config.TextColumn("batch"),
        "iterations_run": number("iterations"),
        "train_accuracy": number("train acc.", format="percent"),
        "test_accuracy": number("test acc.", format="percent"),
        "wall_time": number("seconds", format="%.1f"),
    }


# ---- opening a run in its lesson -------------------------------------------------------------
def open_in_lesson(row: pd.Series) -> None:
    """Forget what this session remembers of the lesson, as if the link were opened fresh,
    and go there: the lesson reads its settings from the URL."""
    page, _, query = logic.lesson_link(row)
    forget_lesson(logic.lesson_of(row))
    st.switch_page(page, query_params=query)


# ---- the page --------------------------------------------------------------------------------
def choose_data() -> sweep.Dataset:
    """The sidebar's Data section: the dataset, and what every model gets from it."""
    bar = st.sidebar
    bar.header("Data")
    name = bar.selectbox(
        "Dataset", tuple(sweep.DATASETS), format_func=sweep.DATASETS.get, key=f"{KEY}.dataset"
    )
    data = sweep.load_dataset(name)
    bar.caption(
        f"{data.describe()}. Every model gets {data.input_dim} inputs and one sigmoid output "
        "trained with cross-entropy, like its lesson."
    )
    return data


def choose_space() -> list[nn.RunSpec]:
    """The search space from the sidebar; the page says how many models it makes, or why it
    makes no sweep (then there is nothing to start)."""
    try:
        configs, summary = space_controls()
    except sweep.SpaceError as error:
        st.error(f"These choices make no sweep: {error}")
        return []
    st.info(summary, icon=":material/tune:")
    return configs


def run_controls(data: sweep.Dataset, configs: list[nn.RunSpec], busy: bool, running: bool) -> None:
    """Workers, Start (off while a sweep is busy or there is nothing to run) and Cancel (on
    while a sweep runs). Both act in callbacks, before the fragment run that redraws them."""
    jobs_column, start_column, cancel_column = st.columns([2, 1, 1], vertical_alignment="bottom")
    jobs_column.slider(
        "Workers (one per core, one BLAS thread each)",
        1,
        max(sweep.default_jobs(), 2),
        sweep.default_jobs(),
        key=f"{KEY}.jobs",
    )
    start_column.button(
        "Start", key=f"{KEY}.start", type="primary", icon=":material/play_arrow:",
        disabled=busy or not configs, on_click=start_clicked, args=(data, configs),
        width="stretch",
    )  # fmt: skip
    cancel_column.button(
        "Cancel", key=f"{KEY}.cancel", icon=":material/stop:", disabled=not running,
        on_click=cancel, width="stretch",
    )  # fmt: skip


def start_clicked(data: sweep.Dataset, configs: list[nn.RunSpec]) -> None:
    """Start the sweep on as many workers as the slider says at the click."""
    start(data, configs, st.session_state[f"{KEY}.jobs"])


@live_fragment
def live_run(data: sweep.Dataset, configs: list[nn.RunSpec]) -> None:
    """The buttons, the progress and the results; while the sweep is busy, the same again
    half a second after the browser drew them."""
    job = current_job()
    # One look decides the buttons and the next frame. A sweep seen idle has queued every row.
    busy = job is not None and job.busy
    running = busy and not job.cancel.is_set()
    run_controls(data, configs, busy, running)
    if job is None:
        st.caption("No sweep yet: choose the data and the search space, then press Start.")
        return
    job.drain()
    st.progress(len(job.rows) / max(job.total, 1), text=logic.progress_text(job))
    if job.error:
        st.error(f"The sweep stopped: {job.error}")
    if busy:
        ask_again(f"{KEY}.clock", REFRESH_SECONDS)
    if job.rows:
        show_results(job)


def show_results(job: logic.SweepJob) -> None:
    """The table sorted by cost, the scatter, the picked row's lesson link and the CSV."""
    view = logic.results_view(job.frame())
    st.subheader("Results, best first")
    selected = st.dataframe(
        logic.table_frame(view), hide_index=True, height=320, key=f"{KEY}.table",
        on_select="rerun", selection_mode="single-row", column_config=column_config(),
    )  # fmt: skip
    chart_column, pick_column = st.columns([3, 2], gap="large")
    with chart_column:
        st.subheader("Cost against size")
        st.vega_lite_chart(scatter_spec(view), width="stretch")
        diverged = int(view["diverged"].sum())
        st.caption(f"{diverged} diverged run(s) have no cost and are not drawn." if diverged
                   else "Hover a point for its network.")  # fmt: skip
    with pick_column:
        st.subheader("Open in its lesson")
        rows = selected.selection.rows if selected is not None else []
        if rows and rows[0] < len(view):
            show_pick(view.iloc[rows[0]])
        else:
            st.caption("Click a row of the table (the box at its left) to pick a network.")
    st.download_button(
        "Download the results (CSV)", logic.download_csv(job.frame()), f"sweep-{job.dataset}.csv",
        "text/csv", key=f"{KEY}.download", icon=":material/download:",
    )  # fmt: skip


def show_pick(row: pd.Series) -> None:
    """The picked run in words, and the button that opens it in its lesson."""
    _, title, _ = logic.lesson_link(row)
    st.markdown(logic.describe_run(row))
    if st.button(
        f"Open it in the {title} lesson", key=f"{KEY}.open",
        icon=":material/open_in_new:", type="primary",
    ):  # fmt: skip
        open_in_lesson(row)
    if row["schedule"] != "constant":
        st.caption("A lesson trains with one constant rate: it opens with the first.")


def page() -> None:
    """The lesson, top to bottom: the story, the sidebar's choices, the live run."""
    st.title("5 · Sweep")
    st.markdown(
        "Which network learns best? The tutorial's author tried about **100 networks** by "
        "hand (7–60 units, 2–5 hidden layers, eight learning-rate steps) and needed **15 hours** "
        "to find the 2-27-31-31-1 network that first got below a cost of 0.09. Here every core "
        "trains networks side by side: pick the data and the search space in the sidebar, press "
        "**Start** and watch the results come in. Click a row to open that network in its lesson."
    )
    data = choose_data()
    configs = choose_space()
    live_run(data, configs)
