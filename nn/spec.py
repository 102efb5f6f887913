"""One training run's settings, everything but the data: a ``RunSpec``.

The lessons' sliders, the picture presets, Rose's capacity sweep and the sweep all describe a run
with it, and all train it the same way, with ``Trainer.run``:

>>> spec = RunSpec(hidden=((4, "tanh"),), learning_rate=1.2, iterations=4000)
>>> trainer = spec.trainer(X, Y)            # a fresh network, seeded by spec.seed
>>> for progress in spec.run(trainer, every=1000):
...     print(progress.iteration, progress.cost)
"""

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from .errors import NetworkError
from .init import centre_biases
from .network import Network
from .schedules import Schedule
from .training import Progress, Trainer


@dataclass(frozen=True)
class RunSpec:
    """A network and how it trains.

    - The network: ``hidden`` holds one ``(units, activation)`` per hidden layer, then
      ``outputs`` units of ``output_activation``; ``loss`` is what it minimises. Its weights are
      drawn by ``init`` (scaled by ``init_scale``) from ``seed``, in ``dtype``.
    - The training: ``optimizer`` (with ``optimizer_settings``, e.g. Adam's beta2) at
      ``learning_rate``, a number or a ``Schedule`` of the iteration; ``l2`` and ``l1`` penalties;
      mini-batches of ``batch_size`` samples (None: the whole data every step), shuffled from
      ``seed``.
    - When it stops: after ``iterations`` steps, once the cost is at most ``target_cost``, or,
      with ``patience``, once the cost has stopped moving for that many steps.
    - ``centre_biases``: before training, each hidden unit's bias is set so that it starts
      active on half of the samples (``nn.init.centre_biases``).

    ``name`` and ``description`` say what a named recipe is for; they are not settings and two
    specs that differ only there are equal.
    """

    hidden: tuple[tuple[int, str], ...] = ()
    outputs: int = 1
    output_activation: str = "sigmoid"
    loss: str = "cross_entropy"
    init: str = "tutorial"
    init_scale: float = 0.01
    seed: int = 1
    dtype: str = "float64"
    optimizer: str = "gd"
    optimizer_settings: tuple[tuple[str, float], ...] = ()
    learning_rate: float | Schedule = 0.01
    l2: float = 0.0
    l1: float = 0.0
    batch_size: int | None = None
    iterations: int = 1000
    target_cost: float | None = None
    patience: int = 0
    centre_biases: bool = False
    name: str = field(default="", compare=False)
    description: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        hidden = tuple((int(units), str(activation)) for units, activation in self.hidden)
        object.__setattr__(self, "hidden", hidden)
        settings = self.optimizer_settings
        if isinstance(settings, dict):
            settings = tuple(sorted(settings.items()))
        object.__setattr__(self, "optimizer_settings", tuple(settings))
        object.__setattr__(self, "batch_size", self.batch_size or None)
        object.__setattr__(self, "target_cost", self.target_cost or None)
        if int(self.iterations) != self.iterations or self.iterations < 1:
            raise NetworkError(f"iterations must be a whole number ≥ 1, got {self.iterations!r}")
        object.__setattr__(self, "iterations", int(self.iterations))

    @property
    def depth(self) -> int:
        """The number of hidden layers."""
        return len(self.hidden)

    def with_changes(self, **changes) -> "RunSpec":
        """This spec with some settings changed, e.g. ``spec.with_changes(seed=3)``."""
        return replace(self, **changes)

    def network(self, input_dim: int) -> Network:
        """A fresh network for samples of ``input_dim`` features."""
        net = Network(self.loss, self.init, self.init_scale, self.seed, self.dtype)
        for units, activation in self.hidden:
            net.add(units, activation, input_dim=None if net.layers else input_dim)
        return net.add(
            self.outputs, self.output_activation, input_dim=None if net.layers else input_dim
        )

    def run(self, trainer: Trainer, every: int = 1, **stops) -> Iterator[Progress]:
        """``trainer.run`` for the iterations this spec has left, with its target cost and
        patience (``stops`` adds ``seconds`` or ``metrics``)."""
        return trainer.run(
            self.iterations - trainer.iteration,
            every=every,
            target_cost=self.target_cost,
            patience=self.patience,
            **stops,
        )

    def trainer(self, X, Y, network: Network | None = None) -> Trainer:
        """A trainer on X (n, features) and Y (n, outputs) for ``network``, by default a fresh
        ``self.network``; with ``centre_biases`` its hidden biases are centred on X first."""
        if network is None:
            network = self.network(np.shape(X)[1])
        if self.centre_biases:
            centre_biases(network, X)
        return network.trainer(
            X,
            Y,
            learning_rate=self.learning_rate,
            optimizer=self.optimizer,
            batch_size=self.batch_size,
            l2=self.l2,
            l1=self.l1,
            seed=self.seed,
            **dict(self.optimizer_settings),
        )
