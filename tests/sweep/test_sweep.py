"""The sweep library and its command line: schema, determinism, divergence, cancel, spaces."""

import threading

import numpy as np
import pandas as pd
import pytest

import nn
import sweep
from lessons.rose import logic as playground
from sweep import (
    COLUMNS,
    GridSpace,
    RandomSpace,
    SpaceError,
    activation_of,
    load_dataset,
    run_sweep,
    schedule_label,
    units_of,
)
from sweep.__main__ import main, progress_line

TINY = GridSpace(depth=(1, 2), units=(3,), learning_rate=(0.1, 1.2), iterations=(40,))


def spec(units: tuple[int, ...], activation: str = "tanh", **settings) -> nn.RunSpec:
    return nn.RunSpec(hidden=tuple((u, activation) for u in units), **settings)


@pytest.fixture(scope="module")
def rose() -> sweep.Dataset:
    return load_dataset("rose")


def test_results_have_the_documented_schema(rose) -> None:
    results = run_sweep(rose, TINY.specs())

    assert list(results.columns) == list(COLUMNS)
    assert {name: str(dtype) for name, dtype in results.dtypes.items()} == COLUMNS
    assert list(results["run"]) == [0, 1, 2, 3]
    assert list(results["architecture"]) == ["2-3-1", "2-3-1", "2-3-3-1", "2-3-3-1"]
    assert list(results["units"]) == ["3", "3", "3,3", "3,3"]
    assert list(results["parameters"]) == [13, 13, 25, 25]
    assert (results["iterations_run"] == 40).all()
    assert (results["status"] == "finished").all()
    assert (
        results[["train_cost", "test_cost", "train_accuracy", "test_accuracy"]].notna().all().all()
    )
    assert (results["wall_time"] > 0).all()
    assert not results.attrs["cancelled"]


def test_a_row_matches_training_by_hand(rose) -> None:
    one = spec((4,), learning_rate=1.2, iterations=30, seed=3)
    row = run_sweep(rose, [one]).iloc[0]

    net = one.network(2)
    net.fit(rose.X, rose.Y, iterations=30, learning_rate=1.2, seed=3)
    assert row["train_cost"] == net.cost(rose.X, rose.Y)
    assert row["test_cost"] == net.cost(rose.X_test, rose.Y_test)


def test_a_seeded_sweep_is_deterministic_in_parallel(rose) -> None:
    space = RandomSpace(models=6, depth=(1, 2), units=(2, 6), iterations=(20, 60), seeds=(0, 9))
    first = run_sweep(rose, space.specs(), jobs=2).drop(columns="wall_time")
    again = run_sweep(rose, space.specs(), jobs=1).drop(columns="wall_time")

    pd.testing.assert_frame_equal(first, again)
    other = RandomSpace(models=6, depth=(1, 2), units=(2, 6), seed=1).specs()
    assert other != space.specs()


def test_diverged_runs_are_kept_and_marked(rose) -> None:
    space = GridSpace(
        units=(4,), activation=("linear",), learning_rate=(0.05, 50.0), iterations=(300,),
        init_scale=1.0,
    )  # fmt: skip
    results = run_sweep(rose, space.specs())

    calm, wild = results.iloc[0], results.iloc[1]
    assert not calm["diverged"] and calm["status"] == "finished"
    assert wild["diverged"] and wild["status"] == "diverged"
    assert 0 <= wild["diverged_at"] < 300 and wild["iterations_run"] == wild["diverged_at"]
    assert np.isnan(wild["train_cost"]) and np.isnan(wild["test_accuracy"])
    assert sweep.ranked(results)["run"].tolist() == [0, 1]  # diverged runs rank last


def test_cancel_stops_and_keeps_what_finished(rose) -> None:
    cancel = threading.Event()
    seen = []

    def on_result(row: dict, done: int, total: int) -> None:
        seen.append((row["run"], done, total))
        if done == 2:
            cancel.set()

    specs = GridSpace(units=(2, 3, 4, 5, 6, 7), iterations=(30,)).specs()
    results = run_sweep(rose, specs, on_result=on_result, cancel=cancel)

    assert results.attrs["cancelled"]
    assert len(results) == 2 and [done for _, done, _ in seen] == [1, 2]
    assert all(total == 6 for *_, total in seen)
    assert run_sweep(rose, specs, cancel=lambda: True).empty


