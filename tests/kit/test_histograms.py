"""kit.histograms: per-layer histograms of weights and activations, on fixed bins."""

import numpy as np
import pytest

import nn
from kit.histograms import (
    ACTIVATION_RANGES,
    BINS,
    WEIGHT_RANGE,
    fixed_edges,
    histogram,
    histogram_spec,
    layer_histograms,
)


def small_net() -> nn.Network:
    net = nn.Network(init="he", seed=4)
    return net.add(5, "tanh", input_dim=2).add(3, "relu").add(1, "sigmoid")


def test_a_histogram_counts_each_value_once_with_the_outliers_in_the_outer_bins() -> None:
    edges = fixed_edges(0.0, 1.0, 4)
    np.testing.assert_array_equal(edges, [0, 0.25, 0.5, 0.75, 1.0])
    hist = histogram([-3.0, 0.1, 0.3, 0.3, 0.6, 1.0, 7.0], edges)
    np.testing.assert_array_equal(hist.counts, [2, 2, 1, 2])
    assert hist.outside == 2 and hist.total == 7


def test_bad_edges_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="low < high"):
        fixed_edges(1.0, 1.0)
    with pytest.raises(ValueError, match="bins must be"):
        fixed_edges(0.0, 1.0, 0)


def test_every_layer_gets_its_weights_and_its_activations_over_every_sample() -> None:
    net = small_net()
    X = np.random.default_rng(0).normal(size=(300, 2))
    layers = layer_histograms(net, X)
    assert [(h.index, h.units, h.activation) for h in layers] == [
        (1, 5, "tanh"), (2, 3, "relu"), (3, 1, "sigmoid")
    ]  # fmt: skip
    for hist, layer in zip(layers, net.layers, strict=True):
        assert hist.weights.total == layer.weights.size  # weights only, not the biases
        assert hist.activations.total == len(X) * layer.units
        assert len(hist.weights.counts) == len(hist.activations.counts) == BINS
        np.testing.assert_array_equal(hist.weights.edges, fixed_edges(*WEIGHT_RANGE))
    assert layers[0].activations.edges[0] == ACTIVATION_RANGES["tanh"][0]
    assert layers[2].activations.edges[-1] == 1.0
    # the first layer's activations, computed by hand
    A = np.tanh(X @ net.layers[0].weights.T + net.layers[0].bias.T)
    expected = histogram(A, fixed_edges(-1.0, 1.0))
    np.testing.assert_array_equal(layers[0].activations.counts, expected.counts)


def test_the_edges_stay_put_while_the_weights_move() -> None:
    X = np.random.default_rng(1).normal(size=(100, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    net = small_net()
    before = layer_histograms(net, X)
    net.fit(X, Y, 50, learning_rate=0.5)
    after = layer_histograms(net, X)
    for old, new in zip(before, after, strict=True):
        np.testing.assert_array_equal(old.weights.edges, new.weights.edges)
        np.testing.assert_array_equal(old.activations.edges, new.activations.edges)
    assert any(
        (old.weights.counts != new.weights.counts).any()
        for old, new in zip(before, after, strict=True)
    )


def test_big_data_is_counted_in_chunks_like_small_data() -> None:
    net = small_net()
    X = np.random.default_rng(2).normal(size=(9000, 2))  # more than one chunk
    whole = layer_histograms(net, X)
    halves = [layer_histograms(net, part) for part in (X[:4500], X[4500:])]
    for i, hist in enumerate(whole):
        np.testing.assert_array_equal(
            hist.activations.counts,
            halves[0][i].activations.counts + halves[1][i].activations.counts,
        )


def test_the_chart_shows_both_histograms_of_a_layer() -> None:
    layer = layer_histograms(small_net(), np.zeros((4, 2)))[0]
    spec = histogram_spec(layer)
    assert spec["title"] == "Layer 1: 5 tanh"
    weights, activations = spec["hconcat"]
    assert len(weights["data"]["values"]) == len(activations["data"]["values"]) == BINS
    assert sum(bar["count"] for bar in activations["data"]["values"]) == 4 * 5
    assert activations["encoding"]["x"]["scale"]["domain"] == [-1.0, 1.0]
