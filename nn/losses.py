"""Losses J(A, Y) and the gradient dJ/dZ of the output layer's pre-activation Z.

Buffers are feature-major, (outputs, samples). Costs are averaged over the m samples, and
so are the gradients: dZ already carries the 1/m, so dW = dZ a^T needs no further scaling.

Cross-entropy is computed from the logits Z, never from A: log(1 + e^z) - y z is finite for
every z, while log(A) is log(0) = -inf as soon as a sigmoid rounds to 0 or 1. Paired with its
natural output (sigmoid, softmax) the gradient fuses to dZ = (A - Y) / m.
"""

import numpy as np

from .errors import choose


class Loss:
    name = ""
    latex = ""
    output = None  # the output activation the loss requires, if any

    def cost(self, Z: np.ndarray, A: np.ndarray, Y: np.ndarray, m: int | None = None) -> float:
        """J for m samples in all (Z may hold a share of them; by default m is Z's columns)."""
        raise NotImplementedError

    def gradient(self, A: np.ndarray, Y: np.ndarray, dZ: np.ndarray, m: int) -> None:
        """Write dJ/dZ (fused losses) or dJ/dA (the rest) into dZ, for m samples in all
        (A may hold a share of them)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class BinaryCrossEntropy(Loss):
    name = "cross_entropy"
    latex = r"J = -\frac{1}{m}\sum_{i=1}^{m}\big[y_i \log a_i + (1 - y_i)\log(1 - a_i)\big]"
    gradient_latex = r"\frac{\partial J}{\partial z_i} = \frac{a_i - y_i}{m}"
    output = "sigmoid"

    def cost(self, Z, A, Y, m=None):
        # -[y log s(z) + (1-y) log(1-s(z))] = log(1 + e^z) - y z
        #                                  = max(z, 0) - y z + log(1 + e^-|z|): e^-|z| <= 1 never
        # overflows. (np.logaddexp(0, z) is the same, but several times slower here.)
        loss = np.maximum(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z)))
        return float(loss.sum()) / (m or Z.shape[1])

    def gradient(self, A, Y, dZ, m):
        np.subtract(A, Y, out=dZ)
        dZ *= 1 / m


class CategoricalCrossEntropy(Loss):
    name = "categorical_cross_entropy"
    latex = r"J = -\frac{1}{m}\sum_{i=1}^{m}\sum_{k} y_{ik} \log a_{ik}"
    gradient_latex = r"\frac{\partial J}{\partial z_{ik}} = \frac{a_{ik} - y_{ik}}{m}"
    output = "softmax"

    def cost(self, Z, A, Y, m=None):
        # -sum_k y_k log softmax(z)_k = logsumexp(z) - sum_k y_k z_k  when sum_k y_k = 1.
        top = Z.max(axis=0)
        logsumexp = np.log(np.exp(Z - top).sum(axis=0)) + top
        return float(np.vdot(Y.sum(axis=0), logsumexp) - np.vdot(Y, Z)) / (m or Z.shape[1])

    def gradient(self, A, Y, dZ, m):
        np.subtract(A, Y, out=dZ)
        dZ *= 1 / m


class MeanSquaredError(Loss):
    name = "mse"
    latex = r"J = \frac{1}{m\,k}\sum_{i=1}^{m}\sum_{j=1}^{k} (y_{ij} - a_{ij})^2"
    gradient_latex = r"\frac{\partial J}{\partial a_{ij}} = \frac{2\,(a_{ij} - y_{ij})}{m\,k}"

    def cost(self, Z, A, Y, m=None):
        diff = A - Y
        return float(np.vdot(diff, diff)) / (diff.shape[0] * (m or diff.shape[1]))

    def gradient(self, A, Y, dZ, m):
        np.subtract(A, Y, out=dZ)
        dZ *= 2 / (A.shape[0] * m)


LOSSES = {
    loss.name: loss
    for loss in (BinaryCrossEntropy(), CategoricalCrossEntropy(), MeanSquaredError())
}
ALIASES = {
    "binary_cross_entropy": LOSSES["cross_entropy"],
    "squared_error": LOSSES["mse"],
    "mean_squared_error": LOSSES["mse"],
}


def get_loss(name: str | Loss) -> Loss:
    if isinstance(name, Loss):
        return name
    return choose("loss", name, {**LOSSES, **ALIASES})