def test_target_cost_and_stuck_runs_stop_early(rose) -> None:
    target = spec((8,), learning_rate=1.2, iterations=3000, target_cost=0.3)
    # Every relu unit dead from the start (negative weights, inputs >= 0 after shifting):
    # the cost can only creep, so patience stops it.
    stuck = spec((4,), activation="relu", learning_rate=0.01, iterations=3000,
                 init_scale=1e-6, patience=50)  # fmt: skip
    rows = run_sweep(rose, [target, stuck])

    assert rows.loc[0, "status"] == "reached target" and rows.loc[0, "iterations_run"] < 3000
    # train_cost is measured after the step that reached 0.3: 0.279-0.289 after 60-70 steps,
    # seeds 0-9, SkylakeX and Haswell (the sweep trains on 1 BLAS thread).
    assert rows.loc[0, "train_cost"] < 0.35
    assert rows.loc[1, "status"] == "stuck" and rows.loc[1, "iterations_run"] < 3000


def test_schedules_and_the_tutorial_grid() -> None:
    grid = sweep.tutorial_grid()
    assert len(grid) == 100
    assert units_of(grid[0]) == (27, 31, 31) and activation_of(grid[0]) == "relu"
    assert all(2 <= c.depth <= 5 and all(7 <= u <= 60 for u in units_of(c)) for c in grid)
    steps = [c.learning_rate.steps for c in grid]
    assert all([rate for rate, _ in s] == list(sweep.TUTORIAL_RATES) for s in steps)
    assert all(200 <= n <= 600 for s in steps for _, n in s)
    assert all(c.iterations == sum(n for _, n in s) for c, s in zip(grid, steps, strict=True))
    assert all(c.dtype == "float64" and c.target_cost == 0.09 for c in grid)
    assert all(c.patience == 200 for c in grid)
    full = sweep.tutorial_grid(fast=False)
    assert all(1000 <= n <= 3000 for c in full for _, n in c.learning_rate.steps)
    assert [units_of(c) for c in full] == [units_of(c) for c in grid]
    assert schedule_label(grid[0]).startswith("2.8×")


def test_grid_size_counts_what_specs_makes() -> None:
    space = GridSpace(
        depth=(0, 1, 2), units=(2, 4), learning_rate=(0.1, ((1.0, 5), (0.5, 5))),
        iterations=(10, 20), seed=(1, 2),
    )  # fmt: skip
    specs = space.specs()
    # architectures: (), (2,), (4,), (2, 2), (4, 4) = 5; rates: 0.1 × 2 budgets + 1 schedule = 3
    assert space.size() == len(specs) == 5 * 3 * 2
    assert {c.iterations for c in specs if isinstance(c.learning_rate, nn.Steps)} == {10}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: GridSpace(units=(0,)).specs(), "1 to"),
        (lambda: GridSpace(activation=("rleu",)).specs(), "choose one of"),
        (lambda: GridSpace(learning_rate=(-1,)).specs(), "positive"),
        (lambda: GridSpace(iterations=(2.5,)).specs(), "whole number"),
        (lambda: GridSpace(units=()).specs(), "pick at least one units"),
        (lambda: RandomSpace(depth=(3, 1)).specs(), "low ≤ high"),
        (
            lambda: GridSpace(units=tuple(range(1, 200)), seed=tuple(range(100))).specs(),
            "at most",
        ),
    ],
)
def test_bad_spaces_say_what_to_fix(make, message) -> None:
    with pytest.raises(SpaceError, match=message):
        make()


def test_datasets_match_their_lessons() -> None:
    lesson = playground.make_plane_data(playground.PlaneChoice())
    rose = load_dataset("rose")
    np.testing.assert_array_equal(rose.X, lesson.inputs[lesson.train])
    np.testing.assert_array_equal(rose.Y_test, lesson.Y[lesson.test])
    helmet = load_dataset("mustafar")
    assert helmet.X.shape == (9400, 2) and helmet.X_test is None and helmet.lesson == "mustafar"
    titanic = load_dataset("titanic")
    assert titanic.X.shape == (792, 14) and titanic.Y_test.shape == (100, 1)
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset("atlantis")


def test_progress_line() -> None:
    line = progress_line(25, 100, 3, 0.0871, 60.0)
    assert line.startswith("[" + "#" * 8 + "." * 22 + "]")  # 30 wide, a quarter done (7.5 → 8)
    assert " 25/100  3 diverged  best cost 0.0871  1:00 elapsed, ~3:00 to go" in line


def test_the_command_line_writes_a_csv(tmp_path, capsys) -> None:
    out = tmp_path / "results.csv"
    code = main(["--dataset", "rose", "--preset", "tiny", "--jobs", "1", "--out", str(out)])

    printed = capsys.readouterr().out
    assert code == 0
    assert "4 models of 'tiny' on rose" in printed and "4/4" in printed
    results = pd.read_csv(out)
    assert list(results.columns) == list(COLUMNS) and len(results) == 4
