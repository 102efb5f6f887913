"""Weights by hand on a live run (kit.live.edits): an edit says what was set until training goes
on, the metrics show the edited network, a refused one leaves the run as it was and says why,
and a playing run is refused until paused. Where the edit lands and what is refused:
tests/kit/test_weight_edits.py.

The runs here are built from their parts (a Run of a trainer), as ``kit.live.run.new_run``
builds them, without a Streamlit session."""

import math

import numpy as np
import pytest

from kit.live.edits import edit_parameter
from kit.live.run import Run
from kit.settings import Settings
from kit.weight_edits import MAX_VALUE
from tests.kit.test_weight_edits import OUTPUT, data

SETTINGS = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=0.5, init="xavier")


def make_run(steps: int = 3) -> Run:
    """A 2-4-1 tanh run on ``data()`` after ``steps`` steps, measuring its cost and accuracy."""
    X, Y = data()
    trainer = SETTINGS.spec(OUTPUT).trainer(X, Y)

    def evaluate(network) -> dict[str, float]:
        guesses = network.predict(X) > 0.5
        return {"train accuracy": float(np.mean(guesses == (Y > 0.5))), "cost": network.cost(X, Y)}

    run = Run(1, SETTINGS, OUTPUT, trainer.network, trainer, evaluate=evaluate)
    run.follow(SETTINGS.learning_rate)
    run.measure()
    for _ in range(steps):
        run.step(1)
        run.measure()
    return run


def test_the_run_says_what_was_set_and_where_it_goes_on() -> None:
    run = make_run()
    before = run.parameters()
    old = float(run.network.layers[0].weights[2, 1])

    edit_parameter(run, {"layer": 0, "from": 1, "to": 2, "value": 2.5})

    assert run.error is None
    assert np.count_nonzero(run.parameters() != before) == 1
    assert run.network.layers[0].weights[2, 1] == 2.5
    assert run.notice == (
        f"You set the weight from input x2 to hidden 1 unit 3 from {old:.4g} to 2.5 at "
        "iteration 3: press Play to train on from here."
    )


@pytest.mark.parametrize(
    "value", [None, {"layer": 9, "unit": 0, "value": 1}, {"layer": 0, "unit": 0, "value": "2"}]
)
def test_a_refused_edit_leaves_the_run_as_it_was_and_says_why(value: object) -> None:
    run = make_run()
    before, notice, metrics = run.parameters(), run.notice, run.latest_metrics()

    edit_parameter(run, value)

    assert "Click a line or a unit" in run.error or "must be a number" in run.error
    assert np.array_equal(run.parameters(), before)
    assert run.notice == notice and run.latest_metrics() == metrics


def test_an_edit_while_playing_is_refused_until_paused() -> None:
    run = make_run()
    before = run.parameters()
    run.playing = True

    edit_parameter(run, {"layer": 0, "unit": 0, "value": 3})

    assert run.error.startswith("Pause first")
    assert np.array_equal(run.parameters(), before)
    run.playing = False
    edit_parameter(run, {"layer": 0, "unit": 0, "value": 3})
    assert run.error is None and run.network.layers[0].bias[0, 0] == 3


def test_a_good_edit_clears_the_last_refusal_and_the_bound_is_allowed() -> None:
    run = make_run()
    edit_parameter(run, {"layer": 0, "unit": 0, "value": math.nan})
    assert run.error

    edit_parameter(run, {"layer": 0, "unit": 0, "value": -MAX_VALUE})

    assert run.error is None and run.network.layers[0].bias[0, 0] == -MAX_VALUE


def test_the_metrics_show_the_edited_network_at_the_same_iteration() -> None:
    run = make_run(steps=2)
    points = len(run.metrics["cost"])
    before = run.latest_metrics()["cost"]

    edit_parameter(run, {"layer": 1, "unit": 0, "value": 8})  # every sample now says "1"

    assert len(run.metrics["cost"]) == points  # the iteration's point, replaced
    assert run.metrics["cost"].iterations[-1] == run.iteration == 2
    assert run.latest_metrics() == run.evaluate(run.network)
    assert run.latest_metrics()["cost"] > before + 1
    assert run.latest_metrics()["train accuracy"] == pytest.approx(np.mean(data()[1]))
    assert [iteration for iteration, _ in run.metrics["cost"]] == [0, 1, 2]


def test_an_edit_at_the_end_of_the_run_says_how_to_train_again() -> None:
    run = make_run(steps=3)
    run.settings = Settings(depth=1, units=(4,), activations=("tanh",), max_iterations=3)
    assert run.finished

    edit_parameter(run, {"layer": 0, "unit": 0, "value": 1})

    assert run.error is None and "raise Max iterations" in run.notice
