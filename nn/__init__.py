"""A neural network from scratch, in NumPy and nothing else.

It follows the tutorial "A neural network from scratch" (Dennis Bakhuis, 2020): dense layers
with forward, backward and update, a network that chains them, sigmoid, tanh and relu, and
cross-entropy and squared error; grown up with more activations and losses, momentum and Adam,
mini-batches, schedules, gradient checking and safe saving.

Data layout: samples in rows. X has shape (n_samples, n_features) and Y (n_samples, n_outputs),
as pandas and scikit-learn hold them. The tutorial draws the transpose, features in rows, and so
does the engine inside (``nn.layers``); weights keep the tutorial's shape (units, inputs).

>>> from nn import Network
>>> net = Network(loss="cross_entropy", init="tutorial", init_scale=0.01, seed=1)
>>> net.add(4, activation="tanh", input_dim=2).add(1, activation="sigmoid")
>>> costs = net.fit(X, Y, iterations=4000, learning_rate=1.2)
>>> P = net.predict(X)

A run's settings, everything but the data, are one ``RunSpec``; ``Trainer.run`` is the one
training loop every page, preset and sweep drives.
"""

from .activations import ACTIVATIONS, get_activation
from .errors import ModelFileError, NetworkError, TrainingDiverged
from .gradcheck import gradient_check
from .losses import LOSSES, get_loss
from .network import Network
from .optimizers import OPTIMIZERS
from .schedules import Constant, Cosine, ExponentialDecay, Steps, Warmup
from .spec import RunSpec
from .training import Progress, Trainer, accuracy

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "OPTIMIZERS",
    "Constant",
    "Cosine",
    "ExponentialDecay",
    "ModelFileError",
    "Network",
    "NetworkError",
    "Progress",
    "RunSpec",
    "Steps",
    "Trainer",
    "TrainingDiverged",
    "Warmup",
    "accuracy",
    "get_activation",
    "get_loss",
    "gradient_check",
]
