"""The Mustafar tests' shared network."""

import pytest

import nn
from datasets import image_to_xy, load_transmission
from nn.presets import FAST_IMAGE


@pytest.fixture(scope="module")
def network() -> nn.Network:
    """A briefly trained helmet network (300 fast-preset iterations)."""
    X, Y, _ = image_to_xy(load_transmission("helmet"), "1bit")
    trainer = FAST_IMAGE.with_changes(seed=1).trainer(X, Y)
    net = trainer.network
    for _ in range(300):
        trainer.step()
    return net
