"""The picture lesson's presets: the tutorial's schedule, and a fast recipe that works."""

import json

import numpy as np
import pytest

from datasets import image_to_xy, load_transmission
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE
from tests import DATA

REFERENCE = json.loads((DATA / "tutorial_results.json").read_text())


def test_the_tutorial_preset_is_the_tutorials_run():
    run = REFERENCE["mustafar_image"]
    schedule = run["schedule"]
    assert TUTORIAL_IMAGE.learning_rate.steps == list(
        zip(schedule["learning_rates"], schedule["iterations"], strict=True)
    )
    assert TUTORIAL_IMAGE.iterations == sum(schedule["iterations"]) == 28_000
    net = TUTORIAL_IMAGE.network(input_dim=2)
    assert net.parameter_count == run["parameters"]
    assert (TUTORIAL_IMAGE.init, TUTORIAL_IMAGE.init_scale) == ("tutorial", run["init_scale"])


def test_the_fast_preset_starts_every_hidden_unit_alive_with_its_own_adam():
    X, Y, _ = image_to_xy(load_transmission("star_map"), mode="1bit")
    spec = FAST_IMAGE.with_changes(seed=0)
    net = spec.network(input_dim=2)
    assert net.parameter_count == 1973 and str(net.layers[0].weights.dtype) == "float32"
    assert not any(layer.bias.any() for layer in net.layers)
    trainer = spec.trainer(X, Y, network=net)
    ws = net.workspace(len(X), train=False)
    ws.load(net.check_data(X))
    net.forward_pass(ws)
    for A in ws.A[:-1]:  # every hidden unit starts active on half of the pixels
        assert np.all(np.abs((A > 0).mean(axis=1) - 0.5) < 0.01)
    assert not net.layers[-1].bias.any()
    assert trainer.optimizer.beta2 == 0.99 and trainer.batch_size == 512
    schedule = trainer.learning_rate
    assert schedule(0) < 0.001 and schedule(999) == pytest.approx(0.02, rel=0.02)
    assert schedule(FAST_IMAGE.iterations - 1) == pytest.approx(0.001, rel=1e-3)


@pytest.mark.parametrize("picture", ["helmet", "code"])
def test_the_fast_preset_learns_a_picture_well_below_0_09_within_its_budget(picture):
    """The helmet, and text: over seeds 0-9 on SkylakeX and Haswell with 1 and 2 BLAS threads,
    the cost at the budget's end was at most 0.0595 (helmet) and 0.0712 (code)
    (benchmarks/mustafar.py; the README)."""
    X, Y, _ = image_to_xy(load_transmission(picture), mode="1bit")
    trainer = FAST_IMAGE.with_changes(seed=0).trainer(X, Y)
    net = trainer.network
    untrained = net.cost(X, Y)
    for _ in range(FAST_IMAGE.iterations):
        trainer.step()
    assert untrained > 0.5 and net.cost(X, Y) < 0.09
