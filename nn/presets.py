"""Named training recipes for the picture lesson's 2-27-31-31-1 relu network: ``RunSpec``s.

>>> spec = FAST_IMAGE.with_changes(seed=0, target_cost=0.09)
>>> trainer = spec.trainer(X, Y)
>>> costs = [p.cost for p in spec.run(trainer)]
"""

from .schedules import Cosine, Steps, Warmup
from .spec import RunSpec

IMAGE_LAYERS = ((27, "relu"), (31, "relu"), (31, "relu"))


TUTORIAL_IMAGE = RunSpec(
    name="tutorial",
    description="The tutorial's run: gradient descent from init scale 0.2, eight learning-rate "
    "steps from 2.8 down to 0.01875 over 28,000 iterations.",
    hidden=IMAGE_LAYERS,
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

FAST_IMAGE = RunSpec(
    name="fast",
    description="He init with every hidden unit's bias centred on the picture (each unit starts "
    "active on half of the pixels), Adam (β₂ = 0.99) on shuffled mini-batches of 512 pixels in "
    "float32, the learning rate following half a cosine from 0.02 down to 0.001 over 12,000 "
    "iterations and warming up over the first 1,000.",
    hidden=IMAGE_LAYERS,
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
