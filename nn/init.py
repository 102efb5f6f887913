"""Weight initialisation. Biases start at 0 (``centre_biases`` may then move them with the
data); the seed is always explicit.

- ``tutorial``: the tutorial's own draw. One ``numpy.random.RandomState(seed)`` draws, layer by
  layer in order, W = init_scale * randn(units, inputs). Its printed costs depend on this.
- ``he``: W ~ N(0, 2 / inputs), for relu networks.
- ``xavier``: W ~ N(0, 2 / (inputs + units)), for tanh and sigmoid networks.
"""

import numpy as np

from .errors import choose

INITS = ("tutorial", "he", "xavier")


def make_rng(init: str, seed: int):
    """The random source that draws every layer of one network, in order."""
    choose("init", init, {name: name for name in INITS})
    if init == "tutorial":
        return np.random.RandomState(seed)
    return np.random.default_rng(seed)


def draw_weights(init: str, rng, units: int, inputs: int, init_scale: float) -> np.ndarray:
    if init == "tutorial":
        return init_scale * rng.randn(units, inputs)
    variance = 2 / inputs if init == "he" else 2 / (inputs + units)
    return np.sqrt(variance) * rng.standard_normal((units, inputs))


def centre_biases(network, X) -> None:
    """Set every hidden unit's bias so that the unit starts active on half of X's samples:
    b <- b - median(z), layer after layer. A relu unit that outputs 0 for every sample passes
    no gradient back and never learns again (a dead unit); centred, every unit starts alive.
    X has samples in rows (none: the biases stay); the output layer is left alone."""
    A = network.check_data(X, allow_empty=True)
    if not len(A):
        return
    for layer in network.layers[:-1]:
        Z = A @ layer.weights.T + layer.bias.T
        layer.bias[:, 0] -= np.median(Z, axis=0)
        A = layer.activation(A @ layer.weights.T + layer.bias.T)
