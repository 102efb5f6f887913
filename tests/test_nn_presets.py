"""The picture lesson's presets: the tutorial's schedule, and a fast recipe that works."""

import json
from pathlib import Path

from datasets import image_to_xy, load_transmission
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE

REFERENCE = json.loads((Path(__file__).parent / "data" / "tutorial_results.json").read_text())


def test_the_tutorial_preset_is_the_tutorials_run():
    run = REFERENCE["mustafar_image"]
    schedule = run["schedule"]
    assert TUTORIAL_IMAGE.learning_rate.steps == list(
        zip(schedule["learning_rates"], schedule["iterations"], strict=True)
    )
    assert TUTORIAL_IMAGE.iterations == sum(schedule["iterations"]) == 28_000
    net = TUTORIAL_IMAGE.network(seed=1)
    assert net.parameter_count == run["parameters"]
    assert (TUTORIAL_IMAGE.init, TUTORIAL_IMAGE.init_scale) == ("tutorial", run["init_scale"])


def test_the_fast_preset_takes_the_helmet_below_0_09_within_its_budget():
    X, Y, _ = image_to_xy(load_transmission("helmet"), mode="1bit")
    net = FAST_IMAGE.network(seed=0)
    assert net.parameter_count == 1973 and str(net.layers[0].weights.dtype) == "float32"
    trainer = FAST_IMAGE.trainer(net, X, Y, seed=0)
    best = float("inf")
    while trainer.iteration < FAST_IMAGE.iterations and best >= 0.09:
        for _ in range(19):  # one pass over the 9,400 pixels in batches of 512
            trainer.step()
        best = min(best, net.cost(X, Y))
    assert best < 0.09
