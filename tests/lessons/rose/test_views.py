"""lessons.rose.views: data, scaling, features, split, export code, plane evaluation, pictures,
sweep."""

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

import nn
from datasets import TOY_DATASETS, make_rose
from kit import REPO_ROOT
from kit.controls import OutputSpec, Settings, build_network
from lessons.rose import views as pg

REFERENCE = json.loads((REPO_ROOT / "datasets/data/tutorial_results.json").read_text())


def test_the_rose_is_fed_unscaled_and_toy_sets_are_stretched_to_radius_4() -> None:
    rose = pg.make_data(pg.DataChoice(test_share=0.0))
    X, _ = make_rose()
    assert rose.scale == 1.0
    np.testing.assert_array_equal(rose.inputs, X)
    for name in TOY_DATASETS:
        data = pg.make_data(pg.DataChoice(name=name))
        radius = np.hypot(data.inputs[:, 0], data.inputs[:, 1]).max()
        assert radius == pytest.approx(pg.INPUT_RADIUS)


def test_features_follow_x_and_y_in_a_fixed_order() -> None:
    inputs = np.array([[4.0, -2.0], [0.0, 2.0]])
    out = pg.with_features(inputs, ("x2", "xy", "siny"))
    u, v = inputs[:, 0] / 4, inputs[:, 1] / 4
    np.testing.assert_allclose(out, np.column_stack([inputs, u**2, u * v, np.sin(np.pi * v)]))
    data = pg.make_data(pg.DataChoice(name="circle", features=("x2", "y2")))
    assert data.input_dim == 4


def test_split_is_seeded_disjoint_and_complete() -> None:
    train, test = pg.split_indices(100, 0.25, seed=3)
    assert len(test) == 25 and len(train) == 75
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(range(100))
    again = pg.split_indices(100, 0.25, seed=3)
    np.testing.assert_array_equal(again[1], test)
    assert not np.array_equal(pg.split_indices(100, 0.25, seed=4)[1], test)
    assert len(pg.split_indices(10, 0.0, 0)[1]) == 0


@pytest.mark.parametrize(
    "choice",
    [
        pg.DataChoice(),
        pg.DataChoice(petals=5, class_one=(1, 2), noise=0.2, seed=7, features=("sinx", "xy")),
        pg.DataChoice(name="planar flower", noise=0.1, test_share=0.4),
        pg.DataChoice(name="spiral", features=("x2", "y2", "xy", "sinx", "siny")),
    ],
)
def test_exported_data_code_rebuilds_the_training_data(choice: pg.DataChoice) -> None:
    data = pg.make_data(choice)
    namespace: dict = {}
    exec(pg.data_code(choice), namespace)  # the page's own code, not user input
    np.testing.assert_array_equal(namespace["X"], data.inputs[data.train])
    np.testing.assert_array_equal(namespace["Y"], data.Y[data.train])


