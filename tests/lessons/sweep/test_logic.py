"""lessons.sweep.logic: the space's limits, a sweep in its thread, the results as the page shows
them and the lesson a run opens in; all without Streamlit."""

import io
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

import nn
import sweep
from lessons.sweep import logic
from tests import REPO_ROOT


def quick_grid(**choices) -> list[nn.RunSpec]:
    """A grid's models, 5 iterations each: the page's way to make them."""
    return sweep.GridSpace(iterations=(5,), **choices).specs()


TINY = quick_grid(units=(2, 4))


def tiny(name: str = "rose", samples: int = 20) -> sweep.Dataset:
    """The first ``samples`` samples (and test samples) of a lesson's dataset."""
    data = sweep.load_dataset(name)
    test = (None, None) if data.X_test is None else (data.X_test[:samples], data.Y_test[:samples])
    return sweep.Dataset(name, data.X[:samples], data.Y[:samples], *test)


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    """Rose: 2 and 4 tanh units at 0.1 and 1.2; run 0 marked diverged at iteration 3 (a real
    divergence depends on the BLAS kernel's rounding)."""
    frame = sweep.run_sweep(tiny(), quick_grid(units=(2, 4), learning_rate=(0.1, 1.2)))
    frame.loc[0, ["diverged", "diverged_at"]] = [True, 3]
    frame.loc[0, ["train_cost", "test_cost", "train_accuracy", "test_accuracy"]] = np.nan
    return frame


def test_importing_the_logic_imports_no_streamlit() -> None:
    code = "import lessons.sweep.logic, sys; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)


def test_the_tutorial_schedule_is_one_learning_rate_option() -> None:
    assert logic.rate_label(logic.SCHEDULE) == "2.8 → 0.01875 (8 steps)"
    assert logic.rate_label(0.1) == "0.1" and logic.rate_label(1.2) == "1.2"
    assert logic.grid_rates([0.1, logic.SCHEDULE]) == (0.1, sweep.tutorial_schedule())


def test_a_sweep_larger_than_the_page_runs_is_refused() -> None:
    logic.check_size(logic.MAX_MODELS)
    with pytest.raises(sweep.SpaceError, match="that is 501 models; the page runs at most 500"):
        logic.check_size(logic.MAX_MODELS + 1)


def test_a_job_trains_every_config_in_its_thread() -> None:
    job = logic.SweepJob("rose", len(TINY)).start(tiny(), TINY, jobs=1)
    job.thread.join(timeout=60)
    assert not job.busy and not job.running and job.error is None
    assert job.rows == []  # nothing is collected before a drain
    job.drain()
    assert len(job.rows) == 2
    assert list(job.frame().columns) == list(sweep.COLUMNS)
    assert re.fullmatch(r"2 of 2 runs · 0 diverged · \d+:\d\d · done", logic.progress_text(job))


def test_a_job_cancelled_before_it_starts_trains_nothing() -> None:
    job = logic.SweepJob("rose", len(TINY))
    job.cancel.set()
    job.start(tiny(), TINY, jobs=1).thread.join(timeout=60)
    job.drain()
    assert job.rows == [] and not job.busy and job.error is None
    assert logic.progress_text(job).endswith("· cancelled")


def test_a_failing_sweep_is_reported_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args, **kwargs):
        raise RuntimeError("no cores left")

    monkeypatch.setattr(sweep, "run_sweep", fail)
    job = logic.SweepJob("rose", 2).start(tiny(), TINY, jobs=1)
    job.thread.join(timeout=60)
    assert job.error == "RuntimeError: no cores left" and not job.busy


def test_progress_says_what_is_done_and_what_is_left() -> None:
    job = logic.SweepJob("rose", 4, rows=[{"diverged": False}, {"diverged": True}])
    job.started = time.perf_counter() - 60.2  # half done in a minute: a minute to go
    assert logic.progress_text(job) == (
        "2 of 4 runs · 1 diverged · 1:00 · running, about 1:00 to go"
    )
    job.cancel.set()
    assert logic.progress_text(job).endswith("· cancelling: it stops as the next run finishes")
    job.ended = job.started + 75
    assert logic.progress_text(job) == "2 of 4 runs · 1 diverged · 1:15 · cancelled"


