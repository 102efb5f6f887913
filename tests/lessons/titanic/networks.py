"""Hand-set networks for the Titanic tests: their answers are known without training."""

import nn
from datasets import titanic
from kit.settings import OutputSpec, Settings, build_network

OUTPUT = OutputSpec(input_dim=14, units=1, activation="sigmoid", loss="cross_entropy")


def sex_only_network(weight: float = -4.0, bias: float = 2.0) -> nn.Network:
    """A depth-0 network that looks at the Sex feature only: women survive, men do not."""
    net = build_network(Settings(), OUTPUT)
    net.layers[0].weights[:] = 0.0
    net.layers[0].weights[0, titanic.FEATURES.index("Sex")] = weight
    net.layers[0].bias[:] = bias
    return net