def test_layer_outputs_match_the_engine_and_the_plane_has_every_unit() -> None:
    settings = Settings(depth=2, units=(3, 5), activations=("tanh", "relu"), init_scale=0.5)
    network = build_network(settings, OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    data = pg.make_data(pg.DataChoice(name="moons"))
    outputs = pg.layer_outputs(network, data.inputs)
    np.testing.assert_allclose(outputs[-1], network.predict(data.inputs), rtol=1e-12)
    view = pg.evaluate_plane(network, data, size=20)
    assert view.output.shape == (20, 20)
    assert [h.shape for h in view.hidden] == [(20, 20, 3), (20, 20, 5)]
    assert view.activations == ["tanh", "relu"]
    # row 0 of the grid is the top of the plot: y is largest there
    grid = data.grid_points(20)
    assert grid[0, 1] == pytest.approx(data.extent) and grid[-1, 1] == pytest.approx(-data.extent)


def test_colours_run_orange_white_blue_and_discretise_is_hard() -> None:
    rgb = pg.colorize(np.array([0.0, 0.5, 1.0]), 0.0, 1.0)
    assert rgb.tolist() == [pg.NEGATIVE.tolist(), [255, 255, 255], pg.POSITIVE.tolist()]
    hard = pg.output_image(np.array([[0.49, 0.51]]), discrete=True)
    soft = pg.output_image(np.array([[0.49, 0.51]]), discrete=False)
    assert (hard[0, 0] != hard[0, 1]).any() and np.abs(hard.astype(int) - 255).max() > 100
    assert np.abs(soft.astype(int) - 255).max() < 10  # near 0.5: nearly white


def test_png_data_url_decodes_to_the_image() -> None:
    rgb = pg.colorize(np.linspace(0, 1, 12).reshape(3, 4), 0.0, 1.0)
    url = pg.png_data_url(rgb)
    assert url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    np.testing.assert_array_equal(np.asarray(image), rgb)


def test_plane_svg_draws_every_point_and_test_points_as_squares() -> None:
    data = pg.make_data(pg.DataChoice(test_share=0.25))
    rows = pg.point_rows(data, show_test=True)
    svg = pg.plane_svg("data:image/png;base64,AA==", data.extent, rows)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<circle") == len(data.train)
    assert svg.count('fill-opacity="0.3"') == len(data.test)
    hidden = pg.point_rows(data, show_test=False)
    assert len(hidden) == len(data.train)


@pytest.mark.parametrize("section", ["rose_logistic", "rose_two_layer"])
def test_line_versus_flower_reproduces_the_tutorial(section: str) -> None:
    X, Y = make_rose()
    trained = pg.train_tutorial_run(section, X, Y)
    reference = REFERENCE[section]
    table = pg.tutorial_table(trained, section)
    assert list(table["iteration"]) == list(
        range(0, reference["iterations"], reference["print_every"])
    )
    assert list(table["this engine"]) == pytest.approx(reference["costs"], rel=1e-9)
    # Figure 8: the line cannot separate the petals, the flower can
    assert trained.accuracy > 0.99 if section == "rose_two_layer" else trained.accuracy < 0.8


def test_the_sweep_trains_one_configuration_at_a_time_and_records_accuracy() -> None:
    data = pg.make_data(pg.DataChoice(name="circle"))
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = pg.Sweep((1, 4), iterations=300, settings=settings, data_key=("circle",))
    sweep.tick(data, budget=200)
    assert sweep.results == [] and sweep.fraction() == pytest.approx(200 / 600)
    ticks = 1
    while sweep.running:
        sweep.tick(data, budget=200)
        ticks += 1
    assert ticks == 4 and sweep.done and sweep.fraction() == 1.0
    assert [r["units"] for r in sweep.results] == [1, 4]
    assert sweep.results[1]["train"] > 95 and sweep.results[1]["test"] > 90
    spec = pg.sweep_spec(sweep.results, sweep.units)
    assert {row["split"] for row in spec["data"]["values"]} == {"train", "test"}


def test_a_sweep_tick_stops_when_its_time_is_up() -> None:
    data = pg.make_data(pg.DataChoice(name="circle"))
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = pg.Sweep((4,), iterations=300, settings=settings, data_key=())
    sweep.tick(data, seconds=0)
    assert sweep.trainer.iteration == 1  # one iteration, however short the time
    sweep.tick(data, budget=100, seconds=60)
    assert sweep.trainer.iteration == 101  # the iteration budget, with time to spare
    sweep.tick(data, seconds=60)
    assert sweep.done and sweep.results[0]["units"] == 4


def test_a_diverging_sweep_configuration_is_recorded_not_raised() -> None:
    data = pg.make_data(pg.DataChoice())
    settings = Settings(depth=1, units=(4,), activations=("tanh",), learning_rate=1.2)
    sweep = pg.Sweep((3, 5), iterations=100, settings=settings, data_key=())
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
    image = Image.open(io.BytesIO(pg.thumbnail.__wrapped__("spiral")))
    assert image.size == (72, 72) and image.format == "PNG"
    assert len(np.unique(np.asarray(image).reshape(-1, 3), axis=0)) == 3  # white, blue, orange


def test_accuracy_of_an_empty_test_split_is_nan() -> None:
    network = build_network(Settings(), OutputSpec(2, 1, "sigmoid", "cross_entropy"))
    assert np.isnan(pg.accuracy_of(network, np.empty((0, 2)), np.empty((0, 1))))
    assert nn.accuracy(np.array([[0.9]]), np.array([[1.0]])) == 1.0
