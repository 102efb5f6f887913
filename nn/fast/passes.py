"""Forward and backward over one share of a workspace's columns, into preallocated buffers.

``nn.Network`` runs these on every core at once (``nn.fast.parallel``); each share writes its
own columns of Z, A and dZ, and its own [dW | db]. The same math, one sample per row and one
fresh array per result, reads top to bottom in ``nn.tutorial``.
"""

import numpy as np

from .workspace import Workspace


def forward_share(layers: list, ws: Workspace, columns: slice) -> None:
    """z = W a + b, a = g(z), layer after layer, for the samples in `columns`."""
    for i, layer in enumerate(layers):
        buffers = (ws.inputs[i], ws.Z[i], ws.A[i], ws.scratch[i])
        layer.forward(*(buffer[:, columns] for buffer in buffers))


def backward_share(layers: list, loss, ws: Workspace, share: int) -> None:
    """Backpropagation for the samples of share `share`, into ``ws.share_grads[share]``."""
    columns, grads = ws.shares[share], ws.share_grads[share]
    dZ = [buffer[:, columns] for buffer in ws.dZ]
    last = len(layers) - 1
    loss.gradient(ws.A[last][:, columns], ws.Y[:, columns], dZ[last], ws.m)
    for i in range(last, -1, -1):
        layer = layers[i]
        if i < last or loss.output is None:  # dZ holds dJ/dA: apply g'(z)
            layer.activation.backward(dZ[i], ws.A[i][:, columns], ws.scratch[i][:, columns])
        layer.backward(dZ[i], ws.inputs[i][:, columns], dZ[i - 1] if i else None, grads[i])


def train_share(layers: list, loss, ws: Workspace, share: int) -> float:
    """Forward and backward on one share of the columns; returns its part of the cost.
    A share whose cost is not finite skips backward: the step is refused anyway."""
    columns = ws.shares[share]
    forward_share(layers, ws, columns)
    Z, A, Y = (buffer[:, columns] for buffer in (ws.Z[-1], ws.A[-1], ws.Y))
    cost = loss.cost(Z, A, Y, ws.m)
    if np.isfinite(cost):
        backward_share(layers, loss, ws, share)
    return cost


def add_shares(layers: list, ws: Workspace) -> None:
    """Add the later shares' [dW | db] into the first's (the layers' own gradients): the cost
    is a sum over samples, so its gradient is the sum of the shares' gradients."""
    for share_grads in ws.share_grads[1:]:
        for layer, grads in zip(layers, share_grads, strict=True):
            layer.grads += grads


def show_pass(layers: list, ws: Workspace, backward: bool = False) -> None:
    """Point every layer's Z and A (and dZ after backward), samples in rows, at the last pass's
    buffers."""
    for layer, Z, A in zip(layers, ws.Z, ws.A, strict=True):
        layer.Z, layer.A = Z.T, A.T
    if backward:
        for layer, dZ in zip(layers, ws.dZ, strict=True):
            layer.dZ = dZ.T
