"""Named training recipes for the picture lesson's 2-27-31-31-1 relu network.

>>> net = FAST_IMAGE.network(seed=0)
>>> trainer = FAST_IMAGE.trainer(net, X, Y)
>>> costs = [p.cost for p in trainer.run(FAST_IMAGE.iterations, target_cost=0.09)]
"""

from dataclasses import dataclass, field

from .init import centre_biases
from .network import Network
from .schedules import Cosine, Schedule, Steps, Warmup
from .training import Trainer

IMAGE_LAYERS = ((27, "relu"), (31, "relu"), (31, "relu"))


@dataclass(frozen=True)
class Preset:
    """Everything a training run needs except the data: architecture, init, precision,
    optimizer and its settings, learning rate (or schedule), batch size and iteration budget.
    With ``centre_biases``, the trainer first centres the hidden units' biases on the data
    (``nn.init.centre_biases``)."""

    name: str
    description: str
    init: str
    init_scale: float
    dtype: str
    optimizer: str
    learning_rate: float | Schedule
    iterations: int
    batch_size: int | None = None
    layers: tuple[tuple[int, str], ...] = IMAGE_LAYERS
    optimizer_settings: dict[str, float] = field(default_factory=dict)
    centre_biases: bool = False

    def network(self, input_dim: int = 2, outputs: int = 1, seed: int = 1) -> Network:
        """The preset's network with sigmoid outputs and cross-entropy."""
        net = Network("cross_entropy", self.init, self.init_scale, seed, self.dtype)
        for i, (units, activation) in enumerate(self.layers):
            net.add(units, activation, input_dim=None if i else input_dim)
        return net.add(outputs, "sigmoid")

    def trainer(self, network: Network, X, Y, seed: int = 0) -> Trainer:
        """A trainer for ``network`` (fresh from ``self.network``) on X, Y with this recipe."""
        if self.centre_biases:
            centre_biases(network, X)
        return network.trainer(
            X,
            Y,
            learning_rate=self.learning_rate,
            optimizer=self.optimizer,
            batch_size=self.batch_size,
            seed=seed,
            **self.optimizer_settings,
        )


TUTORIAL_IMAGE = Preset(
    name="tutorial",
    description="The tutorial's run: gradient descent from init scale 0.2, eight learning-rate "
    "steps from 2.8 down to 0.01875 over 28,000 iterations.",
    init="tutorial",
    init_scale=0.2,
    dtype="float64",
    optimizer="gd",
    learning_rate=Steps(
        zip(
            (2.8, 1.4, 0.6, 0.3, 0.15, 0.075, 0.0375, 0.01875),
            (1000, 2000, 2000, 2000, 4000, 5000, 8000, 4000),
            strict=True,
        )
    ),
    iterations=28_000,
)

FAST_IMAGE = Preset(
    name="fast",
    description="He init with every hidden unit's bias centred on the picture (each unit starts "
    "active on half of the pixels), Adam (β₂ = 0.99) on shuffled mini-batches of 512 pixels in "
    "float32, the learning rate following half a cosine from 0.02 down to 0.001 over 12,000 "
    "iterations and warming up over the first 1,000.",
    init="he",
    init_scale=1.0,
    dtype="float32",
    optimizer="adam",
    optimizer_settings={"beta2": 0.99},
    learning_rate=Warmup(Cosine(0.02, iterations=12_000, final=0.05), iterations=1000),
    iterations=12_000,
    batch_size=512,
    centre_biases=True,
)
"""Why each choice (measured with benchmarks/mustafar.py; docs/fast-preset.md has the figures):
a relu unit that outputs 0 on every pixel never learns again, and with zero biases and no
warm-up a third of the hidden units died on the detailed pictures; centred biases start every
unit alive, the warm-up keeps Adam's first, roughly-scaled steps small, and β₂ = 0.99 lets
Adam's step size follow the gradients as they shrink. Text and thin lines need about 5,000 to
8,500 iterations at batch 512 to get below 0.09; 12,000 end them at 0.0755 or less."""
