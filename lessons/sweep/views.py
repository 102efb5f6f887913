"""The Sweep page's pieces: search-space widgets, a sweep running in a background thread, the
live results (table and scatter), and opening a run in its lesson through the lesson's URL.

The sweep runs in a thread (``SweepJob``) so the page stays responsive; it pushes each finished
run onto a queue that the page's fragment drains every half second. Nothing in the thread
touches Streamlit.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

import sweep
from kit import url_state as state
from kit.charts import FONT_SIZES
from kit.controls import (
    BATCH_SIZES,
    HIDDEN_ACTIVATIONS,
    LEARNING_RATES,
    MAX_ITERATIONS,
    OPTIMIZERS,
    SCHEMA,
    Settings,
    settings_to_values,
)

KEY = "sweep"
MAX_MODELS = 500  # per sweep on the page: a class server has a few cores, not a cluster
UNIT_OPTIONS = (1, 2, 3, 4, 5, 6, 8, 12, 16, 24, 27, 31, 32, 48, 60, 64)
SCHEDULE = "tutorial schedule"  # the learning-rate option that stands for the 8 tutorial steps
ITERATION_OPTIONS = tuple(n for n in MAX_ITERATIONS if n <= 10_000)
TARGETS = (0.0, 0.3, 0.2, 0.1, 0.09, 0.05, 0.01)
MODES = {
    "grid": "Grid: every combination",
    "random": "Random: draw N models",
    "author": "The author's search (100 models)",
}
LESSON_PAGES = {
    "mustafar": ("app_pages/4_Mustafar.py", "Mustafar"),
    "titanic": ("app_pages/2_Titanic.py", "Titanic"),
    "rose": ("app_pages/3_Rose.py", "Rose"),
}
STATUS_COLORS = {"finished": "#0877bd", "reached target": "#2a9d8f", "stuck": "#f59322"}
TABLE_COLUMNS = [
    "cost", "architecture", "activation", "learning_rate", "schedule", "optimizer",
    "batch_size", "iterations_run", "seed", "parameters", "train_accuracy", "test_accuracy",
    "status", "wall_time",
]  # fmt: skip


# ---- the search space ------------------------------------------------------------------------
def _rate_label(rate) -> str:
    return "2.8 → 0.01875 (8 steps)" if rate == SCHEDULE else f"{rate:g}"


def space_controls() -> tuple[list[sweep.Config], str]:
    """The search-space widgets, in the sidebar; returns the configs and a one-line summary
    (SpaceError if the choices make no sweep)."""
    bar = st.sidebar
    bar.header("Search")
    mode = bar.radio(
        "Search", tuple(MODES), format_func=MODES.get, key=f"{KEY}.mode",
        label_visibility="collapsed",
    )  # fmt: skip
    if mode == "author":
        configs = sweep.tutorial_grid()
        return configs, (
            "The author's search, made for the Mustafar helmet: 100 relu networks, 2–5 hidden "
            "layers of 7–60 units, the tutorial's eight learning rates 2.8 → 0.01875 with "
            "200–600 iterations each (a fifth of the author's 1,000–3,000), each model "
            "stopping at cost 0.09 or once its relu units have all died. About 15 minutes on "
            "2 cores; the author took 15 hours."
        )
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
            (*LEARNING_RATES, SCHEDULE),
            default=[0.1, 1.2],
            format_func=_rate_label,
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
            learning_rate=tuple(sweep.tutorial_schedule() if r == SCHEDULE else r for r in rates),
            iterations=(iterations,),
            seed=tuple(range(1, int(seeds) + 1)),
            **shared,
        )
        size = space.size()
        summary = f"{size:,} models: every combination of the choices in the sidebar"
    else:
        models = network.number_input("Models", 1, MAX_MODELS, 20, key=f"{KEY}.models")
        seed = network.number_input("Search seed", 0, 99_999, 0, key=f"{KEY}.search_seed")
        space = sweep.RandomSpace(
            models=int(models), depth=depth, units=units, learning_rate=rates,
            iterations=iterations, seeds=(1, 9), seed=int(seed), **shared,
        )  # fmt: skip
        size = space.size()
        summary = f"{size:,} random models (seed {seed}: the same seed draws the same models)"
    if size > MAX_MODELS:
        raise sweep.SpaceError(
            f"that is {size:,} models; the page runs at most {MAX_MODELS}. Pick fewer values, "
            "or run big searches with `python -m sweep`"
        )
    return space.configs(), summary


# ---- the sweep in a background thread --------------------------------------------------------
@dataclass
class SweepJob:
    """One sweep running in a thread; ``drain()`` collects the rows that finished so far."""

    dataset: str
    total: int
    rows: list[dict] = field(default_factory=list)
    inbox: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None
    error: str | None = None
    thread: threading.Thread | None = None

    def start(self, data: sweep.Dataset, configs: list[sweep.Config], jobs: int) -> SweepJob:
        def work() -> None:
            try:
                sweep.run_sweep(data, configs, jobs=jobs, cancel=self.cancel,
                                on_result=lambda row, *_: self.inbox.put(row))  # fmt: skip
            except Exception as error:  # shown to the student; the page keeps working
                self.error = f"{type(error).__name__}: {error}"
            finally:
                self.ended = time.perf_counter()

        self.thread = threading.Thread(target=work, name="sweep", daemon=True)
        self.thread.start()
        return self

    @property
    def running(self) -> bool:
        """Still training and not cancelled."""
        return self.busy and not self.cancel.is_set()

    @property
    def busy(self) -> bool:
        """The thread has not returned yet (a cancel returns as the next run finishes)."""
        return self.ended is None

    def drain(self) -> None:
        while True:
            try:
                self.rows.append(self.inbox.get_nowait())
            except queue.Empty:
                return

    def elapsed(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    def frame(self) -> pd.DataFrame:
        return sweep.to_frame(self.rows)


def start(data: sweep.Dataset, configs: list[sweep.Config], jobs: int) -> None:
    cancel()
    st.session_state[f"{KEY}.job"] = SweepJob(data.name, len(configs)).start(data, configs, jobs)
    st.session_state.pop(f"{KEY}.table", None)


def cancel() -> None:
    job = current_job()
    if job is not None:
        job.cancel.set()


def current_job() -> SweepJob | None:
    return st.session_state.get(f"{KEY}.job")


# ---- the results -----------------------------------------------------------------------------
def results_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Best first, with a ``cost`` column: test cost, or train cost without a test split."""
    ranked = sweep.ranked(frame)
    ranked.insert(0, "cost", ranked["test_cost"].fillna(ranked["train_cost"]))
    return ranked


