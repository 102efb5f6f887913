"""Errors the engine raises: each message says what was given, what is allowed, what to try."""


class NetworkError(ValueError):
    """A setting, a shape or a file the network cannot work with."""


class TrainingDiverged(NetworkError):
    """The cost became NaN or infinite; the network was put back to its last finite weights."""

    def __init__(self, iteration: int, learning_rate: float):
        self.iteration = iteration
        self.learning_rate = learning_rate
        super().__init__(
            f"training diverged at iteration {iteration}: the cost is no longer a number "
            f"(NaN or infinity) with learning rate {learning_rate:g}. The steps overshoot "
            f"the minimum and grow without bound. Try a smaller learning rate, "
            f"e.g. {learning_rate / 10:g}. The network kept its last finite weights."
        )


class ModelFileError(NetworkError):
    """A saved-model file that is not ours, is damaged, or does not describe a valid network."""


def choose(kind: str, name: object, valid: dict) -> object:
    """Look `name` up in `valid`, or raise a NetworkError listing the valid names."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key in valid:
        return valid[key]
    names = ", ".join(sorted({str(k) for k in valid if k}))
    raise NetworkError(f"unknown {kind} {name!r}; choose one of: {names}")
