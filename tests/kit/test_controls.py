"""kit.controls: what resets the weights, and networks built from settings."""

from dataclasses import replace

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import nn
from kit.settings import (
    L1_VALUES,
    L2_VALUES,
    LEARNING_RATES,
    SPEEDS,
    OutputSpec,
    Settings,
    build_network,
    export_settings,
    layer_sizes,
    parameter_count,
    speed_label,
)
from tests.live import run_of

LINEAR = OutputSpec(input_dim=1, units=1, activation="linear", loss="mse")
ROSE = OutputSpec(input_dim=2, units=1, activation="sigmoid", loss="cross_entropy")


def test_learning_rate_grid_is_log_spaced_and_holds_the_tutorials_rates() -> None:
    assert LEARNING_RATES[0] == 1e-4 and LEARNING_RATES[-1] == 10
    assert list(LEARNING_RATES) == sorted(set(LEARNING_RATES))
    for rate in (0.01, 0.05, 1.2, 0.1, 1.0):
        assert rate in LEARNING_RATES


def test_speeds_go_from_a_step_a_second_to_as_fast_as_it_goes() -> None:
    positive = [speed for speed in SPEEDS if speed]
    assert positive == sorted(set(positive)) and positive[0] == 1
    assert SPEEDS[-1] == 0 and SPEEDS.count(0) == 1  # the fastest, offered last
    assert Settings().speed == 0
    assert [speed_label(speed) for speed in (1, 3000, 0)] == [
        "1 step/s", "3,000 steps/s", "as fast as it goes"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [{"learning_rate": 0.5}, {"l2": 0.01}, {"l1": 0.01}, {"speed": 100}, {"speed": 0},
     {"max_iterations": 50},
     {"target_cost": 1e-3}],
)  # fmt: skip
def test_rates_and_run_controls_keep_the_weights(change: dict) -> None:
    base = Settings(depth=1, units=(4,), activations=("tanh",))
    assert replace(base, **change).architecture_key() == base.architecture_key()


@pytest.mark.parametrize(
    "change",
    [{"depth": 2}, {"units": (5,)}, {"activations": ("relu",)}, {"init": "he"},
     {"init_scale": 0.1}, {"seed": 2}, {"optimizer": "adam"}, {"batch_size": 4}],
)  # fmt: skip
def test_architecture_changes_reset_the_weights(change: dict) -> None:
    base = Settings(depth=1, units=(4,), activations=("tanh",))
    assert replace(base, **change).architecture_key() != base.architecture_key()


@pytest.mark.parametrize(
    ("settings", "output", "sizes", "count"),
    [
        (Settings(), LINEAR, [1, 1], 2),
        (Settings(depth=1, units=(4,), activations=("tanh",)), ROSE, [2, 4, 1], 17),
        (Settings(depth=3, units=(27, 31, 31), activations=("relu",) * 3), ROSE,
         [2, 27, 31, 31, 1], 1973),  # the tutorial's Mustafar network
    ],
)  # fmt: skip
def test_build_network_shapes_and_parameter_count(settings, output, sizes, count) -> None:
    net = build_network(settings, output)
    assert layer_sizes(settings, output) == sizes
    assert parameter_count(settings, output) == count == net.parameter_count
    assert [layer.weights.shape for layer in net.layers] == list(
        zip(sizes[1:], sizes[:-1], strict=True)
    )
    assert [layer.activation.name for layer in net.layers] == [
        *settings.activations,
        output.activation,
    ]
    assert net.predict(np.zeros((3, output.input_dim))).shape == (3, output.units)


def test_tutorial_init_is_the_tutorials_draw() -> None:
    net = build_network(Settings(seed=1, init_scale=0.01), LINEAR)
    assert net.layers[0].weights[0, 0] == 0.01 * np.random.RandomState(1).randn(1, 1)[0, 0]
    assert net.layers[0].bias[0, 0] == 0


def test_impossible_settings_raise_a_network_error() -> None:
    with pytest.raises(nn.NetworkError):
        build_network(Settings(), OutputSpec(1, 1, "linear", loss="hinge"))


def test_labels_name_the_run() -> None:
    assert Settings(depth=1, units=(4,), activations=("tanh",)).label() == "lr 0.01 · 1×4 tanh · gd"
    assert Settings().label() == "lr 0.01 · no hidden layer · gd"
    mixed = Settings(depth=2, units=(4, 8), activations=("tanh", "relu"), batch_size=32)
    assert mixed.label() == "lr 0.01 · 4 tanh · 8 relu · gd · batch 32"


def test_export_settings_has_exactly_the_agreed_keys() -> None:
    settings = Settings(depth=1, units=(4,), activations=("tanh",), batch_size=16, l2=1e-3)
    exported = export_settings(settings, ROSE)
    assert set(exported) == {
        "layers", "output_units", "output_activation", "loss", "input_dim", "init",
        "init_scale", "seed", "dtype", "learning_rate", "optimizer", "batch_size", "l2", "l1",
    }  # fmt: skip
    assert exported["layers"] == [[4, "tanh"]]
    assert exported["batch_size"] == 16 and exported["output_activation"] == "sigmoid"


def test_l1_is_offered_on_l2s_grid_and_reaches_the_run() -> None:
    assert L1_VALUES == L2_VALUES and L1_VALUES[0] == 0.0
    settings = Settings(depth=1, units=(4,), activations=("tanh",), l1=3e-3)
    assert settings.spec(ROSE).l1 == 3e-3 and Settings().spec(ROSE).l1 == 0.0
    assert export_settings(settings, ROSE)["l1"] == 3e-3
    assert settings.label() == "lr 0.01 · 1×4 tanh · gd · L1 0.003"


def test_the_l1_slider_sits_beside_l2_and_mirrors_into_the_url(app: AppTest) -> None:
    at = app.switch_page("app_pages/1_Linear_regression.py").run()
    assert not at.exception
    slider = at.select_slider(key="linear.l1")
    assert slider.label == "L1 penalty" and slider.value == 0.0
    assert "l1" not in at.query_params  # the default: old links stay as they were
    slider.set_value(0.01).run()
    assert at.query_params["l1"] == "0.01"
    assert at.select_slider(key="linear.l1").value == 0.01
    assert run_of(at, "linear").trainer.l1 == 0.01  # the run trains with it
    at.select_slider(key="linear.l1").set_value(0.0).run()
    assert "l1" not in at.query_params
