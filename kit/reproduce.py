"""Reproducing the tutorial: train its exact run at once and compare the printed costs; and the
Vega-Lite curves a paused page draws."""

import json
from collections.abc import Callable, Hashable

import numpy as np
import pandas as pd

import nn
from kit import REPO_ROOT
from kit.live.run import new_run, replace_run
from kit.settings import OutputSpec, Settings

TUTORIAL_RESULTS = REPO_ROOT / "datasets" / "data" / "tutorial_results.json"


# ---- reproducing the tutorial ----------------------------------------------------------------
def tutorial_reference(section: str) -> dict:
    """One section of the tutorial's printed results, shipped in datasets/data."""
    return json.loads(TUTORIAL_RESULTS.read_text())[section]


def reproduce(
    key: str,
    X,
    Y,
    settings: Settings,
    output: OutputSpec,
    every: int,
    data_key: Hashable = None,
    metrics: dict[str, Callable[[nn.Trainer], float]] | None = None,
    evaluate: Callable[[nn.Network], dict[str, float]] | None = None,
) -> list[nn.Progress]:
    """Train a fresh run for ``settings.max_iterations`` iterations at once and return what the
    tutorial prints (every ``every`` iterations); it becomes the current run, paused.

    ``metrics`` (e.g. ``{"accuracy": nn.Trainer.train_accuracy}``) are measured on the same
    forward pass as each printed cost, into ``Progress.metrics``; ``evaluate`` (as for
    ``live_trainer``) is recorded into ``run.metrics`` at every printed iteration."""
    run = new_run(key, X, Y, settings, output, data_key, evaluate)
    measured: dict[int, dict[str, float]] = {}
    if metrics or evaluate:
        for i in range(settings.max_iterations):
            run.step(1)
            if run.iteration != i + 1:  # finished early or diverged
                break
            if i % every == 0:
                measured[i] = {name: float(fn(run.trainer)) for name, fn in (metrics or {}).items()}
                run.measure()
    run.step(settings.max_iterations - run.iteration)
    run.measure()
    replace_run(key, run)
    return [
        nn.Progress(i, cost, settings.learning_rate, measured.get(i, {}))
        for i, cost in zip(run.costs.iterations, run.costs, strict=True)
        if i % every == 0
    ]


def comparison_table(progress: list[nn.Progress], reference_costs: list[float]) -> pd.DataFrame:
    """Printed costs side by side: the tutorial's and this engine's, with their difference."""
    ours = np.array([report.cost for report in progress[: len(reference_costs)]])
    theirs = np.array(reference_costs[: len(ours)], dtype=float)
    return pd.DataFrame(
        {
            "iteration": [report.iteration for report in progress[: len(ours)]],
            "tutorial cost": theirs,
            "this engine": ours,
            "relative difference": np.abs(ours - theirs) / np.abs(theirs),
        }
    )