def table_frame(view: pd.DataFrame) -> pd.DataFrame:
    """The table's columns, batch size 0 shown as 'full'; test accuracy only when there is
    a test split."""
    columns = [c for c in TABLE_COLUMNS if c != "test_accuracy" or view[c].notna().any()]
    table = view[columns].copy()
    table["batch_size"] = [str(size) if size else "full" for size in table["batch_size"]]
    return table


def progress_text(job: SweepJob) -> str:
    done, diverged = len(job.rows), sum(bool(row["diverged"]) for row in job.rows)
    minutes, seconds = divmod(int(job.elapsed()), 60)
    verb = "running" if job.running else "done"
    if job.cancel.is_set():
        verb = "cancelling: it stops as the next run finishes" if job.busy else "cancelled"
    text = f"{done} of {job.total} runs · {diverged} diverged · {minutes}:{seconds:02d} · {verb}"
    if job.running and 0 < done < job.total:
        left = job.elapsed() / done * (job.total - done)
        text += f", about {int(left // 60)}:{int(left % 60):02d} to go"
    return text


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
def lesson_settings(row: pd.Series) -> Settings:
    """The lesson builder's settings for a run: its network and how it trained (a schedule
    opens with its first rate: a lesson trains with one constant rate)."""
    units = tuple(int(u) for u in str(row["units"]).split(",") if u)
    iterations = int(row["iterations"])
    return Settings(
        depth=len(units), units=units, activations=(row["activation"],) * len(units),
        learning_rate=float(row["learning_rate"]), optimizer=row["optimizer"],
        batch_size=int(row["batch_size"]) or None, init=row["init"],
        init_scale=float(row["init_scale"]), seed=int(row["seed"]),
        max_iterations=iterations,
        target_cost=float(row["target_cost"]) or None,
    )  # fmt: skip


def lesson_link(row: pd.Series) -> tuple[str, str, dict[str, str]]:
    """(page, lesson title, URL query) that open this run's network in its lesson. Every
    setting is spelled out (not only those that differ from a default), so the link means
    the same whatever the lesson's defaults; the URL snaps values to the lesson's sliders."""
    lesson = sweep.data.LESSON_OF.get(row["dataset"], "rose")
    page, title = LESSON_PAGES[lesson]
    query = state.query_values(settings_to_values(lesson_settings(row)), {}, SCHEMA)
    if lesson == "rose":
        query["data"] = row["dataset"]
    elif lesson == "mustafar":
        query |= {"transmission": "helmet", "mode": "1bit"}
    return page, title, query


def open_in_lesson(row: pd.Series) -> None:
    """Forget what this session remembers of the lesson, as if the link were opened fresh,
    and go there: the lesson reads its settings from the URL."""
    page, _, query = lesson_link(row)
    lesson = sweep.data.LESSON_OF.get(row["dataset"], "rose")
    for name in [name for name in st.session_state if str(name).startswith(f"{lesson}.")]:
        del st.session_state[name]
    st.switch_page(page, query_params=query)


def describe_run(row: pd.Series) -> str:
    """A picked run in words, for the panel beside the table."""
    cost = row["test_cost"] if row["test_cost"] == row["test_cost"] else row["train_cost"]
    which = "test" if row["test_cost"] == row["test_cost"] else "train"
    text = f"**{row['architecture']}** {row['activation']}, learning rate "
    text += f"{row['learning_rate']:g}" if row["schedule"] == "constant" else row["schedule"]
    text += f", {row['optimizer']}, seed {row['seed']}, {row['iterations_run']:,} iterations: "
    if row["diverged"]:
        return text + f"diverged at iteration {row['diverged_at']}."
    return text + f"{which} cost **{cost:.4f}**, {which} accuracy {row[f'{which}_accuracy']:.1%}."


def download_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()
