"""Softmax with categorical cross-entropy, as the Many classes lesson uses it: the fused
gradient A - Y passes the gradient check for 3 to 5 classes, also where the softmax saturates
(logits in the hundreds, where a naive exp would overflow), and the cost stays finite there."""

import numpy as np
import pytest

from nn import Network, gradient_check


def classes_network(classes: int, seed: int = 0) -> Network:
    net = Network(loss="categorical_cross_entropy", init="xavier", seed=seed)
    return net.add(8, "tanh", input_dim=2).add(classes, "softmax")


def labelled_points(classes: int, n: int = 40, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, np.eye(classes)[rng.integers(0, classes, n)]


@pytest.mark.parametrize("classes", [3, 4, 5])
def test_softmax_and_categorical_cross_entropy_pass_the_gradient_check(classes):
    net = classes_network(classes, seed=classes)
    X, Y = labelled_points(classes, seed=classes)
    errors = gradient_check(net, X, Y)
    assert len(errors) == 2 and max(errors) < 1e-7


def test_a_saturated_softmax_keeps_a_finite_cost_and_right_gradients():
    net = classes_network(4)
    X, Y = labelled_points(4)
    net.layers[-1].weights[...] *= 60  # output logits of about ±100: e^100 is far from 1
    P = net.predict(X)
    assert np.isfinite(P).all() and np.allclose(P.sum(axis=1), 1.0)
    # Saturated: for most points one class takes (nearly) everything.
    assert np.mean(P.max(axis=1) > 0.999) > 0.6
    cost = net.cost(X, Y)
    assert np.isfinite(cost) and cost > 10  # wrong classes at such confidence cost a lot
    # The check uses step 1e-4 on the parameters: the logits then move by about 1e-2, still
    # smooth enough for the five-point difference.
    assert max(gradient_check(net, X, Y)) < 1e-6
