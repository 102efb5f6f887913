"""The dense layer: z = W a + b, a = g(z); and the buffers a forward and backward pass use.

Inside the engine, arrays are feature-major like the tutorial's: one column per sample, so a
layer computes Z = W A_prev + b with W of shape (units, inputs). Each layer's input carries an
extra row of ones and the bias is stored as W's last column, so z = W a + b is one matrix
product, and one more product gives [dW | db] together.
"""

import numpy as np

from . import parallel
from .activations import Activation


class DenseLayer:
    """A fully connected layer. ``weights`` (units, inputs) and ``bias`` (units, 1) are the
    tutorial's names; ``dW`` and ``db`` hold the last step's gradients; ``Z``, ``A`` and ``dZ``
    the last pass's values, samples in rows."""

    def __init__(self, units: int, inputs: int, activation: Activation):
        self.units, self.inputs, self.activation = units, inputs, activation
        self.params = np.zeros((units, inputs + 1))  # [W | b]; the network re-points it
        self.grads = np.zeros_like(self.params)  # [dW | db]
        self.Z = self.A = self.dZ = None

    @property
    def weights(self) -> np.ndarray:
        return self.params[:, :-1]

    @property
    def bias(self) -> np.ndarray:
        return self.params[:, -1:]

    @property
    def dW(self) -> np.ndarray:
        return self.grads[:, :-1]

    @property
    def db(self) -> np.ndarray:
        return self.grads[:, -1:]

    @property
    def parameter_count(self) -> int:
        return self.params.size

    def forward(self, A_prev: np.ndarray, Z: np.ndarray, A: np.ndarray, scratch: np.ndarray):
        """z = W a_prev + b, a = g(z), for every sample (column) at once."""
        np.matmul(self.params, A_prev, out=Z)
        self.activation.forward(Z, A, scratch)

    def backward(
        self, dZ: np.ndarray, A_prev: np.ndarray, dA_prev: np.ndarray | None, grads: np.ndarray
    ):
        """From dZ = dJ/dz: [dW | db] = dZ [a_prev; 1]^T into grads, and dJ/da_prev = W^T dZ."""
        np.matmul(dZ, A_prev.T, out=grads)
        if dA_prev is not None:
            if self.units == 1:  # an outer product: a broadcast beats a K = 1 matrix product
                np.multiply(self.weights.T, dZ, out=dA_prev)
            else:
                np.matmul(self.weights.T, dZ, out=dA_prev)

    def __str__(self) -> str:
        return f"Dense layer (nx={self.inputs}, nh={self.units}, activation={self.activation})"


class Workspace:
    """Every buffer one pass over m samples needs, allocated once and reused.

    ``inputs[l]`` is layer l's input with its row of ones (inputs[0] holds X^T); a hidden
    layer writes its activations straight into the next layer's input. A workspace for
    prediction only has no gradient buffers and computes each A in place of its Z.

    ``shares`` cuts the m columns of a large training batch into one range per core
    (``nn.parallel``); every share after the first writes its [dW | db] into ``share_grads``.
    """

    def __init__(self, layers: list[DenseLayer], m: int, dtype, train: bool = True):
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
