"""lessons.mustafar.logic: the presets in the sidebar's words (recognised at any seed, what
differs from them, back to one), and the picture's output layer."""

from dataclasses import replace

import numpy as np
import pytest

from kit.settings import OutputSpec
from lessons.mustafar.logic import (
    FAST,
    TUTORIAL,
    TUTORIAL_SEED,
    PictureData,
    back_to,
    differences,
    picture_output,
    preset_of,
    schedule_rates,
)
from nn.presets import FAST_IMAGE, TUTORIAL_IMAGE


def test_presets_are_recognised_at_any_seed() -> None:
    assert preset_of(FAST)[0] == "Fast"
    assert preset_of(replace(TUTORIAL, seed=1))[1] is TUTORIAL_IMAGE
    assert preset_of(replace(FAST, learning_rate=0.05)) is None
    assert preset_of(replace(FAST, units=(27, 31, 30))) is None
    assert preset_of(replace(FAST, l2=1e-3)) is None
    assert schedule_rates(TUTORIAL_IMAGE) == [2.8, 0.01875]
    assert TUTORIAL.seed == TUTORIAL_SEED == 2
    assert TUTORIAL.learning_rate == 3.0  # the slider's stop nearest to the schedule's 2.8
    assert FAST.learning_rate == 0.02  # the schedule's peak, not its warm-up's first 2e-05
    assert schedule_rates(FAST_IMAGE) == [0.02, pytest.approx(0.001)]


def test_differences_name_what_leaves_a_preset_in_words() -> None:
    first, last = schedule_rates(FAST_IMAGE)
    away = 0.03 if FAST.learning_rate != 0.03 else 0.04
    run_controls = {"seed": 9, "speed": 1, "max_iterations": 50}
    assert differences(replace(FAST, **run_controls), "Fast") == []
    assert differences(replace(FAST, learning_rate=away), "Fast") == [
        f"learning rate {away:g} instead of the Fast preset's schedule ({first:g} → {last:g})"
    ]
    assert differences(replace(FAST, l2=1e-3, units=(27, 31, 30)), "Fast") == [
        "hidden layers 27 relu · 31 relu · 30 relu instead of 27 relu · 31 relu · 31 relu",
        "l2 penalty 0.001 instead of none",
    ]
    assert differences(replace(TUTORIAL, batch_size=64), "Tutorial") == [
        "batch size 64 instead of full batch"
    ]
    # The init scale counts with the tutorial init only: He init ignores it.
    assert differences(replace(FAST, init_scale=0.5), "Fast") == []
    assert differences(replace(TUTORIAL, init_scale=0.5), "Tutorial") == [
        f"init scale 0.5 instead of {TUTORIAL.init_scale:g}"
    ]


def test_back_to_a_preset_keeps_the_seed_and_run_controls() -> None:
    run_controls = {"seed": 5, "speed": 10, "max_iterations": 50, "target_cost": 0.1}
    assert back_to(replace(TUTORIAL, **run_controls), "Fast") == replace(FAST, **run_controls)
    assert back_to(replace(FAST, optimizer="gd", l2=0.01), "Fast") == FAST


@pytest.mark.parametrize("mode, units", [("1bit", 1), ("gray", 1), ("rgb", 3)])
def test_the_picture_dictates_the_output_layer(mode: str, units: int) -> None:
    empty = np.zeros((0, units))
    data = PictureData(np.zeros((0, 2)), empty, (0, 0), empty, (0, 0), mode, 0.5, 8)
    assert picture_output(data) == OutputSpec(2, units, "sigmoid", "cross_entropy")
