"""Gradient check: backpropagation against central differences, layer by layer.

For every parameter theta_j:  g_j ≈ (J(theta + eps e_j) - J(theta - eps e_j)) / (2 eps).
The relative error ||g_numeric - g_backprop|| / (||g_numeric|| + ||g_backprop||) of a layer is
about 1e-9 when backprop is right, and near 1 when it is wrong.
"""

import numpy as np


def gradient_check(network, X, Y, l2: float = 0.0, eps: float = 1e-6) -> list[float]:
    """Relative error of each layer's backprop gradient [dW | db], in float64.
    Uses at most 64 samples, so one click stays fast."""
    net = network.astype("float64")
    X, Y = net.check_data(X, Y)
    X, Y = X[:64], Y[:64]
    net._check_trainable()
    ws = net.workspace(len(X))
    ws.load(X, Y)

    def cost() -> float:
        net.forward_pass(ws)
        return net.cost_of_pass(ws, l2)

    cost()
    net.backward_pass(ws, l2)
    backprop = net._grads.copy()
    numeric = np.empty_like(backprop)
    params = net._params
    for j in range(params.size):
        keep = params[j]
        params[j] = keep + eps
        up = cost()
        params[j] = keep - eps
        down = cost()
        params[j] = keep
        numeric[j] = (up - down) / (2 * eps)
    errors, start = [], 0
    for layer in net.layers:
        stop = start + layer.params.size
        diff = np.linalg.norm(numeric[start:stop] - backprop[start:stop])
        scale = np.linalg.norm(numeric[start:stop]) + np.linalg.norm(backprop[start:stop])
        errors.append(float(diff / scale) if scale else 0.0)
        start = stop
    return errors
