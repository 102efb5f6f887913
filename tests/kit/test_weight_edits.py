"""Weights by hand without Streamlit (kit.weight_edits): an edit from the diagram lands in the
network where the diagram drew it, a forged one changes nothing and says why, and the next
training step starts from the edited value."""

import math

import numpy as np
import pytest

import nn
from kit.settings import OutputSpec, Settings
from kit.weight_edits import MAX_VALUE, EditRefused, apply_edit

OUTPUT = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")
SAMPLES = 64


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    X = rng.normal(size=(SAMPLES, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)  # XOR-like: the hidden layer has work to do
    return X, Y


def trained(
    dtype: str = "float64", optimizer: str = "gd", batch_size: int | None = None, steps: int = 3
) -> nn.Trainer:
    """A trainer of a 2-4-1 tanh network on ``data()`` after ``steps`` steps."""
    settings = Settings(
        depth=1, units=(4,), activations=("tanh",), learning_rate=0.5, optimizer=optimizer,
        batch_size=batch_size, init="xavier",
    )  # fmt: skip
    trainer = settings.spec(OUTPUT, dtype).trainer(*data())
    for _ in range(steps):
        trainer.step()
    return trainer


def flat(network: nn.Network) -> np.ndarray:
    return np.concatenate([layer.params.ravel() for layer in network.layers])


def diagram_weights(network: nn.Network) -> list[list[float]]:
    """What the lessons send the diagram: each layer's weights transposed, flat."""
    return [layer.weights.T.ravel().tolist() for layer in network.layers]


def test_a_weight_lands_where_the_diagram_draws_it_and_nothing_else_moves() -> None:
    network = trained().network
    before = flat(network)
    old = float(network.layers[0].weights[2, 1])

    said = apply_edit(network, {"layer": 0, "from": 1, "to": 2, "value": 2.5})

    assert said == ("the weight from input x2 to hidden 1 unit 3", old, 2.5)
    assert network.layers[0].weights[2, 1] == 2.5  # (units, inputs): row "to", column "from"
    assert diagram_weights(network)[0][1 * 4 + 2] == 2.5  # the line data-from=1 data-to=2
    changed = np.flatnonzero(flat(network) != before)
    assert len(changed) == 1 and flat(network)[changed[0]] == 2.5


def test_a_bias_lands_in_its_unit_of_its_layer() -> None:
    network = trained().network
    before = flat(network)

    apply_edit(network, {"layer": 1, "unit": 0, "value": -8})
    name, _, _ = apply_edit(network, {"layer": 0, "unit": 3, "value": 1.25})

    assert name == "the bias of hidden 1 unit 4"
    assert network.layers[1].bias[0, 0] == -8 and network.layers[0].bias[3, 0] == 1.25
    assert np.count_nonzero(flat(network) != before) == 2
    name, _, _ = apply_edit(network, {"layer": 1, "from": 3, "to": 0, "value": 0})
    assert network.layers[1].weights[0, 3] == 0
    assert name == "the weight from hidden 1 unit 4 to output unit 1"


def test_the_bound_is_allowed_and_a_float32_network_stores_its_own_precision() -> None:
    network = trained("float32").network
    assert apply_edit(network, {"layer": 0, "unit": 0, "value": -MAX_VALUE})[2] == -MAX_VALUE
    _, _, stored = apply_edit(network, {"layer": 0, "unit": 0, "value": 0.1})
    assert stored == float(np.float32(0.1)) != 0.1


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
    network = trained().network
    before = flat(network)

    with pytest.raises(EditRefused) as refused:
        apply_edit(network, value)

    assert said in str(refused.value)
    assert len(str(refused.value)) < 400  # a huge forged value is cut short in the message
    assert np.array_equal(flat(network), before)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("batch_size", [None, 16])
@pytest.mark.parametrize("optimizer", ["gd", "adam"])
def test_the_next_step_trains_from_the_edited_value(
    dtype: str, batch_size: int | None, optimizer: str
) -> None:
    trainer = trained(dtype, optimizer, batch_size, steps=5)
    network, optimizer_state = trainer.network, trainer.optimizer
    unedited = network.copy()

    apply_edit(network, {"layer": 1, "from": 2, "to": 0, "value": -6.0})
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
