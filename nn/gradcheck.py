"""Gradient check: backpropagation against central differences, layer by layer.

For every parameter theta_j, with J_k = J(theta + k h e_j), the five-point central difference
    g_j ≈ (8 (J_1 - J_-1) - (J_2 - J_-2)) / (12 h)
is accurate to O(h^4), so even the tiny gradients of a deep sigmoid stack are checked well.
The relative error ||g_numeric - g_backprop|| / (||g_numeric|| + ||g_backprop||) of a layer is
about 1e-9 when backprop is right, and near 1 when it is wrong.
"""

import numpy as np


def gradient_check(network, X, Y, l2: float = 0.0, h: float = 1e-4, l1: float = 0.0) -> list[float]:
    """Relative error of each layer's backprop gradient [dW | db], in float64, with the L2 and
    L1 penalties included (|W| has no derivative at 0: keep weights away from 0 by more than 2h).
    Uses at most 64 samples, so one click stays fast."""
    net = network.astype("float64")
    X, Y = net.check_data(X, Y)
    X, Y = X[:64], Y[:64]
    net._check_trainable()
    ws = net.workspace(len(X))
    ws.load(X, Y)

    def cost() -> float:
        net.forward_pass(ws)
        return net.cost_of_pass(ws, l2, l1)

    cost()
    net.backward_pass(ws, l2, l1)
    backprop = net._grads.copy()
    numeric = np.empty_like(backprop)
    params = net._params
    for j in range(params.size):
        keep = params[j]
        shifted = []
        for k in (1, -1, 2, -2):
            params[j] = keep + k * h
            shifted.append(cost())
        params[j] = keep
        numeric[j] = (8 * (shifted[0] - shifted[1]) - (shifted[2] - shifted[3])) / (12 * h)
    errors, start = [], 0
    for layer in net.layers:
        stop = start + layer.params.size
        diff = np.linalg.norm(numeric[start:stop] - backprop[start:stop])
        scale = np.linalg.norm(numeric[start:stop]) + np.linalg.norm(backprop[start:stop])
        errors.append(float(diff / scale) if scale else 0.0)
        start = stop
    return errors
