"""Tests for the generated datasets: linear, rose, toy sets."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import datasets
from datasets import TOY_DATASETS, DatasetError, make_linear, make_rose
from datasets.rose import _rose_curve, _tutorial_rose
from datasets.toy import INPUT_RADIUS, input_scale, split_indices, with_features
from tests import DATA, REPO_ROOT


def test_linear_defaults_are_the_tutorial_points():
    X, Y = make_linear()
    assert X.shape == (7, 1) and Y.shape == (7, 1)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.array_equal(X.ravel(), [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    assert np.array_equal(Y, 2 * X + 1)


def test_linear_noise_is_seeded():
    a = make_linear(n_points=50, noise=0.5, seed=3)
    b = make_linear(n_points=50, noise=0.5, seed=3)
    c = make_linear(n_points=50, noise=0.5, seed=4)
    assert np.array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    assert np.array_equal(a[0], c[0])  # x stays evenly spaced
    assert 0.3 < np.std(a[1] - (2 * a[0] + 1)) < 0.7


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_points": 1}, "n_points must be between 2"),
        ({"n_points": 2.5}, "n_points must be a whole number"),
        ({"x_min": 3.0, "x_max": 1.0}, "x_max must be larger than x_min"),
        ({"noise": -1.0}, "noise must be >= 0.0"),
        ({"slope": float("nan")}, "slope must be a finite number"),
    ],
)
def test_linear_rejects_bad_arguments(kwargs, message):
    with pytest.raises(DatasetError, match=message):
        make_linear(**kwargs)


def test_rose_defaults_reproduce_the_tutorial_npz_exactly():
    X, Y = make_rose()
    with np.load(DATA / "tutorial_rose.npz", allow_pickle=False) as ref:
        assert ref["X"].shape == (2, 688)
        assert np.array_equal(X, ref["X"].T)
        assert np.array_equal(Y, ref["Y"].T)
    assert X.shape == (688, 2) and Y.shape == (688, 1) and X.dtype == np.float64


def test_rose_formula_matches_the_tutorial_to_rounding():
    """The formula itself gives the same labels and the coordinates to the last bit or so."""
    X, Y = _rose_curve(7, 100, (0, 3, 6), 4.0, 0.1)
    ref_X, ref_Y = make_rose()
    assert np.array_equal(Y, ref_Y)
    assert np.max(np.abs(X - ref_X)) < 2e-15
    assert np.allclose(
        np.hypot(X[:, 0], X[:, 1]), np.abs(4 * np.cos(7 * np.arctan2(X[:, 1], X[:, 0])))
    )


def test_rose_defaults_return_independent_copies():
    X, _ = make_rose()
    X[0, 0] = 99.0
    assert make_rose()[0][0, 0] != 99.0


def test_rose_other_parameters_and_noise():
    X, Y = make_rose(petals=5, points_per_petal=40, class_one=(1,), center_cutoff=0.0)
    assert X.shape[1] == 2 and len(X) == len(Y) <= 200
    assert 0 < Y.mean() < 0.5
    noisy1 = make_rose(noise=0.1, seed=1)[0]
    assert np.array_equal(noisy1, make_rose(noise=0.1, seed=1)[0])
    assert not np.array_equal(noisy1, make_rose(noise=0.1, seed=2)[0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"class_one": (0, 9)}, r"petal numbers \[9\]"),
        ({"radius": 0.0}, "radius must be larger than 0"),
        ({"center_cutoff": 5.0}, "center_cutoff must be smaller than radius"),
        ({"petals": 0}, "petals must be between 1"),
    ],
)
def test_rose_rejects_bad_arguments(kwargs, message):
    with pytest.raises(DatasetError, match=message):
        make_rose(**kwargs)


def test_toy_registry_names():
    assert list(TOY_DATASETS) == [
        "rose",
        "circle",
        "xor",
        "gaussians",
        "spiral",
        "moons",
        "planar flower",
    ]
    assert TOY_DATASETS["rose"] is datasets.make_rose
    assert TOY_DATASETS["planar flower"] is datasets.make_planar_flower


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_toy_shapes_labels_and_determinism(name):
    make = TOY_DATASETS[name]
    X, Y = make(noise=0.1, seed=5)
    assert X.ndim == 2 and X.shape[1] == 2 and Y.shape == (len(X), 1)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert 0.3 < Y.mean() < 0.7
    X2, Y2 = make(noise=0.1, seed=5)
    assert np.array_equal(X, X2) and np.array_equal(Y, Y2)
    X3, _ = make(noise=0.1, seed=6)
    assert not np.array_equal(X, X3)


@pytest.mark.parametrize("name", ["circle", "xor", "gaussians", "spiral", "moons"])
def test_toy_sets_use_n_points_and_roughly_unit_square(name):
    X, Y = TOY_DATASETS[name](n_points=301, noise=0.0, seed=0)
    assert X.shape == (301, 2)
    assert np.abs(X).max() <= 1.05
    if name == "xor":  # quadrants are drawn at random, so the classes are only roughly even
        assert 0.35 < Y.mean() < 0.65
    else:
        assert abs(Y.sum() - 150.5) <= 0.5


def test_noise_free_circle_and_xor_labels_follow_their_rule():
    X, Y = datasets.make_circle(n_points=400, seed=1)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.array_equal(Y.ravel() == 1, r < 0.5)
    assert not np.any((r > 0.5) & (r < 0.7))
    X, Y = datasets.make_xor(n_points=400, seed=1)
    assert np.array_equal(Y.ravel() == 1, X[:, 0] * X[:, 1] > 0)
    assert np.abs(X).min() >= 0.06


def test_planar_flower_follows_the_course_recipe():
    X, Y = datasets.make_planar_flower()
    assert X.shape == (400, 2) and Y.shape == (400, 1)
    assert np.array_equal(Y.ravel(), np.repeat([0.0, 1.0], 200))
    rng = np.random.RandomState(1)  # noqa: NPY002 - the course's legacy generator
    t = np.linspace(0, 3.12, 200) + rng.randn(200) * 0.2
    r = 4 * np.sin(4 * t) + rng.randn(200) * 0.2
    assert np.allclose(X[:200], np.column_stack([r * np.sin(t), r * np.cos(t)]))
    assert np.abs(X).max() < 4.6


@pytest.mark.parametrize("name", list(TOY_DATASETS))
def test_toy_rejects_negative_noise(name):
    with pytest.raises(DatasetError, match="noise must be"):
        TOY_DATASETS[name](noise=-0.1, seed=0)


def test_datasets_package_never_imports_streamlit():
    code = "import sys, datasets; print('streamlit' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    ).stdout.split()
    assert out == ["False", "False"]


def test_public_api_names():
    for name in [
        "make_linear", "make_rose", "make_circle", "make_xor", "make_gaussians", "make_spiral",
        "make_moons", "make_planar_flower", "TOY_DATASETS", "titanic", "load_image", "ImageError",
        "image_to_xy", "xy_to_image", "make_grid", "load_tutorial_npz", "TRANSMISSIONS",
        "load_transmission",
    ]:  # fmt: skip
        assert hasattr(datasets, name), name
    assert issubclass(datasets.ImageError, ValueError)
    assert issubclass(datasets.titanic.PassengerError, ValueError)


def test_the_tutorial_rose_file_is_read_once_and_its_cache_is_bounded():
    make_rose()
    make_rose(noise=0.1, seed=3)
    info = _tutorial_rose.cache_info()
    assert info.maxsize == 1 and info.currsize <= 1


def test_input_scale_puts_the_farthest_point_at_radius_4():
    points = np.array([[0.6, 0.8], [0.1, -0.2]])  # the farthest at radius 1
    assert INPUT_RADIUS == 4.0
    assert input_scale(points) == 4.0
    assert input_scale(make_rose()[0]) == 1.0  # the tutorial's rose already has radius 4
    assert input_scale(np.zeros((3, 2))) == 1.0


def test_features_follow_x_and_y_in_a_fixed_order():
    inputs = np.array([[4.0, -2.0], [0.0, 2.0]])
    out = with_features(inputs, ("x2", "xy", "siny"))
    u, v = inputs[:, 0] / 4, inputs[:, 1] / 4
    np.testing.assert_allclose(out, np.column_stack([inputs, u**2, u * v, np.sin(np.pi * v)]))


def test_split_is_seeded_disjoint_and_complete():
    train, test = split_indices(100, 0.25, seed=3)
    assert len(test) == 25 and len(train) == 75
    assert set(train).isdisjoint(test) and set(train) | set(test) == set(range(100))
    again = split_indices(100, 0.25, seed=3)
    np.testing.assert_array_equal(again[1], test)
    assert not np.array_equal(split_indices(100, 0.25, seed=4)[1], test)
    assert len(split_indices(10, 0.0, 0)[1]) == 0
    assert len(split_indices(10, 1.0, 0)[0]) == 1  # one sample always left to train on
