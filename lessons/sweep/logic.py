"""The Sweep lesson's logic: the search space's limits, a sweep running in a background thread,
its results as the page shows them (best first, in words, as CSV) and which lesson opens a run.

The sweep runs in a thread (``SweepJob``) so the page stays responsive; it pushes each finished
run onto a queue that the page drains. Nothing here touches Streamlit.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

import nn
import sweep
from kit import url_state as state
from kit.settings import SCHEMA, Settings, settings_to_values

MAX_MODELS = 500  # per sweep on the page: a class server has a few cores, not a cluster
SCHEDULE = "tutorial schedule"  # the learning-rate option that stands for the 8 tutorial steps
AUTHOR_SEARCH = (
    "The author's search, made for the Mustafar helmet: 100 relu networks, 2–5 hidden "
    "layers of 7–60 units, the tutorial's eight learning rates 2.8 → 0.01875 with "
    "200–600 iterations each (a fifth of the author's 1,000–3,000), each model "
    "stopping at cost 0.09 or once its relu units have all died. About 15 minutes on "
    "2 cores; the author took 15 hours."
)
TABLE_COLUMNS = [
    "cost", "architecture", "activation", "learning_rate", "schedule", "optimizer",
    "batch_size", "iterations_run", "seed", "parameters", "train_accuracy", "test_accuracy",
    "status", "wall_time",
]  # fmt: skip
LESSON_PAGES = {
    "mustafar": ("app_pages/4_Mustafar.py", "Mustafar"),
    "titanic": ("app_pages/2_Titanic.py", "Titanic"),
    "rose": ("app_pages/3_Rose.py", "Rose"),
}


# ---- the search space ------------------------------------------------------------------------
def rate_label(rate: float | str) -> str:
    """A learning-rate option as the picker shows it: the number, or the tutorial's steps."""
    return "2.8 → 0.01875 (8 steps)" if rate == SCHEDULE else f"{rate:g}"


def grid_rates(rates: Iterable[float | str]) -> tuple:
    """The picked learning rates for a ``sweep.GridSpace``: ``SCHEDULE`` becomes the
    tutorial's schedule, a number stays a constant rate."""
    return tuple(sweep.tutorial_schedule() if rate == SCHEDULE else rate for rate in rates)


def check_size(size: int) -> None:
    """SpaceError if a sweep of ``size`` models is more than the page runs (``MAX_MODELS``)."""
    if size > MAX_MODELS:
        raise sweep.SpaceError(
            f"that is {size:,} models; the page runs at most {MAX_MODELS}. Pick fewer values, "
            "or run big searches with `python -m sweep`"
        )


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

    def start(self, data: sweep.Dataset, configs: list[nn.RunSpec], jobs: int) -> SweepJob:
        """Train ``configs`` on ``data`` on ``jobs`` workers, in a daemon thread; returns self."""

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
        """Move the rows finished so far from the thread's queue to ``rows``."""
        while True:
            try:
                self.rows.append(self.inbox.get_nowait())
            except queue.Empty:
                return

    def elapsed(self) -> float:
        """Seconds from the start to the end, or to now while busy."""
        return (self.ended or time.perf_counter()) - self.started

    def frame(self) -> pd.DataFrame:
        """The rows drained so far, as ``sweep.to_frame`` makes them (``sweep.COLUMNS``)."""
        return sweep.to_frame(self.rows)


def progress_text(job: SweepJob) -> str:
    """The progress bar's words: runs done of all, diverged, time, state, and the time left
    (elapsed / done × runs left) while it runs."""
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


def describe_run(row: pd.Series) -> str:
    """A picked run in words (Markdown), for the panel beside the table."""
    cost = row["test_cost"] if row["test_cost"] == row["test_cost"] else row["train_cost"]
    which = "test" if row["test_cost"] == row["test_cost"] else "train"
    text = f"**{row['architecture']}** {row['activation']}, learning rate "
    text += f"{row['learning_rate']:g}" if row["schedule"] == "constant" else row["schedule"]
    text += f", {row['optimizer']}, seed {row['seed']}, {row['iterations_run']:,} iterations: "
    if row["diverged"]:
        return text + f"diverged at iteration {row['diverged_at']}."
    return text + f"{which} cost **{cost:.4f}**, {which} accuracy {row[f'{which}_accuracy']:.1%}."


def download_csv(frame: pd.DataFrame) -> bytes:
    """The results as UTF-8 CSV, every column, no index."""
    return frame.to_csv(index=False).encode()


# ---- which lesson opens a run ----------------------------------------------------------------
def lesson_of(row: pd.Series) -> str:
    """The lesson that trains on the run's dataset ("mustafar", "titanic" or "rose": the rose
    lesson draws every 2-D toy set)."""
    return sweep.data.LESSON_OF.get(row["dataset"], "rose")


def lesson_data_query(lesson: str, row: pd.Series) -> dict[str, str]:
    """The URL query that picks the run's data in ``lesson``, beside the network settings."""
    if lesson == "rose":
        return {"data": row["dataset"]}
    if lesson == "mustafar":
        return {"transmission": "helmet", "mode": "1bit"}
    return {}


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
    lesson = lesson_of(row)
    page, title = LESSON_PAGES[lesson]
    query = state.query_values(settings_to_values(lesson_settings(row)), {}, SCHEMA)
    return page, title, query | lesson_data_query(lesson, row)
