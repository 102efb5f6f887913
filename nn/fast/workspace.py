"""The buffers one pass over m samples needs, allocated once and reused.

Inside the engine, arrays are feature-major like the tutorial's: one column per sample. Each
layer's input carries an extra row of ones, so z = [W | b] [a; 1] is one matrix product.
"""

import numpy as np

from . import parallel

CACHED_WORKSPACES = 4  # workspaces a network keeps, one per (m, train), oldest dropped first


class Workspace:
    """Every buffer one pass over m samples needs, allocated once and reused.

    ``inputs[l]`` is layer l's input with its row of ones (inputs[0] holds X^T); a hidden
    layer writes its activations straight into the next layer's input. A workspace for
    prediction only has no gradient buffers and computes each A in place of its Z.

    ``shares`` cuts the m columns of a large training batch into one range per core
    (``nn.fast.parallel``); every share after the first writes its [dW | db] into
    ``share_grads``.
    """

    def __init__(self, layers: list, m: int, dtype, train: bool = True):
        self.m = m
        self.shares = parallel.shares(m) if train else [slice(None)]
        self.inputs = [np.empty((layer.inputs + 1, m), dtype) for layer in layers]
        for buffer in self.inputs:
            buffer[-1] = 1
        self.A = [buffer[:-1] for buffer in self.inputs[1:]]
        self.A.append(np.empty((layers[-1].units, m), dtype))
        kinds = [layer.activation.scratch_dtype or dtype for layer in layers]
        if train:
            self.Z = [np.empty_like(A) for A in self.A]
            self.scratch = [np.empty(A.shape, kind) for A, kind in zip(self.A, kinds, strict=True)]
        else:  # forward only: one scratch per kind serves every layer in turn
            self.Z = self.A
            rows = max(layer.units for layer in layers)
            shared = {kind: np.empty((rows, m), kind) for kind in set(kinds)}
            self.scratch = [
                shared[kind][: layer.units] for kind, layer in zip(kinds, layers, strict=True)
            ]
        self.dZ = [np.empty_like(A) for A in self.A] if train else None
        self.share_grads = [[layer.grads for layer in layers]] + [
            [np.empty_like(layer.grads) for layer in layers] for _ in self.shares[1:]
        ]
        self.Y = np.empty_like(self.A[-1]) if train else None
        self.holds = None  # what data is loaded: lets a trainer skip reloading a full batch

    def load(self, X: np.ndarray, Y: np.ndarray | None = None, holds=None) -> None:
        """Copy samples-in-rows X (and Y) into the feature-major buffers. Fewer than m samples
        fill the first columns; the rest hold stale values whose outputs nobody reads."""
        np.copyto(self.inputs[0][:-1, : len(X)], X.T)
        if Y is not None:
            np.copyto(self.Y, Y.T)
        self.holds = holds
