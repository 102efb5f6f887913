"""lessons.rose.views: the tutorial's runs in "line versus flower" and the sweep's chart."""

import json

import numpy as np
import pytest

from datasets import make_rose
from kit import REPO_ROOT
from lessons.rose import views

REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())


@pytest.mark.parametrize("section", ["rose_logistic", "rose_two_layer"])
def test_line_versus_flower_reproduces_the_tutorial(section: str) -> None:
    X, Y = make_rose()
    trained = views.train_tutorial_run(section, X, Y)
    reference = REFERENCE[section]
    table = views.tutorial_table(trained, section)
    assert list(table["iteration"]) == list(
        range(0, reference["iterations"], reference["print_every"])
    )
    assert list(table["this engine"]) == pytest.approx(reference["costs"], rel=1e-9)
    # Figure 8: the line cannot separate the petals, the flower can
    assert trained.accuracy > 0.99 if section == "rose_two_layer" else trained.accuracy < 0.8


def test_the_sweep_chart_draws_train_and_test_in_sweep_order() -> None:
    results = [
        {"units": 1, "train": 70.0, "test": 65.0, "diverged": False},
        {"units": 4, "train": 99.0, "test": None, "diverged": False},
        {"units": 20, "train": float("nan"), "test": float("nan"), "diverged": True},
    ]
    spec = views.sweep_spec(results, (1, 4, 20))
    rows = spec["data"]["values"]
    assert {row["split"] for row in rows} == {"train", "test"}
    assert [(row["units"], row["split"]) for row in rows] == [
        ("1", "train"),
        ("1", "test"),
        ("4", "train"),
    ]  # no missing test and no NaN
    assert spec["encoding"]["x"]["sort"] == ["1", "4", "20"]
    assert np.isfinite([row["accuracy"] for row in rows]).all()
