"""lessons.titanic.views without a browser: the exported script and the chart specs."""

import json
import subprocess
import sys

import pytest

from kit import REPO_ROOT
from kit.export import experiment_script
from kit.settings import Settings, export_settings
from lessons.titanic import logic, views
from tests.lessons.titanic.networks import OUTPUT, sex_only_network

REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())
TUTORIAL = REFERENCE["titanic_logistic"]


def test_exported_script_reproduces_the_tutorials_first_costs() -> None:
    settings = export_settings(Settings(), OUTPUT)
    script = experiment_script(logic.tutorial_split().code, settings, iterations=2000)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    printed = [
        float(line.rsplit(":", 1)[1])
        for line in result.stdout.splitlines()
        if line.startswith("Cost after iteration") and line.split()[3] in ("0:", "1000:")
    ]
    assert printed == pytest.approx(TUTORIAL["costs"][:2], rel=1e-9)


def test_baselines_spec_sorts_the_rules_and_holds_every_bar() -> None:
    table = logic.baselines_table(logic.tutorial_split(), (0.8, 0.75))
    spec = views.baselines_spec(table)
    assert spec["encoding"]["y"]["sort"] == [
        "majority class",
        "every woman survives",
        "this network",
    ]
    assert len(spec["data"]["values"]) == 6


def test_confusion_spec_puts_each_count_in_its_cell() -> None:
    counts = {"tp": 2, "fp": 1, "fn": 1, "tn": 1}
    spec = views.confusion_spec(counts)
    cells = {(row["actual"], row["predicted"]): row["passengers"] for row in spec["data"]["values"]}
    assert cells == {
        ("died", "died"): 1,
        ("died", "survived"): 1,
        ("survived", "died"): 1,
        ("survived", "survived"): 2,
    }


def test_feature_bars_keep_the_tables_order() -> None:
    table = logic.feature_weights(sex_only_network())
    spec = views.feature_bars_spec(table, "weight w")
    assert spec["encoding"]["y"]["sort"] == list(table["feature"])
