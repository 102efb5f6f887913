"""lessons.rose.logic: plane data, scaling, features, split, export code, plane evaluation,
pictures, thumbnails, the capacity sweep; and that it runs without Streamlit."""

import ast
import base64
import inspect
import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import nn
from datasets import TOY_DATASETS, make_rose
from datasets.toy import input_scale, split_indices, with_features
from kit import REPO_ROOT
from kit.settings import OutputSpec, Settings, build_network
from lessons.rose import logic


def test_the_logic_runs_without_streamlit() -> None:
    code = "import sys, lessons.rose.logic; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)


def test_the_rose_is_fed_unscaled_and_toy_sets_are_stretched_to_radius_4() -> None:
    rose = logic.make_plane_data(logic.PlaneChoice(test_share=0.0))
    X, _ = make_rose()
    assert rose.scale == 1.0
    np.testing.assert_array_equal(rose.inputs, X)
    for name in TOY_DATASETS:
        data = logic.make_plane_data(logic.PlaneChoice(name=name))
        radius = np.hypot(data.inputs[:, 0], data.inputs[:, 1]).max()
        assert radius == pytest.approx(logic.INPUT_RADIUS)


def test_features_follow_x_and_y_and_every_offered_feature_is_computed() -> None:
    data = logic.make_plane_data(logic.PlaneChoice(name="circle", features=("x2", "y2")))
    assert data.input_dim == 4
    every = logic.make_plane_data(logic.PlaneChoice(name="xor", features=tuple(logic.FEATURES)))
    assert every.input_dim == 2 + len(logic.FEATURES)
    np.testing.assert_array_equal(every.to_inputs(every.points), every.inputs)


def test_the_lesson_scales_and_splits_with_the_datasets_functions() -> None:
    choice = logic.PlaneChoice(name="moons", seed=5, test_share=0.3, features=("xy",))
    data = logic.make_plane_data(choice)
    points, _ = TOY_DATASETS["moons"](noise=0.0, seed=5)
    assert data.scale == input_scale(points)
    np.testing.assert_array_equal(data.inputs, with_features(points * data.scale, ("xy",)))
    train, test = split_indices(len(points), 0.3, 5)
    np.testing.assert_array_equal(data.train, train)
    np.testing.assert_array_equal(data.test, test)


def test_the_tutorial_plane_data_is_the_tutorials_rose_all_in_training() -> None:
    data = logic.tutorial_plane_data()
    X, Y = make_rose()
    np.testing.assert_array_equal(data.inputs, X)
    np.testing.assert_array_equal(data.Y, Y)
    assert data.scale == 1.0 and len(data.train) == 688 and len(data.test) == 0


@pytest.mark.parametrize(
    "choice",
    [
        logic.PlaneChoice(),
        logic.PlaneChoice(petals=5, class_one=(1, 2), noise=0.2, seed=7, features=("sinx", "xy")),
        logic.PlaneChoice(name="planar flower", noise=0.1, test_share=0.4),
        logic.PlaneChoice(name="spiral", features=("x2", "y2", "xy", "sinx", "siny")),
    ],
)
def test_exported_data_code_rebuilds_the_training_data(choice: logic.PlaneChoice) -> None:
    data = logic.make_plane_data(choice)
    namespace: dict = {}
    exec(logic.data_code(choice), namespace)  # the page's own code, not user input
    np.testing.assert_array_equal(namespace["X"], data.inputs[data.train])
    np.testing.assert_array_equal(namespace["Y"], data.Y[data.train])


