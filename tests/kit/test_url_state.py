"""kit.url_state and the URL side of kit.controls: round trips, hostile values, locks."""

import pytest

from kit import url_state as state
from kit.settings import (
    LEARNING_RATES,
    MAX_DEPTH,
    MAX_UNITS,
    SPEEDS,
    Settings,
    settings_from_query,
    settings_to_query,
)

DEFAULTS = Settings()


def test_defaults_need_no_parameters() -> None:
    assert settings_to_query(DEFAULTS, DEFAULTS) == {}
    assert settings_from_query({}, DEFAULTS) == DEFAULTS


@pytest.mark.parametrize(
    "settings",
    [
        Settings(learning_rate=0.05, depth=1),
        Settings(
            depth=3,
            units=(8, 16, 2),
            activations=("relu", "tanh", "leaky_relu"),
            learning_rate=1.2,
            optimizer="adam",
            batch_size=32,
            l2=1e-3,
            l1=3e-4,
            init="he",
            seed=42,
            speed=300,
            max_iterations=5000,
            target_cost=1e-4,
        ),
        Settings(init="tutorial", init_scale=0.2, learning_rate=0.0001, optimizer="momentum"),
    ],
)
def test_settings_survive_the_url(settings: Settings) -> None:
    query = settings_to_query(settings, DEFAULTS)
    assert all(isinstance(value, str) for value in query.values())
    assert settings_from_query(query, DEFAULTS) == settings


def test_l1_travels_only_when_set_and_old_links_mean_no_l1() -> None:
    assert "l1" not in settings_to_query(Settings(l2=0.01), DEFAULTS)
    assert settings_to_query(Settings(l1=0.03), DEFAULTS) == {"l1": "0.03"}
    old_link = {"learning_rate": "0.05", "l2": "0.01"}  # written before L1 existed
    assert settings_from_query(old_link, DEFAULTS) == Settings(learning_rate=0.05, l2=0.01)
    assert settings_from_query({"l1": "0.029"}, DEFAULTS).l1 == 0.03  # nearest on the grid
    assert settings_from_query({"l1": "-1"}, DEFAULTS).l1 == 0.0
    assert settings_from_query({"l1": "abc"}, DEFAULTS).l1 == 0.0


def test_only_changed_settings_travel() -> None:
    query = settings_to_query(Settings(learning_rate=0.05, depth=1), DEFAULTS)
    assert query == {"learning_rate": "0.05", "depth": "1", "units": "4", "activations": "tanh"}
    assert settings_to_query(Settings(speed=30), DEFAULTS) == {"speed": "30"}
    assert settings_to_query(Settings(), Settings(speed=1000)) == {"speed": "0"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"depth": "99"}, {"depth": MAX_DEPTH}),
        ({"depth": "-5"}, {"depth": 0}),
        ({"depth": "abc", "learning_rate": "abc"}, {"depth": 0, "learning_rate": 0.01}),
        ({"learning_rate": "1e9"}, {"learning_rate": 10.0}),
        ({"learning_rate": "-1"}, {"learning_rate": LEARNING_RATES[0]}),
        ({"learning_rate": "nan"}, {"learning_rate": 0.01}),
        ({"learning_rate": "inf"}, {"learning_rate": 0.01}),
        ({"learning_rate": "0.049"}, {"learning_rate": 0.05}),
        ({"depth": "2", "units": "1000,0"}, {"units": (MAX_UNITS, 1)}),
        ({"depth": "2", "units": "x,y"}, {"units": (4, 4)}),
        ({"depth": "1", "activations": "softmax"}, {"activations": ("tanh",)}),
        ({"optimizer": "rmsprop"}, {"optimizer": "gd"}),
        ({"optimizer": " ADAM "}, {"optimizer": "adam"}),
        ({"batch_size": "100"}, {"batch_size": 128}),
        ({"batch_size": "0"}, {"batch_size": None}),
        ({"seed": "1e30"}, {"seed": 99_999}),
        ({"target_cost": "1e-300"}, {"target_cost": 1e-12}),
        ({"depth": "3" * 500}, {"depth": 0}),  # absurdly long: ignored
        ({"speed": "90"}, {"speed": 100}),
        ({"speed": "1e99"}, {"speed": max(SPEEDS)}),
        ({"speed": "-5"}, {"speed": 0}),  # as fast as it goes
        ({"speed": "abc"}, {"speed": 0}),
        ({"speed": "nan"}, {"speed": 0}),
    ],
)
def test_hostile_values_are_clamped_or_ignored(query: dict, expected: dict) -> None:
    settings = settings_from_query(query, DEFAULTS)
    for name, value in expected.items():
        assert getattr(settings, name) == value
    assert len(settings.units) == len(settings.activations) == settings.depth


def test_units_and_activations_follow_depth() -> None:
    settings = settings_from_query({"depth": "3", "units": "8", "activations": "relu"}, DEFAULTS)
    assert settings.units == (8, 4, 4)
    assert settings.activations == ("relu", "tanh", "tanh")
    assert Settings(depth=1, units=(5, 6, 7)).units == (5,)


def test_text_of_writes_values_as_the_schema_formats_them() -> None:
    assert state.text_of(0.1) == "0.1"
    assert state.text_of(3) == "3"
    assert state.text_of((4, 2)) == "4,2"
    assert state.text_of(["tanh", "relu"]) == "tanh,relu"
    assert state.text_of(()) == ""
    param = state.listed(state.clamped_int(1, 8), 6)
    assert state.text_of((4, 2)) == param.format((4, 2))
    assert state.read_query({"x": state.text_of(0.015)}, {"x": state.clamped_float(0, 1)}) == {
        "x": 0.015
    }


def test_sync_touches_only_managed_names() -> None:
    params = {"noise": "0.5", "depth": "2", "seed": "3"}
    state.sync_query_params(
        params, {"depth": "1", "optimizer": "adam"}, ["depth", "optimizer", "seed"]
    )
    assert params == {"noise": "0.5", "depth": "1", "optimizer": "adam"}


def test_parsers() -> None:
    assert state.clamped_float(0, 3).parse("7.5") == 3
    assert state.nearest_option([0.0, 0.1, 1.0]).parse("0") == 0.0
    assert state.nearest_option([1, 10, 100], log_scale=False).parse("40") == 10
    with pytest.raises(ValueError):
        state.choice(["a"]).parse("b")
    assert state.read_query(
        {"x": "oops", "y": "2"}, {"x": state.clamped_int(0, 5), "y": state.clamped_int(0, 5)}
    ) == {"y": 2}
