"""Tests for the many-class plane data and the regression surfaces."""

from __future__ import annotations

import numpy as np
import pytest

from datasets import DatasetError
from datasets.multiclass import (
    MULTICLASS_DATASETS,
    SURFACES,
    make_blobs,
    make_rose_classes,
    make_spiral_arms,
    make_surface_samples,
    one_hot,
)


@pytest.mark.parametrize("name", list(MULTICLASS_DATASETS))
@pytest.mark.parametrize("classes", [3, 4, 5])
def test_every_dataset_is_points_and_one_hot_labels_of_every_class(name, classes):
    X, Y = MULTICLASS_DATASETS[name](classes=classes, seed=2)
    assert X.shape == (len(Y), 2) and Y.shape == (len(X), classes)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.array_equal(Y.sum(axis=1), np.ones(len(Y)))
    assert set(Y.argmax(axis=1)) == set(range(classes))  # no class is empty
    assert np.isfinite(X).all()


@pytest.mark.parametrize("name", list(MULTICLASS_DATASETS))
def test_datasets_are_deterministic_by_seed(name):
    make = MULTICLASS_DATASETS[name]
    a, b, c = make(noise=0.2, seed=5), make(noise=0.2, seed=5), make(noise=0.2, seed=6)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_spiral_has_three_arms_of_equal_size_within_the_unit_disc():
    X, Y = make_spiral_arms(noise=0.0)
    assert Y.shape == (300, 3) and np.array_equal(Y.sum(axis=0), [100, 100, 100])
    assert np.hypot(X[:, 0], X[:, 1]).max() <= 1.0 + 1e-12
    # Without noise, arm c is arm 0 turned by 2π c / 3 (clockwise: t is measured from the y axis).
    first, second = X[:100] @ [1, 1j], X[100:200] @ [1, 1j]
    assert np.allclose(first * np.exp(-2j * np.pi / 3), second)


def test_blobs_gather_around_evenly_spread_centres():
    X, Y = make_blobs(classes=4, points_per_class=2000, noise=0.1, seed=0)
    means = np.array([X[Y[:, c] == 1].mean(axis=0) for c in range(4)])
    assert np.allclose(means, [[1, 0], [0, 1], [-1, 0], [0, -1]], atol=0.02)


def test_rose_petals_cycle_through_the_classes():
    X, Y = make_rose_classes(classes=3, petals=6, points_per_petal=100)
    labels = Y.argmax(axis=1)
    assert np.abs(X).max() <= 4.0 + 1e-12
    # Walking along the curve, the class changes once a petal, in the order 0, 1, 2, 0, ...;
    # petal 0 straddles θ = 0, so the curve ends in it again.
    changes = labels[np.flatnonzero(np.diff(labels)) + 1]
    assert labels[0] == 0 and list(changes) == [1, 2, 0, 1, 2, 0]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: make_blobs(classes=1), "classes must be between 2 and 5"),
        (lambda: make_blobs(classes=6), "classes must be between 2 and 5"),
        (lambda: make_spiral_arms(noise=-1), "noise must be between"),
        (lambda: make_rose_classes(classes=4, petals=3), "petals must be between 4 and 50"),
        (lambda: make_surface_samples("volcano"), "choose one of waves, bump, saddle"),
    ],
)
def test_bad_arguments_say_what_is_allowed(call, words):
    with pytest.raises(DatasetError, match=words):
        call()


def test_one_hot_puts_a_single_one_in_the_class_column():
    assert np.array_equal(one_hot(np.array([2, 0, 1]), 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])


@pytest.mark.parametrize("name", list(SURFACES))
def test_surface_samples_are_the_function_at_the_points(name):
    X, Y = make_surface_samples(name, n_points=500, seed=1)
    assert X.shape == (500, 2) and Y.shape == (500, 1)
    assert np.abs(X).max() <= 2.0
    assert np.allclose(Y[:, 0], SURFACES[name](X[:, 0], X[:, 1]))
    assert -1.0 <= Y.min() < Y.max() <= 1.0 and Y.std() > 0.1  # a surface, not a plane
    noisy = make_surface_samples(name, n_points=500, noise=0.1, seed=1)
    assert np.array_equal(noisy[0], X) and 0.05 < np.std(noisy[1] - Y) < 0.15