def test_results_are_best_first_with_one_cost_column(results: pd.DataFrame) -> None:
    view = logic.results_view(results)
    assert list(view.columns) == ["cost", *sweep.COLUMNS]
    assert view["diverged"].tolist() == [False, False, False, True]  # diverged last
    assert view["run"].iloc[-1] == 0
    assert view["cost"].tolist()[:3] == sorted(view["test_cost"].tolist()[:3])
    mustafar = logic.results_view(sweep.run_sweep(tiny("mustafar"), TINY))
    assert mustafar["test_cost"].isna().all()
    assert mustafar["cost"].tolist() == sorted(mustafar["train_cost"].tolist())


def test_the_table_shows_full_batches_and_test_accuracy_only_with_a_test_split(
    results: pd.DataFrame,
) -> None:
    table = logic.table_frame(logic.results_view(results))
    assert list(table.columns) == logic.TABLE_COLUMNS
    assert table["batch_size"].tolist() == ["full"] * 4
    mustafar = logic.table_frame(logic.results_view(sweep.run_sweep(tiny("mustafar"), TINY)))
    assert "test_accuracy" not in mustafar.columns and "train_accuracy" in mustafar.columns


def test_a_run_in_words(results: pd.DataFrame) -> None:
    view = logic.results_view(results)
    best, diverged = view.iloc[0], view.iloc[-1]
    words = logic.describe_run(best)
    rate = f"{best['learning_rate']:g}"
    assert words.startswith(f"**{best['architecture']}** tanh, learning rate {rate}, gd, seed 1, ")
    assert "5 iterations: " in words
    assert f"test cost **{best['test_cost']:.4f}**" in words
    assert f"test accuracy {best['test_accuracy']:.1%}." in words
    assert logic.describe_run(diverged).endswith("5 iterations: diverged at iteration 3.")
    scheduled = quick_grid(units=(2,), learning_rate=(((2.8, 3), (1.4, 2)),))
    row = sweep.run_sweep(tiny(), scheduled).iloc[0]
    assert "learning rate 2.8×3 → 1.4×2, gd" in logic.describe_run(row)


def test_the_csv_holds_every_column_and_row(results: pd.DataFrame) -> None:
    back = pd.read_csv(io.StringIO(logic.download_csv(results).decode()))
    assert list(back.columns) == list(sweep.COLUMNS) and len(back) == 4
    assert np.allclose(back["train_cost"].dropna(), results["train_cost"].dropna())


@pytest.mark.parametrize(
    ("dataset", "lesson", "query"),
    [
        ("mustafar", "mustafar", {"transmission": "helmet", "mode": "1bit"}),
        ("titanic", "titanic", {}),
        ("rose", "rose", {"data": "rose"}),
        ("spiral", "rose", {"data": "spiral"}),
    ],
)
def test_each_dataset_opens_in_its_lesson(dataset: str, lesson: str, query: dict) -> None:
    row = pd.Series({"dataset": dataset})
    assert logic.lesson_of(row) == lesson
    assert logic.lesson_data_query(lesson, row) == query
    assert logic.LESSON_PAGES[lesson][0].startswith("app_pages/")
    assert (REPO_ROOT / logic.LESSON_PAGES[lesson][0]).is_file()


def test_every_lesson_dataset_has_a_link() -> None:
    hidden = ((27, "relu"), (31, "relu"), (31, "relu"))
    specs = [nn.RunSpec(hidden=hidden, learning_rate=nn.Steps(((2.8, 3), (1.4, 2))), iterations=5)]
    for name, page_path, extra in [
        ("mustafar", "app_pages/4_Mustafar.py", {"transmission": "helmet", "mode": "1bit"}),
        ("titanic", "app_pages/2_Titanic.py", {}),
        ("spiral", "app_pages/3_Rose.py", {"data": "spiral"}),
    ]:
        row = sweep.run_sweep(tiny(name), specs).iloc[0]
        path, _, query = logic.lesson_link(row)
        assert path == page_path
        assert query.items() >= extra.items()
        assert row["iterations"] == 5 and query["max_iterations"] == "5"
        assert query["depth"] == "3" and query["units"] == "27,31,31"
        assert query["learning_rate"] == "2.8" and query["activations"] == "relu,relu,relu"
        words = logic.describe_run(row)
        assert "-27-31-31-1** relu" in words and "2.8×3 → 1.4×2" in words
