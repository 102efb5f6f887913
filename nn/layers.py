"""The dense layer: z = W a + b, a = g(z), on buffers a pass provides (``nn.fast.workspace``).

Inside the engine, arrays are feature-major like the tutorial's: one column per sample, so a
layer computes Z = W A_prev + b with W of shape (units, inputs). Each layer's input carries an
extra row of ones and the bias is stored as W's last column, so z = W a + b is one matrix
product, and one more product gives [dW | db] together.
"""

import numpy as np

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
