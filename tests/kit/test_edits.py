"""Weights by hand (kit.live.edits): an edit from the diagram lands in the network where the
diagram drew it, a forged one changes nothing and says why, and training goes on from it.

The runs here are built from their parts (a Run of a trainer), as ``kit.live.run.new_run``
builds them, without a Streamlit session."""

import math

import numpy as np
import pytest

from kit.live.edits import MAX_VALUE, edit_parameter
from kit.live.run import Run
from kit.settings import OutputSpec, Settings

OUTPUT = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")
SAMPLES = 64


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(SAMPLES, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)  # XOR-like: the hidden layer has work to do
    return X, Y


def make_run(
    dtype: str = "float64", optimizer: str = "gd", batch_size: int | None = None, steps: int = 3
) -> Run:
    """A 2-4-1 tanh run on ``data()`` after ``steps`` steps, measuring its train accuracy."""
    X, Y = data()
    settings = Settings(
        depth=1, units=(4,), activations=("tanh",), learning_rate=0.5, optimizer=optimizer,
        batch_size=batch_size, init="xavier",
    )  # fmt: skip
    spec = settings.spec(OUTPUT, dtype)
    trainer = spec.trainer(X, Y)

    def evaluate(network) -> dict[str, float]:
        guesses = network.predict(X) > 0.5
        return {"train accuracy": float(np.mean(guesses == (Y > 0.5))), "cost": network.cost(X, Y)}

    run = Run(1, settings, OUTPUT, trainer.network, trainer, evaluate=evaluate)
    run.follow(spec.learning_rate)
    run.measure()
    for _ in range(steps):
        run.step(1)
        run.measure()
    return run


def diagram_weights(run: Run) -> list[list[float]]:
    """What the lessons send the diagram: each layer's weights transposed, flat."""
    return [layer.weights.T.ravel().tolist() for layer in run.network.layers]


def test_a_weight_lands_where_the_diagram_draws_it_and_nothing_else_moves() -> None:
    run = make_run()
    before = run.parameters()
    old = float(run.network.layers[0].weights[2, 1])

    edit_parameter(run, {"layer": 0, "from": 1, "to": 2, "value": 2.5})

    assert run.error is None
    assert run.network.layers[0].weights[2, 1] == 2.5  # (units, inputs): row "to", column "from"
    assert diagram_weights(run)[0][1 * 4 + 2] == 2.5  # the line data-from=1 data-to=2
    changed = np.flatnonzero(run.parameters() != before)
    assert len(changed) == 1 and run.parameters()[changed[0]] == 2.5
    assert run.notice == (
        f"You set the weight from input x2 to hidden 1 unit 3 from {old:.4g} to 2.5 at "
        "iteration 3: press Play to train on from here."
    )


def test_a_bias_lands_in_its_unit_of_its_layer() -> None:
    run = make_run()
    before = run.parameters()

    edit_parameter(run, {"layer": 1, "unit": 0, "value": -8})
    edit_parameter(run, {"layer": 0, "unit": 3, "value": 1.25})

    assert run.error is None
    assert run.network.layers[1].bias[0, 0] == -8
    assert run.network.layers[0].bias[3, 0] == 1.25
    assert np.count_nonzero(run.parameters() != before) == 2
    assert run.notice.startswith("You set the bias of hidden 1 unit 4 from ")
    edit_parameter(run, {"layer": 1, "from": 3, "to": 0, "value": 0})
    assert run.network.layers[1].weights[0, 3] == 0
    assert "the weight from hidden 1 unit 4 to output unit 1 from " in run.notice


FORGED = [
    (None, "names a layer"),
    ("layer 0", "names a layer"),
    ([0, 1, 2, 3], "names a layer"),
    ({}, "layer must be a whole number from 0 to 1"),
    ({"layer": "0", "unit": 0, "value": 1}, "layer must be"),
    ({"layer": True, "unit": 0, "value": 1}, "layer must be"),
    ({"layer": -1, "unit": 0, "value": 1}, "layer must be"),
    ({"layer": 2, "unit": 0, "value": 1}, "has 2 layers after the input"),
    ({"layer": 0.0, "unit": 0, "value": 1}, "layer must be"),
    ({"layer": 0, "unit": 4, "value": 1}, "unit must be a whole number from 0 to 3"),
    ({"layer": 1, "unit": 1, "value": 1}, "from 0 to 0"),
    ({"layer": 0, "unit": 1.5, "value": 1}, "unit must be"),
    ({"layer": 0, "from": 2, "to": 0, "value": 1}, "from must be a whole number from 0 to 1"),
    ({"layer": 0, "from": 0, "to": 4, "value": 1}, "to must be a whole number from 0 to 3"),
    ({"layer": 0, "from": 0, "value": 1}, "to must be"),
    ({"layer": 0, "from": 0, "to": 0, "unit": 0, "value": 1}, "not both"),
    ({"layer": 0, "unit": 0}, "must be a number; got None"),
    ({"layer": 0, "unit": 0, "value": "2"}, "must be a number; got '2'"),
    ({"layer": 0, "unit": 0, "value": True}, "must be a number"),
    ({"layer": 0, "unit": 0, "value": [1]}, "must be a number"),
    ({"layer": 0, "unit": 0, "value": math.nan}, "from -100 to 100"),
    ({"layer": 0, "unit": 0, "value": -math.inf}, "from -100 to 100"),
    ({"layer": 0, "unit": 0, "value": MAX_VALUE + 1}, "from -100 to 100; got 101"),
    ({"layer": 0, "unit": 0, "value": -1e300}, "from -100 to 100"),
    ({"layer": 0, "unit": 0, "value": "x" * 10_000}, "..."),
]


@pytest.mark.parametrize(("value", "said"), FORGED)
def test_a_forged_edit_changes_nothing_and_says_why(value: object, said: str) -> None:
    run = make_run()
    before, notice, metrics = run.parameters(), run.notice, run.latest_metrics()

    edit_parameter(run, value)

    assert said in run.error
    assert len(run.error) < 400  # a huge forged value is cut short in the message
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


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch_size", [None, 16])
@pytest.mark.parametrize("optimizer", ["gd", "adam"])
def test_the_next_step_trains_from_the_edited_value(
    dtype: str, batch_size: int | None, optimizer: str
) -> None:
    run = make_run(dtype, optimizer, batch_size, steps=5)
    trainer, network = run.trainer, run.network
    optimizer_state = trainer.optimizer
    unedited = network.copy()

    edit_parameter(run, {"layer": 1, "from": 2, "to": 0, "value": -6.0})
    edited = network.copy()
    cost = trainer.step()

    # The batch that step trained on is still in its workspace (samples in columns).
    ws = network.workspace(trainer.batch_size)
    X, Y = ws.inputs[0][:-1].T.copy(), ws.Y.T.copy()
    tolerance = 1e-5 if dtype == "float32" else 1e-12
    assert cost == pytest.approx(edited.cost(X, Y), rel=tolerance)
    assert abs(cost - unedited.cost(X, Y)) > 100 * tolerance * cost  # the edit mattered
    assert trainer.optimizer is optimizer_state and trainer.iteration == 6
    if optimizer == "adam":
        assert optimizer_state.t == 6  # its moments went on: not a fresh optimizer
    moved = float(network.layers[1].weights[0, 2])
    assert moved != -6.0 and abs(moved + 6.0) < 1.0  # one step from the edited value
