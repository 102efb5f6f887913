"""The teaching path: a neural network from scratch, as the tutorial writes it.

"A neural network from scratch" (Dennis Bakhuis): dense layers with forward, backward and
update, a network that chains them, full-batch gradient descent, sigmoid, tanh, relu, leaky
relu and linear activations, cross-entropy and squared error, in plain NumPy. Each backward
sits right below its forward. ``nn.Network`` computes the same numbers faster (in
``nn.fast``); ``tests/nn/test_tutorial_path.py`` checks that the two agree to 1e-12.

Samples are in rows, as in the engine: X (m, features), Y (m, outputs). The tutorial draws the
transpose, features in rows, so its Z = W A + b is Z = A W^T + b here. W keeps the tutorial's
shape (units, inputs); b has one entry per unit.

>>> net = Network(loss="cross_entropy", init="tutorial", init_scale=0.01, seed=1)
>>> net.add(4, activation="tanh", input_dim=2).add(1, activation="sigmoid")
>>> costs = net.fit(X, Y, iterations=4000, learning_rate=1.2)
"""

import numpy as np

from .init import draw_weights, make_rng


# ---- activations: a = g(z), and g'(z) for backward: dJ/dz = dJ/da * g'(z) ---------------------
def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    return A, A * (1 - A)


def tanh(Z):
    A = np.tanh(Z)
    return A, 1 - A * A


def relu(Z):
    return np.maximum(Z, 0), Z > 0


def leaky_relu(Z):
    return np.where(Z > 0, Z, 0.01 * Z), np.where(Z > 0, 1, 0.01)


def linear(Z):
    return Z, 1


ACTIVATIONS = {g.__name__: g for g in (sigmoid, tanh, relu, leaky_relu, linear)}


# ---- losses: the cost J over m samples, and its gradient ---------------------------------------
def cross_entropy(Z, A, Y):
    """J = -(1/m) sum[y log a + (1 - y) log(1 - a)] with a = sigmoid(z), written from z as
    log(1 + e^z) - y z: finite even where a rounds to 0 or 1."""
    return float(np.sum(np.logaddexp(0, Z) - Y * Z)) / len(Y)


def cross_entropy_backward(A, Y):
    return (A - Y) / len(Y)  # dJ/dz itself: sigmoid's g'(z) cancels


def mse(Z, A, Y):
    return float(np.mean((A - Y) ** 2))  # J = (1/(m k)) sum (a - y)^2, k outputs per sample


def mse_backward(A, Y):
    return 2 * (A - Y) / A.size  # dJ/da


LOSSES = {  # name: (cost, gradient, the output activation whose g'(z) the gradient includes)
    "cross_entropy": (cross_entropy, cross_entropy_backward, "sigmoid"),
    "mse": (mse, mse_backward, None),
}


# ---- the dense layer and the network ------------------------------------------------------------
class DenseLayer:
    """z = W a_prev + b, a = g(z), for every sample (row) at once."""

    def __init__(self, W: np.ndarray, activation: str):
        self.W, self.b = W, np.zeros(len(W))
        self.activation, self.g = activation, ACTIVATIONS[activation]

    def forward(self, A_prev: np.ndarray) -> np.ndarray:
        self.A_prev = A_prev
        self.Z = A_prev @ self.W.T + self.b
        self.A, self.dA_dZ = self.g(self.Z)  # g'(z) is kept for backward
        return self.A

    def backward(self, dA: np.ndarray, dA_is_dZ: bool = False) -> np.ndarray:
        """dJ/da (m, units) -> dW, db, and dJ/da_prev (m, inputs)."""
        dZ = dA if dA_is_dZ else dA * self.dA_dZ
        self.dW = dZ.T @ self.A_prev  # the 1/m is already in dZ, from the loss
        self.db = dZ.sum(axis=0)
        return dZ @ self.W

    def update(self, learning_rate: float) -> None:
        self.W -= learning_rate * self.dW  # gradient descent: theta <- theta - eta g
        self.b -= learning_rate * self.db


class Network:
    """Dense layers in a row, a loss, and one gradient-descent step at a time."""

    def __init__(
        self,
        loss: str = "cross_entropy",
        init: str = "tutorial",
        init_scale: float = 0.01,
        seed: int = 0,
    ):
        self.cost_of, self.gradient_of, self.output = LOSSES[loss]
        self.init, self.init_scale, self.rng = init, init_scale, make_rng(init, seed)
        self.layers: list[DenseLayer] = []

    def add(self, units: int, activation: str = "relu", input_dim: int | None = None) -> "Network":
        inputs = self.layers[-1].W.shape[0] if self.layers else input_dim
        W = draw_weights(self.init, self.rng, units, inputs, self.init_scale)
        self.layers.append(DenseLayer(W, activation))
        return self

    def forward(self, X: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def cost(self, Y: np.ndarray) -> float:
        return self.cost_of(self.layers[-1].Z, self.layers[-1].A, Y)

    def backward(self, Y: np.ndarray) -> None:
        last = self.layers[-1]
        if self.output not in (None, last.activation):
            raise ValueError(f"this loss needs a {self.output} output layer, not {last.activation}")
        dA = last.backward(self.gradient_of(last.A, Y), dA_is_dZ=self.output is not None)
        for layer in reversed(self.layers[:-1]):
            dA = layer.backward(dA)

    def update(self, learning_rate: float) -> None:
        for layer in self.layers:
            layer.update(learning_rate)

    def train_step(self, X: np.ndarray, Y: np.ndarray, learning_rate: float) -> float:
        """Forward, cost, backward, update; returns the cost before the update."""
        self.forward(X)
        cost = self.cost(Y)
        self.backward(Y)
        self.update(learning_rate)
        return cost

    def fit(
        self, X: np.ndarray, Y: np.ndarray, iterations: int, learning_rate: float
    ) -> list[float]:
        return [self.train_step(X, Y, learning_rate) for _ in range(iterations)]