def test_exported_data_code_is_the_source_the_lesson_runs_and_needs_only_numpy() -> None:
    code = logic.data_code(logic.PlaneChoice(name="circle", features=("x2",)))
    for helper in (input_scale, with_features, split_indices):
        assert inspect.getsource(helper) in code
    imports = [
        node for node in ast.parse(code).body if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert [ast.unparse(node) for node in imports] == [
        "import numpy as np",
        "from datasets import make_circle",
    ]
    helpers = code.split("\npoints, labels =")[0].replace("from datasets import make_circle", "")
    namespace: dict = {}
    exec(helpers, namespace)  # the page's own code, not user input: numpy alone defines it
    assert namespace["input_scale"](np.array([[0.0, 0.5]])) == 8.0


def test_layer_outputs_match_the_engine_and_the_plane_has_every_unit() -> None:
    settings = Settings(depth=2, units=(3, 5), activations=("tanh", "relu"), init_scale=0.5)
    network = build_network(settings, OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    data = logic.make_plane_data(logic.PlaneChoice(name="moons"))
    outputs = logic.layer_outputs(network, data.inputs)
    np.testing.assert_allclose(outputs[-1], network.predict(data.inputs), rtol=1e-12)
    view = logic.evaluate_plane(network, data, size=20)
    assert view.output.shape == (20, 20)
    assert [h.shape for h in view.hidden] == [(20, 20, 3), (20, 20, 5)]
    assert view.activations == ["tanh", "relu"]
    # row 0 of the grid is the top of the plot: y is largest there
    grid = data.grid_points(20)
    assert grid[0, 1] == pytest.approx(data.extent) and grid[-1, 1] == pytest.approx(-data.extent)


def test_colours_run_orange_white_blue_and_discretise_is_hard() -> None:
    rgb = logic.colorize(np.array([0.0, 0.5, 1.0, np.nan]), 0.0, 1.0)
    assert rgb[0].tolist() == logic.NEGATIVE.tolist() == [245, 147, 34]  # Playground's orange
    assert rgb[2].tolist() == logic.POSITIVE.tolist() == [8, 119, 189]  # and blue
    assert rgb[1].min() >= 254 and rgb[3].min() >= 254  # the middle (and NaN): white
    purple = logic.colorize(np.array([1.0]), 0.0, 1.0, colours="puor")[0]
    assert purple[2] > purple[1]  # the colour-blind-safe map's class 1 end is purple
    hard = logic.output_image(np.array([[0.49, 0.51]]), discrete=True)
    soft = logic.output_image(np.array([[0.49, 0.51]]), discrete=False)
    assert (hard[0, 0] != hard[0, 1]).any() and np.abs(hard.astype(int) - 255).max() > 100
    assert np.abs(soft.astype(int) - 255).max() < 10  # near 0.5: nearly white


def test_unit_ranges_are_the_activations_own_or_symmetric() -> None:
    values = np.array([-3.0, 2.0])
    assert logic.unit_range("tanh", values) == (-1.0, 1.0)
    assert logic.unit_range("sigmoid", values) == (0.0, 1.0)
    assert logic.unit_range("relu", values) == (-3.0, 3.0)
    assert logic.unit_range("relu", np.zeros(3)) == (-1.0, 1.0)


def test_png_data_url_decodes_to_the_image() -> None:
    rgb = logic.colorize(np.linspace(0, 1, 12).reshape(3, 4), 0.0, 1.0)
    url = logic.png_data_url(rgb)
    assert url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    np.testing.assert_array_equal(np.asarray(image), rgb)


def test_plane_svg_draws_every_point_and_test_points_as_squares() -> None:
    data = logic.make_plane_data(logic.PlaneChoice(test_share=0.25))
    rows = logic.point_rows(data, show_test=True)
    svg = logic.plane_svg("data:image/png;base64,AA==", data.extent, rows)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == len(data.train)
    assert svg.count('fill-opacity="0.3"') == len(data.test)
    hidden = logic.point_rows(data, show_test=False)
    assert len(hidden) == len(data.train)


def test_an_enlarged_unit_is_drawn_while_it_exists() -> None:
    settings = Settings(depth=1, units=(3,), activations=("tanh",))
    network = build_network(settings, OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    data = logic.make_plane_data(logic.PlaneChoice(name="circle"))
    view = logic.evaluate_plane(network, data, size=10)
    svg = logic.enlarged_unit_svg(view, data, logic.unit_name(0, 2), show_test=False)
    assert svg is not None and svg.count("<circle") == len(data.train)
    assert logic.enlarged_unit_svg(view, data, logic.unit_name(0, 3), show_test=False) is None


def test_each_width_of_the_sweep_is_the_network_the_builder_makes() -> None:
    settings = Settings(depth=2, units=(7, 3), activations=("relu", "tanh"), init_scale=0.3, seed=4)
    sweep = logic.CapacitySweep((5,), logic.capacity_spec(settings, 100), data_key=())
    network = sweep.spec_of(5).network(input_dim=3)
    one_layer = Settings(depth=1, units=(5,), activations=("relu",), init_scale=0.3, seed=4)
    built = build_network(one_layer, OutputSpec(3, 1, "sigmoid", "cross_entropy"))
    assert [layer.activation.name for layer in network.layers] == ["relu", "sigmoid"]
    for ours, theirs in zip(network.layers, built.layers, strict=True):
        np.testing.assert_array_equal(ours.weights, theirs.weights)
        np.testing.assert_array_equal(ours.bias, theirs.bias)
    no_hidden = logic.capacity_spec(Settings(depth=0), 100).with_changes(hidden=((2, "tanh"),))
    assert [layer.activation.name for layer in no_hidden.network(2).layers] == ["tanh", "sigmoid"]


def test_the_sweep_trains_one_configuration_at_a_time_and_records_accuracy() -> None:
    data = logic.make_plane_data(logic.PlaneChoice(name="circle"))
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = logic.CapacitySweep((1, 4), logic.capacity_spec(settings, 300), data_key=("circle",))
    sweep.tick(data, budget=200)
    assert sweep.results == [] and sweep.fraction() == pytest.approx(200 / 600)
    ticks = 1
    while sweep.running:
        sweep.tick(data, budget=200)
        ticks += 1
    assert ticks == 4 and sweep.done and sweep.fraction() == 1.0
    assert [r["units"] for r in sweep.results] == [1, 4]
    assert sweep.results[1]["train"] > 95 and sweep.results[1]["test"] > 90


def test_a_sweep_tick_stops_when_its_time_is_up() -> None:
    data = logic.make_plane_data(logic.PlaneChoice(name="circle"))
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = logic.CapacitySweep((4,), logic.capacity_spec(settings, 300), data_key=())
    sweep.tick(data, seconds=0)
    assert sweep.trainer.iteration == 1  # one iteration, however short the time
    sweep.tick(data, budget=100, seconds=60)
    assert sweep.trainer.iteration == 101  # the iteration budget, with time to spare
    sweep.tick(data, seconds=60)
    assert sweep.done and sweep.results[0]["units"] == 4


def test_a_diverging_sweep_configuration_is_recorded_not_raised() -> None:
    data = logic.make_plane_data(logic.PlaneChoice())
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = logic.CapacitySweep((3, 5), logic.capacity_spec(settings, 100), data_key=())
    sweep.tick(data, budget=10)

    def explode() -> float:
        raise nn.TrainingDiverged(10, 1.2)

    sweep.trainer.step = explode
    sweep.tick(data, budget=10)
    assert sweep.results[0]["units"] == 3 and sweep.results[0]["diverged"]
    assert sweep.running  # the next configuration still trains
    while sweep.running:
        sweep.tick(data)
    assert not sweep.results[1]["diverged"]


def test_thumbnails_are_small_pngs() -> None:
    image = Image.open(io.BytesIO(logic.thumbnail.__wrapped__("spiral")))
    assert image.size == (72, 72) and image.format == "PNG"
    assert len(np.unique(np.asarray(image).reshape(-1, 3), axis=0)) == 3  # white, blue, orange


def test_the_thumbnail_cache_is_bounded() -> None:
    maxsize = logic.thumbnail.cache_info().maxsize
    assert maxsize == len(logic.DATASETS)
    for size in (8, 9):  # more distinct keys than the bound
        for name in logic.DATASETS:
            logic.thumbnail(name, size)
    assert logic.thumbnail.cache_info().currsize <= maxsize


def test_accuracy_of_an_empty_test_split_is_nan() -> None:
    network = build_network(Settings(), OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    assert np.isnan(logic.accuracy_of(network, np.empty((0, 2)), np.empty((0, 1))))
    assert nn.accuracy(np.array([[0.9]]), np.array([[1.0]])) == 1.0


@pytest.mark.parametrize("features", [(), ("x2", "y2", "xy", "sinx", "siny")])
def test_exported_points_made_by_hand_rebuild_the_training_data(features) -> None:
    from datasets.hand import HandPoints

    data = logic.make_plane_data(logic.PlaneChoice(name="moons", features=features))
    hand = logic.hand_points_of(data).add((0.123456789, -0.5), 1).add((1 / 3, 2 / 7), 0)
    mine = logic.with_hand_points(data, hand)
    namespace: dict = {}
    exec(logic.points_code(mine), namespace)  # the page's own code, numbers written by the page

    np.testing.assert_array_equal(namespace["X"], mine.inputs[mine.train])
    np.testing.assert_array_equal(namespace["Y"], mine.Y[mine.train])
    assert len(namespace["X"]) == len(data.train) + 2
    empty = logic.with_hand_points(data, HandPoints.empty())
    namespace = {}
    exec(logic.points_code(empty), namespace)  # the page's own code, as above
    assert namespace["X"].shape == (0, 2 + len(features)) and namespace["Y"].shape == (0, 1)
