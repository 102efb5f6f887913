"""Update rules. Each works on all the network's parameters at once, as one flat vector
theta with its gradient g (every layer's [W | b] side by side), in place.
"""

import numpy as np

from .errors import choose


class Optimizer:
    name = ""
    latex = ""

    def __init__(self, size: int, dtype):
        self.size = size

    def update(self, params: np.ndarray, grads: np.ndarray, learning_rate: float) -> None:
        raise NotImplementedError


class GradientDescent(Optimizer):
    """The tutorial's update: theta <- theta - eta g."""

    name = "gd"
    latex = r"\theta \leftarrow \theta - \eta\, g"

    def __init__(self, size, dtype):
        super().__init__(size, dtype)
        self._step = np.empty(size, dtype)

    def update(self, params, grads, learning_rate):
        np.multiply(grads, learning_rate, out=self._step)
        params -= self._step


class Momentum(Optimizer):
    """v <- beta v + g;  theta <- theta - eta v. The velocity v carries past gradients."""

    name = "momentum"
    latex = r"v \leftarrow \beta v + g,\quad \theta \leftarrow \theta - \eta\, v"

    def __init__(self, size, dtype, beta: float = 0.9):
        super().__init__(size, dtype)
        self.beta = beta
        self.velocity = np.zeros(size, dtype)
        self._step = np.empty(size, dtype)

    def update(self, params, grads, learning_rate):
        self.velocity *= self.beta
        self.velocity += grads
        np.multiply(self.velocity, learning_rate, out=self._step)
        params -= self._step


class Adam(Optimizer):
    """Adam: running means of g and g^2, corrected for their start at zero.

    m <- b1 m + (1-b1) g;  v <- b2 v + (1-b2) g^2;
    theta <- theta - eta * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1-b1^t), v_hat = v / (1-b2^t).
    """

    name = "adam"
    latex = (
        r"m \leftarrow \beta_1 m + (1-\beta_1) g,\quad v \leftarrow \beta_2 v + (1-\beta_2) g^2,"
        r"\quad \theta \leftarrow \theta - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}"
    )

    def __init__(self, size, dtype, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        super().__init__(size, dtype)
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.t = 0
        self.m = np.zeros(size, dtype)
        self.v = np.zeros(size, dtype)
        self._step = np.empty(size, dtype)

    def update(self, params, grads, learning_rate):
        self.t += 1
        self.m *= self.beta1
        self.m += (1 - self.beta1) * grads
        self.v *= self.beta2
        np.multiply(grads, grads, out=self._step)
        self._step *= 1 - self.beta2
        self.v += self._step
        # eta * m_hat / (sqrt(v_hat) + eps), with both corrections folded into one factor.
        correction = np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
        np.sqrt(self.v, out=self._step)
        self._step += self.eps * np.sqrt(1 - self.beta2**self.t)
        np.divide(self.m, self._step, out=self._step)
        self._step *= learning_rate * correction
        params -= self._step


OPTIMIZERS = {o.name: o for o in (GradientDescent, Momentum, Adam)}
ALIASES = {"sgd": GradientDescent, "gradient_descent": GradientDescent}


def make_optimizer(name: str, size: int, dtype, **settings) -> Optimizer:
    return choose("optimizer", name, {**OPTIMIZERS, **ALIASES})(size, dtype, **settings)
